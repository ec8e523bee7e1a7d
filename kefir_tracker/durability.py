"""What the person is told when the disk cannot take a write, and that a write which was
committed is never answered as failed.

A home server's disk fills up (a Raspberry Pi's SD card, a log that grew): SQLite
then refuses each commit with "database or disk is full" and PostgreSQL with
SQLSTATE 53100, while everything already stored can still be read. A write the
disk refused is answered 507 with the plain words of DISK_FULL (a page for a
plain post, the sentence alone as text for htmx, which shows it where the person
tapped); nothing of it was saved, as the transaction rolled back.

The session is written after the view, when the view's own write has long been
committed. Django answers 400 when that save fails (SessionInterrupted), which
would report a stored strain as failed, and on a full disk makes every page
answer 400 while a flash message waits to be shown (reading it changes the
session). Here the answer stands and the failure is logged; only the session's
change is lost (a new flash message; one that was being read shows again later).

Reading needs SQLite's WAL and its index (the -shm file) to exist: SQLite deletes
both when the last connection to the file closes, and must make them again to
open the next one, which a full disk refuses ("disk I/O error", every page a
500). The development server closes its connection after each request, and
gunicorn's workers after CONN_MAX_AGE; so each serving process keeps one idle
connection of its own open for as long as it lives, and the files stay.
"""

import errno
import logging
import sqlite3

from django.contrib.sessions.exceptions import SessionInterrupted
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.db import DatabaseError
from django.db.backends.signals import connection_created
from django.http import HttpResponse

from kefir_tracker.errors import error_page
from kefir_tracker.templating import wants_fragment

logger = logging.getLogger(__name__)

DISK_FULL = "The disk is full: nothing was saved. Free some space and try again."
INSUFFICIENT_STORAGE = 507
SAVED_BEFORE = "Everything saved before is still there and can be read."
POSTGRESQL_DISK_FULL = "53100"


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it: Django wraps the driver's error) says the
    disk, or the database's file, has no room left."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if isinstance(error, sqlite3.Error) and (
            getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
            or "database or disk is full" in str(error)
        ):
            return True
        if getattr(error, "sqlstate", None) == POSTGRESQL_DISK_FULL:  # psycopg 3
            return True
        error = error.__cause__ or error.__context__
    return False


_wal_keepers: dict[str, sqlite3.Connection] = {}


def keep_wal_files(sender, connection, **kwargs):
    """On the process's first connection to a SQLite file, one more that stays open."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    path = str(connection.settings_dict["NAME"])
    if path not in _wal_keepers:
        keeper = sqlite3.connect(path, check_same_thread=False)
        keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()  # opens the WAL
        _wal_keepers[path] = keeper


class DiskFullMiddleware:
    """A view whose write the disk refused answers 507 with DISK_FULL, not a bare 500;
    the process keeps the WAL files (keep_wal_files) so that reading goes on."""

    def __init__(self, get_response):
        self.get_response = get_response
        connection_created.connect(keep_wal_files, dispatch_uid="keep_wal_files")

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_disk_full(exception):
            return None
        logger.error(
            "The disk is full: %s %s refused (%s)", request.method, request.path, exception
        )
        sentence = HttpResponse(
            DISK_FULL, status=INSUFFICIENT_STORAGE, content_type="text/plain; charset=utf-8"
        )
        if wants_fragment(request):
            return sentence
        try:
            return error_page(request, INSUFFICIENT_STORAGE, "Not saved", DISK_FULL, SAVED_BEFORE)
        except DatabaseError:  # the page needs the person's name, which could not be read
            return sentence


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's, except that a session that cannot be saved after the view (the disk is
    full, or it was deleted meanwhile by a sign-out in another tab) leaves the view's
    answer as it was, without a new session cookie."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (SessionInterrupted, DatabaseError, OSError) as error:
            while error.__cause__ or error.__context__:  # what the database said
                error = error.__cause__ or error.__context__
            logger.warning(
                "The session of %s %s was not saved (%s); answered %s all the same",
                request.method,
                request.path,
                error,
                response.status_code,
            )
            return response
