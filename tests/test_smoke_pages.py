import pytest
from django.urls import reverse


@pytest.mark.parametrize(
    "name",
    [
        "batches:today",
        "batches:history",
        "grains:list",
        "accounts:account",
        "insights:insights",
        "labels:choose",
    ],
)
def test_every_main_page_renders_for_a_signed_in_user(owner_client, name):
    response = owner_client.get(reverse(name))
    assert response.status_code == 200
    assert b"<html" in response.content
