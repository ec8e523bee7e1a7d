"""The test run's settings: the app's own, read as in development (static files from
the source folders, so no collected manifest is needed). pytest-django still runs
each test with DEBUG off, as in production."""

import os

os.environ.setdefault("DEBUG", "true")

from kefir_tracker.settings import *  # noqa: F403

# The stand-in push service of the tests (tests/push_service.py) is plain http on 127.0.0.1.
PUSH_ALLOW_PLAIN_HTTP = True
