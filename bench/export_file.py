#!/usr/bin/env python3
"""Write a Kefir Tracker export of N batches, for timing the import by hand:
`python3 bench/export_file.py 10000 /tmp/kefir-10k.json`.

A household's years of it: 24 grains (four lineages, two of water kefir), a batch
every 4.4 hours ending now (each jar fermenting its newest), tasting notes for
seven in ten, weekly weighings. Needs nothing but Python; the same N gives the
same file, up to the moment it is written.
"""

import json
import random
import sys
from datetime import UTC, datetime, timedelta

CULTURES = 24
WORDS = ["thick", "tangy", "smooth", "sour", "mild", "fizzy", "creamy", "yeasty", "sweet", "honey"]


def sentence(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize() + "."


def export(batches: int) -> dict:
    rng = random.Random(batches)
    now = datetime.now(UTC).replace(microsecond=0)
    first = now - timedelta(hours=4.4 * batches + 24 * 30)
    cultures = []
    for n in range(CULTURES):
        parent = n if n % 6 else None  # lineages of six: each split from the one before
        cultures.append(
            {
                "ref": n + 1,
                "parent": parent,
                "name": f"Grains {n + 1:02d}",
                "kind": "water" if n >= 18 else "milk",
                "origin": "split" if parent else "bought",
                "source": "",
                "acquired_on": first.date().isoformat(),
                "status": "active",
                "status_changed_at": first.isoformat(),
                "rest_milk_changed_at": None,
                "given_to": "",
                "notes": "",
            }
        )
    weighings = [
        {
            "culture": c["ref"],
            "weighed_on": (now - timedelta(days=7 * w)).date().isoformat(),
            "grams": f"{20 + w % 30}.5",
        }
        for c in cultures
        for w in range(min(52 * 15, batches // 50))
    ]
    rows, tastings, numbers = [], [], {}
    for n in range(batches):
        culture = cultures[n % CULTURES]
        water = culture["kind"] == "water"
        started = now - timedelta(hours=4.4 * (batches - n), minutes=rng.randint(0, 60))
        fermenting = n >= batches - CULTURES
        strained = None if fermenting else started + timedelta(hours=rng.uniform(12, 40))
        numbers[culture["ref"]] = numbers.get(culture["ref"], 0) + 1
        rows.append(
            {
                "ref": n + 1,
                "culture": culture["ref"],
                "number": numbers[culture["ref"]],
                "base": "water" if water else rng.choice(["cow", "cow", "goat", "soy", "coconut"]),
                "volume_ml": f"{rng.choice([250, 500, 750, 1000])}.0",
                "grains_in_g": f"{rng.randint(10, 40)}.0",
                "sugar_g": "50.0" if water else None,
                "started_at": started.isoformat(),
                "strained_at": strained and strained.isoformat(),
                "room_temp_c": f"{rng.randint(180, 280) / 10}",
                "grains_out_g": None,
                "flavourings": "",
                "bottled_at": None,
                "finished_at": None,
                "discarded": False,
                "discarded_at": None,
                "discard_reason": "",
                "notes": sentence(rng) if rng.random() < 0.6 else "",
            }
        )
        if strained and rng.random() < 0.7:
            tastings.append(
                {
                    "batch": n + 1,
                    "tasted_at": (strained + timedelta(hours=1)).isoformat(),
                    "rating": rng.randint(1, 5),
                    "sourness": rng.randint(1, 5),
                    "fizz": None,
                    "thickness": None,
                    "notes": sentence(rng),
                }
            )
    return {
        "format": "kefir-tracker",
        "version": 1,
        "preferences": {"time_zone": "Europe/Warsaw", "temperature_unit": "C", "volume_unit": "ml"},
        "cultures": cultures,
        "weighings": weighings,
        "batches": rows,
        "tasting_notes": tastings,
    }


if __name__ == "__main__":
    count, target = int(sys.argv[1]), sys.argv[2]
    with open(target, "w", encoding="utf-8") as out:
        json.dump(export(count), out, indent=1)
