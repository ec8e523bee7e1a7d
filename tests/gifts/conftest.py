import pytest
from django.test import Client

from kefir_tracker.grains.models import Status
from tests.factories import make_weighing
from tests.gifts.helpers import PRIVATE_WEIGHT, giver_user, recipient_user
from tests.sharing.helpers import family


@pytest.fixture
def giver(db):
    return giver_user()


@pytest.fixture
def giver_client(giver):
    client = Client()
    client.force_login(giver)
    return client


@pytest.fixture
def kin(giver):
    """Babushka (a gift from Grandma Vera) → Babushka II (batches, notes) → Little B, which
    weighed a distinctive weight; Little B is the one given."""
    kin = family(giver)
    make_weighing(kin.third, PRIVATE_WEIGHT)
    assert kin.third.status == Status.ACTIVE
    return kin


@pytest.fixture
def recipient(db):
    return recipient_user("masha")


@pytest.fixture
def recipient_client(recipient):
    client = Client()
    client.force_login(recipient)
    return client
