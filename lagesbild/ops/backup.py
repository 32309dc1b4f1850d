"""Backups of a whole installation: every table, uploaded media and the files under LAGESBILD_HOME.

An archive is a gzip'd tar with
- `data/<app>.<model>.jsonl`: one file per table of every installed model (found in the app
  registry, so new apps are included without changes here); a header line names the columns,
  then one JSON list per row, in primary-key order;
- `files/media/...`: MEDIA_ROOT (uploads);
- `files/home/...`: everything else under LAGESBILD_HOME (generated and frozen reports, ...),
  except the SQLite database itself, collected static files, the file cache, the development
  secret key and backups;
- `manifest.json` (last): format, program version, time, the database's applied migrations,
  the row count and SHA-256 of every member, and an HMAC-SHA256 of all that (`authentication`)
  with the backup key, so a changed member with recomputed checksums is refused.

The backup key is LAGESBILD_BACKUP_KEY; in production it is required (the archive must stay
verifiable after the secret key is rotated, and a backup host can verify without the secret
key); elsewhere a key derived from SECRET_KEY is used. Archives, and the folder created for
them, are readable by the owner only (0600/0700): they hold every account and contact address.

The rows are written in a database-neutral form, so the same archive restores into SQLite or
PostgreSQL. Restoring checks the whole archive before it touches anything, then replaces the
tables in one transaction and swaps the folders in by renaming, so a broken archive or a failed
load leaves the installation as it was.
"""

import base64
import datetime
import decimal
import hashlib
import hmac
import json
import os
import shutil
import tarfile
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string

import lagesbild

