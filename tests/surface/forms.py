"""Reads the forms of an HTML page with the standard library's parser (no browser)."""
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

TEXT_TYPES = ("text", "email", "search", "tel", "url", "")


@dataclass
class Control:
    tag: str
    name: str
    type: str
    value: str = ""
    checked: bool = False
    options: list = field(default_factory=list)  # (value, selected) for a select
    hidden_by_page: bool = False


@dataclass
class Form:
    method: str
    action: str
    enctype: str
    controls: list = field(default_factory=list)

    def value(self, name):
        for control in self.controls:
            if control.name != name:
                continue
            if control.tag == "select":
                return next((value for value, selected in control.options if selected), None)
            if control.type in ("checkbox", "radio"):
                if control.checked:
                    return control.value
                continue
            return control.value
        return None

    def path(self, page_path):
        return urlsplit(self.action).path or page_path


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.form, self.select, self.option, self.textarea = [], None, None, None, None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self.form = Form(a.get("method", "get").lower(), a.get("action", ""), a.get("enctype", ""))
            self.forms.append(self.form)
        elif self.form is None or "name" not in a and tag in ("input", "select", "textarea"):
            return
        elif tag == "input":
            self.form.controls.append(Control("input", a["name"], a.get("type", "text").lower(), a.get("value", ""),
                                              "checked" in a,
                                              hidden_by_page="hidden" in a or a.get("tabindex") == "-1"))
        elif tag == "textarea":
            self.textarea = Control("textarea", a["name"], "textarea")
            self.form.controls.append(self.textarea)
        elif tag == "select":
            self.select = Control("select", a["name"], "select-multiple" if "multiple" in a else "select")
            self.form.controls.append(self.select)
        elif tag == "option" and self.select is not None:
            self.option = [a.get("value"), "selected" in a, ""]
            self.select.options.append(self.option)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea.value += data
        if self.option is not None:
            self.option[2] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea":
            if self.textarea is not None:  # a newline right after <textarea> is not content
                value = self.textarea.value
                self.textarea.value = value[2:] if value.startswith("\r\n") else value.removeprefix("\n")
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option" and self.option is not None:
            if self.option[0] is None:
                self.option[0] = self.option[2].strip()
            self.option = None

    def close(self):
        super().close()
        for form in self.forms:
            for control in form.controls:
                control.options = [(value, selected) for value, selected, _text in control.options]
        return self.forms


def read_forms(html: str) -> list[Form]:
    reader = _Reader()
    reader.feed(html)
    return reader.close()
