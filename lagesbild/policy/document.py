"""Reading and checking a policy file (format lagesbild-policy/1). Pure Python, no Django.

`parse_policy(text, filename)` returns the policy as plain data plus every problem found, each
naming the file, the line and the field, so `lagesbild policy check` can report them all at
once. The structural rules live in policy.schema.json; the rules a schema cannot say (unique
ids, references between parts, known kommunkod, known indicators) are checked here.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import jsonschema
import yaml

from lagesbild.core import municipalities

SCHEMA_PATH = Path(__file__).with_name("policy.schema.json")
FORMAT = "lagesbild-policy/1"


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self):
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


class PolicyError(Exception):
    """A policy file that cannot be used; `problems` says every reason."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@cache
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def field_name(path):
    """('areas', 2, 'id') -> 'areas[2].id' (0-based indexes, as in the YAML list)."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# Limits checked on the YAML events before anything is built. The shipped policies are 8 kB and
# about 300 nodes deep at most 8 levels; the limits leave room for a policy many times larger.
MAX_FILE_BYTES = 1024 * 1024  # the same as the editor's import (editing.MAX_IMPORT_BYTES)
MAX_NODES = 20_000  # fields and list items, counting every use of an alias in full
MAX_ALIASES = 100
MAX_DEPTH = 50


class TooLarge(Exception):
    def __init__(self, line, message):
        self.line, self.message = line, message


def check_limits(text):
    """Refuse a file that would expand beyond the limits, from the parser's events alone.

    YAML aliases let a file of a few hundred bytes stand for billions of nodes ("billion
    laughs"); the line walk, the schema check and the JSON field would each visit every one.
    So each alias counts with the full size of what it refers to, and an alias to a collection
    still open (a structure containing itself) is refused. The parser holds one event at a time,
    so this needs no more memory than the text."""
    sizes = {}  # anchor -> nodes it stands for
    open_ = []  # (anchor, node count at its start) of each collection not yet closed
    nodes = aliases = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise TooLarge(line, f"fler än {MAX_ALIASES} YAML-alias (*namn); skriv ut värdena")
            if any(anchor == event.anchor for anchor, _ in open_):
                raise TooLarge(line, f"aliaset *{event.anchor} hänvisar till sig självt")
            nodes += sizes.get(event.anchor, 1)  # an unknown alias: the reader names it
        elif isinstance(event, yaml.ScalarEvent):
            nodes += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            nodes += 1
            open_.append((event.anchor, nodes))
            if len(open_) > MAX_DEPTH:
                raise TooLarge(line, f"mer än {MAX_DEPTH} nivåer inuti varandra")
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, start = open_.pop()
            if anchor:
                sizes[anchor] = nodes - start + 1
        if nodes > MAX_NODES:
            raise TooLarge(line, f"filen har fler än {MAX_NODES} fält och listvärden")


def _keep_text_if_invalid(construct):
    """A scalar that looks like a date or number but is none (2016-02-30, `!!int tio`) stays
    its text, so the schema check names its field and line instead of the reader failing."""

    def constructor(loader, node):
        try:
            return construct(loader, node)
        except (ValueError, AttributeError):
            return node.value

    return constructor


class _Loader(yaml.SafeLoader):
    pass


for _tag, _construct in (
    ("timestamp", yaml.SafeLoader.construct_yaml_timestamp),
    ("int", yaml.SafeLoader.construct_yaml_int),
    ("float", yaml.SafeLoader.construct_yaml_float),
):
    _Loader.add_constructor(f"tag:yaml.org,2002:{_tag}", _keep_text_if_invalid(_construct))


def load_yaml(text):
    """The file's data, or None when it is not readable YAML within the limits (for a quick
    look at one field before the full check, which then says why)."""
    if len(text) > MAX_FILE_BYTES:
        return None
    try:
        check_limits(text)
        return yaml.load(text, Loader=_Loader)  # a SafeLoader: plain data only
    except (yaml.YAMLError, TooLarge):
        return None


def _read_yaml(text, filename):
    """YAML to Python with the line of every field; duplicate keys are problems, not overrides."""
    lines, problems = {}, []
    check_limits(text)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, lines, problems

        def walk(node, path):
            lines.setdefault(path, node.start_mark.line + 1)
            if isinstance(node, yaml.MappingNode):
                seen = set()
                for key_node, value_node in node.value:
                    key = key_node.value
                    if key in seen:
                        problems.append(
                            Problem(
                                filename,
                                key_node.start_mark.line + 1,
                                field_name(path + (key,)),
                                "fältet står två gånger",
                            )
                        )
                    seen.add(key)
                    lines[path + (key,)] = key_node.start_mark.line + 1
                    walk(value_node, path + (key,))
            elif isinstance(node, yaml.SequenceNode):
                for i, item in enumerate(node.value):
                    walk(item, path + (i,))

        walk(node, ())
        data = loader.construct_document(node)
    finally:
        loader.dispose()
    return _plain(data), lines, problems


def _plain(value):
    """Dates written unquoted in YAML become ISO strings, as the schema expects."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _line_of(lines, path):
    path = tuple(path)
    while path not in lines and path:
        path = path[:-1]
    return lines.get(path)