FORMAT = "lagesbild-backup/2"  # 2: the manifest is authenticated (HMAC-SHA256)
# Tables that `migrate` fills by itself: a freshly migrated database has rows only here.
MIGRATE_FILLED = {"contenttypes.contenttype", "auth.permission"}
CHUNK = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the place."""


def data_models():
    """Every table Django manages, including many-to-many tables, in a stable order."""
    seen = set()
    result = []
    for model in apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped or opts.db_table in seen:
            continue
        seen.add(opts.db_table)
        result.append(model)
    return sorted(result, key=lambda m: m._meta.label_lower)


def _columns(model):
    return list(model._meta.local_concrete_fields)


def backup_key():
    """(key bytes, its source's name) for the manifest's HMAC."""
    if settings.BACKUP_KEY:
        return settings.BACKUP_KEY.encode("utf-8"), "LAGESBILD_BACKUP_KEY"
    if settings.PRODUCTION:
        raise BackupError(
            "LAGESBILD_BACKUP_KEY måste vara satt när LAGESBILD_ENV=production "
            "(nyckeln som autentiserar säkerhetskopiornas manifest)."
        )
    # A key of its own, so the MAC says nothing about SECRET_KEY itself.
    derived = hmac.new(settings.SECRET_KEY.encode("utf-8"), b"lagesbild-backup", "sha256")
    return derived.digest(), "SECRET_KEY"


def _manifest_mac(manifest, key):
    """HMAC-SHA256 over the manifest (without its `authentication`), in a canonical form."""
    body = {k: v for k, v in manifest.items() if k != "authentication"}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, text.encode("utf-8"), "sha256").hexdigest()


def _private_file(path):
    """A binary file object for a new file that only the owner can read (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # also when a stale file of that name was there with wider rights
    return os.fdopen(fd, "wb")


def _sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- rows <-> JSON ---------------------------------------------------------------------------


def _encode(field, value):
    """A database value as JSON that `field.to_python` reads back unchanged."""
    if value is None or isinstance(field, models.JSONField):
        return value
    if isinstance(value, (bytes, memoryview)):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, (datetime.date, datetime.time)):  # datetime is a date
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def _decode(field, value):
    if value is None or isinstance(field, models.JSONField):
        return value
    return field.to_python(value)


# --- files -----------------------------------------------------------------------------------


def _home_skip():
    """Names directly under LAGESBILD_HOME that are not part of a backup, and why."""
    skip = {
        ".secret_key",  # a development key; production keys live in the environment
        "static",  # rebuilt by collectstatic
        "cache",  # the file cache: rebuilt as it is used
        "backups",  # the default place for archives
        "backups.tmp",
    }
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        name = Path(str(db["NAME"])).name
        skip |= {name, f"{name}-wal", f"{name}-shm", f"{name}-journal"}
    media = Path(settings.MEDIA_ROOT).resolve()
    if media.parent == Path(settings.HOME).resolve():
        skip.add(media.name)  # stored on its own as files/media
    return skip


def _home_entries():
    home = Path(settings.HOME)
    if not home.is_dir():
        return []
    skip = _home_skip()
    return sorted(
        p for p in home.iterdir() if p.name not in skip and not p.name.startswith(".restore-")
    )


def _walk_files(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def _file_members():
    """(member name, path) for every file to back up."""
    media = Path(settings.MEDIA_ROOT)
    if media.is_dir():
        for path in _walk_files(media):
            yield f"files/media/{path.relative_to(media).as_posix()}", path
    home = Path(settings.HOME)
    for entry in _home_entries():
        paths = [entry] if entry.is_file() else _walk_files(entry)
        for path in paths:
            yield f"files/home/{path.relative_to(home).as_posix()}", path


# --- backup ----------------------------------------------------------------------------------


def applied_migrations():
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def default_backup_path():
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return Path(settings.HOME) / "backups" / f"lagesbild-{stamp}.tar.gz"


def _dump_tables(folder):
    """Write every table into folder; returns the manifest's table entries."""
    existing = set(connection.introspection.table_names())
    missing = [m._meta.db_table for m in data_models() if m._meta.db_table not in existing]
    if missing:
        raise BackupError(
            f"Tabellerna {', '.join(missing)} finns inte i databasen: kör lagesbild migrate först."
        )
    tables = []
    # One consistent snapshot of all tables (PostgreSQL: repeatable read; SQLite: one transaction).
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        for model in data_models():
            fields = _columns(model)
            member = f"data/{model._meta.label_lower}.jsonl"
            path = folder / member
            path.parent.mkdir(parents=True, exist_ok=True)
            rows = 0
            query = model._base_manager.order_by("pk").values_list(*[f.attname for f in fields])
            with open(path, "w", encoding="utf-8") as out:
                header = {"model": model._meta.label_lower, "columns": [f.column for f in fields]}
                out.write(json.dumps(header, ensure_ascii=False) + "\n")
                for row in query.iterator(chunk_size=CHUNK):
                    values = [_encode(f, v) for f, v in zip(fields, row, strict=True)]
                    out.write(json.dumps(values, ensure_ascii=False) + "\n")
                    rows += 1
            tables.append(
                {
                    "model": model._meta.label_lower,
                    "table": model._meta.db_table,
                    "rows": rows,
                    "member": member,
                    "sha256": _sha256(path),
                }
            )
    return tables


def make_backup(out=None):
    """Write a backup archive to `out` (write-then-rename); returns (path, manifest)."""
    out = Path(out) if out else default_backup_path()
    key, key_name = backup_key()  # before any work: production without a key stops here
    out.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lagesbild-backup-") as tmp:
        folder = Path(tmp)
        tables = _dump_tables(folder)
        files = [
            {"member": member, "size": path.stat().st_size, "sha256": _sha256(path), "path": path}
            for member, path in _file_members()
        ]
        manifest = {
            "format": FORMAT,
            "lagesbild_version": lagesbild.__version__,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "migrations": applied_migrations(),
            "tables": tables,
            "files": [{k: v for k, v in f.items() if k != "path"} for f in files],
        }
        manifest["authentication"] = {
            "algorithm": "HMAC-SHA256",
            "key": key_name,
            "mac": _manifest_mac(manifest, key),
        }
        manifest_path = folder / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=1), "utf-8")
        partial = out.with_name(out.name + ".partial")
        with _private_file(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            for table in tables:
                tar.add(folder / table["member"], arcname=table["member"])
            for f in files:
                tar.add(f["path"], arcname=f["member"])
            tar.add(manifest_path, arcname="manifest.json")  # last: a cut-off archive lacks it
        partial.replace(out)
    return out, manifest


# --- restore ---------------------------------------------------------------------------------


@dataclass
class Archive:
    folder: Path  # where the archive was unpacked
    manifest: dict


def _safe_member(name):
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts:
        return False
    return name == "manifest.json" or path.parts[0] in ("data", "files")


def unpack(archive_path, folder):
    """Unpack and check an archive completely; raises BackupError naming what is wrong."""
    archive_path = Path(archive_path)
    try:
        with tarfile.open(archive_path, "r:gz") as tar:
            members = tar.getmembers()
            for m in members:
                if not (m.isfile() or m.isdir()) or not _safe_member(m.name):
                    raise BackupError(f"{archive_path}: otillåten post i arkivet: {m.name}")
            tar.extractall(folder, filter="data")
    except (tarfile.TarError, EOFError, OSError) as e:
        raise BackupError(f"{archive_path}: arkivet går inte att läsa ({e})") from e
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise BackupError(f"{archive_path}: manifest.json saknas (arkivet är ofullständigt)")
    try:
        manifest = json.loads(manifest_path.read_text("utf-8"))
    except ValueError as e:
        raise BackupError(f"{archive_path}: manifest.json är inte giltig JSON ({e})") from e
    if manifest.get("format") == "lagesbild-backup/1":
        raise BackupError(
            f"{archive_path}: formatet lagesbild-backup/1 har inget autentiserat manifest; "
            "återställ det med den version av Lägesbild som gjorde det."
        )
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{archive_path}: okänt format {manifest.get('format')!r} (väntade {FORMAT})"
        )
    _check_mac(archive_path, manifest)
    listed = {"manifest.json"}
    for entry in manifest["tables"] + manifest["files"]:
        member = entry["member"]
        listed.add(member)
        path = folder / member
        if not _safe_member(member) or not path.is_file():
            raise BackupError(f"{archive_path}: {member} saknas i arkivet")
        if _sha256(path) != entry["sha256"]:
            raise BackupError(f"{archive_path}: {member} har fel kontrollsumma (skadad fil)")
    extra = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - listed
    if extra:
        raise BackupError(f"{archive_path}: okända filer i arkivet: {', '.join(sorted(extra))}")
    return Archive(folder, manifest)


