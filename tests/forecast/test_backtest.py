"""The ready-time model against the rule it replaced, replayed through `manage.py backtest`."""

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from kefir_tracker.demo import fill_with_demo_year
from tests.factories import make_culture, make_user
from tests.forecast.seasonal import kitchen_year

ROW = re.compile(r"^(?P<label>.+?)\s+(?P<batches>\d+)\s+(?P<model>[\d.]+)h\s+(?P<old>[\d.]+)h")


def backtest(username) -> dict[str, dict]:
    out = StringIO()
    call_command("backtest", username, stdout=out)
    rows = {}
    for line in out.getvalue().splitlines()[1:]:
        match = ROW.match(line)
        assert match, line
        rows[match["label"].strip()] = {
            "batches": int(match["batches"]),
            "model": float(match["model"]),
            "old": float(match["old"]),
        }
    return rows


@pytest.mark.django_db
def test_the_model_beats_the_old_rule_in_a_kitchen_whose_temperature_follows_the_seasons():
    owner = make_user("seasons")
    written = kitchen_year(owner)
    rows = backtest("seasons")
    kept = [batch for batch in written if not batch.discarded]
    assert rows["all"]["batches"] == len(kept)  # discarded batches are not replayed
    assert rows["all"]["model"] < 0.75 * rows["all"]["old"], rows
    for base in ("cow milk", "sugar water"):
        assert rows[base]["model"] < rows[base]["old"], rows


@pytest.mark.django_db
def test_the_model_beats_the_old_rule_on_the_demo_year():
    owner = make_user("demo-year")
    fill_with_demo_year(owner)
    rows = backtest("demo-year")
    assert rows["all"]["batches"] > 250
    assert rows["all"]["model"] < 0.75 * rows["all"]["old"], rows


@pytest.mark.django_db
def test_backtest_says_what_is_wrong_instead_of_failing():
    make_culture(make_user("newcomer"))
    with pytest.raises(CommandError, match="no strained batches"):
        call_command("backtest", "newcomer")
    with pytest.raises(CommandError, match="No user called 'nobody'"):
        call_command("backtest", "nobody")
