/* Participatory budgeting ballot: a running total and what is left, as the voter
   picks projects (approval with a cost limit) or spreads points (cumulative).
   Comfort only: without JavaScript the same form works and the server checks the
   limits on "Revisar mi voto". */
(function () {
  var box = document.querySelector("[data-pb-tally]");
  if (!box) return;
  var form = box.closest("form");
  if (!form) return;
  var kind = box.getAttribute("data-pb-tally");
  var money = null;
  try {
    money = new Intl.NumberFormat(box.getAttribute("data-locale"), {
      style: "currency", currency: box.getAttribute("data-currency")});
  } catch (error) {
    money = new Intl.NumberFormat();
  }
  var show = function (value) {
    return kind === "points" ? String(value) : money.format(value);
  };
  var pots = Array.prototype.slice.call(box.querySelectorAll("[data-pot]"));

  function used() {
    var sums = {};
    if (kind === "points") {
      Array.prototype.forEach.call(form.querySelectorAll("input[name^='pts_']"), function (input) {
        var n = parseInt(input.value, 10);
        if (n > 0) sums.points = (sums.points || 0) + n;
      });
    } else {
      Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox][data-cost]"), function (input) {
        if (!input.checked) return;
        var pot = input.getAttribute("data-pot") || "";
        sums[pot] = (sums[pot] || 0) + parseFloat(input.getAttribute("data-cost"));
      });
    }
    return sums;
  }

  function update() {
    var sums = used();
    pots.forEach(function (line) {
      var key = line.getAttribute("data-pot");
      var spent = sums[key] || 0;
      var left = parseFloat(line.getAttribute("data-limit")) - spent;
      line.querySelector("[data-used]").textContent = show(spent);
      line.querySelector("[data-left]").textContent = show(Math.max(left, 0));
      line.querySelector("[data-over]").hidden = left >= 0;
      line.querySelector("[data-excess]").textContent = show(Math.max(-left, 0));
      line.classList.toggle("pb-over-limit", left < 0);
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  box.hidden = false;
  update();
})();
