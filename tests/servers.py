"""The real server for tests that need one: gunicorn (DEBUG off) on a SQLite file of
its own, and clients that talk to it as phones do, each with its own cookies."""

import contextlib
import http.client
import os
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.parse
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

from run import static_files_are_stale
from tests.commands import NOT_INHERITED, ROOT, manage

GUNICORN_CONFIG = ROOT / "kefir_tracker" / "gunicorn_conf.py"  # workers die with the master


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def settings_for(database, name) -> dict:
    """A production-like server's settings, on the SQLite file ``database``."""
    return {
        "DEBUG": "false",
        "SECRET_KEY": f"{name}-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "LOG_LEVEL": "WARNING",
    }


def prepare(tmp_path, env) -> None:
    """Migrate the server's database, and collect static files when they are stale."""
    result = manage(tmp_path, "migrate", "-v0", **env)
    assert result.returncode == 0, result.stderr
    if static_files_are_stale():
        result = manage(tmp_path, "collectstatic", "--no-input", "-v0", **env)
        assert result.returncode == 0, result.stderr


@contextmanager
def gunicorn(tmp_path, env, workers):
    """gunicorn with ``workers`` workers and the settings ``env``; yields (port, log)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update({"DATA_DIR": str(tmp_path / "data"), **env})
    log = tmp_path / "gunicorn.log"
    executable = Path(sys.executable).parent / "gunicorn"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [
                executable,
                "kefir_tracker.wsgi",
                "-c",
                str(GUNICORN_CONFIG),
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=environment,
            stdout=stderr,
            stderr=stderr,
        )
    try:
        wait_until_serving(port, process, log)
        yield port, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_serving(port, process, log, limit_s=60):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"gunicorn did not answer within {limit_s} s:\n{log.read_text()}")


def exchange(conn, method, path, body, headers, cookies):
    """One request on ``conn``, closed after; ``cookies`` take the answer's Set-Cookie as a
    browser's would (a cookie the server deletes is dropped). Returns (response, body)."""
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
    finally:
        conn.close()
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in SimpleCookie(header).items():
            if morsel["max-age"] == "0":
                cookies.pop(name, None)
            else:
                cookies[name] = morsel.value
    return response, content


class Phone:
    """One client: its own connection and cookies; records every answer it got."""

    def __init__(self, port, deadline):
        self.port, self.deadline = port, deadline
        self.cookies: dict[str, str] = {}
        self.answers: list[tuple[str, str, int]] = []
        self.locked: list[str] = []
        self.last_headers = None

    def request(self, method, path, fields=None, *, body=None, content_type=None, headers=None):
        """``fields`` are posted as a form with the CSRF token; or ``body`` as it is.
        The answer's headers are kept in ``last_headers``."""
        if time.monotonic() > self.deadline:
            raise TimeoutError("the load test ran out of time")
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {
            **(headers or {}),
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
        }
        if fields is not None:
            fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(fields)
            content_type = "application/x-www-form-urlencoded"
        if content_type:
            headers["Content-Type"] = content_type
        response, content = exchange(conn, method, path, body, headers, self.cookies)
        self.last_headers = response.headers
        self.answers.append((method, path, response.status))
        if b"database is locked" in content:
            self.locked.append(f"{method} {path}")
        return response.status, response.getheader("Location"), content

    def post_and_follow(self, path, fields):
        """Post/redirect/get, as a browser does; the status of the post and the page shown."""
        status, location, content = self.request("POST", path, fields)
        if status in (301, 302, 303) and location:
            content = self.request("GET", location)[2]
        return status, content

    def sign_in(self, username, password):
        self.request("GET", "/account/sign-in/")
        status, _ = self.post_and_follow(
            "/account/sign-in/", {"username": username, "password": password}
        )
        assert status == 302, f"sign-in of {username} answered {status}"


CADDYFILE = ROOT / "deploy" / "Caddyfile"


def caddy_or_skip() -> str:
    """Caddy's executable; a test without it is skipped, except in CI where it must run."""
    executable = shutil.which("caddy")
    if executable:
        return executable
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail("caddy is missing; CI must run the proxy tests (apt-get install caddy)")
    pytest.skip("no caddy on PATH (apt-get install caddy; run_tests.py does so as root)")


