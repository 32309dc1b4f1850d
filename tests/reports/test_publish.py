"""Publishing freezes the Lägesbild with the exact data, texts and policy version it used."""

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError

from lagesbild.policy.loading import load_policy
from lagesbild.reports.lagesbild import collect
from lagesbild.reports.models import AreaAnalysis, Experience, PublishedReport
from lagesbild.reports.publishing import publish, published_status, render, render_published

from .conftest import KARLSHAMN, employment, store

pytestmark = pytest.mark.django_db


def test_published_report_renders_the_same_after_data_texts_and_policy_change(
    karlshamn, stored, make_user
):
    policy = karlshamn.policy
    AreaAnalysis.objects.create(
        policy=policy, area_key="arbete", year=2025, text="Första analysen."
    )
    report = publish(policy, 2025)
    before = {fmt: render(report.snapshot, fmt, "x") for fmt in ("html",)}
    html_before = render_published(report, "html")
    assert "Första analysen." in html_before and "64,0" in html_before

    # A new fetch changes the values, a department writes, the coordinator rewrites, and the
    # policy is revised with a new chapter title.
    store(employment("1082", {2025: (70.0, 81.0)}), ref="new fetch")
    rep = make_user("department", department="Socialförvaltningen")
    Experience.objects.create(
        policy=policy,
        area_key="arbete",
        year=2025,
        department=rep.profile.department,
        text="Ny text.",
    )
    AreaAnalysis.objects.filter(policy=policy).update(text="Omskriven analys.")
    text = KARLSHAMN.read_text(encoding="utf-8").replace(
        "title: Arbete", "title: Arbete och försörjning"
    )
    load_policy(text, "revised.yaml")

    report = PublishedReport.objects.get(pk=report.pk)  # fresh from the database
    assert render(report.snapshot, "html", "x") == before["html"]
    cache.clear()
    assert render_published(report, "html") == html_before

    # The draft, by contrast, shows the new state.
    draft = render(collect(policy.current, 2025), "html", "Utkast")
    assert "70,0" in draft and "Ny text." in draft and "Omskriven analys." in draft
    assert "Arbete och försörjning" in draft and "Arbete och försörjning" not in html_before


def test_versions_are_numbered_and_kept(karlshamn, stored):
    first = publish(karlshamn.policy, 2025)
    store(employment("1082", {2025: (70.0, 81.0)}), ref="new fetch")
    second = publish(karlshamn.policy, 2025)
    other_year = publish(karlshamn.policy, 2024)
    assert (first.number, second.number, other_year.number) == (1, 2, 1)
    assert first.checksum != second.checksum
    assert "64,0" in render_published(first, "html")
    assert "70,0" in render_published(second, "html")
    assert published_status(second).endswith("version 2")


def test_report_command_writes_each_format(karlshamn, stored, tmp_path, capsys):
    for fmt, magic in (("pdf", b"%PDF"), ("docx", b"PK"), ("html", b"<!DOCTYPE html>")):
        out = tmp_path / f"k.{fmt}"
        call_command("report", kommun="1082", year=2025, format=fmt, out=str(out))
        assert out.read_bytes().startswith(magic)
    assert "Lägesbild 2025 för Karlshamn (utkast) skriven till" in capsys.readouterr().out
    assert not list(tmp_path.glob(".*.tmp"))


def test_report_command_renders_a_published_version(karlshamn, stored, tmp_path):
    publish(karlshamn.policy, 2025)
    store(employment("1082", {2025: (70.0, 81.0)}), ref="new fetch")
    out = tmp_path / "v1.html"
    call_command("report", kommun="1082", year=2025, format="html", out=str(out), number=1)
    assert "64,0" in out.read_text() and "Publicerad" in out.read_text()


@pytest.mark.parametrize(
    "options, message",
    [
        ({"kommun": "9999"}, "--kommun: okänd kommunkod '9999'"),
        ({"kommun": "1494"}, "ingen policy är inläst för Lidköping"),
        ({"kommun": "1082", "number": 7}, "--published 7: ingen publicerad lägesbild 2025"),
    ],
)
def test_report_command_names_the_bad_option(karlshamn, tmp_path, options, message):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=message.replace("(", r"\(")):
        call_command("report", year=2025, format="pdf", out=str(out), **options)
    assert not out.exists()