_TYPES = {
    "object": "en samling fält",
    "array": "en lista",
    "string": "en text",
    "integer": "ett heltal",
    "number": "ett tal",
}


def _schema_message(error):
    v = error.validator
    if v == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"obligatoriskt fält '{missing}' saknas", (missing,)
    if v == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return "okänt fält (se docs/policy-format.md)", tuple(extra[:1])
    if v == "type":
        return (
            f"ska vara {_TYPES.get(error.validator_value, error.validator_value)}, inte {error.instance!r}",
            (),
        )
    if v == "enum":
        allowed = ", ".join(str(x) for x in error.validator_value)
        return f"ogiltigt värde {error.instance!r}; tillåtna värden: {allowed}", ()
    if v == "const":
        return f"ska vara {error.validator_value!r}, inte {error.instance!r}", ()
    if v == "pattern":
        return f"ogiltigt format: {error.instance!r}", ()
    if v == "format" and error.validator_value == "date":
        return f"{error.instance!r} är inget datum som finns (skriv ÅÅÅÅ-MM-DD)", ()
    if v == "minItems":
        return "listan får inte vara tom", ()
    if v == "minLength":
        return "texten får inte vara tom", ()
    if v in ("minimum", "maximum"):
        return f"värdet {error.instance!r} är utanför tillåtet intervall", ()
    if v == "oneOf":
        return "ska vara en text eller en lista av texter", ()
    return error.message, ()


def _walk_goals(goals, path):
    for i, goal in enumerate(goals or []):
        yield goal, path + (i,)
        yield from _walk_goals(goal.get("subgoals"), path + (i, "subgoals"))


BIRTH_GROUPS = ("utrikes_fodda", "inrikes_fodda")


def entry_groups(entry):
    """The population groups a catalogue entry publishes (for targets and their checks)."""
    source = entry.get("source") or {}
    if source.get("kind") == "kolada":
        return [k["group"] for k in source.get("kpis", [])]
    if source.get("kind") == "scb":
        return list((source.get("groups") or {}).values())
    return list(entry.get("groups") or [])


def _check_target(target, path, data, known):
    """Problems with one target: what it needs, its year, its sign and its unit."""
    found = []
    indicator = target.get("indicator")
    if indicator is None:
        if "text" not in target:
            found.append(
                (
                    path,
                    "ett målvärde utan indikator behöver en text (det redovisas "
                    "som ”mäts inte ännu”)",
                )
            )
    else:
        if known is not None and indicator not in known:
            found.append(
                (
                    path + ("indicator",),
                    f"okänd indikator {indicator!r}; se indikatorkatalogen (lagesbild indicators)",
                )
            )
        for field in ("value", "direction"):
            if field not in target:
                found.append(
                    (
                        path + (field,),
                        "fältet saknas: ett målvärde med indikator behöver value och direction",
                    )
                )
    validity = data.get("validity") or {}
    first, last = validity.get("start_year"), validity.get("end_year")
    year = target["year"]
    if (first and year < first) or (last and year > last):
        found.append(
            (
                path + ("year",),
                f"målåret {year} ligger utanför policyns giltighetstid "
                f"({first or '…'}–{last or '…'})",
            )
        )
    if "baseline_year" in target and target["baseline_year"] >= year:
        found.append(
            (
                path + ("baseline_year",),
                f"utgångsåret {target['baseline_year']} ska ligga före målåret {year}",
            )
        )
    value, direction, group = target.get("value"), target.get("direction"), target.get("group")
    if group == "gap" and value is not None and direction:
        if (value < 0 and direction == "decrease") or (value > 0 and direction == "increase"):
            want = "increase" if value < 0 else "decrease"
            found.append(
                (
                    path + ("direction",),
                    f"skillnaden (utrikes − inrikes födda) {value} "
                    f"med riktningen {direction} blir större, inte mindre; skriv "
                    f"direction: {want} för att minska skillnaden",
                )
            )
    entry = known.get(indicator) if isinstance(known, dict) and indicator else None
    if entry:
        groups = entry_groups(entry)
        if group == "gap" and not set(BIRTH_GROUPS) <= set(groups):
            found.append(
                (
                    path + ("group",),
                    f"indikatorn {indicator!r} redovisas inte för både "
                    "utrikes och inrikes födda, så den har ingen skillnad att sätta mål för",
                )
            )
        elif group not in (None, "gap") and groups and group not in groups:
            found.append(
                (
                    path + ("group",),
                    f"indikatorn {indicator!r} har ingen grupp "
                    f"{group!r}; den har {', '.join(groups)}",
                )
            )
        if "unit" in target and target["unit"] != entry["unit"]:
            found.append(
                (
                    path + ("unit",),
                    f"enheten {target['unit']!r} stämmer inte med "
                    f"indikatorns enhet {entry['unit']!r}",
                )
            )
        if entry["unit"] == "procent" and value is not None:
            low = -100 if group == "gap" else 0
            if not low <= value <= 100:
                found.append(
                    (path + ("value",), f"{value} går inte som andel i procent ({low}–100)")
                )
    return found


