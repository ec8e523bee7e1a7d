"""`python3 run.py` on a fresh machine: production by default (gunicorn, DEBUG off, a
secret key kept in DATA_DIR), every address it prints answers, and a server that
cannot start says why and exits non-zero. Each test starts the real run.py."""

import json
import os
import re
import signal
import socket
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.commands import manage
from tests.servers import Phone, RunPy, free_port, run_py

OWNER = {
    "username": "olga",
    "password1": "a long kitchen passphrase",
    "password2": "a long kitchen passphrase",
}


def follow(server, path, host, cookies=""):
    """GET ``path`` as a browser at ``host`` would, following redirects; the last answer."""
    for _ in range(5):
        response, body = server.get(path, host=host, cookies=cookies)
        if response.status not in (301, 302, 303):
            return response, body
        path = response.getheader("Location")
    pytest.fail(f"{host}{path}: too many redirects")


def test_run_py_with_no_environment_serves_as_in_production(tmp_path):
    with run_py(tmp_path) as server:
        addresses = server.printed_addresses()
        response, body = server.get("/no-such-page/")
        manifest = re.search(rb'<link rel="manifest" href="([^"]+)"', body).group(1).decode()
        manifest_response, manifest_body = server.get(manifest)
        home = tmp_path / "home"
        # DEBUG is off: the app's own 404 page, not Django's technical one.
        assert response.status == 404
        assert b"Nothing here" in body
        assert b"Go to Today" in body
        assert b"URLconf" not in body
        assert b"DEBUG = True" not in body
        assert "gunicorn" in server.output()
        assert manifest_response.getheader("Content-Type") == "application/manifest+json"
        assert json.loads(manifest_body)["name"] == "Kefir Tracker"
        # Every address it printed answers, with the Host header a browser there sends:
        # a brand-new installation opens on its first-run page.
        assert f"http://127.0.0.1:{server.port}/" in addresses
        assert f"http://localhost:{server.port}/" in addresses
        for address in addresses:
            host = address.removeprefix("http://").rstrip("/")
            response, body = follow(server, "/", host)
            assert response.status == 200, address
            assert b"Welcome to Kefir Tracker" in body, address
        assert not (home / ".gunicorn").exists(), "gunicorn's control socket in the home folder"
    key_file = tmp_path / "data" / "secret_key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert len(key_file.read_text().strip()) >= 50


def test_the_secret_key_is_kept_so_a_restart_keeps_everyone_signed_in(tmp_path):
    with run_py(tmp_path) as server:
        phone = Phone(server.port, deadline=time.monotonic() + 60)
        phone.request("GET", "/account/welcome/")
        status, _ = phone.post_and_follow("/account/welcome/", OWNER)
        key = (tmp_path / "data" / "secret_key").read_text()
    assert status == 302
    with run_py(tmp_path) as server:
        phone.port = server.port
        status, _, page = phone.request("GET", "/")
    assert (tmp_path / "data" / "secret_key").read_text() == key
    assert status == 200
    assert b"olga" in page


def test_run_py_dev_is_the_development_server_with_debug(tmp_path):
    with run_py(tmp_path, "--dev", "--no-demo") as server:
        response, body = server.get("/no-such-page/")
        _, welcome = server.get("/account/welcome/")
    assert response.status == 404
    assert b"URLconf" in body  # Django's technical 404: DEBUG is on
    assert "development mode" in server.output()
    assert b"Create my account" in welcome
    assert b"demo year" not in welcome  # --no-demo


def children(pid) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(word) for word in path.read_text().split()] if path.exists() else []


