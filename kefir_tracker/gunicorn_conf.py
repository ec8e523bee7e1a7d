"""gunicorn's settings for Kefir Tracker, used by run.py and the tests' servers:
``gunicorn -c kefir_tracker/gunicorn_conf.py kefir_tracker.wsgi``."""

import ctypes
import os
import signal
import sys

workers = int(os.environ.get("WEB_CONCURRENCY", "2"))

# gunicorn 25+ opens a control socket for `gunicornc` at ~/.gunicorn/gunicorn.ctl,
# one path shared by every gunicorn the user runs. Nothing here uses it.
control_socket_disable = True

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def post_fork(server, worker):
    """A worker goes when its master goes, even by kill -9.

    gunicorn's own check (the worker's parent changed) runs only between requests
    and after up to half the timeout idle, so orphaned workers went on serving and
    held the port: a restart failed on "Connection in use". The kernel sends this
    worker SIGTERM the moment the master dies; it finishes its request and exits.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM) != 0:
        server.log.warning("prctl(PR_SET_PDEATHSIG) failed: errno %s", ctypes.get_errno())
    if os.getppid() != server.pid:  # the master died before prctl: no signal will come
        os.kill(os.getpid(), signal.SIGTERM)
