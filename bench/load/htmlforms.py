"""A small HTML form reader for the load run and the race tests: find a POST form and
fill every field with a plausible answer (no Locust or gevent imports here)."""
import random
from html.parser import HTMLParser


class Forms(HTMLParser):
    """The POST forms of a page: action and fields, with the first radio of each group,
    every select's first non-empty option and whatever values inputs carry."""

    def __init__(self, html: str):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                               "fields": {}, "radios": {}, "checks": {}, "selects": {}, "texts": []})
        elif not self.forms:
            return
        form = self.forms[-1]
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind == "radio":
                form["radios"].setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind == "checkbox":
                form["checks"].setdefault(a["name"], []).append(a.get("value", "on"))
            elif kind in ("hidden",):
                form["fields"][a["name"]] = a.get("value", "")
            elif kind in ("text", "search", "email", "tel", "number", "date", "url"):
                form["texts"].append((a["name"], kind, a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            form["selects"].setdefault(self._select, [])
        elif tag == "option" and self._select:
            if a.get("value"):
                form["selects"][self._select].append(a["value"])
        elif tag == "textarea" and a.get("name"):
            form["texts"].append((a["name"], "textarea", ""))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None

    def post_form(self, contains: str = ""):
        for form in self.forms:
            if form["method"] == "post" and contains in form["action"]:
                return form
        return None


def fill(form: dict, text: str = "Prueba de carga") -> dict:
    """A plausible answer for every field of a form."""
    data = dict(form["fields"])
    for name, options in form["radios"].items():
        data[name] = random.choice(options)
    for name, options in form["checks"].items():
        data[name] = options[:1]
    for name, options in form["selects"].items():
        if options:
            data[name] = options[0]
    for name, kind, value in form["texts"]:
        if name in data or name == "website" or name.startswith("contact_"):  # the honeypot stays empty
            continue
        data[name] = value or {"number": "3", "date": "2026-01-01", "email": "carga@example.org",
                               "tel": "7000-0000", "url": ""}.get(kind, text)
    return data
