"""Export and import work on the kitchen a person is in now, for every member of it."""

from django.urls import reverse

from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.models import Culture
from kefir_tracker.kitchens import services
from tests.archive.test_export_import import export, upload
from tests.factories import make_batch, make_culture, make_tasting


def test_a_member_exports_the_shared_kitchen_and_imports_into_it(
    owner_client, owner, member_client, member
):
    babushka = make_culture(owner, "Babushka")
    make_tasting(make_batch(babushka, notes="Olga's batch"), rating=5)
    # Pavel's own kitchen has grains of his that the shared export must not hold.
    own = member.memberships.exclude(kitchen_id=owner.current_kitchen_id).get().kitchen
    services.switch(member, own.pk)
    make_culture(member, "Pavel's own")
    services.switch(member, owner.current_kitchen_id)

    shared = export(member_client)

    assert [c["name"] for c in shared["cultures"]] == ["Babushka"]
    assert shared["batches"][0]["notes"] == "Olga's batch"
    assert shared == {**export(owner_client), "preferences": shared["preferences"]}

    # Pavel imports a file of his into the shared kitchen: Olga sees it there.
    his = {**shared, "cultures": [{**shared["cultures"][0], "name": "Tibi"}]}
    his["batches"] = [{**shared["batches"][0], "notes": "Pavel's import"}]
    response = upload(member_client, his)

    assert response.status_code == 302
    tibi = Culture.objects.get(name="Tibi")
    assert tibi.kitchen_id == owner.current_kitchen_id
    assert tibi.owner == member
    assert "Tibi" in owner_client.get(reverse("grains:list")).text
    assert "Tibi" in owner_client.get(reverse("batches:history")).text
    assert not Culture.objects.filter(kitchen=own, name="Tibi").exists()
    assert Batch.objects.get(notes="Pavel's import").kitchen_id == owner.current_kitchen_id
