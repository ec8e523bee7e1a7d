import pytest

from tests.factories import make_culture

HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx_from(target_id):
    """Headers of an htmx request whose swap target is the element ``target_id``."""
    return {**HTMX, "HTTP_HX_TARGET": target_id}


@pytest.fixture
def water(owner):
    return make_culture(owner, "Tibicos", kind="water")
