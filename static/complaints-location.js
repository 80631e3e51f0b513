/* Complaints: an optional "use my location" button that fills the coordinates.
   Without JavaScript (or without permission) the form works the same: the place is
   given by district, neighbourhood and address, and coordinates can be typed. */
(function () {
  var box = document.querySelector("[data-locate-label]");
  if (!box || !("geolocation" in navigator)) return;
  var lat = document.getElementById("lat"), lon = document.getElementById("long");
  if (!lat || !lon) return;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = box.getAttribute("data-locate-label");
  var status = document.createElement("p");
  status.setAttribute("role", "status");
  button.addEventListener("click", function () {
    status.textContent = box.getAttribute("data-locate-wait");
    navigator.geolocation.getCurrentPosition(function (position) {
      lat.value = position.coords.latitude.toFixed(6);
      lon.value = position.coords.longitude.toFixed(6);
      box.open = true;
      status.textContent = box.getAttribute("data-locate-done");
    }, function () {
      status.textContent = box.getAttribute("data-locate-fail");
    }, {enableHighAccuracy: true, timeout: 15000, maximumAge: 60000});
  });
  box.parentNode.insertBefore(button, box);
  box.parentNode.insertBefore(status, box);
})();
