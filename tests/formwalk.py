"""Find every form the app shows: GET each page, parse each <form method="post">."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

SKIP_INPUT_TYPES = {"submit", "button", "reset", "image", "file"}


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, password, email, number, date...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class FoundForm:
    page: str
    action: str
    fields: dict[str, FormField] = field(default_factory=dict)

    def signature(self) -> tuple:
        return (self.action, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[FoundForm] = []
        self.current: FoundForm | None = None
        self.select: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self.current = FoundForm(self.page, urljoin(self.page, a.get("action") or ""))
            return
        if self.current is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in SKIP_INPUT_TYPES:
                return
            existing = self.current.fields.get(name)
            if kind in {"radio", "checkbox"} and existing:
                existing.options.append(a.get("value", "on"))
                return
            self.current.fields[name] = FormField(
                name, kind, a.get("value", ""), [a.get("value", "on")]
            )
        elif tag == "textarea":
            self.current.fields[name] = FormField(name, "textarea")
        elif tag == "select":
            self.select = FormField(name, "select")
            self.current.fields[name] = self.select
        elif tag == "option" and self.select is not None:
            self.select.options.append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form" and self.current is not None:
            self.forms.append(self.current)
            self.current = None
        elif tag == "select":
            self.select = None


def forms_on(page: str, html: str) -> list[FoundForm]:
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms
