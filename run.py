#!/usr/bin/env python3
"""Run Kefir Tracker: `python3 run.py`.

Installs what it needs into .venv, migrates the database, loads the demo data
on a brand-new installation, and serves the app on 0.0.0.0:8000 so a phone on
the same network can open it. With DEBUG=false it serves through gunicorn, as
in production.

Options: --port N (or PORT), --no-demo (start empty).
"""

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys

from bootstrap import PYTHON, ROOT, ensure_venv, manage


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses other than loopback, without sending anything."""
    found = set()
    with contextlib.suppress(OSError):
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found |= {info[4][0] for info in infos}
    if shutil.which("hostname"):  # Linux: hostname -I lists every configured address
        result = subprocess.run(["hostname", "-I"], capture_output=True, text=True)
        found |= {word for word in result.stdout.split() if "." in word}
    return sorted(address for address in found if not address.startswith("127."))


def main() -> None:
    parser = argparse.ArgumentParser(description="Run Kefir Tracker.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--no-demo", action="store_true", help="do not load the demo data")
    options = parser.parse_args()

    ensure_venv("requirements.lock")
    manage("migrate", "--no-input", check=True)
    if not options.no_demo:
        manage("demo_data", "--if-empty", check=True)

    debug = os.environ.get("DEBUG", "true").strip().lower() not in {"false", "0", "no", "off"}
    print("\nKefir Tracker is starting. Open it at:")
    print(f"  on this computer:  http://127.0.0.1:{options.port}/")
    for address in lan_addresses():
        print(f"  from your phone:   http://{address}:{options.port}/")
    print()
    try:
        if debug:
            manage("runserver", f"0.0.0.0:{options.port}")
        else:
            manage("collectstatic", "--no-input", "-v0", check=True)
            subprocess.run(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "kefir_tracker.wsgi",
                    "--bind",
                    f"0.0.0.0:{options.port}",
                    "--workers",
                    os.environ.get("WEB_CONCURRENCY", "2"),
                ],
                cwd=ROOT,
            )
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
