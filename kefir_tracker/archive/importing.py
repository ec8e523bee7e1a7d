"""An export file into an account: checked whole first, then written in one short transaction.

Checking a file of years (10,000 batches and their tastings and weighings) takes a
few seconds of Python and reads the account once; none of it holds the
database's write lock, so the household's saves meanwhile go through. The write
is a handful of bulk inserts. A file is refused whole, with every problem named
by record and field, when any value is one the app's forms would refuse.
"""

import hashlib
import json
import zoneinfo
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import pairwise
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from kefir_tracker.accounts.models import User
from kefir_tracker.archive.exchange import FORMAT, PREFERENCES, SECTIONS, VERSION, data_fields
from kefir_tracker.archive.models import CLAIM_LAPSES_AFTER, ImportUnderWay
from kefir_tracker.archive.rows import PreparedRows
from kefir_tracker.batches.forms import MomentField
from kefir_tracker.batches.models import (
    MAX_BATCH_NUMBER,
    Batch,
    TastingNote,
    implausible_times,
    number_in_start_order,
)
from kefir_tracker.gifts.files import Refused, read_ancestors
from kefir_tracker.gifts.models import ReceivedLineage
from kefir_tracker.grains.forms import past_date
from kefir_tracker.grains.models import Culture, StatusChange, Weighing

