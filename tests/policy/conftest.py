"""Fixtures for the policy editor's tests: the shipped policies loaded, and a reader of the
forms a page shows, with the values as a browser would send them unchanged."""

from html.parser import HTMLParser

import pytest

from ..conftest import POLICY_DIR


@pytest.fixture
def shipped(db):
    """{municipality code: Policy} of the shipped policies, loaded as `policy load` does."""
    from lagesbild.policy.loading import load_policy

    out = {}
    for path in sorted(POLICY_DIR.glob("*.yaml")):
        result = load_policy(path.read_bytes(), f"policies/{path.name}")
        out[result.version.policy.municipality] = result.version.policy
    return out


class PostForm(HTMLParser):
    """The fields of the page's POST forms, as a browser sends them when nothing is changed
    (the first button's name and value are left out)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.inside, self.select, self.textarea = [], False, None, None
        self.option_value, self.selected_seen = None, False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = (a.get("method") or "").lower() == "post"
        elif not self.inside:
            return
        elif tag == "input" and a.get("name") and a.get("type") not in ("submit", "file"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a and "disabled" not in a:
                    self.fields.append((a["name"], a.get("value", "on")))
            elif "disabled" not in a:
                self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select, self.first = a["name"], None
        elif tag == "option" and self.select:
            if self.first is None:
                self.first = a.get("value", "")
            if "selected" in a:
                self.fields.append((self.select, a.get("value", "")))
                self.selected_seen = True

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            value = self.textarea[1]
            if value.startswith("\n"):  # the browser drops the newline after <textarea>
                value = value[1:]
            self.fields.append(tuple(self.textarea))
            self.fields[-1] = (self.textarea[0], value)
            self.textarea = None
        elif tag == "select" and self.select:
            if not self.selected_seen and self.first is not None:
                self.fields.append((self.select, self.first))
            self.select, self.selected_seen = None, False


def unchanged_form(response):
    """{name: value or [values]} of the page's POST form(s), unchanged."""
    parser = PostForm()
    parser.feed(response.content.decode())
    data = {}
    for name, value in parser.fields:
        if name == "csrfmiddlewaretoken":
            continue
        if name in data:
            data[name] = data[name] if isinstance(data[name], list) else [data[name]]
            data[name].append(value)
        else:
            data[name] = value
    return data
