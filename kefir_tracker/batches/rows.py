"""Rows of batch lists (History, a culture's batches), each rendered once per content.

A row is a pure function of what it shows, so its HTML is cached under a key
made of exactly those inputs: the batch's own fields, its grains' name, its
number and best rating, the first-ferment time as shown, and the reader's
units, time zone and year (and a whole page of rows under all of theirs).
Any change to any of them is a new key; nothing else can change a row, so a
cached row is never stale, and it holds nothing private beyond the batch it
shows, whose id is part of its key.

The cache lives in each worker's memory (LocMemCache "rows"), and the key
includes a number given to each compiled row template, so an edited template
(re-read by the development server) never meets rows rendered by the old one.
"""

import hashlib
import itertools

from django.core.cache import caches
from django.template.loader import get_template
from django.utils import timezone

from kefir_tracker.templatetags.kefir import hours

ROW_TEMPLATE = "batches/_batch_row.html"
TIMEOUT = 7 * 24 * 3600


def row_content(batch) -> tuple:
    """Everything _batch_row.html shows of ``batch``, and nothing else that could differ."""
    moments = (batch.started_at, batch.strained_at, batch.bottled_at, batch.finished_at)
    return (
        batch.pk,
        *(m and m.timestamp() for m in moments),
        batch.discarded,
        batch.base,
        batch.volume_ml,
        batch.culture.name,
        batch.number,
        batch.best_rating,
        hours(batch.duration),
    )


_numbers = itertools.count()


def _compiled_number(compiled) -> int:
    """A number of its own for each compiled row template (not id(), which a template
    compiled after an edit may reuse once the old one is gone)."""
    if not hasattr(compiled, "row_cache_number"):
        compiled.row_cache_number = next(_numbers)
    return compiled.row_cache_number


def _key(kind: str, *parts) -> str:
    return f"{kind}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def render_rows(batches, context) -> str:
    """The rows of ``batches`` (from Batch.objects.….for_rows()), from the cache where
    rendered before: the whole list at once, else row by row."""
    template = get_template(ROW_TEMPLATE)
    user = context.get("user")
    # What every row shares: the compiled template, the reader's units, zone and year.
    reader = (
        _compiled_number(template.template),
        getattr(user, "volume_unit", ""),
        timezone.get_current_timezone_name(),
        timezone.localdate().year,
    )
    contents = [row_content(batch) for batch in batches]
    cache = caches["rows"]
    list_key = _key("rows", reader, contents)
    html = cache.get(list_key)
    if html is not None:
        return html
    keys = [_key("row", reader, content) for content in contents]
    found = cache.get_many(keys)
    rendered = {}
    for key, batch in zip(keys, batches, strict=True):
        if key not in found:
            rendered[key] = template.render({"batch": batch, "user": user})
    html = "".join(found.get(key) or rendered[key] for key in keys)
    cache.set_many({**rendered, list_key: html}, TIMEOUT)
    return html
