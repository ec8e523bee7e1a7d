import pytest
from django.urls import reverse

from tests.factories import make_batch, make_culture, make_tasting, make_user, make_weighing


@pytest.fixture
def admin_client(client, db):
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def data(owner):
    culture = make_culture(owner, "Babushka", notes="from grandma")
    batch = make_batch(culture, notes="thick and tangy")
    make_tasting(batch)
    make_weighing(culture)
    return culture


@pytest.mark.parametrize(
    "model",
    ["accounts/user", "grains/culture", "grains/weighing", "batches/batch", "batches/tastingnote"],
)
def test_every_model_has_a_searchable_admin_list_and_add_form(admin_client, data, model):
    app, name = model.split("/")
    listing = admin_client.get(reverse(f"admin:{app}_{name}_changelist"), {"q": "a"})
    adding = admin_client.get(reverse(f"admin:{app}_{name}_add"))
    assert listing.status_code == 200
    assert adding.status_code == 200
    assert "search" in listing.text.lower()


def test_the_grains_admin_lists_batch_counts(admin_client, data):
    response = admin_client.get(reverse("admin:grains_culture_changelist"))
    assert "Babushka" in response.text
    assert '<td class="field-batch_count">1</td>' in response.text


def test_the_admin_refuses_milk_grains_for_a_water_batch(admin_client, data):
    batch = data.batches.get()
    response = admin_client.post(
        reverse("admin:batches_batch_change", args=[batch.pk]),
        {
            "owner": batch.owner_id,
            "culture": batch.culture_id,
            "base": "water",
            "volume_ml": "500",
            "grains_in_g": "25",
            "sugar_g": "50",
            "started_at_0": "2026-01-01",
            "started_at_1": "08:00",
            "tasting_notes-TOTAL_FORMS": "0",
            "tasting_notes-INITIAL_FORMS": "0",
        },
    )
    batch.refresh_from_db()
    assert response.status_code == 200
    assert "they ferment milk, not sugar water" in response.text
    assert batch.base == "cow"
