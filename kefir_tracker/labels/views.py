"""Printable jar labels: choosing them, the printable sheet, and where a label's QR
code leads (/j/<code>)."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from kefir_tracker import dates
from kefir_tracker.accounts.models import VolumeUnit
from kefir_tracker.labels import services
from kefir_tracker.labels.forms import LabelsForm
from kefir_tracker.labels.models import JarCode, codes_for
from kefir_tracker.labels.sheets import Paper
from kefir_tracker.templating import render


def _unindexed(response):
    response["X-Robots-Tag"] = "noindex, nofollow, noarchive"
    return response


def _choice(batch) -> str:
    """What a jar's checkbox says: 'Babushka #48 · cow milk · started Tue 3 Mar, 07:30'."""
    text = f"{batch.culture.name} #{batch.number} · {batch.get_base_display()}"
    if batch.strained_at is None:
        return f"{text} · started {dates.local_moment(batch.started_at)}"
    return f"{text} · bottled {dates.local_moment(batch.bottled_at)}"


def _form(request, jars, data=None):
    # Whoever measures in cups most likely buys US Letter.
    paper = Paper.LETTER if request.user.volume_unit == VolumeUnit.CUPS else Paper.A4
    choices = {jar.pk: _choice(jar) for jar in jars}
    return LabelsForm(data, jars=jars, choices=choices, paper=paper)


def _choose_page(request, jars, form, status=None):
    return render(request, "labels/choose.html", {"jars": jars, "form": form}, status=status)


@require_safe
def choose(request):
    """The labels page. Its form is sent to the print page; ``?batch=<id>`` (from a batch's
    page) ticks only that jar, and the print page's "Change" comes back with all its
    choices in the query, kept."""
    jars = list(services.jars(request.user))
    if "paper" in request.GET:
        form = _form(request, jars, request.GET)
        form.is_valid()  # its messages shown beside the fields, what was chosen kept
        return _choose_page(request, jars, form)
    form = _form(request, jars)
    asked = set(request.GET.getlist("batch")) & {str(jar.pk) for jar in jars}
    if asked:
        form.initial["batch"] = sorted(asked)
    return _choose_page(request, jars, form)


@require_safe
def print_sheet(request):
    """The sheets to print, mm for mm; on screen, a preview of them and a Print button.
    Labels go only to the person's own jars in use: any other id is refused on the form."""
    jars = list(services.jars(request.user))
    form = _form(request, jars, request.GET)
    if not form.is_valid():
        return _choose_page(request, jars, form, status=400)
    chosen = form.chosen()
    addresses = {
        pk: request.build_absolute_uri(reverse("labels:jar", args=[code]))
        for pk, code in codes_for(chosen).items()
    }
    labels = services.jar_labels(request.user, chosen, addresses)
    sheet, skip, copies = (form.cleaned_data[name] for name in ("sheet", "skip", "copies"))
    context = {
        "sheet": sheet,
        "pages": services.sheets_of(labels, sheet, skip, copies),
        "count": len(labels) * copies,
        "change_url": f"{reverse('labels:choose')}?{request.GET.urlencode()}",
    }
    return _unindexed(render(request, "labels/sheet.html", context))


@login_not_required
@never_cache
@require_safe
def jar(request, code):
    """Where a jar label's QR code leads. Someone signed in who may see the batch goes to
    its page (Strain and a tasting note are a tap away there); a member of its kitchen who
    is in another of theirs now is offered there to switch. Anyone else gets the same
    page whatever the code, known, unknown or not a code at all, and it names nothing:
    a signed-out visitor's request is not even looked up, and a signed-in one's only
    among their own jars (JarCodeQuerySet.opened_by). Signing in from it comes back here,
    and so to the batch.

    Not rate-limited: there is nothing to find by guessing. A code opens nothing by
    itself (the session does), a guess can only find one's own jars, and 72 random bits
    would not be guessed among those either."""
    if request.user.is_authenticated:
        opened = JarCode.objects.in_kitchens_of(request.user).opened_by(code)
        batch_id = opened.values_list("batch_id", flat=True).first()
        if batch_id is not None:
            return _unindexed(redirect("batches:detail", batch_id))
    sign_in = f"{reverse('accounts:login')}?{urlencode({'next': request.path})}"
    return _unindexed(render(request, "labels/jar.html", {"sign_in_url": sign_in}))
