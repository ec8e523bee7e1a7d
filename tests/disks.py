"""A small disk of its own for a test: a tmpfs mounted where it asks, and filled on demand.

Mounting needs root (CI runs as root). Elsewhere the test is skipped with the
reason; in CI (CI=true) a disk that cannot be mounted is an error, so the
full-disk tests cannot silently stop running there.
"""

import errno
import os
import subprocess
from contextlib import contextmanager

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@contextmanager
def small_disk(path, size_kib):
    """A tmpfs of ``size_kib`` KiB at ``path`` (made if missing), unmounted afterwards."""
    path.mkdir(parents=True, exist_ok=True)
    command = ["mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0700", "tmpfs", str(path)]
    try:
        mounted = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        mounted = None
    if mounted is None or mounted.returncode != 0:
        reason = f"cannot mount a tmpfs here ({mounted.stderr.strip() if mounted else 'no mount'})"
        if IN_CI:
            pytest.fail(f"{reason}; CI must run the full-disk tests as root")
        pytest.skip(reason)
    try:
        yield path
    finally:
        if subprocess.run(["umount", str(path)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "--lazy", str(path)], capture_output=True)


def fill(disk):
    """Fill ``disk`` to its last byte with one file; returns it (delete it to free the disk)."""
    filler = disk / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        for size in (1 << 20, 1 << 16, 1 << 12, 1 << 9, 1):
            chunk = b"\0" * size
            try:
                while True:
                    os.write(descriptor, chunk)
            except OSError as error:
                if error.errno != errno.ENOSPC:  # else this size no longer fits: try a smaller one
                    raise
    finally:
        os.close(descriptor)
    return filler
