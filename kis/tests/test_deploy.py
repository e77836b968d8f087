"""The production service files (deploy/*.in) rendered for a given path and user, and
accepted by the tools that will read them: `systemd-analyze verify` and `nginx -t`.

Where systemd-analyze or nginx is missing (a developer's laptop) those two tests skip;
CI installs both (`bin/setup server`) and sets KIS_REQUIRE_DEPLOY_TOOLS=1.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kis.lib.deploy import Installation, gunicorn_workers, render, render_text

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    path = shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/usr/bin") / name) if p.exists()),
        None,
    )
    if path is None:
        if os.environ.get("KIS_REQUIRE_DEPLOY_TOOLS") == "1":
            pytest.fail(f"{name} is required here (bin/setup server installs it)")
        pytest.skip(f"{name} not installed (bin/setup server installs it)")
    return path


@pytest.fixture
def installation(tmp_path):
    # The checkout of the tests themselves: its .venv has gunicorn, which systemd-analyze
    # checks is there.
    return Installation(
        dir=ROOT,
        user="kisapp",
        hostname="kis.mops.example.pl",
        port=8123,
        name="kis",
        home=Path("/var/lib/kisapp"),
        media=Path("/var/lib/kisapp/media"),
        backups=Path("/srv/backups/kis"),
        keep_days=14,
        workers=3,
    )


def test_rendered_for_the_given_path_and_user(tmp_path, installation):
    files = {path.name: path.read_text() for path in render(installation, tmp_path)}
    assert set(files) == {
        "kis.service",
        "kis-worker.service",
        "kis-anonymise.service",
        "kis-anonymise.timer",
        "kis-backup.service",
        "kis-backup.timer",
        "kis.nginx.conf",
    }
    web = files["kis.service"]
    assert "User=kisapp\n" in web
    assert f"WorkingDirectory={ROOT}\n" in web
    assert (
        f"ExecStart={ROOT}/.venv/bin/gunicorn kis.wsgi --bind 127.0.0.1:8123 --workers 3 "
    ) in web
    assert "ReadWritePaths=/var/lib/kisapp/media /var/lib/kisapp\n" in web
    assert (
        f"ExecStart={ROOT}/.venv/bin/python manage.py anonymise_participants"
        in (files["kis-anonymise.service"])
    )
    worker = files["kis-worker.service"]
    assert "User=kisapp\n" in worker
    assert f"ExecStart={ROOT}/.venv/bin/python manage.py db_worker --no-reload" in worker
    assert "PartOf=kis.service\n" in worker
    assert "ReadWritePaths=/var/lib/kisapp/media /var/lib/kisapp\n" in worker
    backup = files["kis-backup.service"]
    assert f"ExecStart={ROOT}/bin/backup /srv/backups/kis\n" in backup
    assert "-mtime +14 -delete" in backup
    assert "OnCalendar=*-*-* 02:30:00" in files["kis-backup.timer"]
    nginx = files["kis.nginx.conf"]
    assert "server_name kis.mops.example.pl;" in nginx
    assert "proxy_pass http://127.0.0.1:8123;" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx
    assert "listen 443 ssl;" in nginx
    assert "return 301 https://$host$request_uri;" in nginx
    for text in files.values():
        assert "@" not in text.replace("$", ""), "a placeholder was left unfilled"


def test_a_placeholder_without_value_is_an_error():
    with pytest.raises(KeyError, match="@PORT@"):
        render_text("--bind 127.0.0.1:@PORT@", {"DIR": "/srv/kis"})


@pytest.mark.parametrize(
    ("cpus", "memory_mb", "workers"),
    [(2, 24 * 1024, 5), (8, 32 * 1024, 17), (4, 1024, 4), (1, 512, 2), (16, 2048, 8)],
)
def test_workers_sized_for_the_machine(cpus, memory_mb, workers):
    assert gunicorn_workers(cpus, memory_mb) == workers


def test_units_pass_systemd_analyze_verify(tmp_path, installation):
    systemd_analyze = _tool("systemd-analyze")
    render(installation, tmp_path)
    units = sorted(str(p) for p in tmp_path.iterdir() if p.suffix in (".service", ".timer"))
    result = subprocess.run(
        [systemd_analyze, "verify", "--man=no", *units],
        capture_output=True,
        text=True,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout + result.stderr == ""


def test_systemd_analyze_would_catch_a_broken_unit(tmp_path, installation):
    """The check above can fail: a unit whose program is missing is refused."""
    systemd_analyze = _tool("systemd-analyze")
    broken = Installation(**{**installation.__dict__, "dir": tmp_path / "no-such-checkout"})
    render(broken, tmp_path)
    result = subprocess.run(
        [systemd_analyze, "verify", "--man=no", str(tmp_path / "kis.service")],
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "no-such-checkout/.venv/bin/gunicorn" in result.stderr


def _nginx_test(tmp_path: Path, site: Path):
    nginx = _tool("nginx")
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{ access_log off; include {site}; }}\n"
    )
    return subprocess.run(
        [nginx, "-t", "-q", "-c", str(config), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
    )


def test_nginx_site_passes_nginx_t(tmp_path, installation):
    # A certificate of its own, so the test does not depend on the machine's.
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=kis.mops.example.pl",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    site_dir = tmp_path / "site"
    render(Installation(**{**installation.__dict__, "tls_cert": cert, "tls_key": key}), site_dir)
    result = _nginx_test(tmp_path, site_dir / "kis.nginx.conf")
    assert result.returncode == 0, result.stderr
    # And nginx -t does refuse a broken site.
    broken = site_dir / "broken.conf"
    broken.write_text((site_dir / "kis.nginx.conf").read_text().replace("proxy_pass", "proxy_pas"))
    assert _nginx_test(tmp_path, broken).returncode != 0
