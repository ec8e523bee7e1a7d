"""The Insights page through HTTP: each chart's table shows what was saved (a demo year,
and small hand-made cases), months and weeks are the person's own, units are theirs,
someone else's batches never count, and an empty account gets the empty states."""

import re
import statistics
import zoneinfo
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Base, Batch, TastingNote
from kefir_tracker.demo import fill_with_demo_year
from kefir_tracker.grains.models import Kind
from kefir_tracker.units import show_volume
from tests.factories import make_batch, make_culture, make_tasting, make_user, make_weighing

URL = "/insights/"
NBSP = "\N{NO-BREAK SPACE}"


class Tables(HTMLParser):
    """Every table of the page as rows of cell texts, keyed by the id of the section."""

    def __init__(self):
        super().__init__()
        self.tables, self.section, self.row, self.cell = defaultdict(list), None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section":
            self.section = attrs.get("aria-labelledby")
        elif tag == "tr":
            self.row = []
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self.cell is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.tables[self.section].append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data.replace(NBSP, " "))


def tables_of(response):
    assert response.status_code == 200
    parser = Tables()
    parser.feed(response.content.decode())
    return parser.tables


def ml(text):
    """'1.5 L' -> 1500, '750 ml' -> 750, '—' -> 0."""
    if text == "—":
        return 0
    number, unit = text.split()
    return Decimal(number) * (1000 if unit == "L" else 1)


def text_of(response):
    html = response.content.decode().replace(NBSP, " ")
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def section(response, name):
    html = response.content.decode().replace(NBSP, " ")
    start = html.index(f'aria-labelledby="{name}-title"')
    return html[start : html.index("</section>", start)]


@pytest.fixture
def demo_owner(owner):
    fill_with_demo_year(owner)
    return owner


# ---- the demo year: each table matches what was saved ----


def test_the_ferment_table_counts_every_strained_batch_of_the_year_by_base(
    owner_client, demo_owner
):
    rows = tables_of(owner_client.get(URL))["ferment-title"]

    year_ago = timezone.now() - timedelta(days=366)
    saved = Batch.objects.filter(
        owner=demo_owner, strained_at__isnull=False, discarded=False, strained_at__gte=year_ago
    )
    by_base, base, shown = defaultdict(int), None, defaultdict(int)
    for batch in saved:
        by_base[Base(batch.base).label.capitalize()] += 1
    for row in rows[1:]:
        if len(row) == 1:
            base = row[0]
        else:
            shown[base] += int(row[1])
    assert dict(shown) == dict(by_base)
    assert set(shown) == {"Cow milk", "Goat milk", "Soy milk", "Coconut milk", "Sugar water"}


def test_the_ferment_table_gives_the_middle_hours_of_each_temperature_band(
    owner_client, demo_owner
):
    rows = tables_of(owner_client.get(URL))["ferment-title"]
    cow = rows[rows.index(["Cow milk"]) + 1 :]
    room, count, took, _ = cow[0]
    low = int(room.split("–")[0])
    hours = sorted(
        (b.strained_at - b.started_at).total_seconds() / 3600
        for b in Batch.objects.filter(
            owner=demo_owner,
            base=Base.COW,
            discarded=False,
            strained_at__gte=timezone.now() - timedelta(days=366),
            room_temp_c__gte=low,
            room_temp_c__lt=low + 2,
        )
    )
    assert int(count) == len(hours)
    assert took.startswith(f"{round(statistics.median(hours))} h")
    assert took.endswith(f"({round(hours[0])}–{round(hours[-1])})")


def test_the_rating_tables_show_the_mean_and_count_of_the_tasting_notes(owner_client, demo_owner):
    tables = tables_of(owner_client.get(URL))
    rows = tables["ratings-title"]
    notes = TastingNote.objects.filter(batch__owner=demo_owner).select_related("batch__culture")
    by_base, by_grains = defaultdict(list), defaultdict(list)
    for note in notes:
        by_base[Base(note.batch.base).label.capitalize()].append(note.rating)
        by_grains[note.batch.culture.name].append(note.rating)
    expected = {
        name: [f"{statistics.mean(ratings):.1f}", str(len(ratings))]
        for group in (by_base, by_grains)
        for name, ratings in group.items()
    }
    shown = {row[0]: row[1:] for row in rows if row[0] not in {"Base", "Grains"}}
    assert shown == expected
    means = [float(row[1]) for row in rows if row[0] in by_base]
    assert means == sorted(means, reverse=True), "best first"


def test_the_month_table_sums_the_kefir_strained_in_each_month(owner_client, demo_owner):
    rows = tables_of(owner_client.get(URL))["volume-title"][1:]

    assert len(rows) == 12
    today = timezone.localdate()
    assert rows[-1][0] == f"{today:%b %Y}"
    sums = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for batch in Batch.objects.filter(owner=demo_owner, strained_at__isnull=False, discarded=False):
        key = f"{timezone.localtime(batch.strained_at):%b %Y}"
        sums[key][batch.base == Base.WATER] += batch.volume_ml
    for month, milk, water in rows:
        expected_milk, expected_water = sums[month]
        assert milk == (show_volume(expected_milk, "ml") if expected_milk else "—"), month
        assert water == (show_volume(expected_water, "ml") if expected_water else "—"), month


