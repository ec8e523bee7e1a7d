"""Shared by run.py and run_tests.py: a virtual environment with the pinned packages.

Uses only the standard library, so it works on a machine with nothing but Python.
"""

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_venv(lock_file: str) -> Path:
    """Create .venv if needed and install ``lock_file`` whenever it changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 -- run by whatever python3 the machine has
        sys.exit(f"Kefir Tracker needs Python 3.11 or newer; this is {sys.version.split()[0]}.")
    if not PYTHON.exists():
        print("Creating a virtual environment in .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    lock = ROOT / lock_file
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("requirements*.lock")):
        digest.update(path.read_bytes())
    stamp = VENV / f".installed-{lock.stem}"
    # The test tools' lock installs the runtime's too (its first line: -r requirements.lock).
    stamps = [stamp, VENV / ".installed-requirements-dev"]
    if not any(s.exists() and s.read_text() == digest.hexdigest() for s in stamps):
        print(f"Installing packages from {lock_file} …", flush=True)
        subprocess.run(
            [
                PYTHON,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "-r",
                str(lock),
            ],
            check=True,
        )
        stamp.write_text(digest.hexdigest())
    return PYTHON


def manage(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, **kwargs)
