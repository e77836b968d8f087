"""bin/setup's system checks: they never die of SIGPIPE, they install what is missing
(as root with apt-get, otherwise with sudo after saying why) and stop instead when told.

Each run is `bin/setup --dry-run` with fake `fc-list`, `id` and `sudo` first on PATH:
the dry run prints the install commands it would run and stops before the virtual
environment, so nothing on the machine changes.
"""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MANY = 10_000


def _script(directory: Path, name: str, body: str) -> None:
    path = directory / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _fake_fc_list(directory: Path, *, dejavu: str | None) -> None:
    """An fc-list of a machine with 10 000 fonts; DejaVu first, last or absent."""
    lines = f'i=0; while [ $i -lt {MANY} ]; do echo "Font Family $i"; i=$((i+1)); done\n'
    if dejavu == "first":
        body = "echo 'DejaVu Sans'\n" + lines
    elif dejavu == "last":
        body = lines + "echo 'DejaVu Sans'\n"
    else:
        body = lines
    _script(directory, "fc-list", body)


def _setup(fake_bin: Path, *args: str, uid: int = 0, **env: str):
    _script(fake_bin, "id", f'[ "$1" = "-u" ] && echo {uid} || exec /usr/bin/id "$@"\n')
    _script(fake_bin, "sudo", 'echo "fake sudo must not run in a dry run" >&2; exit 99\n')
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KIS_") or key == "KIS_CHROMIUM"
    }
    environment["PATH"] = f"{fake_bin}{os.pathsep}{os.environ['PATH']}"
    environment.update(env)
    return subprocess.run(
        ["bash", str(ROOT / "bin" / "setup"), *args, "--dry-run"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("where", ["first", "last"])
def test_font_check_survives_many_fonts(tmp_path, where):
    """The reported failure: DejaVu early among many fonts made `fc-list | grep -q`
    fail under pipefail (exit 141) and the set-up asked for fonts that were there."""
    _fake_fc_list(tmp_path, dejavu=where)
    result = _setup(tmp_path, KIS_NO_SYSTEM_PACKAGES="1")
    assert result.returncode == 0, result.stderr
    assert "fonts-dejavu-core" not in result.stdout + result.stderr
    assert "All system packages are installed." in result.stdout


def test_old_pipeline_really_fails_with_many_fonts(tmp_path):
    """Guards the test above: the pipeline it replaced fails on the same fake fc-list."""
    _fake_fc_list(tmp_path, dejavu="first")
    result = subprocess.run(
        ["bash", "-c", "set -o pipefail; fc-list | grep -qi dejavu"],
        env={**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"},
        capture_output=True,
    )
    assert result.returncode == 141


def test_root_installs_missing_packages_with_apt_get(tmp_path):
    _fake_fc_list(tmp_path, dejavu=None)
    result = _setup(tmp_path, uid=0)
    assert result.returncode == 0, result.stderr
    assert "would run: apt-get update -qq" in result.stdout
    assert (
        "would run: env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
        "fontconfig fonts-dejavu-core"
    ) in result.stdout
    assert "sudo" not in result.stdout


def test_other_user_is_told_why_and_uses_sudo(tmp_path):
    _fake_fc_list(tmp_path, dejavu=None)
    result = _setup(tmp_path, uid=1000)
    assert result.returncode == 0, result.stderr
    # One line saying what and why before sudo may ask for a password.
    assert (
        "Installing system packages fontconfig fonts-dejavu-core (PDF, translations and "
        "fonts) with sudo apt-get; sudo may ask for your password."
    ) in result.stderr
    assert (
        "would run: sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
        "fontconfig fonts-dejavu-core"
    ) in result.stdout


def test_no_system_packages_stops_with_the_list(tmp_path):
    _fake_fc_list(tmp_path, dejavu=None)
    result = _setup(tmp_path, KIS_NO_SYSTEM_PACKAGES="1")
    assert result.returncode == 1
    assert "Missing system packages: fontconfig fonts-dejavu-core" in result.stderr
    assert "sudo apt-get install -y fontconfig fonts-dejavu-core" in result.stderr
    assert "would run" not in result.stdout


def test_dev_installs_chromium_and_npm_for_the_browser_tests(tmp_path):
    _fake_fc_list(tmp_path, dejavu="first")
    result = _setup(tmp_path, "dev", KIS_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode == 0, result.stderr
    assert "apt-get install -y -qq chromium" in result.stdout
    assert "Chromium and npm for the browser tests" in result.stderr


def test_dev_without_system_packages_only_skips_the_browser_tests(tmp_path):
    _fake_fc_list(tmp_path, dejavu="first")
    result = _setup(
        tmp_path,
        "dev",
        KIS_CHROMIUM=str(tmp_path / "no-chromium"),
        KIS_NO_SYSTEM_PACKAGES="1",
    )
    assert result.returncode == 0, result.stderr
    assert "the browser tests will be skipped" in result.stderr
    assert "would run" not in result.stdout


def test_server_adds_what_serving_needs(tmp_path):
    _fake_fc_list(tmp_path, dejavu="first")
    # A PATH without nginx, pg_dump, systemd-analyze and make-ssl-cert: only the
    # commands the checks need, linked into a folder of their own.
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("bash", "sh", "env", "msgfmt", "grep", "cat", "dirname", "id"):
        found = subprocess.run(["bash", "-c", f"command -v {tool}"], capture_output=True)
        (tools / tool).symlink_to(found.stdout.decode().strip())
    _script(tools, "apt-get", "exit 0\n")
    result = subprocess.run(
        ["bash", str(ROOT / "bin" / "setup"), "server", "--dry-run"],
        cwd=ROOT,
        env={
            "PATH": f"{tmp_path}{os.pathsep}{tools}",
            "HOME": str(tmp_path),
            "PYTHON": sys.executable,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "nginx postgresql-client systemd ssl-cert" in result.stdout
    assert "postgresql " not in result.stdout.replace("postgresql-client", "")


def test_serve_prints_the_address_it_serves():
    """bin/serve announces KIS_ADDRESS, not a fixed :8000 (checked on the script's own
    address logic, without starting a server)."""
    script = (ROOT / "bin" / "serve").read_text()
    logic = script[script.index("address=") : script.index(".venv/bin/python manage.py migrate")]
    for address, expected in [
        ("", "http://127.0.0.1:8000/"),
        ("8080", "http://127.0.0.1:8080/"),
        ("127.0.0.1:9000", "http://127.0.0.1:9000/"),
        ("0.0.0.0:8081", "here: http://127.0.0.1:8081/"),
    ]:
        result = subprocess.run(
            ["bash", "-c", f'set -euo pipefail; {logic}\necho "$url"; echo "$host:$port"'],
            env={**os.environ, "KIS_ADDRESS": address} if address else dict(os.environ),
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        url, bind = result.stdout.splitlines()
        assert expected in url
        assert bind.endswith(":" + (address.rsplit(":", 1)[-1] if address else "8000"))
    assert 'echo "KIS is served at $url' in script
    assert 'runserver "$host:$port"' in script
