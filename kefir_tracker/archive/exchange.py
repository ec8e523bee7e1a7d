"""One person's data in and out: a versioned JSON file for a full restore, a CSV of batches.

The JSON lists records parents-first and refers between them by their position
("ref"), not by database ids, so exporting, importing elsewhere and exporting
again gives the same file. Reading one back in is importing.py.
"""

import csv
import zoneinfo
from datetime import date, datetime
from decimal import Decimal

from django.db import models
from django.db.models import Count, Max
from django.utils import timezone

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Batch, TastingNote
from kefir_tracker.gifts.models import ReceivedLineage
from kefir_tracker.grains.models import Culture, StatusChange, Weighing

FORMAT = "kefir-tracker"
VERSION = 1
PREFERENCES = ["time_zone", "clock_hours", "date_order", "temperature_unit", "volume_unit"]
# (section, model, the field that links to the parent record, its section)
SECTIONS = [
    ("cultures", Culture, "parent", "cultures"),
    ("weighings", Weighing, "culture", "cultures"),
    ("status_changes", StatusChange, "culture", "cultures"),
    ("batches", Batch, "culture", "cultures"),
    ("tasting_notes", TastingNote, "batch", "batches"),
    # Where received grains came from, as it was when they came: the giver's frozen
    # snapshot, which exists nowhere else once the gift's link is cut.
    ("received_lineages", ReceivedLineage, "culture", "cultures"),
]


def data_fields(model) -> list[models.Field]:
    """The fields a person typed or the app derived, without ids, owners or links."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and not f.is_relation and not getattr(f, "auto_now_add", False)
    ]


def encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# ---------- export ----------


def cultures_parents_first(user) -> list[Culture]:
    cultures = list(Culture.objects.for_user(user).order_by("name", "pk"))
    placed, ordered = set(), []
    while len(ordered) < len(cultures):
        for culture in cultures:
            if culture.pk not in placed and (
                culture.parent_id is None or culture.parent_id in placed
            ):
                ordered.append(culture)
                placed.add(culture.pk)
    return ordered


def export_data(user: User) -> dict:
    records = {
        "cultures": cultures_parents_first(user),
        "weighings": list(
            Weighing.objects.for_user(user).order_by("culture__name", "weighed_at", "pk")
        ),
        "status_changes": list(StatusChange.objects.for_user(user).order_by("changed_at", "pk")),
        "batches": list(Batch.objects.for_user(user).order_by("started_at", "pk")),
        "tasting_notes": list(
            TastingNote.objects.for_user(user).order_by(
                "batch__started_at", "batch_id", "tasted_at", "pk"
            )
        ),
        "received_lineages": list(
            ReceivedLineage.objects.for_user(user).order_by("culture__name", "pk")
        ),
    }
    refs = {name: {obj.pk: n for n, obj in enumerate(objs, 1)} for name, objs in records.items()}
    data = {
        "format": FORMAT,
        "version": VERSION,
        "preferences": {name: getattr(user, name) for name in PREFERENCES},
    }
    for section, model, link, target in SECTIONS:
        data[section] = [
            {
                "ref": refs[section][obj.pk],
                link: refs[target].get(getattr(obj, f"{link}_id")),
                **{f.name: encode(f.value_from_object(obj)) for f in data_fields(model)},
            }
            for obj in records[section]
        ]
    # Weighings, status changes, tasting notes and lineages are leaves: nothing refers to them.
    for section in ("weighings", "status_changes", "tasting_notes", "received_lineages"):
        for record in data[section]:
            del record["ref"]
    return data


# ---------- CSV ----------

CSV_COLUMNS = [
    "started",
    "strained",
    "hours",
    "grains",
    "generation",
    "kind",
    "base",
    "volume_ml",
    "grains_in_g",
    "grains_out_g",
    "sugar_g",
    "room_temp_c",
    "flavourings",
    "bottled",
    "finished",
    "status",
    "discard_reason",
    "best_rating",
    "tastings",
    "notes",
]


def spreadsheet_safe(text: str) -> str:
    """Keep spreadsheets from running a note that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def write_batches_csv(user: User, out) -> None:
    """One row per batch, times in the user's zone, for any spreadsheet."""
    generations = {c.pk: c.tree_depth for c in Culture.objects.for_user(user).with_tree_fields()}
    batches = (
        Batch.objects.for_user(user)
        .select_related("culture")
        .order_by("started_at", "pk")
        .annotate(best_rating=Max("tasting_notes__rating"), tastings=Count("tasting_notes"))
    )
    local = zoneinfo.ZoneInfo(user.time_zone)

    def when(value):
        return timezone.localtime(value, local).strftime("%Y-%m-%d %H:%M") if value else ""

    def number(value):
        return "" if value is None else str(value)

    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for b in batches.iterator(chunk_size=500):
        hours = (b.strained_at - b.started_at).total_seconds() / 3600 if b.strained_at else None
        writer.writerow(
            [
                when(b.started_at),
                when(b.strained_at),
                "" if hours is None else f"{hours:.1f}",
                spreadsheet_safe(b.culture.name),
                generations.get(b.culture_id, 0),
                b.culture.kind,
                b.base,
                number(b.volume_ml),
                number(b.grains_in_g),
                number(b.grains_out_g),
                number(b.sugar_g),
                number(b.room_temp_c),
                spreadsheet_safe(b.flavourings),
                when(b.bottled_at),
                when(b.finished_at),
                b.status.value,
                spreadsheet_safe(b.discard_reason),
                number(b.best_rating),
                b.tastings,
                spreadsheet_safe(b.notes),
            ]
        )