def command(pid) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def alive(pid) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def cpu_ticks(pid) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def wait_until_idle(pids, limit_s=30):
    """Until none of ``pids`` has used the CPU for a second: the workers have loaded the
    app and wait for requests (a worker killed while it boots exits when booted)."""
    deadline = time.monotonic() + limit_s
    before = [cpu_ticks(pid) for pid in pids]
    while time.monotonic() < deadline:
        time.sleep(1)
        now = [cpu_ticks(pid) for pid in pids]
        if now == before:
            return
        before = now
    pytest.fail("the workers never went idle")


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads processes from /proc")
def test_after_kill_9_of_gunicorns_master_its_workers_go_and_a_restart_serves(tmp_path):
    with run_py(tmp_path) as first:
        [master] = [pid for pid in children(first.process.pid) if "gunicorn" in command(pid)]
        deadline = time.monotonic() + 30
        while len(children(master)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = children(master)
        assert len(workers) == 2
        assert follow(first, "/", None)[0].status == 200
        wait_until_idle(workers)
        # Idle, gunicorn's own check would see its parent gone only at the end of a
        # wait of half its timeout (15 s), serving and holding the port meanwhile.
        os.kill(master, signal.SIGKILL)
        status = first.process.wait(timeout=30)
        killed = time.monotonic()
        while any(alive(worker) for worker in workers) and time.monotonic() < killed + 10:
            time.sleep(0.05)
        gone_after_s = time.monotonic() - killed
        assert not any(alive(worker) for worker in workers), "workers outlived the master"
        assert status != 0
        assert "the server was killed" in first.output()
        with run_py(tmp_path, port=first.port) as second:
            response, _body = follow(second, "/", None)
            assert response.status == 200
            assert "in use" not in second.output()
    assert gone_after_s < 2


@pytest.mark.skipif(not Path("/proc").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_the_reminder_runner_runs_beside_the_server_and_stops_with_run_py(tmp_path, stop):
    with run_py(tmp_path) as server:
        [runner] = [pid for pid in children(server.process.pid) if "send_reminders" in command(pid)]
        assert command(runner).split()[-3:] == ["send_reminders", "--every", "60"]
        time.sleep(2)
        assert alive(runner)  # looping, not crashed at start
        os.kill(server.process.pid, stop)
        server.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while alive(runner) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(runner), "the reminder runner outlived run.py"
    assert "Traceback" not in server.output()


def test_run_py_exits_non_zero_saying_so_when_the_port_is_in_use(tmp_path):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = RunPy(tmp_path, [], {}, port)
        try:
            status = server.process.wait(timeout=60)
        finally:
            server.stop()
    assert status == 1
    assert f"Port {port} is in use" in server.output()
    assert "Traceback" not in server.output()


def test_run_py_exits_non_zero_naming_a_setting_that_makes_no_sense(tmp_path):
    server = RunPy(tmp_path, [], {"DEBUG": "maybe"})
    try:
        status = server.process.wait(timeout=60)
    finally:
        server.stop()
    assert status == 1
    assert "cannot start" in server.output()
    assert "DEBUG='maybe' is not a yes/no value" in server.output()
    assert "Traceback" not in server.output()


@pytest.fixture
def full_disk(tmp_path):
    """A 2 MB tmpfs filled to the last byte."""
    mount = tmp_path / "full"
    mount.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {result.stderr.decode().strip()}")
    try:
        with (mount / "filler").open("wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_run_py_on_a_full_disk_says_the_disk_is_full(tmp_path, full_disk):
    server = RunPy(tmp_path, [], {"DATA_DIR": str(full_disk / "data")}, free_port())
    try:
        status = server.process.wait(timeout=60)
    finally:
        server.stop()
    assert status == 1
    assert f"The disk holding {full_disk / 'data'} is full" in server.output()
    assert "Traceback" not in server.output()


def test_a_full_disk_leaves_no_empty_secret_key_behind(tmp_path, full_disk):
    result = manage(tmp_path, "check", DATA_DIR=str(full_disk))
    assert result.returncode != 0
    assert "Could not keep a secret key" in result.stderr
    assert "No space left on device" in result.stderr
    assert not (full_disk / "secret_key").exists()
    assert [p.name for p in full_disk.iterdir()] == ["filler"]
