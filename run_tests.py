#!/usr/bin/env python3
"""Run the checks and the whole test suite: `python3 run_tests.py [pytest args]`.

Installs the pinned packages into .venv, then runs ruff, Django's system
checks, the missing-migrations check and pytest (both cores). Browser tests
need Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH); as root this
script installs it with apt-get. Without it, and outside CI, browser tests are
skipped with a warning; in CI (CI=true) a missing browser is an error. The
HTML, accessibility and calendar checks need Java and the npm packages of
tests/checkers (the Nu HTML checker, axe-core, ical.js run by Node): as root the
script installs Java and npm (with Node) with apt-get, then runs `npm ci` there;
the same rule applies to them. The proxy
test runs the app behind Debian's Caddy, installed the same way (where systemd runs,
the package also starts its own caddy service on port 80); without it
outside CI that test is skipped.

Set DATABASE_URL=postgres://… to run the same suite on PostgreSQL.
"""

import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

from bootstrap import PYTHON, ROOT, ensure_venv, manage

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHECKERS = ROOT / "tests" / "checkers"
CHECKER_FILES = [
    CHECKERS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar",
    CHECKERS / "node_modules" / "axe-core" / "axe.min.js",
    CHECKERS / "node_modules" / "ical.js" / "dist" / "ical.js",
]


def is_root_with_apt() -> bool:
    return bool(shutil.which("apt-get")) and hasattr(os, "geteuid") and os.geteuid() == 0


def ensure_chromium() -> bool:
    if CHROMIUM.exists():
        return True
    if is_root_with_apt():
        print("Installing Debian's Chromium for the browser tests …", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, **quiet)
    return CHROMIUM.exists()


def ensure_caddy() -> bool:
    """Caddy, for the test that runs the app behind a real HTTPS proxy."""
    if not shutil.which("caddy") and is_root_with_apt():
        print("Installing Debian's Caddy for the proxy test …", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "caddy"], check=False, **quiet)
    return bool(shutil.which("caddy"))


def ensure_checkers() -> bool:
    """Java, and tests/checkers/node_modules as its package-lock.json says."""
    needed = {"java": "default-jre-headless", "npm": "npm"}
    missing = [deb for command, deb in needed.items() if not shutil.which(command)]
    if missing and is_root_with_apt():
        print(f"Installing {' and '.join(missing)} for the HTML checks …", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", *missing], check=False, **quiet)
    lock = CHECKERS / "package-lock.json"
    installed = CHECKERS / "node_modules" / ".package-lock.json"
    stale = not installed.exists() or installed.stat().st_mtime < lock.stat().st_mtime
    if shutil.which("npm") and (stale or not all(p.exists() for p in CHECKER_FILES)):
        print("Installing the Nu HTML checker, axe-core and ical.js (npm ci) …", flush=True)
        # --ignore-scripts: vnu-jar's install script would fetch a Java of its own.
        command = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--silent"]
        subprocess.run(command, cwd=CHECKERS, check=False)
    return bool(shutil.which("java")) and all(p.exists() for p in CHECKER_FILES)


def without_password(url: str) -> str:
    """DATABASE_URL as the log may show it: CI logs are read by more people than the database."""
    parts = urllib.parse.urlsplit(url)
    if not parts.password:
        return url
    return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)).geturl()


def step(title: str, *command) -> None:
    print(f"== {title}", flush=True)
    if subprocess.run(command, cwd=ROOT).returncode != 0:
        sys.exit(f"FAILED: {title}")


def main() -> int:
    ensure_venv("requirements-dev.lock")
    env = os.environ
    env["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API beside live_server
    env["CHROMIUM_PATH"] = str(CHROMIUM)
    pytest_args = sys.argv[1:]
    if not ensure_chromium():
        if IN_CI:
            sys.exit(f"Chromium is missing at {CHROMIUM}; CI must run the browser tests.")
        print(f"WARNING: no Chromium at {CHROMIUM}: skipping browser tests.", flush=True)
        pytest_args = ["-m", "not browser", *pytest_args]

    if not ensure_checkers():
        if IN_CI:
            sys.exit("Java or tests/checkers/node_modules is missing; CI must run the HTML checks.")
        print("WARNING: no Java or no tests/checkers/node_modules: HTML checks are skipped.")

    if not ensure_caddy():
        if IN_CI:
            sys.exit("Caddy is missing; CI must run the proxy test.")
        print("WARNING: no caddy on PATH: the proxy test is skipped.", flush=True)

    step("ruff", PYTHON, "-m", "ruff", "check", ".")
    step("ruff format", PYTHON, "-m", "ruff", "format", "--check", ".")
    print("== manage.py check", flush=True)
    if manage("check", "--fail-level", "WARNING").returncode != 0:
        sys.exit("FAILED: manage.py check")
    print("== migrations up to date", flush=True)
    if manage("makemigrations", "--check", "--dry-run", "-v0").returncode != 0:
        sys.exit("FAILED: models changed without a migration (run manage.py makemigrations)")

    workers = ["-n", str(min(os.cpu_count() or 1, 4))] if (os.cpu_count() or 1) > 1 else []
    print(f"== pytest on {without_password(env.get('DATABASE_URL', 'SQLite'))}", flush=True)
    return subprocess.run([PYTHON, "-m", "pytest", *workers, *pytest_args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
