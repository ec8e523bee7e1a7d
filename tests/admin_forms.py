"""What the Django admin's change forms post for a batch and for grains, as stored,
with ``changes`` on top."""


def admin_batch_data(batch, **changes):
    return {
        "owner": batch.owner_id,
        "culture": batch.culture_id,
        "base": batch.base,
        "volume_ml": str(batch.volume_ml),
        "grains_in_g": str(batch.grains_in_g),
        "room_temp_c": str(batch.room_temp_c),
        "started_at_0": batch.started_at.date().isoformat(),
        "started_at_1": batch.started_at.strftime("%H:%M:%S"),
        "tasting_notes-TOTAL_FORMS": "0",
        "tasting_notes-INITIAL_FORMS": "0",
        "tasting_notes-MIN_NUM_FORMS": "0",
        "tasting_notes-MAX_NUM_FORMS": "1000",
        **changes,
    }


def admin_culture_data(culture, **changes):
    return {
        "owner": culture.owner_id,
        "name": culture.name,
        "kind": culture.kind,
        "parent": "",
        "origin": culture.origin,
        "source": culture.source,
        "acquired_on": culture.acquired_on.isoformat(),
        "status": culture.status,
        "status_changed_at_0": culture.status_changed_at.date().isoformat(),
        "status_changed_at_1": culture.status_changed_at.strftime("%H:%M:%S"),
        "given_to": "",
        "notes": "",
        "weighings-TOTAL_FORMS": "0",
        "weighings-INITIAL_FORMS": "0",
        "weighings-MIN_NUM_FORMS": "0",
        "weighings-MAX_NUM_FORMS": "1000",
        **changes,
    }
