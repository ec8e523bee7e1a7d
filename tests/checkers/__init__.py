"""The Nu HTML checker (vnu), axe-core and Mozilla's ical.js (Thunderbird's calendar
parser, a second opinion on our iCalendar besides the icalendar library that writes
it), from the npm packages in this folder (`npm ci --prefix tests/checkers
--ignore-scripts`, which run_tests.py does).

Without them a test that needs one is skipped with a warning, except in CI
(CI=true), where a missing checker is a failure: CI must run every check.
"""

import json
import os
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
VNU_JAR = HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
ICAL_JS = HERE / "node_modules" / "ical.js" / "dist" / "ical.js"
ICAL_SUMMARY = HERE / "ical-summary.mjs"
INSTALL = "npm ci --prefix tests/checkers --ignore-scripts (python3 run_tests.py does it)"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# A fragment is checked inside this minimal document; list items inside a list.
FRAGMENT_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    "<title>{title}</title></head><body>{before}{fragment}{after}</body></html>"
)


def missing(what: str) -> None:
    """Skip the test with a warning, or fail it in CI."""
    message = f"{what} is missing: {INSTALL}"
    if IN_CI:
        pytest.fail(f"{message}. CI must run this check.")
    warnings.warn(f"skipped: {message}", stacklevel=2)
    pytest.skip(message)


def require_vnu() -> str:
    """The java command to run the checker with; skips (or in CI fails) the test without it."""
    path = shutil.which("java")
    if path is None:
        missing("Java (apt-get install default-jre-headless)")
    if not VNU_JAR.exists():
        missing(f"The Nu HTML checker ({VNU_JAR.relative_to(HERE.parent.parent)})")
    return path


def as_document(html: str, title: str) -> str:
    """A whole page as it is; a fragment (an htmx swap) inside a minimal document."""
    if html.lstrip()[:15].lower().startswith("<!doctype html"):
        return html
    is_list_items = html.lstrip().startswith("<li")
    return FRAGMENT_PAGE.format(
        title=title,
        before="<ol>" if is_list_items else "",
        fragment=html,
        after="</ol>" if is_list_items else "",
    )


def html_errors(documents: dict[str, str]) -> list[str]:
    """Every error the Nu HTML checker finds in ``documents`` (name -> HTML), in one run
    (the checker takes seconds to start), as "name, line N: message (extract)"."""
    command = require_vnu()
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        names = {}
        for number, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:04d}.html"
            path.write_text(as_document(html, name), encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(
            [
                command,
                "-Xss8m",
                "-jar",
                str(VNU_JAR),
                "--errors-only",
                "--exit-zero-always",
                "--format",
                "json",
                "--stdout",
                *sorted(str(p) for p in Path(folder).iterdir()),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    errors = []
    for message in json.loads(result.stdout)["messages"]:
        url = message.get("url", "?")
        name = names.get(url.rsplit("/", 1)[-1], url)
        where = f"line {message['lastLine']}" if "lastLine" in message else "the document"
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{name}, {where}: {message['message']} ({extract})")
    return errors


def axe_source() -> str:
    if not AXE_JS.exists():
        missing(f"axe-core ({AXE_JS.relative_to(HERE.parent.parent)})")
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[str]:
    """axe-core's violations on the page as it is now, one line per element."""
    page.evaluate(axe_source())
    result = page.evaluate("axe.run(document)")
    return [
        f"{violation['id']}: {violation['help']} — {' '.join(node['target'])}"
        for violation in result["violations"]
        for node in violation["nodes"]
    ]


class ICalendarRefused(Exception):
    """ical.js could not read the calendar; the message is its error."""


def ical_js(text: bytes) -> dict:
    """What ical.js reads in an iCalendar file (ical-summary.mjs: the calendar's
    properties, and each event with its alarms and when they ring, times in UTC ISO
    8601); raises ICalendarRefused with the parser's error. Skips (or in CI fails) the
    test without Node or ical.js."""
    node = shutil.which("node")
    if node is None:
        missing("Node.js (apt-get install nodejs)")
    if not ICAL_JS.exists():
        missing(f"ical.js ({ICAL_JS.relative_to(HERE.parent.parent)})")
    result = subprocess.run(
        [node, str(ICAL_SUMMARY)], input=text, capture_output=True, check=False, timeout=60
    )
    if result.returncode != 0:
        raise ICalendarRefused(result.stderr.decode(errors="replace"))
    return json.loads(result.stdout)
