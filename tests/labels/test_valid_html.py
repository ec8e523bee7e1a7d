"""The labels pages through the Nu HTML checker: the choices (with and without errors),
the print page on each sheet, and the neutral page of a jar label."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.checkers import html_errors, require_vnu
from tests.labels.helpers import jars, print_url


@pytest.mark.django_db
def test_the_labels_pages_are_valid_html(owner_client, owner):
    require_vnu()
    documents = {"labels, nothing in use": owner_client.get(reverse("labels:choose")).text}
    kitchen = jars(owner)
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    documents["labels"] = owner_client.get(reverse("labels:choose")).text
    documents["labels, refused"] = owner_client.get(print_url(skip=99, copies="x")).text
    for paper, size in (("a4", "small"), ("a4", "large"), ("letter", "small"), ("letter", "large")):
        url = print_url(fermenting, bottled, paper=paper, size=size, skip=3, copies=2)
        documents[f"print {paper} {size}"] = owner_client.get(url).text
    documents["print, two sheets"] = owner_client.get(print_url(fermenting, skip=23, copies=2)).text
    documents["jar label, signed out"] = Client().get("/j/AAAAAAAAAAAA").text
    documents["jar label, someone else"] = owner_client.get("/j/AAAAAAAAAAAA").text

    errors = html_errors(documents)
    assert not errors, "\n".join(errors)