def _check_semantics(data, known_indicators):
    """Problems a schema cannot express, as (path, message) pairs."""
    found = []

    code = data["municipality"]["code"]
    area = municipalities.get(code)
    if area is None or area.kind == "riket":
        found.append((("municipality", "code"), f"okänd kommunkod {code!r}"))

    actor_ids = set()
    for i, actor in enumerate(data.get("actors", [])):
        if actor["id"] in actor_ids:
            found.append((("actors", i, "id"), f"aktörs-id {actor['id']!r} används redan"))
        actor_ids.add(actor["id"])

    def check_actor(ref, path):
        if ref not in actor_ids:
            found.append((path, f"okänd aktör {ref!r}; aktörer definieras under 'actors'"))

    def check_indicator(ref, path):
        if known_indicators is not None and ref not in known_indicators:
            found.append(
                (path, f"okänd indikator {ref!r}; se indikatorkatalogen (lagesbild indicators)")
            )

    area_ids, goal_ids = set(), set()
    for i, area_data in enumerate(data["areas"]):
        path = ("areas", i)
        if area_data["id"] in area_ids:
            found.append((path + ("id",), f"område-id {area_data['id']!r} används redan"))
        area_ids.add(area_data["id"])
        for j, ref in enumerate(area_data.get("responsible", [])):
            check_actor(ref, path + ("responsible", j))
        for j, ref in enumerate(area_data.get("indicators", [])):
            check_indicator(ref, path + ("indicators", j))
        for j, target in enumerate(area_data.get("targets", [])):
            found.extend(_check_target(target, path + ("targets", j), data, known_indicators))
        for goal, gpath in _walk_goals(area_data.get("goals"), path + ("goals",)):
            if "id" in goal:
                if goal["id"] in goal_ids:
                    found.append((gpath + ("id",), f"mål-id {goal['id']!r} används redan"))
                goal_ids.add(goal["id"])
            for j, target in enumerate(goal.get("targets", [])):
                found.extend(_check_target(target, gpath + ("targets", j), data, known_indicators))
            for j, ref in enumerate(goal.get("indicators", [])):
                check_indicator(ref, gpath + ("indicators", j))

    for j, doc in enumerate(data.get("documents", [])):
        if "responsible" in doc:
            check_actor(doc["responsible"], ("documents", j, "responsible"))
    if "responsible" in data.get("follow_up", {}):
        check_actor(data["follow_up"]["responsible"], ("follow_up", "responsible"))

    validity = data.get("validity", {})
    if validity.get("start_year") and validity.get("end_year"):
        if validity["end_year"] < validity["start_year"]:
            found.append((("validity", "end_year"), "slutåret ligger före startåret"))
    return found


def parse_policy(text, filename="<policy>", known_indicators=None):
    """Parse and check a policy; returns (data, problems). `data` is None when unusable.

    `known_indicators` is the set of catalogue ids; None skips that check.
    """
    size = len(text) if isinstance(text, bytes) else len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        megabytes = MAX_FILE_BYTES // (1024 * 1024)
        return None, [Problem(filename, None, "", f"filen är större än {megabytes} MB")]
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as e:
            return None, [Problem(filename, None, "", f"filen är inte UTF-8-text (byte {e.start})")]
    if "\x00" in text:
        return None, [Problem(filename, None, "", "filen innehåller binära data, inte YAML-text")]
    if not text.strip():
        return None, [Problem(filename, None, "", "filen är tom")]
    try:
        data, lines, problems = _read_yaml(text, filename)
    except TooLarge as e:
        return None, [Problem(filename, e.line, "", e.message)]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else None
        reason = e.problem or e.context or "ogiltig YAML"
        return None, [Problem(filename, line, "", f"YAML-syntaxfel: {reason}")]
    except yaml.YAMLError as e:
        return None, [Problem(filename, None, "", f"kan inte läsas som YAML: {e}")]
    if not isinstance(data, dict):
        return None, [
            Problem(
                filename,
                1,
                "",
                "filen ska innehålla en policy (en samling fält), se docs/policy-format.md",
            )
        ]

    validator = jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())
    reported = set()
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        message, extra = _schema_message(error)
        path = tuple(error.absolute_path) + extra
        if path in reported:  # one message per field is enough (e.g. pattern and format)
            continue
        reported.add(path)
        problems.append(Problem(filename, _line_of(lines, path), field_name(path), message))
    if problems:
        return None, sorted(problems, key=lambda p: p.line or 0)

    for path, message in _check_semantics(data, known_indicators):
        problems.append(Problem(filename, _line_of(lines, path), field_name(path), message))
    return (None if problems else data), problems


def dump_policy(data):
    """Plain policy data back to YAML text (parse_policy(dump_policy(d)) == d)."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