def _check_mac(archive_path, manifest):
    """The manifest must carry a valid HMAC with our backup key (before its checksums count)."""
    auth = manifest.get("authentication")
    if not isinstance(auth, dict) or auth.get("algorithm") != "HMAC-SHA256":
        raise BackupError(f"{archive_path}: manifest.json saknar autentisering (HMAC-SHA256)")
    key, key_name = backup_key()
    if not hmac.compare_digest(str(auth.get("mac", "")), _manifest_mac(manifest, key)):
        raise BackupError(
            f"{archive_path}: manifest.json är inte äkta (HMAC stämmer inte): arkivet har "
            f"ändrats, eller gjordes med en annan nyckel ({auth.get('key')}; här {key_name})."
        )


def verify_backup(archive_path):
    """Check an archive completely (MAC, checksums, members) without restoring; the manifest."""
    with tempfile.TemporaryDirectory(prefix="lagesbild-verify-") as tmp:
        return unpack(archive_path, Path(tmp)).manifest


def nonempty_tables():
    """Labels of tables holding data (beyond what `migrate` creates by itself)."""
    return [
        m._meta.label_lower
        for m in data_models()
        if m._meta.label_lower not in MIGRATE_FILLED and m._base_manager.exists()
    ]


def _check_schema(archive):
    """The archive must come from the same schema (same applied migrations) as this database."""
    if not MigrationRecorder(connection).has_table():
        call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)
    ours, theirs = set(applied_migrations()), set(archive.manifest["migrations"])
    if ours != theirs:
        missing = sorted(theirs - ours)
        newer = sorted(ours - theirs)
        raise BackupError(
            "Arkivet kommer från en annan databasversion "
            f"(Lägesbild {archive.manifest.get('lagesbild_version')}). "
            f"Migreringar bara i arkivet: {', '.join(missing) or 'inga'}; "
            f"bara i databasen: {', '.join(newer) or 'inga'}. Återställ med samma version av "
            "Lägesbild som gjorde säkerhetskopian och uppgradera sedan (lagesbild migrate)."
        )
    by_label = {m._meta.label_lower: m for m in data_models()}
    in_archive = {t["model"] for t in archive.manifest["tables"]}
    if in_archive != set(by_label):
        raise BackupError(
            "Arkivets tabeller stämmer inte med programmets modeller: "
            f"bara i arkivet {sorted(in_archive - set(by_label))}, "
            f"bara i programmet {sorted(set(by_label) - in_archive)}."
        )
    return by_label


