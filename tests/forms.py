"""Read the POST forms a page offers, as a browser would see them (standard library parser).

Used by the form fuzzer and the sentinel walk to discover every form-handling page from the
URL table instead of a hand-kept list.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, radio, checkbox, hidden, date, number, file, password, ...
    values: list = field(default_factory=list)  # the options of a select, radio or checkbox group
    current: list = field(default_factory=list)  # what the page pre-fills or pre-checks


@dataclass
class Form:
    action: str
    fields: dict = field(default_factory=dict)  # name -> Field

    def defaults(self):
        """The data the browser would send if the form were submitted untouched."""
        data = {}
        for name, f in self.fields.items():
            if name == "csrfmiddlewaretoken":
                continue
            if f.kind == "checkbox":
                if f.current:
                    data[name] = list(f.current)
            elif f.kind == "radio":
                if f.current:
                    data[name] = f.current[0]
            elif f.kind == "select":
                chosen = f.current or f.values[:1]
                data[name] = chosen[0] if chosen else ""
            else:
                data[name] = f.current[0] if f.current else ""
        return data


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def _add(self, name, kind):
        return self._form.fields.setdefault(name, Field(name, kind))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = Form(action=a.get("action") or "") if (a.get("method") or "get").lower() == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.values.append(a.get("value", ""))
                if "selected" in a:
                    self._select.current.append(a.get("value", ""))
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            f = self._add(a["name"], kind)
            if kind in ("radio", "checkbox"):
                f.values.append(a.get("value", "on"))
                if "checked" in a:
                    f.current.append(a.get("value", "on"))
            elif "value" in a:
                f.current = [a["value"]]
        elif tag == "select":
            self._select = self._add(a["name"], "select")
        elif tag == "textarea":
            self._textarea = self._add(a["name"], "textarea")
            self._textarea.current = [""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.current[0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._textarea.current[0] = re.sub(r"^\n", "", self._textarea.current[0])
            self._textarea = None


def post_forms(html):
    """Every `<form method="post">` on the page, with its fields."""
    parser = _Parser()
    parser.feed(html)
    return parser.forms


def own_forms(html, url):
    """The POST forms that submit to the page's own address (the page's form, not the nav bar's)."""
    return [form for form in post_forms(html) if form.action in ("", url) and len(form.fields) > 1]
