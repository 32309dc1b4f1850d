"""The documentation is true: its examples run, and every command and flag it names exists.

Reads README.md and docs/*.md as a new user would: the policy examples in
docs/policy-format.md are checked by the policy checker, every `lagesbild …` command line is
matched against the real command parsers, and numbers the docs state about behaviour are
compared with the settings that decide it.
"""

import argparse
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands, load_command_class

from lagesbild.policy.loading import check_policy

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.S)
# `lagesbild NAME …` inside inline code or at the start of a code block line.
INLINE = re.compile(r"`lagesbild ([a-z][a-z-]*)([^`]*)`")
BLOCK_LINE = re.compile(r"^\s*(?:\.venv/bin/)?lagesbild ([a-z][a-z-]*)(.*)$", re.M)


def command_lines():
    """[(file name, command, rest of the line)] for every lagesbild command in the docs."""
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for kind, block in FENCE.findall(text):
            if kind in ("sh", "bash", "console", ""):
                found += [(path.name, m[0], m[1]) for m in BLOCK_LINE.findall(block)]
        outside = FENCE.sub("", text)
        found += [(path.name, m[0], m[1]) for m in INLINE.findall(outside)]
    return found


def _parsers(command):
    """The command's parser and, for commands with sub-commands, theirs too."""
    parser = load_command_class(get_commands()[command], command).create_parser(
        "lagesbild", command
    )
    parsers = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            parsers += list(action.choices.values())
    return parsers


def test_the_docs_name_commands():
    lines = command_lines()
    assert len(lines) > 40  # a guard against the extraction silently finding nothing
    assert ("statistics.md", "fetch", " --kommun 1082 [--years 2015-2025]") in lines


@pytest.mark.parametrize("where, command, rest", command_lines())
def test_every_command_and_flag_in_the_docs_exists(where, command, rest):
    assert command in get_commands(), f"{where}: lagesbild {command} does not exist"
    options = {o for p in _parsers(command) for a in p._actions for o in a.option_strings}
    subcommands = {
        name
        for p in _parsers(command)[:1]
        for a in p._actions
        if isinstance(a, argparse._SubParsersAction)
        for name in a.choices
    }
    words = rest.replace("[", " ").replace("]", " ").replace("|", " ").split()
    if subcommands and words and not words[0].startswith("-") and words[0].isalpha():
        assert words[0] in subcommands or words[0].isupper(), (
            f"{where}: lagesbild {command} has no sub-command {words[0]!r}"
        )
    for flag in (w.split("=")[0] for w in words if w.startswith("--")):
        assert flag in options, f"{where}: lagesbild {command} has no option {flag}"


def policy_examples():
    text = (ROOT / "docs" / "policy-format.md").read_text(encoding="utf-8")
    return [b for kind, b in FENCE.findall(text) if b.startswith("format: lagesbild-policy/1")]


@pytest.mark.django_db
@pytest.mark.parametrize("example", policy_examples())
def test_policy_examples_in_the_docs_pass_policy_check(example):
    data, problems = check_policy(example.encode("utf-8"), "docs-example.yaml")
    assert [str(p) for p in problems] == []
    assert data["municipality"]["code"] == "0780"


def test_the_public_form_rate_limit_in_the_docs_is_the_configured_one():
    text = (ROOT / "docs" / "public.md").read_text(encoding="utf-8")
    count, seconds = re.search(
        r"rate limit of (\d+) form submissions per address in (\d+) minutes", " ".join(text.split())
    ).groups()
    assert tuple(settings.RATELIMITS["form"]) == (int(count), int(seconds) * 60)
    assert f"`{count}/{int(seconds) * 60}`" in text


def commands_named_in_the_code():
    """{(file, command)} for every `lagesbild NAME` the product's own messages, pages and
    help texts recommend."""
    pattern = re.compile(r"\blagesbild ([a-z][a-z-]+)")
    found = set()
    for path in (ROOT / "lagesbild").rglob("*"):
        if path.suffix in (".py", ".html", ".txt", ".po") and "migrations" not in path.parts:
            for name in pattern.findall(path.read_text(encoding="utf-8")):
                found.add((str(path.relative_to(ROOT)), name))
    return sorted(found)


def test_every_command_the_product_recommends_exists():
    named = commands_named_in_the_code()
    assert ("lagesbild/policy/document.py", "indicators") in named  # the extraction works
    missing = [f"{where}: lagesbild {name}" for where, name in named if name not in get_commands()]
    assert missing == []