def test_the_growth_table_has_the_last_eight_weeks_of_the_grains_in_use(owner_client, demo_owner):
    response = owner_client.get(URL)
    rows = tables_of(response)["growth-title"]
    names = [row[0].split(":")[0] for row in rows if len(row) == 1]

    assert names == ["Little B", "Tibicos B"]  # the others rest in the fridge
    weeks = [row for row in rows if len(row) == 2][1:]  # after the header
    assert len(weeks) == 16
    this_monday = timezone.localdate() - timedelta(days=timezone.localdate().weekday())
    assert weeks[7][0] == (this_monday - timedelta(weeks=1)).strftime("%-d %b")
    for _, growth in weeks:
        assert re.fullmatch(r"[+-]\d+ %", growth), growth
    assert "Guides say 10–20 % a week is healthy." in text_of(response)


def test_the_tab_bar_has_insights_marked_as_the_current_page(owner_client, demo_owner):
    html = owner_client.get(URL).content.decode()
    nav = html[html.index('<nav class="tab-bar"') : html.index("</nav>")]
    assert re.search(r'href="/insights/" aria-current="page"', nav)
    assert "Insights" in nav
    today_nav = owner_client.get(reverse("batches:today")).content.decode()
    assert 'href="/insights/"' in today_nav


# ---- small hand-made cases ----


def strained(culture, hours, celsius, *, days_ago=3, **fields):
    started = timezone.now() - timedelta(days=days_ago, hours=hours)
    return make_batch(
        culture,
        started_at=started,
        strained_at=started + timedelta(hours=hours),
        room_temp_c=None if celsius is None else Decimal(str(celsius)),
        **fields,
    )


def test_an_empty_account_sees_every_empty_state(owner_client):
    response = owner_client.get(URL)
    text = text_of(response)

    assert "<svg viewBox" not in response.content.decode().split("<main")[1]
    assert "Strain a few batches with the room temperature noted" in text
    assert "Rate your batches when you taste them" in text
    assert "Nothing strained in the last 12 months yet" in text
    assert "Weigh your grains once a week" in text


def test_signed_out_the_page_asks_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert "next=/insights/" in response.url


def test_other_peoples_batches_tastings_and_weighings_never_count(owner_client, owner):
    mine = make_culture(owner, "Mine")
    for day in range(3):
        batch = strained(mine, 20, 22, days_ago=day + 1)
    make_tasting(batch, rating=2)
    mallory = make_user("mallory")
    theirs = make_culture(mallory, "Theirs")
    for day in range(20):
        their_batch = strained(theirs, 40, 30, days_ago=day + 1, volume_ml=Decimal(5000))
        make_tasting(their_batch, rating=5)
    make_weighing(theirs, 10, weighed_at=timezone.now() - timedelta(days=20))
    make_weighing(theirs, 30, weighed_at=timezone.now() - timedelta(days=10))

    response = owner_client.get(URL)
    tables = tables_of(response)
    text = text_of(response)

    assert [row[:3] for row in tables["ferment-title"][1:]] == [
        ["Cow milk"],
        ["22–24 °C", "3", "20 h"],
    ]
    assert [row for row in tables["ratings-title"] if row[0] in {"Cow milk", "Mine"}] == [
        ["Cow milk", "2.0", "1"],
        ["Mine", "2.0", "1"],
    ]
    assert "Theirs" not in text
    assert sum(ml(milk) for _, milk, _ in tables["volume-title"][1:]) == 1500  # none of their 5 L
    assert "Weigh your grains once a week" in text


def test_discarded_batches_and_batches_without_a_temperature_are_left_out(owner_client, owner):
    culture = make_culture(owner)
    for day in range(3):
        strained(culture, 18, 24, days_ago=day + 1)
    strained(culture, 70, 24, days_ago=6, discarded=True, discard_reason="mould")
    strained(culture, 30, None, days_ago=8)
    strained(culture, 30, None, days_ago=9)

    response = owner_client.get(URL)
    rows = tables_of(response)["ferment-title"][1:]

    assert rows[1][:3] == ["24–26 °C", "3", "18 h"]
    assert len(rows) == 2
    assert "2 without a room temperature are left out." in text_of(response)


def test_a_forgotten_jar_sits_on_the_top_edge_and_is_said_so(owner_client, owner):
    culture = make_culture(owner)
    for day in range(20):
        strained(culture, 18 + day % 5, 20 + day % 6, days_ago=day + 1)
    strained(culture, 71, 21, days_ago=25)

    response = owner_client.get(URL)
    note = section(response, "ferment")

    top = int(re.search(r"took longer than (\d+) h", note).group(1))
    assert 22 < top < 71, "the axis stops well below the forgotten jar"
    assert "1 took longer than" in note
    assert "(the longest 71 h) and sit on the top edge" in note
    ticks = [int(t) for t in re.findall(r'class="chart-tick"[^>]*>(\d+) h<', note)]
    assert max(ticks) == top


