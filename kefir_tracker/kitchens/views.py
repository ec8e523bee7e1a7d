"""The Kitchen page: its members, invitations, and what an owner or a member can do.

The page is about the kitchen the person is in now. A member asking for what only
an owner may do gets a 403 (they know the kitchen; they may not change it); an
invitation or membership of another kitchen is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kefir_tracker.forms import parse_id
from kefir_tracker.kitchens import services
from kefir_tracker.kitchens.forms import DeleteForm, JoinCodeForm, RenameForm
from kefir_tracker.kitchens.models import Invitation, Kitchen, Membership
from kefir_tracker.templating import render
from kefir_tracker.tokens import normalized_code, spaced

NEW_INVITATION = "kitchens:new_invitation"


def _safe_next(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


def _kitchen_page(request, *, rename_form=None, join_form=None, status=200):
    user = request.user
    mine = services.current_membership(user)
    if mine is None:  # only while an account is being made, or after a lost race
        raise Http404("You are in no kitchen.")
    kitchen = mine.kitchen
    members = list(Membership.objects.for_user(user).select_related("user"))
    owners = sum(m.is_owner for m in members)
    invitation = None
    new = request.session.pop(NEW_INVITATION, None)
    invitations = []
    if mine.is_owner:
        invitations = list(Invitation.objects.for_user(user).open())
        if new and any(i.pk == new["pk"] for i in invitations):
            code = new["code"]
            invitation = {
                "pk": new["pk"],
                "link": request.build_absolute_uri(reverse("kitchens:join", args=[code])),
                "code": spaced(code),
                "expires_at": next(i.expires_at for i in invitations if i.pk == new["pk"]),
            }
    kitchens = list(Kitchen.objects.for_user(user).annotate(members=Count("memberships")))
    context = {
        "kitchen": kitchen,
        "mine": mine,
        "members": members,
        "last_owner": mine.is_owner and owners == 1,
        "invitations": invitations,
        "invitation": invitation,
        "kitchens": kitchens,
        "rename_form": rename_form or RenameForm(instance=kitchen),
        "join_form": join_form or JoinCodeForm(),
    }
    response = render(request, "kitchens/kitchen.html", context, status=status)
    if invitation:
        # Shown once: not kept for Back or the back/forward cache either.
        response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def kitchen(request):
    return _kitchen_page(request)


def _back(anchor=""):
    return redirect(reverse("kitchens:kitchen") + anchor)


@require_POST
def invite(request):
    invitation, code = services.invite(request.user)
    request.session[NEW_INVITATION] = {"pk": invitation.pk, "code": code}
    messages.success(request, "Made an invitation: send the link, or read out the code.")
    return _back("#invite")


@require_POST
def revoke(request, invitation_pk):
    try:
        services.revoke(request.user, invitation_pk)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation.") from None
    messages.success(request, "Withdrew the invitation: it no longer works.")
    return _back("#invite")


@require_POST
def remove(request, membership_pk):
    try:
        membership = services.remove_member(request.user, membership_pk)
    except Membership.DoesNotExist:
        raise Http404("No such member.") from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back("#members")
    messages.success(request, f"Removed {membership.user.username} from {membership.kitchen.name}.")
    return _back("#members")


@require_POST
def rename(request):
    membership = services.owner_membership(request.user)
    form = RenameForm(request.POST, instance=membership.kitchen)
    if not form.is_valid():
        return _kitchen_page(request, rename_form=form, status=400)
    services.rename(request.user, form.cleaned_data["name"])
    messages.success(request, f"Renamed the kitchen {form.cleaned_data['name']}.")
    return _back()


@require_http_methods(["GET", "HEAD", "POST"])
def delete(request):
    kitchen = services.owner_membership(request.user).kitchen
    form = DeleteForm(request.POST or None, kitchen=kitchen)
    only_one = not Kitchen.objects.for_user(request.user).exclude(pk=kitchen.pk).exists()
    if form.is_valid() and not only_one:
        services.delete_kitchen(request.user, form.cleaned_data["name"])
        request.user.refresh_from_db(fields=["current_kitchen"])
        messages.success(
            request,
            f"Deleted {kitchen.name} with its grains and batches. "
            f"You are in {request.user.current_kitchen.name} now.",
        )
        return redirect("batches:today")
    context = {"kitchen": kitchen, "form": form, "only_one": only_one}
    return render(request, "kitchens/delete.html", context, status=400 if form.is_bound else 200)


@require_POST
def leave(request):
    try:
        left = services.leave(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _back()
    except Membership.DoesNotExist:
        raise Http404("You are in no kitchen.") from None
    request.user.refresh_from_db(fields=["current_kitchen"])
    messages.success(
        request, f"You left {left.name}. You are in {request.user.current_kitchen.name} now."
    )
    return redirect("batches:today")


@require_POST
def switch(request):
    pk = parse_id(request.POST.get("kitchen", ""))
    try:
        kitchen = services.switch(request.user, pk)
    except Kitchen.DoesNotExist:
        raise Http404("No such kitchen.") from None
    messages.success(request, f"You are in {kitchen.name} now.")
    return redirect(_safe_next(request, reverse("batches:today")))


@require_safe
def join_code(request):
    """An invitation code typed in (the Kitchen page's form): its join page."""
    form = JoinCodeForm(request.GET)
    code = normalized_code(form.cleaned_data["code"]) if form.is_valid() else None
    if code is not None:
        return redirect("kitchens:join", token=code)
    if form.is_valid():
        form.add_error("code", "That is not an invitation code: 12 letters and digits.")
    return _kitchen_page(request, join_form=form, status=400)


@login_not_required
@require_http_methods(["GET", "HEAD", "POST"])
def join(request, token):
    """An invitation's page: sign in or up first; then "Join Olga's kitchen?".

    A used, expired, withdrawn or unknown invitation gets one and the same answer."""
    invitation = Invitation.objects.opened_by(token).first()
    if invitation is None:
        return render(request, "kitchens/join.html", {"invitation": None}, status=404)
    kitchen = invitation.kitchen
    user = request.user
    if not user.is_authenticated:
        if request.method == "POST":
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        return render(
            request, "kitchens/join.html", {"invitation": invitation, "next": request.path}
        )
    member = Membership.objects.filter(kitchen=kitchen, user=user).exists()
    if request.method == "POST":
        try:
            kitchen, joined = services.accept(user, token)
        except Invitation.DoesNotExist:  # used or withdrawn a moment ago
            return render(request, "kitchens/join.html", {"invitation": None}, status=404)
        messages.success(
            request,
            f"Welcome to {kitchen.name}! Its grains and batches are yours to log now."
            if joined
            else f"You are in {kitchen.name} now.",
        )
        return redirect("batches:today")
    context = {"invitation": invitation, "member": member}
    return render(request, "kitchens/join.html", context)
