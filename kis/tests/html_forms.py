"""A page's forms as a browser would submit them, for tests that post back exactly what
the page carries (hidden fields included) rather than fields written by hand."""

from html.parser import HTMLParser

# Inputs a browser does not submit unless clicked (buttons) or cannot fill in here.
NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def _add(self, name: str, value: str) -> None:
        if self._form is not None and name:
            self._form["fields"].append((name, value))

    def _choice(self, name: str, value: str) -> None:
        if self._form is not None and name:
            self._form["choices"].setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = {key: "" if value is None else value for key, value in attrs}
        if tag == "form":
            self._form = {"attrs": attrs, "fields": [], "choices": {}}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = attrs.get("type", "text").lower()
            if "disabled" in attrs or kind in NOT_SUBMITTED:
                return
            if kind in ("checkbox", "radio"):
                self._choice(attrs.get("name", ""), attrs.get("value", "on"))
                if "checked" in attrs:
                    self._add(attrs.get("name", ""), attrs.get("value", "on"))
            else:
                self._add(attrs.get("name", ""), attrs.get("value", ""))
        elif tag == "select":
            self._select = {
                "name": "" if "disabled" in attrs else attrs.get("name", ""),
                "multiple": "multiple" in attrs,
                "options": [],
            }
        elif tag == "option" and self._select is not None:
            self._option = {
                "value": attrs.get("value"),
                "text": "",
                "selected": "selected" in attrs,
                "disabled": "disabled" in attrs,
            }
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {
                "name": "" if "disabled" in attrs else attrs.get("name", ""),
                "text": "",
            }

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        elif self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            options = [o for o in self._select["options"] if not o["disabled"]]
            for option in options:
                value = option["value"]
                self._choice(
                    self._select["name"], option["text"].strip() if value is None else value
                )
            chosen = [o for o in options if o["selected"]]
            if not chosen and not self._select["multiple"] and options:
                chosen = options[:1]  # a single select always submits something
            elif not self._select["multiple"]:
                chosen = chosen[-1:]
            for option in chosen:
                value = option["value"]
                self._add(self._select["name"], option["text"].strip() if value is None else value)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = self._textarea["text"]
            # HTML drops a newline right after <textarea> (Django writes one there).
            self._add(self._textarea["name"], text[1:] if text.startswith("\n") else text)
            self._textarea = None


def page_forms(html: str) -> list[dict]:
    """Every form of the page: {"attrs": {...}, "fields": [(name, value), ...],
    "choices": {name: [every value its options, radio buttons or check boxes offer]}}."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms


def edit_form_data(html: str) -> dict[str, list[str]]:
    """What the page's own form (method post, no other action) would submit, without
    clicking a named button: {name: [values]} for the test client."""
    own = [
        form
        for form in page_forms(html)
        if form["attrs"].get("method", "get").lower() == "post" and not form["attrs"].get("action")
    ]
    assert len(own) == 1, f"{len(own)} forms posting to the page itself"
    data: dict[str, list[str]] = {}
    for name, value in own[0]["fields"]:
        data.setdefault(name, []).append(value)
    return data
