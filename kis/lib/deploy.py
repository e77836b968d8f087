"""The production service files, rendered from `deploy/*.in` for one installation.

`bin/install-service` calls this (no Django needed) to write the systemd units and the
nginx site of a directory, user and host name; the tests render them for a given path
and user and check them with `systemd-analyze verify` and `nginx -t`.

    python -m kis.lib.deploy render --out DIR --dir /srv/kis --user kis --hostname kis.ops.pl
    python -m kis.lib.deploy workers      # gunicorn workers for this machine

Placeholders are `@NAME@` (nginx and systemd both use `$`); a placeholder left without
a value is an error, never an empty string in a unit file.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "deploy"
PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


@dataclass(frozen=True)
class Installation:
    dir: Path  # the checkout, with .venv and .env
    user: str = "kis"
    hostname: str = "localhost"
    port: int = 8000
    name: str = "kis"  # prefix of the unit names and of the nginx site
    home: Path = Path("/var/lib/kis")  # the service user's home
    media: Path = Path("/var/lib/kis/media")
    backups: Path = Path("/var/backups/kis")
    keep_days: int = 30
    tls_cert: Path = Path("/etc/ssl/certs/ssl-cert-snakeoil.pem")
    tls_key: Path = Path("/etc/ssl/private/ssl-cert-snakeoil.key")
    workers: int = 0  # 0: sized for this machine

    def values(self) -> dict[str, str]:
        return {
            "DIR": str(self.dir),
            "USER": self.user,
            "HOSTNAME": self.hostname,
            "PORT": str(self.port),
            "NAME": self.name,
            "HOME": str(self.home),
            "MEDIA": str(self.media),
            "BACKUPS": str(self.backups),
            "KEEP_DAYS": str(self.keep_days),
            "TLS_CERT": str(self.tls_cert),
            "TLS_KEY": str(self.tls_key),
            "WORKERS": str(self.workers or gunicorn_workers()),
        }

    def files(self) -> dict[str, str]:
        """Output file name -> template file name."""
        return {
            f"{self.name}.service": "kis.service.in",
            f"{self.name}-worker.service": "kis-worker.service.in",
            f"{self.name}-anonymise.service": "kis-anonymise.service.in",
            f"{self.name}-anonymise.timer": "kis-anonymise.timer.in",
            f"{self.name}-backup.service": "kis-backup.service.in",
            f"{self.name}-backup.timer": "kis-backup.timer.in",
            f"{self.name}.nginx.conf": "nginx-site.conf.in",
        }


def gunicorn_workers(cpus: int | None = None, memory_mb: int | None = None) -> int:
    """gunicorn's rule of thumb (2 × cores + 1), capped by memory: a worker making a
    large PDF with WeasyPrint takes about 250 MB. At least 2, so one slow PDF never
    blocks everybody."""
    cpus = cpus or os.cpu_count() or 1
    memory_mb = memory_mb or _memory_mb()
    return max(2, min(2 * cpus + 1, memory_mb // 250))


def _memory_mb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 1024


def render_text(template: str, values: dict[str, str]) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"no value for @{name}@")
        return values[name]

    return PLACEHOLDER.sub(substitute, template)


def render(installation: Installation, out: Path) -> list[Path]:
    """Writes every service file of the installation into `out`; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    values = installation.values()
    written = []
    for target, template in installation.files().items():
        path = out / target
        path.write_text(render_text((TEMPLATES / template).read_text(), values))
        path.chmod(0o644)
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kis.lib.deploy")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("workers", help="gunicorn workers for this machine")
    render_parser = commands.add_parser("render", help="write the service files")
    render_parser.add_argument("--out", type=Path, required=True)
    render_parser.add_argument("--dir", type=Path, required=True)
    defaults = Installation(dir=Path("."))
    for field in (
        "user",
        "hostname",
        "port",
        "name",
        "home",
        "media",
        "backups",
        "keep_days",
        "tls_cert",
        "tls_key",
        "workers",
    ):
        default = getattr(defaults, field)
        render_parser.add_argument(
            f"--{field.replace('_', '-')}", type=type(default), default=default
        )
    args = parser.parse_args(argv)
    if args.command == "workers":
        print(gunicorn_workers())
        return 0
    fields = {key: value for key, value in vars(args).items() if key not in ("command", "out")}
    for path in render(Installation(**fields), args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
