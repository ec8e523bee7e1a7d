"""Run manage.py in a fresh process, with a clean environment of our choosing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


# Settings the test run itself may have set, which the child must not inherit.
NOT_INHERITED = {
    "DATABASE_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "TIME_ZONE",
    "HTTPS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",  # tests.settings, the test run's own (DEBUG on at import)
}


def manage(tmp_path, *args, **env):
    environment = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    environment.update({"DATA_DIR": str(tmp_path / "data"), **env})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
