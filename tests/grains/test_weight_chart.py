"""The culture page's weight: the chart in time order, grams in and out of batches
counted as weights, the table of weights, labels clear of the points, the weigh form's time."""

import re
import xml.etree.ElementTree as ET
import zoneinfo
from datetime import datetime, timedelta
from decimal import Decimal
from itertools import pairwise

from django.urls import reverse
from django.utils import timezone

from kefir_tracker.grains.models import Culture
from kefir_tracker.templating import moment
from tests.factories import make_batch, make_culture, make_weighing

# Text boxes at 10 px, measured generously from DejaVu Sans (the widest of the usual
# phone fonts): digits and "g" 0.64 em wide, 0.76 em above the baseline, "g" 0.24 below.
CHAR_WIDTH, ASCENT, DESCENT = 6.4, 7.6, 2.4


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def svg_of(response):
    html = response.content.decode()
    return ET.fromstring(html[html.index("<svg ") : html.index("</svg>") + len("</svg>")])


def dots(svg):
    """(cx, cy, r, title) of each point, in the order drawn."""
    return [
        (float(c.get("cx")), float(c.get("cy")), float(c.get("r")), c.find("title").text)
        for c in svg.iter("circle")
    ]


def text_boxes(svg):
    boxes = []
    for text in svg.iter("text"):
        x, y, width = float(text.get("x")), float(text.get("y")), len(text.text) * CHAR_WIDTH
        left = {"start": x, "middle": x - width / 2, "end": x - width}[text.get("text-anchor")]
        boxes.append((text.text, (left, y - ASCENT, left + width, y + DESCENT)))
    return boxes


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def table_rows(html):
    table = html[html.index('<details class="weight-table">') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r'<tr class="weight-row">(.*?)</tr>', table, re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in row.split("</td>")[:-1]] for row in rows
    ]


def test_a_split_weighed_after_todays_batches_is_drawn_after_them(owner_client, culture):
    make_batch(culture, started_at=ago(hours=30), strained_at=ago(hours=8), grains_out_g=60)
    make_batch(culture, started_at=ago(minutes=40), grains_in_g=Decimal(60))
    owner_client.post(
        reverse("grains:split", args=[culture.pk]),
        {"total_g": "60", "name_1": "Anna's jar", "grams_1": "36"},
    )

    svg = svg_of(owner_client.get(culture.get_absolute_url()))

    points = dots(svg)
    xs = [x for x, _, _, _ in points]
    assert xs == sorted(xs), "the line steps back in time"
    line = [tuple(map(float, p.split(","))) for p in svg.find("polyline").get("points").split()]
    assert all(b[0] >= a[0] for a, b in pairwise(line))
    assert [title.split(",")[0] for *_, title in points] == ["25 g", "60 g", "60 g", "24 g"]
    assert points[-1][3].endswith("weighed")


def test_grams_put_into_a_batch_are_the_weight_of_grains_never_weighed(owner_client, culture):
    make_batch(culture, started_at=ago(hours=3), grains_in_g=Decimal(40))

    page = owner_client.get(culture.get_absolute_url()).text
    grains_list = owner_client.get(reverse("grains:list")).text

    assert "<dt>Weight</dt><dd>40 g</dd>" in page
    assert "not weighed" not in page
    assert "<dt>Weight</dt><dd>40 g</dd>" in grains_list


def test_the_latest_of_weighing_grains_in_and_grains_out_is_the_weight(owner_client, culture):
    make_batch(culture, started_at=ago(days=3), strained_at=ago(days=2), grains_out_g=55)
    make_weighing(culture, 70, weighed_at=ago(days=1))
    make_batch(culture, started_at=ago(hours=5), grains_in_g=Decimal(35))  # ate the rest

    page = owner_client.get(culture.get_absolute_url()).text

    assert "<dt>Weight</dt><dd>35 g</dd>" in page
    weighed_after = make_weighing(culture, 36.5)
    assert weighed_after.weighed_at > ago(minutes=1)
    assert "<dt>Weight</dt><dd>36.5 g</dd>" in owner_client.get(culture.get_absolute_url()).text


def test_the_table_lists_each_weight_with_its_time_newest_first(owner_client, culture, owner):
    owner.time_zone = "Asia/Tokyo"
    owner.save()
    weighed = ago(days=4)
    make_weighing(culture, 31.5, weighed_at=weighed)
    batch = make_batch(
        culture, started_at=ago(days=3), strained_at=ago(days=2), grains_in_g=31.5, grains_out_g=33
    )

    response = owner_client.get(culture.get_absolute_url())

    timezone.activate(zoneinfo.ZoneInfo("Asia/Tokyo"))
    try:
        expected = [
            [moment(batch.strained_at), "33 g", f"out of batch {batch.number}"],
            [moment(batch.started_at), "31.5 g", f"into batch {batch.number}"],
            [moment(weighed), "31.5 g", "weighed"],
        ]
    finally:
        timezone.deactivate()
    assert table_rows(response.text) == expected
    assert f'href="{batch.get_absolute_url()}">out of batch {batch.number}</a>' in response.text


