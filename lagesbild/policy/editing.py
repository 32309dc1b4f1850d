"""The policy editor's data work, apart from the views: starting a draft, reading and writing
the draft's fields, and finding which form field a problem of parse_policy belongs to.

A draft's data has the shape of a policy file but may be incomplete. The forms change only the
fields they show and keep every other field as it was, so a policy loaded from a file can be
edited in the browser without losing anything.
"""

import copy
import re
from pathlib import Path

import lagesbild
from lagesbild.core import municipalities

from .document import FORMAT, field_name, parse_policy

TEMPLATE_DIR = Path(lagesbild.__file__).resolve().parent.parent / "policies"
MAX_IMPORT_BYTES = 1024 * 1024


def shipped_templates():
    """{file name: policy data} of the shipped policies that may start a new one."""
    out = {}
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        data, problems = parse_policy(path.read_bytes(), path.name)
        if data is not None:
            out[path.name] = data
    return out


def slugify_sv(text):
    """'Lidköpings kommun' -> 'lidkopings-kommun' (the id pattern of policy files)."""
    text = text.lower()
    for a, b in (("å", "a"), ("ä", "a"), ("ö", "o"), ("é", "e"), ("ü", "u")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40]


def municipality_name(code):
    """The municipality's official name ("Växjö kommun", "Karlshamns kommun"), as the shipped
    policies write it."""
    area = municipalities.get(code)
    return area.full_name if area else code


def policy_id(code):
    """A new policy's id from the municipality's short name: "vaxjo-integration"."""
    area = municipalities.get(code)
    return f"{slugify_sv(area.name if area else code)}-integration"


def empty_policy(code):
    """The data of an empty form for a new policy of municipality `code`."""
    return {
        "format": FORMAT,
        "id": policy_id(code),
        "municipality": {"code": code, "name": municipality_name(code)},
        "title": "",
        "decision": {},
        "area_term": {},
        "areas": [],
    }


def from_template(template, code):
    """A shipped policy as the start of another municipality's: its municipality, a new id
    from the municipality's name and no decision (the new policy is not decided yet)."""
    data = copy.deepcopy(template)
    data["municipality"] = {"code": code, "name": municipality_name(code)}
    data["id"] = policy_id(code)
    data["decision"] = {}
    return data


# Reading and writing fields ----------------------------------------------------------------


def get_path(data, path):
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        else:
            return None
    return data


def set_path(data, path, value):
    """Set data[path] = value; an empty value removes the field (and a parent left empty by
    that). Lists and dicts along the path are created as needed."""
    *parents, last = path
    node = data
    chain = []
    for part in parents:
        if part not in node or not isinstance(node[part], dict):
            if value in (None, "", []):
                return
            node[part] = {}
        chain.append((node, part))
        node = node[part]
    if value in (None, "", []):
        if last in node:
            del node[last]
            for parent, part in reversed(chain):
                if parent[part]:
                    break
                del parent[part]
    else:
        node[last] = value


def paragraphs_to_text(value):
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return "\n\n".join(value)


def text_to_paragraphs(text, old):
    """Paragraphs separated by a blank line; one paragraph stays a text unless it was a list."""
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return [] if old == [] else None
    parts = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(parts) == 1 and not isinstance(old, list):
        return parts[0]
    return parts


def lines_to_text(values):
    return "\n".join(values or [])


def text_to_lines(text, old=None):
    """One item a line; blank lines are skipped. An empty list stays when it was one."""
    items = [line.strip() for line in (text or "").replace("\r\n", "\n").split("\n")]
    items = [i for i in items if i]
    if not items and old is None:
        return None
    return items


def set_list(target, key, text, keep_empty=False):
    """target[key] = the lines of text; the field is removed when empty unless it was []."""
    old = target.get(key)
    items = text_to_lines(text, old if (old == [] or keep_empty) else None)
    if items is None:
        target.pop(key, None)
    else:
        target[key] = items


def set_text(target, key, value):
    if value in (None, ""):
        target.pop(key, None)
    else:
        target[key] = value


# Problems next to fields --------------------------------------------------------------------


def draft_problems(data, kommun):
    """The problems parse_policy finds in a draft's data, as it would be adopted."""
    from .document import dump_policy
    from .loading import known_indicators

    _, problems = parse_policy(
        dump_policy(data), "utkast", known_indicators=known_indicators(kommun)
    )
    return problems


def matches_field(problem_field, path):
    """A problem's field ('areas[1].targets[0].year') is at or inside `path`."""
    name = field_name(path)
    return problem_field == name or problem_field.startswith((name + ".", name + "["))


def page_of(problem_field, draft):
    """The editor page where the field of a problem is edited: ('edit'|'area'|'adopt', index)."""
    m = re.match(r"areas\[(\d+)\]", problem_field)
    if m:
        return "area", int(m.group(1))
    if problem_field == "areas":
        return "areas", None
    if problem_field.startswith("decision"):
        return "adopt", None
    return "edit", None