@contextmanager
def caddy(tmp_path, site, upstreams):
    """Caddy with the README's deploy/Caddyfile: HTTPS for ``site`` with a certificate
    from its local authority, kept in tmp_path, in front of ``upstreams`` (host:port).
    Yields (http port, https port, a TLS context that trusts only Caddy's root)."""
    executable = caddy_or_skip()
    http_port, https_port = free_port(), free_port()
    home = tmp_path / "caddy"
    home.mkdir()
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "KEFIR_CADDY_ADMIN": "off",
        "KEFIR_HTTP_PORT": str(http_port),
        "KEFIR_HTTPS_PORT": str(https_port),
        "KEFIR_SITE": site,
        "KEFIR_APP": " ".join(upstreams),
    }
    root = home / "data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    log = tmp_path / "caddy.log"
    command = [executable, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"]
    with log.open("w") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=output)
    try:
        tls = wait_until_caddy_serves(https_port, root, process, log)
        yield http_port, https_port, tls
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_caddy_serves(port, root, process, log, limit_s=30) -> ssl.SSLContext:
    """Caddy makes its authority and the site's certificate as it starts: wait until a
    client that trusts the root (and nothing else) completes a handshake."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert process.poll() is None, f"caddy stopped:\n{log.read_text()}"
        if root.exists():
            tls = ssl.create_default_context(cafile=str(root))
            try:
                address = ("127.0.0.1", port)
                with (
                    socket.create_connection(address, timeout=1) as raw,
                    tls.wrap_socket(raw, server_hostname="127.0.0.1"),
                ):
                    return tls
            except (OSError, ssl.SSLError):
                pass
        time.sleep(0.2)
    pytest.fail(f"caddy did not serve HTTPS within {limit_s} s:\n{log.read_text()}")


class Browser:
    """A browser's requests, over HTTPS when given a TLS context: its own cookies (a
    cookie the server deletes is dropped), and with a posted form the Origin and
    Referer headers a browser sends from a page of the site."""

    def __init__(self, port, tls=None, source="127.0.0.1"):
        """``source``: the address it connects from (any of 127.0.0.0/8 is this machine)."""
        self.port, self.tls, self.source = port, tls, (source, 0)
        self.origin = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method, path, fields=None, headers=None):
        """Returns (status, headers, body); ``fields`` are posted with the CSRF token."""
        if self.tls:
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.port, context=self.tls, timeout=60, source_address=self.source
            )
        else:
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=60, source_address=self.source
            )
        sent = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if fields is not None:
            fields = {**fields, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urllib.parse.urlencode(fields)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            sent.update(Origin=self.origin, Referer=f"{self.origin}/")
        sent.update(headers or {})
        response, content = exchange(conn, method, path, body, sent, self.cookies)
        return response.status, response.headers, content

    def sign_in(self, username, password):
        self.request("GET", "/account/sign-in/")
        fields = {"username": username, "password": password}
        status = self.request("POST", "/account/sign-in/", fields)[0]
        assert status == 302, f"sign-in of {username} answered {status}"


class RunPy:
    """``python3 run.py`` as a person starts it, in a process of its own."""

    def __init__(self, tmp_path, args, env, port=None):
        self.port = port or free_port()
        self.log = tmp_path / f"run-py-{self.port}.log"
        environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
        home = tmp_path / "home"  # where gunicorn's default control socket would go
        home.mkdir(exist_ok=True)
        environment.update({"DATA_DIR": str(tmp_path / "data"), "HOME": str(home), **env})
        with self.log.open("w") as output:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "run.py"), "--port", str(self.port), *args],
                cwd=ROOT,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as one
            )

    def output(self) -> str:
        return self.log.read_text()

    def wait_until_serving(self, limit_s=90):
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"run.py stopped:\n{self.output()}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"run.py did not serve within {limit_s} s:\n{self.output()}")

    def printed_addresses(self) -> list[str]:
        """Every http://… address run.py printed for people to open."""
        return [
            word
            for line in self.output().splitlines()
            if line.startswith("  ")
            for word in line.split()
            if word.startswith("http://")
        ]

    def get(self, path, host=None, cookies=""):
        """GET from the server as a browser that opened ``host`` (an address it printed)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": host or f"127.0.0.1:{self.port}", "Cookie": cookies}
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response, response.read()
        finally:
            conn.close()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=60)
        # What it started, such as the development server's reloading child.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)


@contextmanager
def run_py(tmp_path, *args, serving=True, port=None, **env):
    """run.py on a free port (or ``port``) with DATA_DIR in ``tmp_path`` and only ``env``
    set; waits until it serves (unless ``serving`` is false) and stops it afterwards."""
    server = RunPy(tmp_path, args, env, port)
    try:
        yield server.wait_until_serving() if serving else server
    finally:
        server.stop()
