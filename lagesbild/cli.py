"""The `lagesbild` console script: this project's manage.py, usable from any folder.

Every command finds the data folder the same way (LAGESBILD_HOME, else the user's data folder,
see settings.default_home), and a command that needs the database stops with the exact command
to run when the database is missing or behind, instead of failing on a missing table.
"""

import os
import sys
from pathlib import Path

# Commands that work without an up-to-date database, or that make one.
NO_DATABASE_NEEDED = {
    "check",
    "collectstatic",
    "compilemessages",
    "dbshell",
    "demo",
    "diffsettings",
    "help",
    "makemessages",
    "makemigrations",
    "migrate",
    "restore",
    "shell",
    "showmigrations",
    "sqlmigrate",
    "test",
    "version",
}


def database_problem(command):
    """A message naming what to run when `command` needs a database that is missing or has
    unapplied migrations; "" when all is well. Needs Django set up."""
    if command in NO_DATABASE_NEEDED or command.startswith("-"):
        return ""
    from django.conf import settings
    from django.db import DatabaseError, connection
    from django.db.migrations.executor import MigrationExecutor

    where = _where(settings)
    if connection.vendor == "sqlite" and not Path(connection.settings_dict["NAME"]).exists():
        return _no_database(where, settings)
    try:
        executor = MigrationExecutor(connection)
    except DatabaseError as e:
        return f"Kommer inte åt databasen {where}: {e}".strip()
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not pending:
        return ""
    if not executor.loader.applied_migrations:
        return _no_database(where, settings)
    return (
        f"Databasen {where} behöver uppdateras ({len(pending)} ändringar väntar). "
        "Kör: lagesbild migrate"
    )


def _where(settings):
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        return f"i datamappen {settings.HOME}"
    return "(DATABASE_URL)"


def _no_database(where, settings):
    lines = [
        f"Det finns ingen databas {where} ännu.",
        "Kör: lagesbild migrate   (en ny, tom installation)",
        "eller: lagesbild demo    (demot med exempeldata)",
    ]
    earlier = Path.cwd() / "lagesbild-data" / "lagesbild.sqlite3"
    if "LAGESBILD_HOME" not in os.environ and earlier.exists():
        # Earlier versions kept the data in ./lagesbild-data of the folder they ran in.
        lines.append(f"Data från en tidigare version finns i {earlier.parent}: använd den med")
        lines.append(f"  LAGESBILD_HOME={earlier.parent} lagesbild …")
    else:
        lines.append("Datamappen väljs med LAGESBILD_HOME (se README).")
    return "\n".join(lines)


def main(argv=None):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lagesbild.settings")
    argv = argv if argv is not None else sys.argv
    import django
    from django.core.management import execute_from_command_line

    if len(argv) > 1:
        django.setup()
        problem = database_problem(argv[1])
        if problem:
            sys.stderr.write(problem + "\n")
            sys.exit(1)
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