def test_temperatures_are_in_fahrenheit_for_a_person_who_prefers_it(owner_client, owner):
    owner.temperature_unit = "F"
    owner.save()
    culture = make_culture(owner)
    for day in range(4):
        strained(culture, 20, 22, days_ago=day + 1)  # 71.6 °F

    response = owner_client.get(URL)
    rows = tables_of(response)["ferment-title"][1:]
    chart = section(response, "ferment")

    assert rows[1][:2] == ["68–72 °F", "4"]
    assert "°C" not in chart
    assert re.search(r">7\d °F<", chart)


def test_volumes_are_in_cups_for_a_person_who_prefers_them(owner_client, owner):
    owner.volume_unit = "cup"
    owner.save()
    culture = make_culture(owner)
    strained(culture, 20, 22, days_ago=1, volume_ml=Decimal("473.2"))

    response = owner_client.get(URL)
    months = tables_of(response)["volume-title"][1:]
    chart = section(response, "volume")

    assert months[-1][1] == "2 cups"
    assert re.search(r">\d+(\.\d+)? cups<", chart)
    assert " L<" not in chart


def test_months_are_the_persons_own(owner_client, owner):
    """Strained at 23:30 on the last evening of a month in New York is that month there,
    though it is already the next month in UTC."""
    owner.time_zone = "America/New_York"
    owner.save()
    zone = zoneinfo.ZoneInfo("America/New_York")
    today = timezone.now().astimezone(zone).date()
    first = today.replace(day=1)
    last_evening = datetime.combine(first - timedelta(days=1), datetime.min.time(), zone)
    strained_at = last_evening + timedelta(hours=23, minutes=30)
    culture = make_culture(owner)
    make_batch(
        culture,
        started_at=strained_at - timedelta(hours=20),
        strained_at=strained_at,
        volume_ml=Decimal(700),
    )

    months = tables_of(owner_client.get(URL))["volume-title"][1:]

    assert strained_at.astimezone(zoneinfo.ZoneInfo("UTC")).month == first.month
    assert months[-2] == [f"{first - timedelta(days=1):%b %Y}", "700 ml", "—"]
    assert months[-1][1:] == ["—", "—"]


def test_water_and_milk_kefir_are_summed_apart(owner_client, owner):
    milk = make_culture(owner)
    water = make_culture(owner, "Tibicos", kind=Kind.WATER)
    batches = [
        strained(milk, 20, 22, days_ago=1, volume_ml=Decimal(500)),
        strained(milk, 20, 22, days_ago=2, volume_ml=Decimal(750)),
        strained(water, 48, 22, days_ago=4),
    ]
    expected = defaultdict(lambda: [0, 0])
    for batch in batches:
        month = f"{timezone.localtime(batch.strained_at):%b %Y}"
        expected[month][batch.base == Base.WATER] += int(batch.volume_ml)

    months = tables_of(owner_client.get(URL))["volume-title"][1:]

    shown = {
        month: [ml(milk), ml(water)] for month, milk, water in months if (milk, water) != ("—", "—")
    }
    assert shown == dict(expected)


def test_growth_per_week_counts_growth_and_leaves_a_split_out(owner_client, owner):
    culture = make_culture(owner, "Babushka")
    today = timezone.localdate()
    last_monday = today - timedelta(days=today.weekday(), weeks=1)
    midnight = timezone.make_aware(datetime.combine(last_monday, datetime.min.time()))

    def weighed(grams, days):
        make_weighing(culture, grams, weighed_at=midnight + timedelta(days=days, hours=12))

    weighed(20, -7)  # the week before last: a first weight, nothing to compare yet
    weighed(22, 0)  # +10 % in 7 days
    weighed(11, 3.5)  # split in two: grains taken off, not a loss
    weighed(11.4, 6)  # +3.6 % in 2.5 days: with the 7 days before, 10 % a week

    response = owner_client.get(URL)
    rows = tables_of(response)["growth-title"]
    weeks = {row[0]: row[1] for row in rows[1:] if len(row) == 2}

    assert rows[1] == ["Babushka: +10 % a week overall"]
    assert weeks[last_monday.strftime("%-d %b")] == "+10 %"
    assert weeks[(last_monday - timedelta(weeks=1)).strftime("%-d %b")] == "not measured"
    assert len(weeks) == 8
    assert "Babushka about 10 % a week (healthy)" in text_of(response)


def test_the_takeaway_reads_the_models_hours_for_a_cool_and_a_warm_day(owner_client, owner):
    culture = make_culture(owner)
    for day in range(10):
        strained(culture, 30 - day, 18 + day, days_ago=day + 1)

    text = text_of(owner_client.get(URL))

    found = re.search(
        r"Warmer days ferment faster: cow milk takes about (\d+) h at (\d+) °C, (\d+) h at (\d+) °C\.",
        text,
    )
    assert found, text[:2000]
    warm_hours, warm, cool_hours, cool = map(int, found.groups())
    assert warm > cool
    assert warm_hours < cool_hours
