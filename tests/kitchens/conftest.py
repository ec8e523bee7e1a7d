import re

import pytest
from django.test import Client
from django.urls import reverse

from kefir_tracker.kitchens import services
from tests.factories import make_user

CODE = re.compile(r'id="invitation-code">([A-Z0-9-]+)<')


def invitation_code(client) -> str:
    """An owner makes an invitation on the Kitchen page and reads its code there."""
    page = client.post(reverse("kitchens:invite"), follow=True)
    assert page.status_code == 200
    return CODE.search(page.text).group(1)


def join(user, code) -> Client:
    """``user``, signed in, accepts the invitation ``code`` through its page."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("kitchens:join", args=[code.replace("-", "")]))
    assert response.status_code == 302, response
    return client


@pytest.fixture
def member(owner):
    """Pavel, who joined Olga's kitchen with an invitation and is in it now."""
    pavel = make_user("pavel")
    _, code = services.invite(owner)
    services.accept(pavel, code)
    return pavel


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client
