"""Property: whatever a person logged, export → import → export gives the same file."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kefir_tracker.archive.exchange import export_data
from kefir_tracker.archive.importing import import_data
from kefir_tracker.batches.models import Base
from tests.factories import make_batch, make_culture, make_tasting, make_user, make_weighing

people = count()
text = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=60)
decimal = st.decimals(min_value=Decimal("0.1"), max_value=Decimal("999.9"), places=1)
# Up to a few days ago: what is logged has happened (the forms, and the import, refuse
# times in the future), strained up to 96 hours later.
moments = st.datetimes(
    min_value=datetime(2001, 1, 1),
    max_value=datetime.now() - timedelta(days=5),
    timezones=st.just(UTC),
)
batch = st.fixed_dictionaries(
    {
        "base": st.sampled_from([Base.COW, Base.GOAT, Base.SOY, Base.COCONUT]),
        "volume_ml": decimal,
        "grains_in_g": decimal,
        "room_temp_c": st.none() | st.decimals(min_value=-10, max_value=50, places=1),
        "started_at": moments,
        "hours": st.none() | st.integers(0, 96),
        "notes": text,
        "rating": st.none() | st.integers(1, 5),
    }
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    names=st.lists(
        st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=30)
        .map(str.strip)
        .filter(bool),
        min_size=1,
        max_size=4,
        unique_by=str.lower,
    ),
    batches=st.lists(batch, max_size=6),
    grams=st.lists(decimal, max_size=3),
)
def test_export_import_export_is_identical(db, names, batches, grams):
    owner = make_user(f"owner{next(people)}")
    cultures, parent = [], None
    for name in names:
        parent = make_culture(owner, name, parent=parent, notes=name * 2)
        cultures.append(parent)
    for n, fields in enumerate(batches):
        hours, rating = fields.pop("hours"), fields.pop("rating")
        if hours is not None:  # else fermenting, or strained if its grains ferment one already
            fields["strained_at"] = fields["started_at"] + timedelta(hours=hours)
        made = make_batch(cultures[n % len(cultures)], **fields)
        strained = made.strained_at
        if rating and strained:
            make_tasting(made, rating=rating, notes=fields["notes"])
    for g in grams:
        make_weighing(cultures[0], g)

    first = export_data(owner)
    twin = make_user(f"twin{next(people)}")
    import_data(twin, first)

    assert export_data(twin) == first
