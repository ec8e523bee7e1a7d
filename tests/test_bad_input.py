"""Every form of the app, every field, every kind of bad input: a clear message or a 400,
never a 500, and nothing half-saved.

The fields come from the forms themselves (tests/bad_input.py classifies them),
so a field added later is tried too. Each value is posted as a plain form and as
an htmx request, inside a savepoint that is rolled back, so one accepted value
does not change the next one's starting point.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.accounts.forms import PreferencesForm, SignUpForm
from kefir_tracker.batches.forms import (
    BottleForm,
    DiscardForm,
    EditBatchForm,
    FinishForm,
    StartBatchForm,
    StrainForm,
    TastingForm,
)
from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.forms import (
    CultureEditForm,
    CultureForm,
    GiveAwayForm,
    SplitForm,
    StatusForm,
    WeighForm,
)
from kefir_tracker.grains.models import Culture
from tests.bad_input import (
    HUGE_TEXT,
    SCRIPT,
    VALUES,
    invalid_rows,
    kind_of,
    must_refuse,
    shows_an_error,
    snapshot,
)
from tests.factories import PASSWORD, make_batch, make_culture, make_user, make_weighing

HTMX = {"HTTP_HX_REQUEST": "true"}


def local_minute(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _batch(owner, **times):
    now = timezone.now()
    return make_batch(
        make_culture(owner, "Babushka"), started_at=now - timedelta(hours=30), **times
    )


def _strained(owner):
    return _batch(owner, strained_at=timezone.now() - timedelta(hours=6))


def _bottled(owner):
    now = timezone.now()
    return _batch(owner, strained_at=now - timedelta(hours=6), bottled_at=now - timedelta(hours=3))


# Each form: how to get (url, a valid post, the unbound form whose fields are tried).


def start_milk(owner):
    culture = make_culture(owner, "Babushka")
    valid = {"base": "cow", "volume_ml": "500", "grains_in_g": "25"}
    return (
        reverse("batches:start", args=[culture.pk]),
        valid,
        StartBatchForm(culture=culture, user=owner),
    )


def start_water(owner):
    culture = make_culture(owner, "Tibicos", kind="water")
    valid = {"base": "water", "volume_ml": "1000", "grains_in_g": "50", "sugar_g": "60"}
    return (
        reverse("batches:start", args=[culture.pk]),
        valid,
        StartBatchForm(culture=culture, user=owner),
    )


def batch_action(form_class, make, valid):
    def setup(owner):
        batch = make(owner)
        url = reverse(form_class.url_name, args=[batch.pk])
        return url, valid, form_class(batch=batch, user=owner)

    return setup


def edit_batch(owner):
    batch = _strained(owner)
    valid = {
        "base": "cow",
        "volume_ml": "500",
        "grains_in_g": "25",
        "room_temp_c": "22",
        "started_at": local_minute(batch.started_at),
        "strained_at": local_minute(batch.strained_at),
    }
    return reverse("batches:edit", args=[batch.pk]), valid, EditBatchForm(batch=batch, user=owner)


def culture_create(owner):
    valid = {
        "name": "Tibicos",
        "kind": "water",
        "origin": "gift",
        "source": "Anna",
        "acquired_on": timezone.localdate().isoformat(),
    }
    return reverse("grains:create"), valid, CultureForm(owner=owner)


def culture_edit(owner):
    culture = make_culture(owner, "Babushka")
    valid = {
        "name": "Babushka",
        "origin": "unknown",
        "acquired_on": culture.acquired_on.isoformat(),
    }
    url = reverse("grains:edit", args=[culture.pk])
    return url, valid, CultureEditForm(instance=culture, owner=owner)


def culture_weigh(owner):
    culture = make_culture(owner, "Babushka")
    valid = {"grams": "30", "weighed_at": f"{timezone.localtime():%Y-%m-%dT%H:%M}"}
    return reverse("grains:weigh", args=[culture.pk]), valid, WeighForm()


def culture_split(owner):
    culture = make_culture(owner, "Babushka")
    make_weighing(culture, 100)
    annotated = Culture.objects.with_lineage(owner).with_stats().get(pk=culture.pk)
    valid = {
        "total_g": "100",
        "name_1": "Left",
        "grams_1": "40",
        "name_2": "Right",
        "grams_2": "40",
    }
    return reverse("grains:split", args=[culture.pk]), valid, SplitForm(culture=annotated)


def culture_status(owner):
    culture = make_culture(owner, "Babushka")
    return reverse("grains:status", args=[culture.pk]), {"status": "resting"}, StatusForm()


def culture_give_away(owner):
    culture = make_culture(owner, "Babushka")
    return reverse("grains:give_away", args=[culture.pk]), {"given_to": "Anna"}, GiveAwayForm()


def preferences(owner):
    valid = {
        "time_zone": "Europe/Berlin",
        "clock_hours": "12",
        "date_order": "md",
        "temperature_unit": "F",
        "volume_unit": "cup",
    }
    return reverse("accounts:account"), valid, PreferencesForm(instance=owner)


def password_change(owner):
    new = "a-new-kefir-password-2026"
    valid = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    return reverse("accounts:password_change"), valid, PasswordChangeForm(owner)


def sign_up(owner):
    valid = {"username": "newcomer", "password1": PASSWORD, "password2": PASSWORD}
    return reverse("accounts:sign_up"), valid, SignUpForm()


FORMS = {
    "start milk batch": start_milk,
    "start water batch": start_water,
    "strain": batch_action(StrainForm, _batch, {}),
    "bottle": batch_action(BottleForm, _strained, {}),
    "finish second ferment": batch_action(FinishForm, _bottled, {}),
    "taste": batch_action(TastingForm, _strained, {"rating": "4"}),
    "discard": batch_action(DiscardForm, _batch, {"reason": "mould"}),
    "edit batch": edit_batch,
    "add grains": culture_create,
    "edit grains": culture_edit,
    "weigh grains": culture_weigh,
    "split grains": culture_split,
    "change grains status": culture_status,
    "give grains away": culture_give_away,
    "account preferences": preferences,
    "password change": password_change,
}
SIGNED_OUT_FORMS = {"sign up": sign_up}


def post_every_bad_value(client, owner, url, valid, form):
    """Post ``valid`` with one field at a time replaced by each bad value; return what went wrong.

    Every value goes in as a plain post; the first two that must be refused also as an
    htmx request (the same validation, answered with a fragment).
    """
    failures = []
    for name, field in form.fields.items():
        kind = kind_of(field)
        if kind is None:
            continue
        htmx_left = 2
        for value in VALUES[kind]:
            refuse = must_refuse(field, value)
            htmx_left -= refuse
            for headers in ({}, HTMX) if refuse and htmx_left >= 0 else ({},):
                label = f"{name}={value[:40]!r}{' (htmx)' if headers else ''}"
                with transaction.atomic():
                    found, status = post_one(client, url, {**valid, name: value}, headers, refuse)
                    transaction.set_rollback(True)
                failures += [f"{label}: {problem}" for problem in found]
                if owner is not None and status == 302:
                    # A rolled-back success (a password change) may have ended the session.
                    client.force_login(owner)
    return failures


def post_one(client, url, data, headers, refuse):
    """(what went wrong, status) for one post."""
    before = snapshot()
    try:
        response = client.post(url, data, **headers)
    except Exception as error:  # the test client re-raises what would be a 500
        return [f"server error {error!r}"], 500
    status = response.status_code
    if status >= 500:
        return [f"status {status}"], status
    saved = snapshot() != before
    if refuse and saved:
        return [f"accepted (status {status}), should be refused"], status
    if refuse and not shows_an_error(response):
        return ["refused, but no message says why"], status
    if saved:
        return [f"saved a row that breaks a rule: {p}" for p in invalid_rows()], status
    return [], status


@pytest.mark.parametrize("form_name", FORMS)
def test_every_field_of_every_form_refuses_bad_input_without_a_crash(client, owner, form_name):
    url, valid, form = FORMS[form_name](owner)
    client.force_login(owner)
    with transaction.atomic():
        assert client.post(url, valid).status_code == 302, "the valid post itself is refused"
        transaction.set_rollback(True)
    client.force_login(owner)
    failures = post_every_bad_value(client, owner, url, valid, form)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("form_name", SIGNED_OUT_FORMS)
def test_every_field_of_the_signed_out_forms_refuses_bad_input(client, owner, form_name):
    url, valid, form = SIGNED_OUT_FORMS[form_name](owner)
    failures = post_every_bad_value(client, None, url, valid, form)
    assert not failures, "\n".join(failures)


def test_the_sign_in_form_answers_bad_input_with_a_message(client, owner):
    for username in ["", SCRIPT, HUGE_TEXT, "nul\x00byte", "🥛"]:
        response = client.post(reverse("accounts:login"), {"username": username, "password": "x"})
        assert response.status_code == 200, username[:40]
        assert shows_an_error(response), username[:40]
        assert SCRIPT.encode() not in response.content


def test_delete_and_rest_milk_ignore_junk_fields(owner_client, owner):
    junk = {"pk": "-1", "owner": "999", "culture": str(10**30), "notes": HUGE_TEXT, "x": SCRIPT}
    batch = make_batch(make_culture(owner, "Babushka"))
    response = owner_client.post(reverse("batches:delete", args=[batch.pk]), junk)
    assert response.status_code == 302
    assert not Batch.objects.exists()

    resting = make_culture(owner, "Sleepy", status="resting")
    response = owner_client.post(reverse("grains:rest_milk", args=[resting.pk]), junk)
    assert response.status_code == 302
    resting.refresh_from_db()
    assert resting.rest_milk_changed_at is not None
    assert invalid_rows() == []


class MomentsOnly:
    """A form seen through its date-and-time fields only."""

    def __init__(self, form):
        self.fields = {n: f for n, f in form.fields.items() if kind_of(f) == "moment"}


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
@pytest.mark.parametrize("form_name", ["start milk batch", "taste", "edit batch"])
def test_times_typed_fourteen_hours_from_utc_are_refused_without_a_crash(
    client, owner, zone, form_name
):
    owner.time_zone = zone
    owner.save()
    url, valid, form = FORMS[form_name](owner)
    client.force_login(owner)
    failures = post_every_bad_value(client, owner, url, valid, MomentsOnly(form))
    assert not failures, "\n".join(failures)


def test_a_start_in_year_1_far_from_utc_is_refused_not_a_crash(client, db):
    # Year 1 in Berlin is year 0 in UTC: saving it used to overflow (a 500).
    berliner = make_user("berliner", time_zone="Europe/Berlin")
    culture = make_culture(berliner, "Oma")
    client.force_login(berliner)
    data = {
        "base": "cow",
        "volume_ml": "500",
        "grains_in_g": "25",
        "started_at": "0001-01-01T00:00",
    }
    response = client.post(reverse("batches:start", args=[culture.pk]), data)
    assert response.status_code == 200
    assert not Batch.objects.exists()
    assert "Check the year: times from 2000 to 2099 only." in response.text
    assert 'value="0001-01-01T00:00"' in response.text


def test_grains_cannot_be_weighed_or_acquired_on_a_day_to_come(owner_client, owner):
    culture = make_culture(owner, "Babushka")
    tomorrow = f"{timezone.localtime() + timedelta(days=1):%Y-%m-%dT%H:%M}"
    response = owner_client.post(
        reverse("grains:weigh", args=[culture.pk]), {"grams": "30", "weighed_at": tomorrow}
    )
    assert response.status_code == 200
    assert "That time is in the future." in response.text
    response = owner_client.post(
        reverse("grains:edit", args=[culture.pk]),
        {"name": "Babushka", "origin": "unknown", "acquired_on": "0001-01-01"},
    )
    assert response.status_code == 200
    assert "That is before 1900: check the year." in response.text
    culture.refresh_from_db()
    assert culture.acquired_on == timezone.localdate()
    assert not culture.weighings.exists()


def test_a_username_too_long_to_exist_is_refused_before_signing_in_is_tried(client, owner):
    # Used to be a 500 on PostgreSQL: the failed attempt did not fit django-axes's log.
    response = client.post(reverse("accounts:login"), {"username": "k" * 300, "password": "x"})
    assert response.status_code == 200
    assert "Ensure this value has at most 150 characters (it has 300)." in response.text
    assert not AccessAttempt.objects.exists()