def _load_table(cursor, model, path):
    fields = _columns(model)
    qn = connection.ops.quote_name
    with open(path, encoding="utf-8") as f:
        header = json.loads(f.readline())
        if header.get("columns") != [fd.column for fd in fields]:
            raise BackupError(
                f"{path.name}: kolumnerna {header.get('columns')} stämmer inte med tabellen "
                f"{model._meta.db_table} ({[fd.column for fd in fields]})"
            )
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            qn(model._meta.db_table),
            ", ".join(qn(fd.column) for fd in fields),
            ", ".join(["%s"] * len(fields)),
        )
        batch = []
        for number, line in enumerate(f, start=2):
            try:
                values = json.loads(line)
                batch.append(
                    [
                        fd.get_db_prep_save(_decode(fd, v), connection)
                        for fd, v in zip(fields, values, strict=True)
                    ]
                )
            except Exception as e:
                raise BackupError(f"{path.name}, rad {number}: {e}") from e
            if len(batch) >= CHUNK:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


class _FolderSwap:
    """Replace folders/files by renaming, with an undo until `finish`."""

    def __init__(self, stamp):
        self.stamp = stamp
        self.moves = []  # (from, to) done so far, undone in reverse order

    def _move(self, src, dst):
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(src), str(dst))  # a rename on the same file system
        self.moves.append((src, dst))

    def replace(self, live, staged, graveyard):
        if live.exists():
            self._move(live, graveyard / live.name)
        if staged is not None and staged.exists():
            self._move(staged, live)

    def undo(self):
        for src, dst in reversed(self.moves):
            shutil.move(str(dst), str(src))
        self.moves = []


def _swap_files(archive, swap):
    home = Path(settings.HOME)
    graveyard = home / f".restore-old-{swap.stamp}"
    staged = archive.folder / "files"
    media = Path(settings.MEDIA_ROOT)
    swap.replace(media, staged / "media", graveyard / "media-root")
    staged_home = staged / "home"
    wanted = sorted(staged_home.iterdir()) if staged_home.is_dir() else []
    for entry in _home_entries():
        swap.replace(entry, None, graveyard / "home")
    for entry in wanted:
        swap.replace(home / entry.name, entry, graveyard / "home")
    return graveyard


def restore_backup(archive_path, replace=False, stdout=None):
    """Restore an archive into the configured database and folders; all or nothing."""
    home = Path(settings.HOME)
    home.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    with tempfile.TemporaryDirectory(prefix=".restore-", dir=home) as tmp:
        archive = unpack(archive_path, Path(tmp))
        by_label = _check_schema(archive)
        if not replace:
            busy = nonempty_tables()
            if busy:
                raise BackupError(
                    "Databasen innehåller redan data (t.ex. "
                    f"{', '.join(busy[:5])}). Använd --replace för att ersätta allt."
                )
        swap = _FolderSwap(stamp)
        graveyard = None
        try:
            with transaction.atomic():
                models_ = list(by_label.values())
                tables = [m._meta.db_table for m in models_]
                with connection.cursor() as cursor:
                    if connection.vendor == "postgresql":
                        # TRUNCATE refuses tables with pending deferred checks from earlier
                        # writes in this transaction: run those checks now.
                        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    for sql in connection.ops.sql_flush(no_style(), tables):
                        cursor.execute(sql)
                    for entry in archive.manifest["tables"]:
                        model = by_label[entry["model"]]
                        _load_table(cursor, model, archive.folder / entry["member"])
                    for sql in connection.ops.sequence_reset_sql(no_style(), models_):
                        cursor.execute(sql)
                graveyard = _swap_files(archive, swap)
        except BaseException:
            swap.undo()
            raise
        if graveyard is not None and graveyard.exists():
            shutil.rmtree(graveyard)
    if stdout is not None:
        rows = sum(t["rows"] for t in archive.manifest["tables"])
        stdout.write(
            f"Återställde {len(archive.manifest['tables'])} tabeller ({rows} rader) och "
            f"{len(archive.manifest['files'])} filer från {archive_path} "
            f"(gjord {archive.manifest['created_at']})."
        )
    return archive.manifest
