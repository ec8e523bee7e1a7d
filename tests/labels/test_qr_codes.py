"""A label's QR code, read back from the page by a decoder, is its jar's address on this
installation, and that address opens the jar."""

import pytest
import segno
from django.urls import reverse

from kefir_tracker.labels.models import JarCode
from tests.labels.helpers import decode_qr, jars, labels, modules, print_url


@pytest.fixture
def kitchen(owner):
    return jars(owner)


def test_each_qr_code_decodes_to_its_jars_address(owner_client, kitchen):
    fermenting, bottled = kitchen["fermenting"], kitchen["bottled"]
    page = owner_client.get(print_url(fermenting, bottled, copies=2)).text

    found = {label.name: label.address for label in labels(page)}
    codes = {jar.batch_id: jar.code for jar in JarCode.objects.all()}
    assert found == {
        "Babushka": f"http://testserver{reverse('labels:jar', args=[codes[fermenting.pk]])}",
        "Tibicos": f"http://testserver{reverse('labels:jar', args=[codes[bottled.pk]])}",
    }
    for name, batch in (("Babushka", fermenting), ("Tibicos", bottled)):
        response = owner_client.get(found[name].removeprefix("http://testserver"))
        assert response.url == batch.get_absolute_url()


def test_the_address_is_the_one_the_phone_reached(owner_client, kitchen):
    """Behind HTTPS and a name on the home network, the code says so."""
    page = owner_client.get(
        print_url(kitchen["fermenting"]), secure=True, HTTP_HOST="kitchen-pi.local:8443"
    ).text
    (label,) = labels(page)
    assert label.address.startswith("https://kitchen-pi.local:8443/j/")


def test_the_code_is_drawn_with_a_quiet_border_and_no_style(owner_client, kitchen):
    (label,) = labels(owner_client.get(print_url(kitchen["fermenting"])).text)
    width, dark = modules(label.svg)
    assert width >= 21 + 4  # version 1 or more, two modules of margin on each side
    assert all(2 <= x < width - 2 and 2 <= y < width - 2 for x, y in dark)
    assert "style" not in label.svg


def test_the_decoder_reads_only_what_is_there():
    """decode_qr is no echo of the page: it reads a code segno made, and finds none in an
    image without one."""
    svg = segno.make("http://testserver/j/abcdefghijkl", error="m").svg_inline(
        border=2, omitsize=True, lineclass=None
    )
    assert decode_qr(svg) == "http://testserver/j/abcdefghijkl"
    with pytest.raises(AssertionError, match="no QR code found"):
        decode_qr('<svg viewBox="0 0 25 25"><path d="M0 0.5h1"/></svg>')
