"""lagesbild backup / restore: every table row by row, files, and archives that must change nothing."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from lagesbild.ops.backup import (
    BackupError,
    _manifest_mac,
    backup_key,
    data_models,
    make_backup,
    restore_backup,
)

from ..conftest import ROOT
from .conftest import fill_empty_tables, snapshot


def put_files():
    """An upload and a generated report file, as the apps write them."""
    media = Path(settings.MEDIA_ROOT) / "imports" / "sfi.csv"
    media.parent.mkdir(parents=True, exist_ok=True)
    media.write_bytes("kommun;år;värde\n1082;2024;51\n".encode())
    report = Path(settings.HOME) / "reports" / "1082" / "lagesbild-2025.pdf"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_bytes(b"%PDF-1.7 frozen report bytes \x00\xff")
    return {media: media.read_bytes(), report: report.read_bytes()}


def rewrite_archive(src, dst, change):
    """Copy an archive, letting change(name, bytes) -> bytes alter members."""
    with tarfile.open(src, "r:gz") as old, tarfile.open(dst, "w:gz") as new:
        for member in old.getmembers():
            data = change(member.name, old.extractfile(member).read())
            member.size = len(data)
            new.addfile(member, io.BytesIO(data))


def resign(manifest):
    """What an attacker without the backup key cannot do: a valid MAC for a changed manifest."""
    manifest["authentication"]["mac"] = _manifest_mac(manifest, backup_key()[0])
    return manifest


def test_round_trip_restores_every_table_row_by_row_and_the_files(demo_content, tmp_path):
    files = put_files()
    fill_empty_tables()
    before = snapshot()
    # Content in every app that has tables, so the round trip covers them all.
    for config in apps.get_app_configs():
        labels = [m._meta.label_lower for m in data_models() if m._meta.app_config is config]
        if config.name.startswith("lagesbild.") and labels:
            assert any(before[label] for label in labels), f"no demo content in {config.label}"

    archive, manifest = make_backup(tmp_path / "b.tar.gz")
    assert manifest["format"] == "lagesbild-backup/2"
    assert {t["model"] for t in manifest["tables"]} == set(before)
    assert {t["model"]: t["rows"] for t in manifest["tables"]} == {
        k: len(v) for k, v in before.items()
    }

    # An empty database: what `migrate` leaves (content types, permissions), no files.
    call_command("flush", interactive=False, verbosity=0)
    for path in files:
        path.unlink()
    assert User.objects.count() == 0

    restore_backup(archive)
    after = snapshot()
    for label, rows in before.items():
        assert after[label] == rows, label
    for path, data in files.items():
        assert path.read_bytes() == data


def test_restore_refuses_a_database_with_data_unless_replace(make_user, tmp_path):
    make_user("coordinator", username="kvar")
    archive, _ = make_backup(tmp_path / "b.tar.gz")
    make_user("reader", username="ny")
    with pytest.raises(BackupError, match="redan data"):
        restore_backup(archive)
    assert User.objects.filter(username="ny").exists()
    restore_backup(archive, replace=True)
    assert list(User.objects.values_list("username", flat=True)) == ["kvar"]


def test_restore_command_names_the_problem(tmp_path, db):
    broken = tmp_path / "trasig.tar.gz"
    broken.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="trasig.tar.gz: arkivet går inte att läsa"):
        call_command("restore", str(broken))


@pytest.mark.parametrize(
    "damage, message",
    [
        ("truncate", "går inte att läsa"),
        ("tamper", "fel kontrollsumma"),
        ("forged", "manifest.json är inte äkta"),
        ("bad-row", "rad 2"),
        ("other-schema", "annan databasversion"),
    ],
)
def test_broken_archive_changes_nothing(make_user, tmp_path, damage, message):
    make_user("coordinator", username="original")
    archive, _ = make_backup(tmp_path / "b.tar.gz")
    User.objects.update(first_name="Före")
    files = put_files()
    before = snapshot()
    bad = tmp_path / "bad.tar.gz"
    if damage == "truncate":
        bad.write_bytes(archive.read_bytes()[:-200])
    elif damage == "tamper":
        rewrite_archive(
            archive,
            bad,
            lambda n, d: d.replace(b"original", b"attacker") if "auth.user" in n else d,
        )
    elif damage in ("forged", "bad-row"):
        # Checksums fixed up: "forged" without the key (the MAC no longer matches); "bad-row"
        # with it, so the load itself fails half-way, after the tables were emptied.
        import hashlib

        changed = {}

        def change(name, data):
            if name == "data/auth.user.jsonl":
                header, row = data.decode().splitlines()[:2]
                values = json.loads(row)
                if damage == "forged":
                    values[4] = True  # is_superuser
                else:
                    values[3] = "not a date"  # last_login
                data = (header + "\n" + json.dumps(values) + "\n").encode()
                changed[name] = hashlib.sha256(data).hexdigest()
            if name == "manifest.json":
                manifest = json.loads(data)
                for t in manifest["tables"]:
                    t["sha256"] = changed.get(t["member"], t["sha256"])
                if damage == "bad-row":
                    resign(manifest)
                data = json.dumps(manifest).encode()
            return data

        rewrite_archive(archive, bad, change)
    elif damage == "other-schema":

        def change(name, data):
            if name == "manifest.json":
                manifest = json.loads(data)
                manifest["migrations"].append("accounts.9999_from_the_future")
                data = json.dumps(resign(manifest)).encode()
            return data

        rewrite_archive(archive, bad, change)

    with pytest.raises(BackupError, match=message):
        restore_backup(bad, replace=True)
    if damage == "forged":
        with pytest.raises(CommandError, match="inte äkta"):
            call_command("restore", "--verify", str(bad))
    assert snapshot() == before
    for path, data in files.items():
        assert path.read_bytes() == data
    assert not list(Path(settings.HOME).glob(".restore-*"))


def test_backup_and_restore_commands_move_an_installation_to_an_empty_sqlite(tmp_path):
    """The CLI end to end: one SQLite installation backed up, restored into a fresh folder."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    # Two installations with their own secret keys: the backup key moves with the archive.
    env["LAGESBILD_BACKUP_KEY"] = "flytt-nyckel-for-testet"

    def run(home, *args):
        return subprocess.run(
            [sys.executable, "-m", "lagesbild", *args],
            env={**env, "LAGESBILD_HOME": str(home)},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    first, second = tmp_path / "first", tmp_path / "second"
    run(first, "migrate", "--run-syncdb", "-v0")
    run(first, "demo", "--no-serve")
    (first / "media").mkdir(exist_ok=True)
    (first / "media" / "upload.xlsx").write_bytes(b"PK\x03\x04 example")
    out = run(first, "backup", "--out", str(tmp_path / "b.tar.gz"))
    assert "Säkerhetskopia" in out
    assert "är helt och äkta" in run(second, "restore", "--verify", str(tmp_path / "b.tar.gz"))
    out = run(second, "restore", str(tmp_path / "b.tar.gz"))
    assert "Återställde" in out
    assert (second / "media" / "upload.xlsx").read_bytes() == b"PK\x03\x04 example"

    def rows(home):
        with sqlite3.connect(home / "lagesbild.sqlite3") as db:
            tables = [
                r[0]
                for r in db.execute("select name from sqlite_master where type='table'")
                if r[0] not in ("sqlite_sequence", "django_migrations")
            ]
            return {t: sorted(db.execute(f'select * from "{t}"').fetchall()) for t in tables}

    a, b = rows(first), rows(second)
    assert a.keys() == b.keys()
    assert sum(len(v) for v in a.values()) > 100
    for table in a:
        assert a[table] == b[table], table
    # A second restore into the now full database is refused.
    again = subprocess.run(
        [sys.executable, "-m", "lagesbild", "restore", str(tmp_path / "b.tar.gz")],
        env={**env, "LAGESBILD_HOME": str(second)},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert again.returncode != 0 and "redan data" in again.stderr


def test_archive_and_its_new_folder_are_readable_by_the_owner_only(db, tmp_path):
    old = os.umask(0o022)  # a usual umask: without care the archive would be 0644
    try:
        archive, _ = make_backup(tmp_path / "nya" / "b.tar.gz")
    finally:
        os.umask(old)
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    assert oct(archive.parent.stat().st_mode & 0o777) == "0o700"


def test_archive_made_with_another_key_is_refused(make_user, settings, tmp_path):
    make_user("coordinator", username="original")
    settings.BACKUP_KEY = "nyckel-a"
    archive, manifest = make_backup(tmp_path / "b.tar.gz")
    assert manifest["authentication"]["key"] == "LAGESBILD_BACKUP_KEY"
    settings.BACKUP_KEY = "nyckel-b"
    with pytest.raises(BackupError, match="inte äkta .* annan nyckel"):
        restore_backup(archive, replace=True)
    assert User.objects.filter(username="original").exists()


def test_production_needs_a_backup_key(db, settings, tmp_path):
    settings.PRODUCTION, settings.BACKUP_KEY = True, ""
    with pytest.raises(CommandError, match="LAGESBILD_BACKUP_KEY måste vara satt"):
        call_command("backup", "--out", str(tmp_path / "b.tar.gz"))
    assert not list(tmp_path.iterdir())


def test_deploy_units_keep_new_files_private():
    for unit in sorted((ROOT / "deploy").glob("*.service")):
        assert "\nUMask=0077\n" in unit.read_text(), unit.name