def test_a_single_weighing_is_in_the_table_though_there_is_no_line_yet(owner_client, culture):
    make_weighing(culture, 25, weighed_at=ago(hours=2))

    response = owner_client.get(culture.get_absolute_url())

    assert "<svg viewBox" not in response.text
    assert [row[1:] for row in table_rows(response.text)] == [["25 g", "weighed"]]


def test_labels_cover_no_point_and_no_other_label(owner_client, owner):
    # The first weight equal to an axis tick (it used to sit on "20 g"), a dense run of
    # batches, a split, and a last point at the top right where labels crowd.
    shapes = {
        "on a tick": [(20, 60), (22, 40), (24, 20)],
        "dense": [(20 + n * 0.4, 80 - n) for n in range(80)],
        "split": [(200, 50), (210, 30), (60, 20), (62, 10), (70, 1)],
        "heavy": [(1500, 30), (1900, 1)],
        "flat": [(30, 70), (30, 1)],
    }
    for name, weights in shapes.items():
        culture = make_culture(owner, name)
        for grams, days in weights:
            make_weighing(culture, grams, weighed_at=ago(days=days))
        svg = svg_of(owner_client.get(culture.get_absolute_url()))
        texts = text_boxes(svg)
        values = [box for text, box in texts if text.endswith(" g")]
        assert values, name
        for text, box in texts:
            for x, y, r, title in dots(svg):
                reach = r + 1  # the outline
                assert not overlap(box, (x - reach, y - reach, x + reach, y + reach)), (
                    name,
                    text,
                    title,
                )
            assert box[0] >= 0, (name, text)
            assert box[2] <= 340, (name, text)
        for i, (a, box_a) in enumerate(texts):
            for b, box_b in texts[i + 1 :]:
                assert not overlap(box_a, box_b), (name, a, b)


def test_the_first_and_latest_weights_are_written_on_the_chart(owner_client, culture):
    make_weighing(culture, 18, weighed_at=ago(days=20))
    make_weighing(culture, 23.4, weighed_at=ago(days=1))

    svg = svg_of(owner_client.get(culture.get_absolute_url()))

    values = [t.text for t in svg.iter("text") if t.get("class") == "chart-value"]
    assert values == ["18 g", "23.4 g"]


def test_the_growth_band_starts_again_from_the_weight_after_a_split(owner_client, culture):
    make_weighing(culture, 30, weighed_at=ago(days=40))
    make_weighing(culture, 45, weighed_at=ago(days=15))
    make_weighing(culture, 15, weighed_at=ago(days=15, minutes=-5))  # split: 30 g went away
    make_weighing(culture, 18, weighed_at=ago(days=2))

    svg = svg_of(owner_client.get(culture.get_absolute_url()))

    points = dots(svg)
    bands = [
        [tuple(map(float, p.split(","))) for p in band.get("points").split()]
        for band in svg.iter("polygon")
    ]
    assert len(bands) == 2
    first, split = points[0], points[2]
    assert bands[0][0] == (first[0], first[1])
    assert bands[1][0] == (split[0], split[1])
    # After the split the band spans the fortnight since, up to today, not a sliver.
    assert max(x for x, _ in bands[1]) - split[0] > 0.1 * 340
    assert max(x for x, _ in bands[0]) <= split[0]


def test_the_weigh_form_offers_now_in_the_persons_zone_and_saves_the_time_typed(
    owner_client, culture, owner
):
    owner.time_zone = "America/New_York"
    owner.save()
    new_york = zoneinfo.ZoneInfo("America/New_York")

    form = owner_client.get(f"{culture.get_absolute_url()}?form=weigh").text
    now_there = timezone.localtime(timezone.now(), new_york)
    offered = re.search(r'name="weighed_at" value="([^"]+)"', form).group(1)
    assert abs(datetime.fromisoformat(offered).replace(tzinfo=new_york) - now_there) < timedelta(
        minutes=2
    )

    yesterday = (now_there - timedelta(days=1)).replace(hour=7, minute=30, second=0, microsecond=0)
    response = owner_client.post(
        reverse("grains:weigh", args=[culture.pk]),
        {"grams": "31.5", "weighed_at": f"{yesterday:%Y-%m-%dT%H:%M}"},
    )

    assert response.status_code == 302
    assert culture.weighings.get().weighed_at == yesterday
    page = owner_client.get(culture.get_absolute_url()).text
    timezone.activate(new_york)
    try:
        assert [row[0] for row in table_rows(page)] == [moment(yesterday)]
        assert moment(yesterday).endswith(", 07:30")
    finally:
        timezone.deactivate()


def test_a_weighing_without_a_time_is_now(owner_client, culture):
    before = timezone.now()
    owner_client.post(reverse("grains:weigh", args=[culture.pk]), {"grams": "30", "weighed_at": ""})
    weighed = Culture.objects.get(pk=culture.pk).weighings.get().weighed_at
    assert before - timedelta(seconds=1) <= weighed <= timezone.now()
