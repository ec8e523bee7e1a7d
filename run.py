#!/usr/bin/env python3
"""Run Kefir Tracker: `python3 run.py`.

Installs what it needs into .venv, migrates the database, collects the static
files and serves the app as in production (gunicorn, DEBUG off, a secret key
made once in DATA_DIR) on 0.0.0.0:8000, answering to every address it prints,
so a phone on the same network can open it; beside it runs the reminder runner
(`manage.py send_reminders --every 60`). A brand-new installation opens on a
first-run page where the owner creates their account.

Options: --port N (or PORT), --no-demo (the first-run page offers no demo
year), --dev (Django's development server: DEBUG on, reloads on every edit).
"""

import argparse
import contextlib
import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bootstrap import PYTHON, ROOT, VENV, ensure_venv

GUNICORN_CONFIG = ROOT / "kefir_tracker" / "gunicorn_conf.py"
FREE_SPACE_NEEDED = 5 * 1024 * 1024  # bytes: migrating, the secret key, the first writes
REMINDERS_EVERY_S = 60  # how often the reminder runner looks for what is due
PORT_WAIT_S = 5  # how long a restart waits for the last run's workers to let go of the port


class CannotStart(Exception):
    """What stops the server from starting, said plainly."""


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


def host_names() -> list[str]:
    """The computer's own name, and its .local name for networks that resolve it (mDNS)."""
    name = socket.gethostname().strip().lower()
    if not name or name == "localhost" or not all(c.isalnum() or c in "-." for c in name):
        return []
    return [name] if name.endswith(".local") else [name, f"{name}.local"]


def allows(pattern: str, host: str) -> bool:
    """Django's ALLOWED_HOSTS matching: exact, "*", or ".example.org" for its subdomains."""
    return pattern == "*" or pattern == host or (pattern.startswith(".") and host.endswith(pattern))


def addresses_to_print(port: int, env: dict) -> list[tuple[str, str]]:
    """(where from, address) for every address the server answers to.

    Unless ALLOWED_HOSTS is set, it is set here to exactly these hosts (and
    CSRF_TRUSTED_ORIGINS to their origins); when it is set, only the addresses
    it allows are printed, and the names it lists."""
    places = [("on this computer", "127.0.0.1"), ("on this computer", "localhost")]
    places += [("from your phone", address) for address in lan_addresses()]
    places += [("by name, if your network knows it", name) for name in host_names()]
    named = [item.strip() for item in env.get("ALLOWED_HOSTS", "").split(",") if item.strip()]
    if named:
        places = [(where, host) for where, host in places if any(allows(p, host) for p in named)]
        known = {host for _, host in places}
        places += [("as set in ALLOWED_HOSTS", p) for p in named if p not in known and "*" not in p]
    else:
        env["ALLOWED_HOSTS"] = ",".join(host for _, host in places)
    if not env.get("CSRF_TRUSTED_ORIGINS", "").strip():
        env["CSRF_TRUSTED_ORIGINS"] = ",".join(f"http://{host}:{port}" for _, host in places)
    return [(where, f"http://{host}:{port}/") for where, host in places if not host.startswith(".")]


def data_dir(env: dict) -> Path:
    return Path(env.get("DATA_DIR", "").strip() or ROOT / "data")


def disk_is_full(folder: Path) -> bool:
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free < FREE_SPACE_NEEDED


def disk_full_message(folder: Path) -> str:
    return (
        f"The disk holding {folder} is full. Free some space on it (old backups in "
        f"{folder / 'backups'} are often the quickest), then start again."
    )


