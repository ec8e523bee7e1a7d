"""Gifts on both sides: the giver's card on their given-away grains (link, code, QR code,
file), the page a link or code opens for the recipient, receiving from a file, and
cutting the link."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from kefir_tracker.gifts import files, services
from kefir_tracker.gifts.cards import remember_new_gift
from kefir_tracker.gifts.forms import AcceptForm, CodeForm, GiftFileForm, MakeGiftForm
from kefir_tracker.gifts.models import Gift
from kefir_tracker.grains.models import Culture
from kefir_tracker.grains.views import get_culture
from kefir_tracker.sharing.views import refusal, throttled
from kefir_tracker.templating import render
from kefir_tracker.tokens import normalized_code

NOT_FOUND = (
    "This gift opens nothing",
    "It may have been received already, cut or expired (a gift opens for 30 days), or "
    "only part of the link or code was copied. Ask whoever gives it for a new one.",
)
TOO_MANY = (
    "Too many tries at once",
    "This address opened a lot of links or codes in the last minutes. "
    "Wait a few minutes, then try again.",
)


def _add_errors(form, error: ValidationError, other=None):
    """A refusal of the service next to its field (else ``other``, else the form's top)."""
    found = error.error_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, errors in found:
        form.add_error(field if field in form.fields else other, errors)


@require_POST
def make(request, culture_pk):
    culture = get_culture(request, culture_pk)
    form = MakeGiftForm(request.POST)
    form.is_valid()
    try:
        new = services.make_gift(
            request.user, culture, share_ancestry=form.cleaned_data.get("share_ancestry", False)
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        remember_new_gift(request, new)
        messages.success(request, "Made a gift link. Show the QR code, or send the link or code.")
    return redirect(f"{culture.get_absolute_url()}#gift")


@require_http_methods(["GET", "HEAD", "POST"])
def open_gift(request, key):
    """What a gift's link or code opens for a signed-in person: who gives what, and the
    button that accepts it. Unknown, used, cut and expired gifts get the same 404."""
    if (too_many := throttled(request, timezone.now(), TOO_MANY)) is not None:
        return too_many
    gift = Gift.objects.opened_by(key).first()
    if gift is None:
        return refusal(request, 404, *NOT_FOUND)
    own = gift.giver_id == request.user.pk
    form = AcceptForm(request.POST or None, initial={"name": gift.culture.name})
    if request.method == "POST" and not own and form.is_valid():
        try:
            culture = services.accept_gift(
                gift,
                request.user,
                name=form.cleaned_data["name"],
                share_growth=form.cleaned_data["share_growth"],
            )
        except services.GiftUnavailable:
            return refusal(request, 404, *NOT_FOUND)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{culture.name} are yours now. Welcome them in!")
            return redirect(culture)
    context = {
        "gift": gift,
        "giver": gift.giver.shown_name,
        "own": own,
        "form": form,
        "key": key,
    }
    response = render(request, "gifts/accept.html", context)
    # The secret link goes to no other site; "no-referrer" would also make the browser
    # send "Origin: null" with the accept form, which CSRF protection refuses.
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def cut_gift(request, pk):
    gift = get_object_or_404(
        Gift.objects.for_user(request.user).select_related("culture", "received_culture"), pk=pk
    )
    giving = Culture.objects.for_user(request.user).filter(pk=gift.culture_id).exists()
    if services.cut(gift, request.user):
        messages.success(request, "Cut the gift link. The grains on each side stay as they are.")
    else:
        messages.info(request, "That gift link was already cut.")
    return redirect(gift.culture if giving else gift.received_culture)


@require_safe
def download(request, pk):
    """The gift as a file, for a friend on another installation."""
    gift = get_object_or_404(
        Gift.objects.given_by(request.user)
        .filter(cut_at__isnull=True)
        .select_related("culture", "giver"),
        pk=pk,
    )
    body = json.dumps(files.gift_file(gift), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{files.file_name(gift)}"'
    return response


def _receive_page(request, code_form=None, file_form=None, status=200):
    context = {"code_form": code_form or CodeForm(), "file_form": file_form or GiftFileForm()}
    return render(request, "gifts/receive.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def receive(request):
    """Receive a gift by its code (typed) or from a file (another installation)."""
    if request.method != "POST":
        return _receive_page(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        code = normalized_code(form.cleaned_data["code"])
        if code is not None:
            return redirect("gifts:open", key=code)
        form.add_error("code", "That is not a gift code: it has twelve letters and digits.")
    return _receive_page(request, code_form=form)


@require_POST
def import_file(request):
    form = GiftFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            gift = files.read_gift_file(form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            try:
                culture = files.import_gift_file(request.user, gift, form.cleaned_data["name"])
            except ValidationError as error:
                _add_errors(form, error, other="file")
            else:
                messages.success(request, f"Received {culture.name} from {gift.given_by}.")
                return redirect(culture)
    return _receive_page(request, file_form=form)