MAX_PROBLEMS = 20
NOT_AN_EXPORT = (
    "{filename} is not a Kefir Tracker export (JSON). Choose the .json file that "
    "“Download everything (JSON)” saved."
)
# The rules the forms add to the models' own, applied by the forms' own functions:
# days that have been (not before 1900), and times not in the future.
FORM_RULES = {
    (Culture, "acquired_on"): past_date,
    (Weighing, "weighed_on"): past_date,  # an export from before weighings had a time
}
not_in_future = MomentField().clean
WRITE_CHANGED = (
    "Nothing was imported: your grains or batches changed while the file was being "
    "checked (someone logged a batch?). Import the file again."
)


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` say what and where. Nothing was written.

    ``about_the_file`` when the file as a whole is the trouble (not an export, or
    another import under way), rather than records in it."""

    def __init__(self, problems: list[str], about_the_file=False):
        super().__init__("; ".join(problems))
        self.problems = problems
        self.about_the_file = about_the_file


@dataclass
class ImportSummary:
    added: dict
    skipped: dict
    taken_as_strained: int = 0

    def __str__(self):
        parts = [f"{n} {name.replace('_', ' ')}" for name, n in self.added.items() if n]
        text = "Imported " + (", ".join(parts) if parts else "nothing new")
        skipped = sum(self.skipped.values())
        text += f"; {skipped} already here, left as they were." if skipped else "."
        if self.taken_as_strained:
            n = self.taken_as_strained
            text += (
                f" {n} batch{'es' if n > 1 else ''} still fermenting when the same grains "
                f"started another {'are' if n > 1 else 'is'} taken as strained then."
            )
        return text


def parse_file(raw: bytes, filename: str) -> dict:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([NOT_AN_EXPORT.format(filename=filename)], True) from None
    if not text.lstrip().startswith("{"):  # a CSV, a photo, an empty file: not JSON at all
        raise ImportRefused([NOT_AN_EXPORT.format(filename=filename)], True)
    try:
        data = json.loads(text)
    except RecursionError:
        raise ImportRefused([f"{filename}: nested too deeply to be an export."], True) from None
    except json.JSONDecodeError as error:
        raise ImportRefused(
            [
                f"{filename}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
            ],
            True,
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(
            [f'{filename}: not a Kefir Tracker export (no "format": "{FORMAT}").'], True
        )
    if data.get("version") != VERSION:
        raise ImportRefused(
            [
                f"{filename}: format version {data.get('version')!r} is not supported (this app reads version {VERSION})."
            ],
            True,
        )
    return data


def import_file(user: User, raw: bytes, filename: str) -> ImportSummary:
    """Parse and import an uploaded export: one import into an account at a time."""
    with one_import_at_a_time(user, hashlib.sha256(raw).hexdigest(), filename):
        return import_data(user, parse_file(raw, filename), filename)


@contextmanager
def one_import_at_a_time(user, file_sha256, filename):
    """Claim the account for this import until it ends; refuse, with a plain message,
    while another import into it is under way."""
    now = timezone.now()
    with transaction.atomic():
        ImportUnderWay.objects.filter(owner=user, started_at__lt=now - CLAIM_LAPSES_AFTER).delete()
        try:
            with transaction.atomic():
                claim = ImportUnderWay.objects.create(
                    owner=user, file_sha256=file_sha256, filename=filename[:255], started_at=now
                )
        except IntegrityError:
            running = ImportUnderWay.objects.filter(owner=user).first()
        else:
            running = None
    if running is not None:
        since = timezone.localtime(running.started_at).strftime("%H:%M")
        if running.file_sha256 == file_sha256:
            message = (
                f"{filename} is already being imported (since {since}): it is imported once. "
                "Reload this page in a minute to see it."
            )
        else:
            message = (
                f"Another import into your account is under way (since {since}). "
                f"Import {filename} again when it has finished."
            )
        raise ImportRefused([message], about_the_file=True)
    try:
        yield
    finally:
        ImportUnderWay.objects.filter(pk=claim.pk).delete()


def import_data(user: User, data: dict, filename: str = "file") -> ImportSummary:
    """Add everything in an export to ``user``'s account, all or nothing.

    Merges without duplicates: grains with a name the account already has, and
    batches, weighings and tastings identical in time to existing ones, are
    skipped (the existing record wins). Any invalid record refuses the whole file.
    """
    importer = _Importer(user, filename)
    with timezone.override(user.time_zone):  # "today" and "the future" as the forms see them
        importer.check(data)
    return importer.write()


class _Importer:
    def __init__(self, user, filename):
        self.user, self.filename = user, filename
        self.problems: list[str] = []
        self.refs: dict[str, dict] = defaultdict(dict)  # section -> ref -> object (new or existing)
        self.new: dict[str, list] = defaultdict(list)  # section -> objects to insert
        self.added, self.skipped = defaultdict(int), defaultdict(int)
        self.existing = {c.name.lower(): c for c in Culture.objects.for_user(user)}
        self.merging = bool(self.existing)
        self.file_names: dict[str, str] = {}  # lower name -> where in the file
        self.new_cultures: set[int] = set()  # id() of the grains this import creates
        self.seen: dict[str, dict] = {}  # section -> key -> object, for merging
        self.fermenting: dict[int, Batch] = {}  # culture pk -> the account's running batch
        self.where: dict[int, str] = {}  # id() of a new object -> where it is in the file
        self.take_preferences = False
        self.taken_as_strained = 0
        self.lineage_in_file: set[int] = set()  # id() of grains given a lineage by the file

    def problem(self, where, message):
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{self.filename}, {where}: {message}")

    # ---- checking, outside any transaction ----

    def check(self, data):
        self.preferences(data.get("preferences", {}))
        if self.merging:
            self.load_existing()
        for section, model, link, target in SECTIONS:
            records = data.get(section, [])
            if not isinstance(records, list):
                self.problem(f"{section}", f"should be a list, not {type(records).__name__}")
                continue
            for index, record in enumerate(records):
                self.record(section, index, record, model, link, target)
        if not self.problems:
            self.check_numbers()
            self.one_fermenting_per_culture()
        if self.problems:
            raise ImportRefused(self.problems)

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
            if not self.existing:
                self.take_preferences = True
                self.new_preferences = {name: getattr(self.user, name) for name in PREFERENCES}
        for name, value in kept.items():
            setattr(self.user, name, value)

    def load_existing(self):
        """What the account has of the kinds a file holds, keyed as duplicates are found."""
        cultures = {c.pk: c for c in self.existing.values()}
        columns = ("culture_id", "started_at", "number", "strained_at", "discarded")
        batches = {b.pk: b for b in Batch.objects.filter(culture__in=cultures).only(*columns)}
        for batch in batches.values():
            batch.culture = cultures[batch.culture_id]
        self.seen["batches"] = {(id(b.culture), b.started_at): b for b in batches.values()}
        self.seen["weighings"] = {
            (id(cultures[w.culture_id]), w.weighed_at, w.grams): w
            for w in Weighing.objects.for_user(self.user).only("culture_id", "weighed_at", "grams")
        }
        self.seen["status_changes"] = {
            (id(cultures[c.culture_id]), c.changed_at, c.status): c
            for c in StatusChange.objects.filter(culture__in=cultures).only(
                "culture_id", "changed_at", "status"
            )
        }
        self.seen["tasting_notes"] = {
            (id(batches[t.batch_id]), t.tasted_at): t
            for t in TastingNote.objects.filter(batch__in=batches).only("batch_id", "tasted_at")
        }
        self.seen["received_lineages"] = {
            id(cultures[lineage.culture_id]): lineage
            for lineage in ReceivedLineage.objects.filter(culture__in=cultures).only("culture_id")
        }
        self.fermenting = {
            b.culture_id: b for b in batches.values() if b.strained_at is None and not b.discarded
        }

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
        if section == "received_lineages":  # a list, read as a gift file's ancestors are
            record = dict(record)
            ancestors = record.pop("ancestors", [])
        for key in ("ref", link):
            if not isinstance(record.get(key), int | str | None):
                self.problem(f"{where}, field “{key}”", "should be a number")
                return
        obj = model()
        for name, value in record.items():
            if name in fields:
                try:
                    setattr(obj, name, self.value(model, fields[name], value))
                except ValidationError as error:
                    self.problem(f"{where}, field “{name}”", " ".join(error.messages))
                    return
        linked = record.get(link)
        if linked is not None:
            parent = self.refs[target].get(linked)
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
        if section == "received_lineages" and not self.lineage(where, obj, ancestors):
            return
        if hasattr(obj, "owner_id"):
            obj.owner = self.user
        if section == "cultures":
            obj.name = (obj.name or "").strip()  # as the form does
        if section == "batches" and id(obj.culture) not in self.new_cultures:
            obj.number = None  # grains already here: the batch takes their next number
        duplicate = self.find_duplicate(section, obj)
        if duplicate is not None:
            self.skipped[section] += 1
            self.refs[section][record.get("ref")] = duplicate
            return
        if section == "cultures" and obj.name.lower() in self.file_names:
            self.problem(
                f"{where}, field “name”",
                f"{self.file_names[obj.name.lower()]} in this file has this name already.",
            )
            return
        # Links and owner are this import's own objects; the constraints the database
        # checks (and that would cost a query per record) are kept by construction.
        exclude = {link, "owner"} | ({"number"} if getattr(obj, "number", 0) is None else set())
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                name = "record" if field == "__all__" else f"field “{field}”"
                self.problem(f"{where}, {name}", " ".join(messages))
            return
        self.new[section].append(obj)
        self.where[id(obj)] = where
        self.added[section] += 1
        if "ref" in record:
            self.refs[section][record["ref"]] = obj
        if section == "cultures":
            self.new_cultures.add(id(obj))
            self.file_names[obj.name.lower()] = where
        if self.merging:
            self.seen.setdefault(section, {})[self.key(section, obj)] = obj

    def lineage(self, where, obj, ancestors) -> bool:
        """Whether ``obj``, a received lineage, can be imported: its ancestors as a gift
        file's are read (then kept on it), and one lineage for grains."""
        if obj.given_generation is not None:  # else full_clean says it is missing
            try:
                obj.ancestors = read_ancestors(ancestors, obj.given_generation)
            except Refused as refused:
                why = str(refused)
                self.problem(f"{where}, field “ancestors”", f"{why[0].upper()}{why[1:]}.")
                return False
        if id(obj.culture) in self.lineage_in_file:
            self.problem(where, "These grains' lineage is listed twice in this file.")
            return False
        self.lineage_in_file.add(id(obj.culture))
        return True

    def dated_weighing(self, where, record):
        """An export from before weighings had a time: its day at noon in the person's
        zone (never later than now), as the migration did to the weighings kept here."""
        record = dict(record)
        raw = record.pop("weighed_on")
        try:
            day = self.value(Weighing, models.DateField(name="weighed_on"), raw)
        except ValidationError as error:
            self.problem(f"{where}, field “weighed_on”", " ".join(error.messages))
            return None
        zone = self.new_preferences["time_zone"] if self.take_preferences else self.user.time_zone
        noon = datetime.combine(day, time(12), zoneinfo.ZoneInfo(zone))
        record["weighed_at"] = min(noon, timezone.now()).isoformat()
        return record

    @staticmethod
    def value(model, field, raw):
        """``raw`` from the file as the field's Python value, or a ValidationError saying
        why not: what the field's form would refuse, it refuses."""
        if raw is None and not field.null:
            raise ValidationError("cannot be null")
        if isinstance(raw, list | dict):
            raise ValidationError(f"should be a single value, not a {type(raw).__name__}")
        if isinstance(raw, str):
            ProhibitNullCharactersValidator()(raw)  # as every form field does; PostgreSQL would 500
        try:
            value = field.to_python(raw)
        except (TypeError, ValueError):
            raise ValidationError(f"{raw!r:.40} is not a valid value") from None
        if isinstance(field, models.DateTimeField) and value is not None:
            if timezone.is_naive(value):
                raise ValidationError(
                    f"{raw!r:.40} has no UTC offset; write it like 2026-03-01T22:00:00+00:00"
                )
            if errors := implausible_times(SimpleNamespace(**{field.name: value}), [field.name]):
                raise ValidationError(errors[field.name])
            value = not_in_future(value)
        elif isinstance(value, date) and (model, field.name) in FORM_RULES:
            value = FORM_RULES[model, field.name](value)
        return value

    @staticmethod
    def key(section, obj):
        if section == "cultures":
            return obj.name.lower()
        if section == "weighings":
            return (id(obj.culture), obj.weighed_at, obj.grams)
        if section == "status_changes":
            return (id(obj.culture), obj.changed_at, obj.status)
        if section == "batches":
            return (id(obj.culture), obj.started_at)
        if section == "received_lineages":
            return id(obj.culture)
        return (id(obj.batch), obj.tasted_at)

    def find_duplicate(self, section, obj):
        if section == "cultures":
            return self.existing.get(obj.name.lower())
        if not self.merging:  # an empty account has nothing to collide with
            return None
        return self.seen.get(section, {}).get(self.key(section, obj))

    def check_numbers(self):
        """The file's batch numbers, kept for grains the import creates: 1 to 1,000,000,
        and each once per grains."""
        taken = set()
        for batch in self.new["batches"]:
            if batch.number is None:
                continue
            where = f"{self.where[id(batch)]}, field “number”"
            if not 1 <= batch.number <= MAX_BATCH_NUMBER:
                self.problem(where, "A batch number is from 1 to 1,000,000.")
            elif (id(batch.culture), batch.number) in taken:
                self.problem(where, "These grains already have a batch with this number.")
            taken.add((id(batch.culture), batch.number))

    def one_fermenting_per_culture(self):
        """One colony ferments one batch at a time. A file with grains fermenting several
        (logged before the app knew the rule) is read as the kitchen went: each was
        strained when the next started, as migration batches 0005 did. So is a batch of
        the file for grains that are fermenting a later one here; one that would stop
        the account's own running batch is refused instead."""
        fermenting = defaultdict(list)
        for batch in self.new["batches"]:
            if batch.strained_at is None and not batch.discarded:
                fermenting[id(batch.culture)].append(batch)
        for batches in fermenting.values():
            batches.sort(key=lambda b: b.started_at)
            for batch, following in pairwise(batches):
                self.strain_when_started(batch, following)
            last, culture = batches[-1], batches[-1].culture
            running = self.fermenting.get(culture.pk) if culture.pk else None
            if running is None:
                continue
            if running.started_at >= last.started_at:
                self.strain_when_started(last, running)
            else:
                self.problem(
                    self.where[id(last)],
                    f"{culture.name} are already fermenting a batch here (#{running.number}, "
                    f"started {timezone.localtime(running.started_at):%Y-%m-%d %H:%M}). "
                    "Strain it first, then import the file.",
                )

    def strain_when_started(self, batch, following):
        batch.strained_at = max(following.started_at, batch.started_at)
        self.taken_as_strained += 1

    # ---- writing, in one short transaction ----

    def write(self) -> ImportSummary:
        # Turning 10,000 batches into SQL values costs Django seconds of Python, so
        # that is done here, before the lock; inside it only ids, links and the
        # numbers of batches in grains already here are filled in.
        numbered = [b for b in self.new["batches"] if b.number is not None]
        unnumbered = [b for b in self.new["batches"] if b.number is None]
        cultures = PreparedRows(Culture, self.new["cultures"], ["parent"])
        weighings = PreparedRows(Weighing, self.new["weighings"], ["culture"])
        status_changes = PreparedRows(StatusChange, self.new["status_changes"], ["culture"])
        batches = PreparedRows(Batch, numbered, ["culture"])
        more_batches = PreparedRows(Batch, unnumbered, ["culture", "number"])
        tastings = PreparedRows(TastingNote, self.new["tasting_notes"], ["batch"])
        lineages = PreparedRows(ReceivedLineage, self.new["received_lineages"], ["culture"])
        try:
            with transaction.atomic():
                if self.take_preferences:
                    for name, value in self.new_preferences.items():
                        setattr(self.user, name, value)
                    self.user.save(update_fields=PREFERENCES)
                for culture_id in sorted({b.culture.pk for b in unnumbered if b.culture.pk}):
                    Culture.objects.lock(culture_id)  # as Batch.save() does, for the numbers
                for rows in (cultures, lineages, weighings, status_changes, batches):
                    rows.insert()
                # Grains already here, or an export from before batches had numbers:
                # the next numbers after what the grains have now.
                number_in_start_order(unnumbered)
                more_batches.insert()
                tastings.insert()
        except IntegrityError:  # the account changed between the check and the write
            raise ImportRefused([WRITE_CHANGED], about_the_file=True) from None
        return ImportSummary(dict(self.added), dict(self.skipped), self.taken_as_strained)
