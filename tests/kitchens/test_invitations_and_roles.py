"""Invitations are single use and expire; only owners invite, remove, rename and delete."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kefir_tracker.batches.models import Batch
from kefir_tracker.grains.models import Culture
from kefir_tracker.kitchens import services
from kefir_tracker.kitchens.models import Invitation, Kitchen, Membership
from tests.factories import make_batch, make_culture, make_user
from tests.kitchens.conftest import invitation_code

CANNOT = "This invitation cannot be used"


def join_page(user, code):
    client = Client()
    client.force_login(user)
    return client, client.get(reverse("kitchens:join", args=[code]))


def test_the_join_page_asks_first_and_joining_switches_to_the_kitchen(owner_client, owner):
    code = invitation_code(owner_client)
    pavel = make_user("pavel")
    client, page = join_page(pavel, code)
    assert page.status_code == 200
    assert "Join olga&#39;s kitchen?" in page.text
    assert not Membership.objects.filter(user=pavel, kitchen_id=owner.current_kitchen_id).exists()

    response = client.post(reverse("kitchens:join", args=[code]))

    assert response.url == reverse("batches:today")
    pavel.refresh_from_db()
    assert pavel.current_kitchen_id == owner.current_kitchen_id
    assert Membership.objects.get(user=pavel, kitchen_id=owner.current_kitchen_id).role == "member"
    invitation = Invitation.objects.get()
    assert (invitation.used_by, invitation.used_at is not None) == (pavel, True)


def test_a_typed_code_finds_its_invitation_whatever_the_case_and_dashes(owner_client):
    code = invitation_code(owner_client)  # ABCD-EFGH-JKMN
    client = Client()
    client.force_login(make_user("pavel"))
    typed = client.get(reverse("kitchens:join_code"), {"code": f" {code.lower()} "})
    assert typed.url == reverse("kitchens:join", args=[code.replace("-", "")])


def test_a_typed_code_of_the_wrong_shape_is_told_next_to_the_field(owner_client):
    answer = owner_client.get(reverse("kitchens:join_code"), {"code": "hello"})
    assert answer.status_code == 400
    assert "That is not an invitation code" in answer.text
    assert 'value="hello"' in answer.text


@pytest.mark.parametrize("how", ["used", "expired", "withdrawn", "unknown", "malformed"])
def test_an_invitation_that_cannot_be_used_says_so_the_same_way(owner_client, owner, how):
    code = invitation_code(owner_client).replace("-", "")
    if how == "used":
        join_page(make_user("pavel"), code)[0].post(reverse("kitchens:join", args=[code]))
    elif how == "expired":
        Invitation.objects.open().update(expires_at=timezone.now() - timedelta(seconds=1))
    elif how == "withdrawn":
        owner_client.post(reverse("kitchens:revoke", args=[Invitation.objects.open().get().pk]))
    elif how == "unknown":
        code = "23456789ABCD"
    else:
        code = "no-such-thing"
    vera = make_user("vera")

    client, page = join_page(vera, code)
    joined = client.post(reverse("kitchens:join", args=[code]))

    assert (page.status_code, joined.status_code) == (404, 404)
    assert CANNOT in page.text
    assert "olga" not in page.text  # no word of whose kitchen it was
    assert not Membership.objects.filter(user=vera, kitchen_id=owner.current_kitchen_id).exists()


def test_signed_out_the_invitation_leads_to_sign_up_and_back(owner_client):
    code = invitation_code(owner_client).replace("-", "")
    client = Client()  # someone else's phone
    join_url = reverse("kitchens:join", args=[code])
    page = client.get(join_url)
    assert page.status_code == 200
    sign_up = f"{reverse('accounts:sign_up')}?next={join_url}"
    assert sign_up in page.text
    form = client.get(f"{reverse('accounts:sign_up')}?next={join_url}")
    assert f'name="next" value="{join_url}"' in form.text

    created = client.post(
        reverse("accounts:sign_up"),
        {
            "username": "pavel",
            "password1": "a-kefir-pass-99",
            "password2": "a-kefir-pass-99",
            "next": join_url,
        },
    )

    assert created.url == join_url
    assert "Join olga&#39;s kitchen?" in client.get(join_url).text


def test_sign_up_does_not_go_to_another_site_after(client, db):
    created = client.post(
        reverse("accounts:sign_up"),
        {
            "username": "pavel",
            "password1": "a-kefir-pass-99",
            "password2": "a-kefir-pass-99",
            "next": "https://evil.example/",
        },
    )
    assert created.url == reverse("batches:today")


def test_a_member_already_in_the_kitchen_keeps_the_invitation_unused(owner_client, member):
    code = invitation_code(owner_client).replace("-", "")
    client, page = join_page(member, code)
    assert "already" in page.text
    client.post(reverse("kitchens:join", args=[code]))
    assert Invitation.objects.open().get().used_at is None


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("kitchens:invite", {}),
        ("kitchens:rename", {"name": "Pavel's now"}),
        ("kitchens:delete", {"name": "olga's kitchen"}),
    ],
)
def test_a_member_cannot_do_what_only_owners_may(member_client, owner, name, data):
    answer = member_client.post(reverse(name), data)
    assert answer.status_code == 403
    kitchen = Kitchen.objects.get(pk=owner.current_kitchen_id)
    assert kitchen.name == "olga's kitchen"
    assert not Invitation.objects.open().exists()


def test_a_member_cannot_remove_anyone_or_withdraw_invitations(
    owner_client, owner, member_client, member
):
    invitation_code(owner_client)
    olga = Membership.objects.get(user=owner)
    assert member_client.post(reverse("kitchens:remove", args=[olga.pk])).status_code == 403
    revoke = reverse("kitchens:revoke", args=[Invitation.objects.open().get().pk])
    assert member_client.post(revoke).status_code == 403
    assert Membership.objects.filter(kitchen_id=owner.current_kitchen_id).count() == 2
    assert Invitation.objects.open().exists()
    page = member_client.get(reverse("kitchens:kitchen")).text
    assert "Remove" not in page
    assert "Make an invitation" not in page


def test_a_member_sees_the_members_and_can_leave(owner, member_client, member):
    page = member_client.get(reverse("kitchens:kitchen"))
    assert "olga" in page.text
    assert "pavel" in page.text
    assert "Leave this kitchen" in page.text

    member_client.post(reverse("kitchens:leave"))

    assert not Membership.objects.filter(user=member, kitchen_id=owner.current_kitchen_id).exists()
    member.refresh_from_db()
    assert member.current_kitchen.name == "pavel's kitchen"


def test_the_last_owner_can_neither_leave_nor_be_removed(owner_client, owner, member):
    mine = Membership.objects.get(user=owner)
    owner_client.post(reverse("kitchens:leave"))
    owner_client.post(reverse("kitchens:remove", args=[mine.pk]))
    assert Membership.objects.filter(pk=mine.pk).exists()
    assert "Leave this kitchen" not in owner_client.get(reverse("kitchens:kitchen")).text


def test_the_owner_renames_the_kitchen(owner_client, owner):
    owner_client.post(reverse("kitchens:rename"), {"name": "  Dacha  "})
    assert Kitchen.objects.get(pk=owner.current_kitchen_id).name == "Dacha"
    blank = owner_client.post(reverse("kitchens:rename"), {"name": "   "})
    assert blank.status_code == 400
    assert Kitchen.objects.get(pk=owner.current_kitchen_id).name == "Dacha"


def test_the_owner_deletes_a_kitchen_with_its_data_once_its_name_is_typed(
    owner_client, owner, member
):
    kitchen = Kitchen.objects.get(pk=owner.current_kitchen_id)
    make_batch(make_culture(owner, "Babushka"))
    # Olga has a second kitchen to go to (she joined Pavel's).
    own = member.memberships.exclude(kitchen=kitchen).get().kitchen_id
    services.switch(member, own)
    _, code = services.invite(member)
    services.accept(owner, code)
    owner_client.post(reverse("kitchens:switch"), {"kitchen": kitchen.pk})

    wrong = owner_client.post(reverse("kitchens:delete"), {"name": "olga's"})
    assert wrong.status_code == 400
    assert "type olga&#39;s kitchen exactly" in wrong.text
    assert Culture.objects.filter(kitchen=kitchen).exists()

    owner_client.post(reverse("kitchens:delete"), {"name": "olga's kitchen"})

    assert not Kitchen.objects.filter(pk=kitchen.pk).exists()
    assert not Culture.objects.filter(name="Babushka").exists()
    assert not Batch.objects.exists()
    owner.refresh_from_db()
    member.refresh_from_db()
    assert owner.current_kitchen_id == own
    assert member.current_kitchen_id is not None


def test_a_persons_only_kitchen_cannot_be_deleted(owner_client, owner):
    make_culture(owner, "Babushka")
    page = owner_client.get(reverse("kitchens:delete"))
    assert "This is your only kitchen" in page.text
    owner_client.post(reverse("kitchens:delete"), {"name": "olga's kitchen"})
    assert Kitchen.objects.filter(pk=owner.current_kitchen_id).exists()
    assert Culture.objects.filter(name="Babushka").exists()


def test_deleting_an_account_keeps_the_kitchens_others_share(owner, member):
    shared = owner.current_kitchen_id
    batch = make_batch(make_culture(member, "Pavel's jar"))
    member.delete()
    assert Batch.objects.filter(pk=batch.pk, kitchen_id=shared).exists()
    assert Batch.objects.get(pk=batch.pk).owner is None
    assert Kitchen.objects.filter(name="pavel's kitchen").count() == 0
