#!/usr/bin/env python3
"""Run the checks and the whole test suite: `python3 run_tests.py [pytest args]`.

Installs the pinned packages into .venv, then runs ruff, Django's system
checks, the missing-migrations check and pytest (both cores). Browser tests
need Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH); as root this
script installs it with apt-get. Without it, and outside CI, browser tests are
skipped with a warning; in CI (CI=true) a missing browser is an error.

Set DATABASE_URL=postgres://… to run the same suite on PostgreSQL.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from bootstrap import PYTHON, ROOT, ensure_venv, manage

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def ensure_chromium() -> bool:
    if CHROMIUM.exists():
        return True
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print("Installing Debian's Chromium for the browser tests …", flush=True)
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=False, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=False, **quiet)
    return CHROMIUM.exists()


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

    step("ruff", PYTHON, "-m", "ruff", "check", ".")
    step("ruff format", PYTHON, "-m", "ruff", "format", "--check", ".")
    print("== manage.py check", flush=True)
    if manage("check", "--fail-level", "WARNING").returncode != 0:
        sys.exit("FAILED: manage.py check")
    print("== migrations up to date", flush=True)
    if manage("makemigrations", "--check", "--dry-run", "-v0").returncode != 0:
        sys.exit("FAILED: models changed without a migration (run manage.py makemigrations)")

    workers = ["-n", str(min(os.cpu_count() or 1, 4))] if (os.cpu_count() or 1) > 1 else []
    print(f"== pytest on {env.get('DATABASE_URL', 'SQLite')}", flush=True)
    return subprocess.run([PYTHON, "-m", "pytest", *workers, *pytest_args], cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
