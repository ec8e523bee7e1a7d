"""The test run's settings: the app's own, read as in development (static files from
the source folders, so no collected manifest is needed). pytest-django still runs
each test with DEBUG off, as in production."""

import os

os.environ.setdefault("DEBUG", "true")

from kefir_tracker.settings import *  # noqa: F403
