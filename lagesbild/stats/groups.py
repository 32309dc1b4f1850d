"""Comparison groups: Kolada's "Liknande kommuner, övergripande" group of a municipality.

The live fetch reads Kolada's /municipality_groups and stores every group it needs in
MunicipalityGroup. For the offline demo the two demo municipalities' groups are kept here as
product data. Provenance: Kolada API v3 /municipality_groups, saved 2026 (the groups
G37418 and G37446, "Liknande kommuner, övergripande, <kommun>, 2025"); Kolada's groups are
recomputed yearly, so a live fetch replaces these.
"""

import re

from lagesbild.core import municipalities

OFFLINE_SOURCE = "Kolada /municipality_groups (sparad 2026, produktdata för offlinedemot)"

OFFLINE_GROUPS = {
    "G37418": {
        "title": "Liknande kommuner, övergripande, Karlshamn, 2025",
        "members": ["0586", "0882", "1266", "1267", "1491", "1493", "2184"],
    },
    "G37446": {
        "title": "Liknande kommuner, övergripande, Lidköping, 2025",
        "members": ["0683", "0781", "0882", "1292", "1421", "2080", "2184"],
    },
}

TITLE_PREFIX = "Liknande kommuner, övergripande, "


def overall_group_pattern(kommunkod):
    """A regex matching the titles of the municipality's own overall comparison group."""
    name = municipalities.get(kommunkod).name
    return re.compile(rf"^{re.escape(TITLE_PREFIX + name)}, (\d{{4}})$")


def pick_overall_group(kommunkod, groups):
    """From (group_id, title, members) triples, the newest "övergripande" group, or None."""
    pattern = overall_group_pattern(kommunkod)
    best = None
    for group_id, title, members in groups:
        match = pattern.match(title or "")
        if match and (best is None or int(match.group(1)) > best[0]):
            best = (int(match.group(1)), group_id, title, members)
    return best[1:] if best else None
