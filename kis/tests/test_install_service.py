"""The production installer, for real: bin/install-service run twice in a row on a
fresh clone against the local PostgreSQL server, ending with gunicorn answering
/healthz with 200 both times.

It creates a system user, a PostgreSQL role and database and runs apt-get where
packages are missing, so it runs only as root and only when asked
(KIS_TEST_INSTALLER=1, set by CI); everything it made is removed afterwards. The
unit files and the nginx site go to folders of the test's own.
"""

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    os.environ.get("KIS_TEST_INSTALLER") != "1" or os.geteuid() != 0,
    reason="the installer test runs as root with KIS_TEST_INSTALLER=1 (CI)",
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _psql(sql: str) -> None:
    subprocess.run(
        ["runuser", "-u", "postgres", "--", "psql", "-h", "127.0.0.1", "-X", "-q", "-c", sql],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def scratch():
    suffix = secrets.token_hex(3)
    base = Path(tempfile.mkdtemp(prefix="kis-install-", dir="/var/tmp"))
    base.chmod(0o755)  # the service user must reach the checkout
    names = {"user": f"kisci{suffix}", "db": f"kis_install_{suffix}", "base": base}
    yield names
    subprocess.run(["pkill", "-u", names["user"]], capture_output=True)
    _psql(f'DROP DATABASE IF EXISTS "{names["db"]}"')
    _psql(f'DROP ROLE IF EXISTS "{names["user"]}"')
    subprocess.run(["userdel", names["user"]], capture_output=True)
    shutil.rmtree(f"/var/lib/{names['user']}", ignore_errors=True)
    shutil.rmtree(base, ignore_errors=True)


def test_installer_twice_ends_with_a_healthy_service(scratch):
    base = scratch["base"]
    checkout = base / "kis"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(checkout)], check=True)
    port = _free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KIS_", "DATABASE", "DJANGO", "PG", "DEBUG"))
    }
    env |= {
        "KIS_USER": scratch["user"],
        "KIS_DB_NAME": scratch["db"],
        "KIS_SERVICE_NAME": "kis-ci",
        "KIS_HOSTNAME": "kis.example.pl",
        "KIS_PORT": str(port),
        "KIS_SYSTEMD_DIR": str(base / "systemd"),
        "KIS_NGINX_DIR": str(base / "nginx"),
        "KIS_BACKUP_DIR": str(base / "backups"),
    }
    (base / "systemd").mkdir()

    def install() -> str:
        result = subprocess.run(
            [str(checkout / "bin" / "install-service")],
            cwd=checkout,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
        return result.stdout

    first = install()
    first_env = (checkout / ".env").read_text()
    second = install()
    runs = [first, second]
    assert "written, with a new SECRET_KEY" in first
    assert "kept as it is" in second
    assert (checkout / ".env").read_text() == first_env  # the SECRET_KEY survives upgrades
    assert oct((checkout / ".env").stat().st_mode & 0o777) == "0o640"
    for output in runs:
        assert f'GET http://127.0.0.1:{port}/healthz -> 200 {{"status": "ok"' in output
        assert "systemd-analyze verify: 6 unit files correct" in output
        assert "nginx -t: site file correct" in output
        if not Path("/run/systemd/system").is_dir():
            assert "enabling them skipped" in output
    assert "No migrations to apply." in second
    for unit in (
        "kis-ci.service",
        "kis-ci-worker.service",
        "kis-ci-backup.timer",
        "kis-ci-anonymise.timer",
    ):
        assert (base / "systemd" / unit).is_file()
    assert (base / "nginx" / "sites-enabled" / "kis-ci").resolve() == (
        base / "nginx" / "sites-available" / "kis-ci"
    )
    # The gunicorn started for the check is gone.
    assert subprocess.run(["pgrep", "-u", scratch["user"]], capture_output=True).returncode == 1
