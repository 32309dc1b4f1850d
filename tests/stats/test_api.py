"""The JSON API's reading side: policies and statistics with provenance, rate limited."""

import pytest
from django.core.management import call_command
from django.test import Client

from tests.stats.conftest import load_policies
from tests.stats.test_files import ROWS, write_csv

pytestmark = pytest.mark.django_db


def test_statistics_give_the_imported_values_with_their_source(tmp_path):
    call_command("import", str(write_csv(tmp_path / "sfi.csv", ROWS)), "--source", "sfi")
    response = Client().get("/api/statistics/1082", {"indicator": "sfi-lokala-resultat"})
    assert response.status_code == 200
    rows = response.json()
    assert [(r["ar"], r["kon"], r["varde"], r["status"]) for r in rows] == [
        (2024, "K", 64.0, ""),
        (2024, "T", 61.5, ""),
        (2025, "T", None, ".."),
    ]
    assert {(r["kalla"], r["kallreferens"], r["exempeldata"]) for r in rows} == {
        ("local:sfi", "sfi.csv", "nej")
    }
    assert all(len(r["kontrollsumma"]) == 64 and r["hamtad"] for r in rows)


def test_example_values_say_so(demo_data):
    rows = Client().get("/api/statistics/1082", {"indicator": "sysselsattning-20-64"}).json()
    areas = {r["omrade"] for r in rows}
    assert {"1082", "0010", "0000"} <= areas  # the municipality, Blekinge and Riket
    assert {r["exempeldata"] for r in rows} == {"ja"}


def test_unknown_municipality_or_indicator_is_404_naming_it():
    response = Client().get("/api/statistics/9999")
    assert response.status_code == 404
    assert "9999" in response.json()["detail"]
    response = Client().get("/api/statistics/1082", {"indicator": "finns-inte"})
    assert response.status_code == 404
    assert "finns-inte" in response.json()["detail"]


def test_policies_list_both_shipped_policies():
    load_policies()
    rows = Client().get("/api/policies").json()
    assert [(r["kommunkod"], r["version"]) for r in rows] == [("1082", 1), ("1494", 1)]
    assert rows[0]["beslut"] == "KF § 63, 2026-05-18"


def test_openapi_schema_lists_the_endpoints():
    paths = Client().get("/api/openapi.json").json()["paths"]
    assert {"/api/policies", "/api/statistics/{kommun}", "/api/activities/{activity_id}"} <= set(
        paths
    )


def test_the_api_is_rate_limited_with_retry_after(settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "api": (3, 60)}
    settings.RATELIMIT_CACHE = "default"
    client = Client(REMOTE_ADDR="192.0.2.7")
    statuses = [client.get("/api/policies").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert int(client.get("/api/policies")["Retry-After"]) > 0


def test_gaps_use_the_reports_sign_and_words(db):
    from lagesbild.analysis.observations import Observation as Obs
    from lagesbild.stats.store import Batch, save

    def obs(area, group, value, example=False):
        return Obs(
            "sysselsattning-20-64", area, 2024, group, "T", value, "procent", example=example
        )

    save(
        [
            Batch(
                "kolada",
                "N02268,N02269",
                "",
                "a",
                [
                    obs("1082", "utrikes_fodda", 63.2),
                    obs("1082", "inrikes_fodda", 79.1),
                    obs("0000", "utrikes_fodda", 70.0),
                ],
            )
        ]
    )
    save(
        [
            Batch(
                "example", "demo", "", "b", [obs("0000", "inrikes_fodda", 80.0, True)], example=True
            )
        ]
    )
    rows = Client().get("/api/statistics/1082/gaps").json()
    karlshamn = next(r for r in rows if r["omrade"] == "1082")
    assert karlshamn["skillnad"] == -15.9
    assert karlshamn["kvot"] == 0.798988622  # 63,2 / 79,1
    assert karlshamn["skillnad_i_ord"] == (
        "utrikes födda 63,2\u00a0%, inrikes födda 79,1\u00a0% – 15,9 procentenheter lägre"
    )
    riket = next(r for r in rows if r["omrade"] == "0000")
    assert riket["skillnad"] is None
    assert riket["skillnad_i_ord"].startswith("jämförelse saknas: exempeldata")


def test_export_of_gaps_has_the_same_columns_as_the_api(db, capsys):
    from lagesbild.analysis.observations import Observation as Obs
    from lagesbild.stats.store import Batch, save

    rows = [
        Obs("sysselsattning-20-64", "1082", 2024, g, "T", v, "procent")
        for g, v in (("utrikes_fodda", 63.2), ("inrikes_fodda", 79.1))
    ]
    save([Batch("kolada", "N02268,N02269", "", "a", rows)])
    call_command("export", "--kommun", "1082", "--skillnader")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "indikator,omrade,ar,enhet,utrikes_fodda,inrikes_fodda,skillnad,kvot,skillnad_i_ord,"
        "exempeldata"
    )
    assert lines[1] == (
        "sysselsattning-20-64,1082,2024,procent,63.2,79.1,-15.9,0.798988622,"
        '"utrikes födda 63,2\u00a0%, inrikes födda 79,1\u00a0% – 15,9 procentenheter lägre",nej'
    )


def test_bad_parameters_are_422_naming_them():
    response = Client().get("/api/statistics/abc")
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "kommun: har fel form (ska passa ^[0-9]{4}$)"},
    )
    response = Client().get("/api/statistics/1082", {"comparison": "kanske"})
    assert (response.status_code, response.json()) == (
        422,
        {"detail": "comparison: ska vara true eller false"},
    )


def test_over_the_rate_limit_the_answer_is_the_documented_json_error(settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "api": (1, 60)}
    settings.RATELIMIT_CACHE = "default"
    client = Client(REMOTE_ADDR="192.0.2.8")
    client.get("/api/policies")
    response = client.get("/api/policies")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json()["detail"].startswith("För många förfrågningar. Försök igen om ")
    assert int(response["Retry-After"]) > 0


def test_the_schema_documents_every_error_answer_with_one_error_schema():
    schema = Client().get("/api/openapi.json").json()
    answers = {
        (method.upper(), path): set(operation["responses"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert answers == {
        ("GET", "/api/policies"): {"200", "429"},
        ("GET", "/api/statistics/{kommun}"): {"200", "404", "422", "429"},
        ("GET", "/api/statistics/{kommun}/gaps"): {"200", "404", "422", "429"},
        ("GET", "/api/plans/{plan_id}/activities"): {"200", "404", "422", "429"},
        ("PATCH", "/api/activities/{activity_id}"): {
            "200", "400", "401", "403", "404", "422", "429"
        },
    }  # fmt: skip
    policies = schema["paths"]["/api/policies"]["get"]
    error = policies["responses"]["429"]["content"]["application/json"]
    assert error["schema"] == {"$ref": "#/components/schemas/Error"}
