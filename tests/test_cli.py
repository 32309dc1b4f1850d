"""The `lagesbild` command finds the same data folder from every folder, and a command that
needs the database says exactly what to run when it is missing or behind (README, "Try it")."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def lagesbild(*args, cwd, env):
    return subprocess.run(
        [sys.executable, "-m", "lagesbild", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def env(tmp_path):
    """A user without LAGESBILD_HOME, whose data folder is under tmp_path (XDG_DATA_HOME)."""
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "xdg")}
    for name in ("LAGESBILD_HOME", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def folders(tmp_path, *names):
    out = []
    for name in names:
        (tmp_path / name).mkdir()
        out.append(tmp_path / name)
    return out


def test_a_command_without_a_database_says_what_to_run_and_creates_nothing(tmp_path, env):
    (somewhere,) = folders(tmp_path, "somewhere")
    result = lagesbild("policy", "list", cwd=somewhere, env=env)
    assert result.returncode == 1
    home = tmp_path / "xdg" / "lagesbild"
    assert f"Det finns ingen databas i datamappen {home} ännu." in result.stderr
    assert "Kör: lagesbild migrate" in result.stderr
    assert "lagesbild demo" in result.stderr
    assert "no such table" not in result.stderr
    assert not (home / "lagesbild.sqlite3").exists()
    assert not (somewhere / "lagesbild-data").exists()


def test_every_folder_uses_the_same_data_folder(tmp_path, env):
    first, second = folders(tmp_path, "first", "second")
    assert lagesbild("migrate", "-v0", cwd=first, env=env).returncode == 0
    result = lagesbild("policy", "list", cwd=second, env=env)
    assert result.returncode == 0, result.stderr
    assert "Ingen policy är inläst." in result.stdout
    assert (tmp_path / "xdg" / "lagesbild" / "lagesbild.sqlite3").exists()


def test_lagesbild_home_chooses_the_folder(tmp_path, env):
    (somewhere,) = folders(tmp_path, "somewhere")
    env["LAGESBILD_HOME"] = str(tmp_path / "chosen")
    assert lagesbild("migrate", "-v0", cwd=somewhere, env=env).returncode == 0
    assert (tmp_path / "chosen" / "lagesbild.sqlite3").exists()
    assert not (tmp_path / "xdg" / "lagesbild" / "lagesbild.sqlite3").exists()


def test_a_database_behind_the_code_names_the_migrate_command(tmp_path, env):
    (somewhere,) = folders(tmp_path, "somewhere")
    assert lagesbild("migrate", "-v0", cwd=somewhere, env=env).returncode == 0
    # Take back the newest statistics migrations, as after an upgrade of the code.
    assert lagesbild("migrate", "stats", "0002", "-v0", cwd=somewhere, env=env).returncode == 0
    result = lagesbild("policy", "list", cwd=somewhere, env=env)
    assert result.returncode == 1
    assert "behöver uppdateras" in result.stderr
    assert result.stderr.strip().endswith("Kör: lagesbild migrate")


def test_data_of_an_earlier_version_in_the_folder_is_pointed_out(tmp_path, env):
    (somewhere,) = folders(tmp_path, "somewhere")
    (somewhere / "lagesbild-data").mkdir()
    (somewhere / "lagesbild-data" / "lagesbild.sqlite3").write_bytes(b"")
    result = lagesbild("policy", "list", cwd=somewhere, env=env)
    assert result.returncode == 1
    assert f"LAGESBILD_HOME={somewhere / 'lagesbild-data'} lagesbild" in result.stderr
