"""The action forms of a culture page load when opened, and open by link without JavaScript."""

import pytest

from tests.factories import make_culture
from tests.grains.conftest import HTMX

ACTIONS = {"weigh": "weigh", "split": "split", "give": "give-away", "edit": "edit"}


@pytest.mark.parametrize("form", ["weigh", "split", "give", "edit"])
def test_the_culture_page_links_its_action_forms_instead_of_rendering_them(
    owner_client, culture, form
):
    url = culture.get_absolute_url()
    page = owner_client.get(url).content.decode()
    assert f'action="/grains/{culture.pk}/{ACTIONS[form]}/"' not in page
    assert f'href="{url}?form={form}#{form}-action"' in page
    assert f'hx-get="{url}?form={form}"' in page


@pytest.mark.parametrize("form", ["weigh", "split", "give", "edit"])
def test_the_link_opens_the_page_with_that_form_open(owner_client, culture, form):
    response = owner_client.get(f"{culture.get_absolute_url()}?form={form}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" in page
    assert f'<details class="card action" id="{form}-action" open>' in page
    assert f'action="/grains/{culture.pk}/{ACTIONS[form]}/"' in page


@pytest.mark.parametrize("form", ["weigh", "split", "give", "edit"])
def test_with_htmx_the_link_fetches_only_the_form(owner_client, culture, form):
    response = owner_client.get(f"{culture.get_absolute_url()}?form={form}", **HTMX)
    assert response.status_code == 200
    page = response.content.decode().strip()
    assert page.startswith(f'<form method="post" action="/grains/{culture.pk}/{ACTIONS[form]}/"')
    assert "<html" not in page


def test_the_edit_form_fetched_alone_is_filled_in(owner_client, owner):
    culture = make_culture(owner, "Babushka", notes="from Vera")
    page = owner_client.get(f"{culture.get_absolute_url()}?form=edit", **HTMX).content.decode()
    assert 'value="Babushka"' in page
    assert "from Vera" in page


def test_an_unknown_form_or_someone_elses_grains_are_not_found(owner_client, culture, other_user):
    theirs = make_culture(other_user, "Theirs")
    assert owner_client.get(f"{culture.get_absolute_url()}?form=delete").status_code == 404
    assert owner_client.get(f"{theirs.get_absolute_url()}?form=edit").status_code == 404
    assert owner_client.get(f"{theirs.get_absolute_url()}?form=edit", **HTMX).status_code == 404
