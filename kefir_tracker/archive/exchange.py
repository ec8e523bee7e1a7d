"""One person's data in and out: a versioned JSON file for a full restore, a CSV of batches.

The JSON lists records parents-first and refers between them by their position
("ref"), not by database ids, so exporting, importing elsewhere and exporting
again gives the same file.
"""

import csv
import json
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max
from django.utils import timezone

from kefir_tracker.accounts.models import User
from kefir_tracker.batches.models import Batch, TastingNote
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
        "status_changes": list(
            StatusChange.objects.filter(culture__owner=user).order_by("changed_at", "pk")
        ),
        "batches": list(Batch.objects.for_user(user).order_by("started_at", "pk")),
        "tasting_notes": list(
            TastingNote.objects.for_user(user).order_by(
                "batch__started_at", "batch_id", "tasted_at", "pk"
            )
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
    # Weighings, status changes and tasting notes are leaves: nothing refers to them.
    for section in ("weighings", "status_changes", "tasting_notes"):
        for record in data[section]:
            del record["ref"]
    return data


# ---------- import ----------


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` say what and where. Nothing was written."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportSummary:
    added: dict
    skipped: dict

    def __str__(self):
        parts = [f"{n} {name.replace('_', ' ')}" for name, n in self.added.items() if n]
        text = "Imported " + (", ".join(parts) if parts else "nothing new")
        skipped = sum(self.skipped.values())
        return text + (f"; {skipped} already here, left as they were." if skipped else ".")


MAX_PROBLEMS = 20


def parse_file(raw: bytes, filename: str) -> dict:
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ImportRefused([f"{filename}: not a text file (expected UTF-8 JSON)."]) from None
    except RecursionError:
        raise ImportRefused([f"{filename}: nested too deeply to be an export."]) from None
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                f"{filename}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
            ]
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused([f'{filename}: not a Kefir Tracker export (no "format": "{FORMAT}").'])
    if data.get("version") != VERSION:
        raise ImportRefused(
            [
                f"{filename}: format version {data.get('version')!r} is not supported (this app reads version {VERSION})."
            ]
        )
    return data


def import_data(user: User, data: dict, filename: str = "file") -> ImportSummary:
    """Add everything in an export to ``user``'s account, in one transaction.

    Merges without duplicates: grains with a name the account already has, and
    batches, weighings and tastings identical in time to existing ones, are
    skipped (the existing record wins). Any invalid record refuses the whole file.
    """
    importer = _Importer(user, filename)
    with transaction.atomic():
        importer.preferences(data.get("preferences", {}))
        for section, model, link, target in SECTIONS:
            records = data.get(section, [])
            if not isinstance(records, list):
                importer.problem(f"{section}", f"should be a list, not {type(records).__name__}")
                continue
            for index, record in enumerate(records):
                importer.record(section, index, record, model, link, target)
        if importer.problems:
            transaction.set_rollback(True)
            raise ImportRefused(importer.problems)
    return ImportSummary(dict(importer.added), dict(importer.skipped))


class _Importer:
    def __init__(self, user, filename):
        self.user, self.filename = user, filename
        self.problems: list[str] = []
        self.created: dict[str, dict] = defaultdict(dict)  # section -> ref -> saved object
        self.added, self.skipped = defaultdict(int), defaultdict(int)
        self.existing_names = {c.name.lower(): c for c in Culture.objects.for_user(user)}
        self.new_cultures: set[int] = set()  # pks of the grains this import created

    def problem(self, where, message):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{self.filename}, {where}: {message}")

    def preferences(self, prefs):
        """The file's preferences, checked; taken only into an account with no data yet
        (a restore), since a merge changes nothing the account already has."""
        if not isinstance(prefs, dict):
            self.problem("preferences", "should be an object")
            return
        kept = {name: getattr(self.user, name) for name in PREFERENCES}
        for name in PREFERENCES:
            if name in prefs:
                setattr(self.user, name, prefs[name])
        try:
            self.user.full_clean(exclude=["password", "username"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                self.problem(f"preferences, field “{field}”", " ".join(messages))
        else:
            if not self.existing_names:
                self.user.save(update_fields=PREFERENCES)
                return
        for name, value in kept.items():
            setattr(self.user, name, value)

    def record(self, section, index, record, model, link, target):
        where = f"{section}[{index}]"
        if not isinstance(record, dict):
            self.problem(where, "should be an object")
            return
        fields = {f.name: f for f in data_fields(model)}
        if section == "weighings" and "weighed_on" in record and "weighed_at" not in record:
            record = self.dated_weighing(where, record)
            if record is None:
                return
        unknown = set(record) - set(fields) - {"ref", link}
        if unknown:
            self.problem(where, f"unknown field(s) {', '.join(sorted(unknown))}")
            return
        for key in ("ref", link):
            if not isinstance(record.get(key), int | str | None):
                self.problem(f"{where}, field “{key}”", "should be a number")
                return
        obj = model()
        for name, value in record.items():
            if name in fields:
                try:
                    setattr(obj, name, self.value(fields[name], value))
                except ValidationError as error:
                    self.problem(f"{where}, field “{name}”", " ".join(error.messages))
                    return
        linked = record.get(link)
        if linked is not None:
            parent = self.created[target].get(linked)
            if parent is None:
                self.problem(
                    f"{where}, field “{link}”",
                    f"refers to {target} ref {linked!r}, which is not listed before it",
                )
                return
            setattr(obj, link, parent)
        elif link != "parent":
            self.problem(f"{where}, field “{link}”", "is required")
            return
        if hasattr(obj, "owner_id"):
            obj.owner = self.user
        if section == "batches" and obj.culture_id not in self.new_cultures:
            obj.number = None  # grains already here: the batch takes their next number
        duplicate = self.find_duplicate(section, obj)
        if duplicate is not None:
            self.skipped[section] += 1
            self.created[section][record.get("ref")] = duplicate
            return
        try:
            obj.full_clean()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                name = "record" if field == "__all__" else f"field “{field}”"
                self.problem(f"{where}, {name}", " ".join(messages))
            return
        obj.save()
        self.added[section] += 1
        if "ref" in record:
            self.created[section][record["ref"]] = obj
        if section == "cultures":
            self.new_cultures.add(obj.pk)

    def dated_weighing(self, where, record):
        """An export from before weighings had a time: its day at noon in the person's
        zone (never later than now), as the migration did to the weighings kept here."""
        record = dict(record)
        raw = record.pop("weighed_on")
        try:
            day = self.value(models.DateField(), raw)
        except ValidationError as error:
            self.problem(f"{where}, field “weighed_on”", " ".join(error.messages))
            return None
        noon = datetime.combine(day, time(12), zoneinfo.ZoneInfo(self.user.time_zone))
        record["weighed_at"] = min(noon, timezone.now())
        return record

    @staticmethod
    def value(field, raw):
        """``raw`` from the file as the field's Python value, or a ValidationError saying why not."""
        if raw is None and not field.null:
            raise ValidationError("cannot be null")
        if isinstance(raw, list | dict):
            raise ValidationError(f"should be a single value, not a {type(raw).__name__}")
        try:
            return field.to_python(raw)
        except (TypeError, ValueError):
            raise ValidationError(f"{raw!r:.40} is not a valid value") from None

    def find_duplicate(self, section, obj):
        if section == "cultures":
            return self.existing_names.get((obj.name or "").lower())
        if not self.existing_names:  # an empty account has nothing to collide with
            return None
        if section == "weighings":
            match = {"culture": obj.culture, "weighed_at": obj.weighed_at, "grams": obj.grams}
        elif section == "status_changes":
            match = {"culture": obj.culture, "changed_at": obj.changed_at, "status": obj.status}
        elif section == "batches":
            match = {"culture": obj.culture, "started_at": obj.started_at}
        else:
            match = {"batch": obj.batch, "tasted_at": obj.tasted_at}
        if any(value is None for value in match.values()):
            return None
        return obj.__class__.objects.filter(**match).first()


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
