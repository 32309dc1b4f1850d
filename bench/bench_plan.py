"""Benchmark (run by hand, not by pytest): a large Handlingsplan and its follow-up report.

    .venv/bin/python bench/bench_plan.py                      # SQLite in a temp folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lagesbild_bench .venv/bin/python bench/bench_plan.py

Builds a plan of BENCH_N top-level activities (default 200) with two sub-activities each,
spread over Karlshamn's five areas, and a closed round in which every activity was reported;
then times the dashboard roll-up, CSV/Excel export and re-import, and the follow-up report in
HTML, PDF and Word. The activities are synthetic ("Insats 17"), not real decisions.
"""

import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("LAGESBILD_HOME", tempfile.mkdtemp(prefix="bench-plan-"))
os.environ["DJANGO_SETTINGS_MODULE"] = "lagesbild.settings"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from lagesbild.accounts.models import Department  # noqa: E402
from lagesbild.plan import followup_report, transfer  # noqa: E402
from lagesbild.plan.models import Activity, ActivityReport, Plan  # noqa: E402
from lagesbild.plan.progress import by_area  # noqa: E402
from lagesbild.plan.rounds import close_round, open_round  # noqa: E402
from lagesbild.policy.loading import load_policy  # noqa: E402
from lagesbild.stats.catalogue import indicator_ids  # noqa: E402

N = int(os.environ.get("BENCH_N", "200"))
POLICY = (
    Path(__file__).resolve().parent.parent / "policies" / "karlshamn-integration-2026-2029.yaml"
)


def timed(label, fn):
    start = time.perf_counter()
    result = fn()
    print(f"{label:<34} {time.perf_counter() - start:6.2f} s")
    return result


def main():
    call_command("migrate", verbosity=0, interactive=False)
    policy = load_policy(POLICY.read_bytes(), POLICY.name).version.policy
    Plan.objects.filter(title="Bench").delete()
    plan = Plan.objects.create(
        policy=policy, title="Bench", start_year=2026, end_year=2029, lagesbild_year=2025
    )
    departments = [
        Department.objects.get_or_create(municipality="1082", name=f"Bench-förvaltning {i}")[0]
        for i in range(5)
    ]
    areas = [a.key for a in plan.areas()]
    for i in range(N):
        parent = Activity.objects.create(
            plan=plan, ref=f"B{i}", title=f"Insats {i}", department=departments[i % 5],
            area_keys=[areas[i % 5]], progress=0, weight=1 + i % 3,
        )  # fmt: skip
        for j in range(2):
            Activity.objects.create(
                plan=plan, ref=f"B{i}.{j}", parent=parent, title=f"Delinsats {i}.{j}",
                department=departments[i % 5], area_keys=[areas[i % 5]], progress=(i * 7 + j) % 101,
            )  # fmt: skip
    print(f"{connection.vendor}, {plan.activities.count()} activities")
    rnd = open_round(plan, "Bench-omgång", 2026, datetime.date(2026, 12, 1), None)
    for report in rnd.reports.all():
        ActivityReport.objects.bulk_create(
            ActivityReport(
                report=report, activity=a, status=a.status, progress=a.progress, text="-"
            )
            for a in plan.activities.filter(department=report.department)
        )
    close_round(rnd, None)

    timed("dashboard roll-up (by_area)", lambda: by_area(plan))
    raw_csv = timed("export CSV", lambda: transfer.export_csv(plan))
    timed("import CSV (unchanged)", lambda: transfer.import_activities(
        plan, raw_csv, "b.csv", indicator_ids()))  # fmt: skip
    changed = raw_csv.replace(b",0,", b",1,")  # every activity whose progress was 0
    timed("import CSV (changed rows)", lambda: transfer.import_activities(
        plan, changed, "b.csv", indicator_ids()))  # fmt: skip
    raw_xlsx = timed("export Excel", lambda: transfer.export_xlsx(plan))
    timed("import Excel (unchanged)", lambda: transfer.import_activities(
        plan, raw_xlsx, "b.xlsx", indicator_ids()))  # fmt: skip
    timed("report document", lambda: followup_report.document(rnd))
    for fmt in ("html", "pdf", "docx"):
        timed(
            f"report {fmt} (document + render)", lambda f=fmt: followup_report.build(rnd, f, True)
        )


if __name__ == "__main__":
    main()
