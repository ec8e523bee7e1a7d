"""The gift file: a gift carried to another installation as a small JSON file, with the
lineage snapshot the giver allowed. Read strictly: a file is anyone's text."""

import json
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone

from kefir_tracker.gifts.models import ReceivedLineage
from kefir_tracker.gifts.services import MAX_ANCESTORS, ancestry_snapshot, receive_grains
from kefir_tracker.grains.models import MAX_GENERATIONS, Kind

FORMAT = "kefir-tracker-gift"
VERSION = 1
MAX_BYTES = 32 * 1024
NAME_LENGTH = 80
GIVER_LENGTH = 150
ORIGIN_LENGTH = 200
GRAINS_KEYS = {"name", "kind", "given_by", "generation"}
ANCESTOR_KEYS = {"name", "generation", "origin"}


def gift_file(gift) -> dict:
    """The file of ``gift``: the given grains and, if the giver allowed it, their ancestors."""
    culture = gift.culture
    generation, ancestors = ancestry_snapshot(culture)
    return {
        "format": FORMAT,
        "version": VERSION,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "grains": {
            "name": culture.name,
            "kind": culture.kind,
            "given_by": gift.giver.shown_name,
            "generation": generation,
        },
        "ancestors": ancestors if gift.share_ancestry else [],
    }


def file_name(gift) -> str:
    safe = "".join(c if c.isascii() and c.isalnum() else "-" for c in gift.culture.name)
    return f"gift-{safe.strip('-').lower() or 'grains'}.json"


@dataclass(frozen=True)
class GiftFile:
    name: str
    kind: str
    given_by: str
    generation: int
    ancestors: list[dict]


class Refused(ValueError):
    pass


def _no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    if len(keys) != len(set(keys)):
        raise Refused("a name appears twice in one part")
    return dict(pairs)


def _no_constants(name):
    raise Refused(f"{name} is not a number")


def _text(value, what, limit, *, blank=False) -> str:
    if not isinstance(value, str):
        raise Refused(f"{what} is not text")
    value = value.strip()
    if not value and not blank:
        raise Refused(f"{what} is empty")
    if len(value) > limit:
        raise Refused(f"{what} is longer than {limit} characters")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn") for c in value):
        raise Refused(f"{what} holds characters that are not text")
    return value


def _generation(value, what) -> int:
    if type(value) is not int or not 0 <= value <= MAX_GENERATIONS:
        raise Refused(f"{what} is not a generation (a whole number from 0)")
    return value


def _part(value, keys, what) -> dict:
    if not isinstance(value, dict) or set(value) != keys:
        raise Refused(f"{what} does not have the expected parts")
    return value


def _read(data) -> GiftFile:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise Refused("it is not a gift file from Kefir Tracker")
    if data.get("version") != VERSION or type(data.get("version")) is not int:
        raise Refused("it is a version of the gift file this installation cannot read")
    if set(data) - {"format", "version", "made_at", "grains", "ancestors"}:
        raise Refused("it has parts a gift file does not have")
    grains = _part(data.get("grains"), GRAINS_KEYS, "its grains")
    kind = grains["kind"]
    if kind not in Kind.values:
        raise Refused("its grains are of no known kind")
    generation = _generation(grains["generation"], "the grains' generation")
    return GiftFile(
        name=_text(grains["name"], "the grains' name", NAME_LENGTH),
        kind=kind,
        given_by=_text(grains["given_by"], "who gave them", GIVER_LENGTH),
        generation=generation,
        ancestors=read_ancestors(data.get("ancestors"), generation),
    )


def read_ancestors(ancestors, generation: int) -> list[dict]:
    """A lineage snapshot from a file (a gift file, or a kitchen's export), as
    ReceivedLineage.ancestors keeps it: ancestors of grains of ``generation``, the first
    known first. Refused, saying why, for anything else."""
    if not isinstance(ancestors, list) or len(ancestors) > MAX_ANCESTORS:
        raise Refused(f"its ancestors are not a list of at most {MAX_ANCESTORS}")
    read, last = [], -1
    for number, ancestor in enumerate(ancestors, 1):
        ancestor = _part(ancestor, ANCESTOR_KEYS, f"ancestor {number}")
        at = _generation(ancestor["generation"], f"ancestor {number}'s generation")
        if not last < at < generation:
            raise Refused("its ancestors are not in order of generation, before the grains")
        last = at
        read.append(
            {
                "name": _text(ancestor["name"], f"ancestor {number}'s name", NAME_LENGTH),
                "generation": at,
                "origin": _text(
                    ancestor["origin"], f"ancestor {number}'s origin", ORIGIN_LENGTH, blank=True
                ),
            }
        )
    return read


def read_gift_file(uploaded) -> GiftFile:
    """The gift in an uploaded file; ValidationError (one sentence) for anything else."""
    if uploaded.size > MAX_BYTES:
        raise ValidationError(
            f"This file is too big for a gift file (at most {MAX_BYTES // 1024} KB)."
        )
    raw = uploaded.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError("This file is too big for a gift file.")
    try:
        data = json.loads(
            raw.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=_no_constants,
        )
        return _read(data)
    except UnicodeDecodeError:
        reason = "it is not text"
    except RecursionError:
        reason = "it is nested too deeply"
    except json.JSONDecodeError:
        reason = "it is not a JSON file"
    except Refused as refused:
        reason = str(refused)
    raise ValidationError(f"This is not a gift file we can read: {reason}. Nothing was saved.")


def import_gift_file(owner, gift: GiftFile, name: str = ""):
    """Grains in ``owner``'s account from a gift file, with its frozen ancestry."""
    return receive_grains(
        owner,
        name=name.strip() or gift.name,
        kind=gift.kind,
        given_by=gift.given_by,
        given_name=gift.name,
        given_generation=gift.generation,
        ancestors=gift.ancestors,
        via=ReceivedLineage.Via.FILE,
    )
