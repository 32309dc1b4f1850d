"""What changed between two versions of a policy. Pure Python, no Django.

`compare(old, new)` walks two policy data dicts (lagesbild-policy/1) and returns every changed
place as a Change with a readable Swedish label ("Område 2 Språk – mål 1", "Beslut – datum")
and the old and new value as text ("" where the place did not exist). Areas are matched by
their id, so a moved or renamed area is reported as such; everything else by position.
"""

from dataclasses import dataclass

LABELS = {
    "format": "format",
    "id": "id",
    "municipality": "kommun",
    "code": "kod",
    "name": "namn",
    "title": "titel",
    "document_type": "dokumenttyp",
    "decision": "beslut",
    "body": "beslutande organ",
    "date": "datum",
    "reference": "beslutsreferens",
    "diarienummer": "diarienummer",
    "validity": "giltighet",
    "from": "gäller från",
    "start_year": "första år",
    "end_year": "sista år",
    "applies_to": "gäller för",
    "owner": "ägare",
    "revision_owner": "ansvarig för revideringen",
    "revise_by": "revideras senast",
    "follow_up": "uppföljning",
    "rhythm": "rytm",
    "responsible": "ansvar",
    "report_to": "redovisas för",
    "description": "beskrivning",
    "introduction": "inledning",
    "purpose": "syfte",
    "implementation": "genomförande",
    "values": "värdegrund",
    "area_term": "benämning på områdena",
    "singular": "singular",
    "plural": "plural",
    "terms": "benämningar",
    "goal": "mål",
    "subgoal": "delmål",
    "strategy": "strategi",
    "target": "målvärde",
    "commitment": "åtagande",
    "summary": "sammanfattning",
    "goals": "mål",
    "subgoals": "delmål",
    "strategies": "strategi",
    "commitments": "åtagande",
    "targets": "målvärde",
    "indicators": "indikatorer",
    "indicator": "indikator",
    "group": "grupp",
    "value": "värde",
    "year": "målår",
    "baseline_year": "utgångsår",
    "direction": "riktning",
    "unit": "enhet",
    "text": "text",
    "actors": "aktör",
    "kind": "typ",
    "responsibilities": "ansvar",
    "documents": "dokument",
    "steering_documents": "styrdokument",
    "level": "nivå",
    "url": "webbadress",
}
# Lists compared as one value (short ids), not item by item.
WHOLE_LISTS = {"indicators", "responsible", "kind"}
PARAGRAPHS = {"introduction", "purpose", "implementation", "values", "summary"}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str

    @property
    def kind(self):
        if not self.old:
            return "tillagd"
        if not self.new:
            return "borttagen"
        return "ändrad"


def as_text(value):
    """A value as the text a person reads in the comparison."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, list):
        if all(not isinstance(v, (dict, list)) for v in value):
            return ", ".join(as_text(v) for v in value)
        return "\n".join(as_text(v) for v in value)
    if isinstance(value, dict):
        if set(value) >= {"text"} and len(value) == 1:
            return as_text(value["text"])
        return "; ".join(f"{LABELS.get(k, k)}: {as_text(v)}" for k, v in value.items())
    return str(value)


def _label(parts):
    text = " – ".join(p for p in parts if p)
    return text[:1].upper() + text[1:]


def _walk(old, new, parts, key, out):
    if old == new:
        return
    if key in PARAGRAPHS:
        old = [old] if isinstance(old, str) else old
        new = [new] if isinstance(new, str) else new
        if old == new:
            return
    if key not in WHOLE_LISTS and (isinstance(old, list) or isinstance(new, list)):
        old, new = old or [], new or []
    if isinstance(old, dict) and isinstance(new, dict):
        for k in list(old) + [k for k in new if k not in old]:
            sub = parts if k == "text" else parts + [LABELS.get(k, k)]
            _walk(old.get(k), new.get(k), sub, k, out)
        return
    if isinstance(old, list) and isinstance(new, list) and key not in WHOLE_LISTS:
        name = parts[-1] if parts else ""
        base = parts[:-1]
        if key in PARAGRAPHS:
            name, base = f"{name}, stycke", parts[:-1]
        for i in range(max(len(old), len(new))):
            a = old[i] if i < len(old) else None
            b = new[i] if i < len(new) else None
            _walk(a, b, base + [f"{name} {i + 1}"], None, out)
        return
    out.append(Change(_label(parts), as_text(old), as_text(new)))


def _area_label(term, number, area):
    return f"{term} {number} {area.get('title', '')}".strip()


def compare(old, new):
    """[Change]: every place where the policy `new` differs from `old`, in reading order."""
    out = []
    term = (new.get("area_term") or old.get("area_term") or {}).get("singular") or "område"
    term = term[:1].upper() + term[1:]
    for key in list(old) + [k for k in new if k not in old]:
        if key == "areas":
            _compare_areas(old.get("areas") or [], new.get("areas") or [], term, out)
        else:
            _walk(old.get(key), new.get(key), [LABELS.get(key, key)], key, out)
    return out


def _compare_areas(old_areas, new_areas, term, out):
    old_by_id = {a.get("id"): (i, a) for i, a in enumerate(old_areas)}
    new_ids = [a.get("id") for a in new_areas]
    for i, area in enumerate(new_areas):
        label = _area_label(term, i + 1, area)
        if area.get("id") not in old_by_id:
            out.append(Change(label, "", as_text(_area_summary(area))))
            continue
        j, before = old_by_id[area.get("id")]
        if i != j:
            out.append(Change(f"{label} – ordning", str(j + 1), str(i + 1)))
        for key in list(before) + [k for k in area if k not in before]:
            _walk(before.get(key), area.get(key), [label, LABELS.get(key, key)], key, out)
    for j, area in enumerate(old_areas):
        if area.get("id") not in new_ids:
            out.append(Change(_area_label(term, j + 1, area), as_text(_area_summary(area)), ""))


def _area_summary(area):
    return {k: area[k] for k in ("id", "title") if k in area}