def manage_step(env: dict, *args: str) -> None:
    """Run one manage.py command on the way to serving; a failure stops the start
    with a plain message (a full disk, or the setting that makes no sense)."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )
    if result.returncode == 0:
        return
    errors = result.stderr.decode(errors="replace")
    lines = errors.strip().splitlines() or [""]
    folder = data_dir(env)
    if (
        "disk is full" in errors
        or "No space left on device" in errors
        or disk_is_full(folder)
        or disk_is_full(ROOT / "staticfiles")
    ):
        raise CannotStart(disk_full_message(folder))
    if lines[-1].startswith("django.core.exceptions.ImproperlyConfigured: "):
        raise CannotStart(lines[-1].removeprefix("django.core.exceptions.ImproperlyConfigured: "))
    sys.stderr.write(errors)
    raise CannotStart(f"`manage.py {args[0]}` failed: see the messages above.")


def static_files_are_stale() -> bool:
    """Whether collectstatic must run: it rewrites every hashed file, which a server
    still serving them trips over, so only when something in static/ (or the
    installed packages, which bring the admin's files) is newer than the manifest."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    sources = [*(ROOT / "static").rglob("*"), *VENV.glob(".installed-*")]
    return any(path.stat().st_mtime > built for path in sources if path.is_file())


def wait_for_port(port: int) -> None:
    """Wait a little for the port to be free (the workers of a server that was just
    stopped finish their last request first); say so if it stays taken."""
    deadline = time.monotonic() + PORT_WAIT_S
    while True:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
            try:
                probe.bind(("0.0.0.0", port))
                return
            except OSError as error:
                if error.errno != errno.EADDRINUSE:
                    raise CannotStart(f"Cannot listen on port {port}: {error.strerror}.") from None
        if time.monotonic() > deadline:
            raise CannotStart(
                f"Port {port} is in use by another program (or another Kefir Tracker). "
                f"Stop it, or start on another port: python3 run.py --port {port + 1}"
            )
        time.sleep(0.2)


def die_with_this_process() -> None:
    """In the server's process before it starts: the kernel stops it (SIGTERM) if run.py
    is killed, so no server is left holding the port."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def serve(command: list[str], env: dict) -> int:
    """The server, and beside it the reminder runner (push notifications of what is due,
    every minute); both stop with run.py, however it stops."""
    reminders = subprocess.Popen(
        [PYTHON, str(ROOT / "manage.py"), "send_reminders", "--every", str(REMINDERS_EVERY_S)],
        cwd=ROOT,
        env=env,
        preexec_fn=die_with_this_process,
    )
    server = subprocess.Popen(command, cwd=ROOT, env=env, preexec_fn=die_with_this_process)
    try:
        return server.wait()
    except KeyboardInterrupt:  # Ctrl-C reached the server too; let it finish
        with contextlib.suppress(KeyboardInterrupt):
            server.wait(timeout=35)
        return 0
    finally:
        with contextlib.suppress(KeyboardInterrupt):
            reminders.terminate()
            reminders.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description="Run Kefir Tracker.")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument(
        "--no-demo", action="store_true", help="the first-run page offers no demo year"
    )
    parser.add_argument(
        "--dev", action="store_true", help="Django's development server, DEBUG on, reloading"
    )
    options = parser.parse_args()

    ensure_venv("requirements.lock")
    env = dict(os.environ)
    if options.dev:
        env["DEBUG"] = "true"
    if options.no_demo:
        env["OFFER_DEMO"] = "false"
    try:
        folder = data_dir(env)
        if disk_is_full(folder):
            raise CannotStart(disk_full_message(folder))
        wait_for_port(options.port)
        addresses = addresses_to_print(options.port, env)
        manage_step(env, "migrate", "--no-input")
        if options.dev:
            command = [PYTHON, str(ROOT / "manage.py"), "runserver", f"0.0.0.0:{options.port}"]
        else:
            if static_files_are_stale():
                manage_step(env, "collectstatic", "--no-input", "-v0")
            command = [
                PYTHON,
                "-m",
                "gunicorn",
                "kefir_tracker.wsgi",
                "--config",
                str(GUNICORN_CONFIG),
                "--bind",
                f"0.0.0.0:{options.port}",
            ]
    except CannotStart as reason:
        print(f"\nKefir Tracker cannot start. {reason}", file=sys.stderr)
        return 1

    mode = "in development mode (DEBUG on)" if options.dev else ""
    print(f"\nKefir Tracker is starting{' ' + mode if mode else ''}. Open it at:")
    width = max(len(where) for where, _ in addresses) + 2
    for where, address in addresses:
        print(f"  {where + ':':<{width}} {address}")
    print(flush=True)
    status = serve(command, env)
    if status != 0:
        if status < 0:
            why = f"the server was killed (signal {-status}). Start it again: python3 run.py"
        else:
            why = f"the server exited with code {status}; the messages above say why."
        print(f"\nKefir Tracker stopped: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
