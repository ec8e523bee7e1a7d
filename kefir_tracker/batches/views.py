"""Today, History, a batch and what can be done to it.

Every page answers an htmx request with a block of the same template
(templating.page_or_fragment), and every form works as a plain post too:
success redirects (post/redirect/get), an error re-renders the page with the
form as typed. With htmx, success swaps the part that changed and an error
sends the form back into its own place.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, push_url, replace_url, reswap, retarget

from kefir_tracker import dates
from kefir_tracker.batches import services
from kefir_tracker.batches.coach import CoachForm, advise
from kefir_tracker.batches.forms import (
    BottleForm,
    DiscardForm,
    EditBatchForm,
    FinishForm,
    HistoryFilterForm,
    StartBatchForm,
    StrainForm,
    TastingForm,
    UndoForm,
    add_model_errors,
)
from kefir_tracker.batches.models import Batch
from kefir_tracker.batches.pagination import keyset_page, keyset_through
from kefir_tracker.batches.today import add_card_facts, today_for
from kefir_tracker.forecast.model import model_for
from kefir_tracker.forms import parse_id
from kefir_tracker.grains.views import get_culture
from kefir_tracker.kitchens.models import not_found_here
from kefir_tracker.submissions.services import once, sent_twice
from kefir_tracker.templating import announce, page_or_fragment, render, wants_fragment

FORMS_BY_NAME = {
    "strain": StrainForm,
    "bottle": BottleForm,
    "finish": FinishForm,
    "taste": TastingForm,
    "edit": EditBatchForm,
    "discard": DiscardForm,
    "undo": UndoForm,
}
LAZY_FORMS = {
    "taste": TastingForm,
    "bottle": BottleForm,
    "edit": EditBatchForm,
    "discard": DiscardForm,
}


def get_batch(request, pk, batches=None) -> Batch:
    """The signed-in person's batch ``pk`` (from ``batches``, by default with its grains,
    best rating and tastings, as its page shows it); 404 for anyone else's."""
    if batches is None:
        batches = Batch.objects.for_list().with_people().prefetch_related("tasting_notes")
    batch = batches.for_user(request.user).filter(pk=pk).first()
    if batch is None:
        raise not_found_here(request.user, Batch, pk)
    return batch


def _add_notes(request, form):
    """What a saved form wants the person to know (a time read across a clock change)."""
    for note in form.time_notes:
        messages.warning(request, note)


def _said(done, form):
    """What the live region says after an htmx save: what was done, and any note."""
    return " ".join([done, *form.time_notes])


def _show_notes(response, form):
    """An htmx answer whose notes sit at the top of what it swaps in: scrolled into view
    (the form that was sent may be far down the page)."""
    return reswap(response, "outerHTML show:top") if form.time_notes else response


def _next_url(request, default):
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if target and safe else default


# ---- Today ----


def _start_form(request, culture):
    initial = services.next_batch_initial(culture, getattr(culture, "last_batch", None))
    return StartBatchForm(culture=culture, user=request.user, initial=initial)


def _today_context(request, bound_form=None, open_culture=None):
    """Today's cards. Only the start form asked for (``open_culture``, or one sent back
    with errors) is rendered; the others load when their card is opened."""
    cultures = services.startable_cultures_with_last_batch(request.user)
    cycle_today = today_for(request.user, cultures)
    for extra in (bound_form and bound_form.culture, open_culture):
        if extra is not None and extra not in cultures:
            cultures.append(extra)
    running = {batch.culture_id: batch for batch in cycle_today.fermenting}
    for culture in cultures:
        culture.running = running.get(culture.pk)  # no second start while it ferments
        culture.start_form = None
        if bound_form is not None and culture == bound_form.culture:
            culture.start_form = bound_form
        elif culture == open_culture:
            culture.start_form = _start_form(request, culture)
    return {
        "fermenting": cycle_today.fermenting,
        "today_cycle": cycle_today,
        "shown_at": cycle_today.now,
        "cultures": cultures,
    }


def _today_card(request, batch, action_form=None, notes=()):
    """One card of Today, after a one-tap action from it (or its form's errors)."""
    now = timezone.now()
    model = model_for(request.user) if batch.strained_at is None else None
    context = {
        "batch": add_card_facts(batch, now, model),
        "shown_at": now,
        "action_form": action_form,
        "card_notes": notes,
    }
    return render(request, "batches/_today_card.html", context)


@require_safe
@vary_on_headers("HX-Request")
def today(request):
    """Today; ``?start=<grains>`` opens that start form (htmx: the form alone)."""
    asked = request.GET.get("start", "")
    culture = None
    if asked:
        pk = parse_id(asked)
        if pk is None:
            raise Http404("No such grains.")
        culture = get_culture(request, pk, services.startable_cultures())
        culture.last_batch = services.last_batch(culture)
        if wants_fragment(request):
            form = _start_form(request, culture)
            return render(request, "batches/today.html#start_form", {"form": form})
    context = _today_context(request, open_culture=culture)
    return page_or_fragment(request, "batches/today.html", "today_body", context)


def _started(culture, batch, repeated) -> str:
    """What a person is told after Start; ``batch`` is None if a repeat's batch was deleted."""
    if repeated:
        return sent_twice(batch and f"batch {batch.number} of {culture.name}")
    return f"Started batch {batch.number} of {culture.name} in {batch.get_base_display()}."


@require_POST
@vary_on_headers("HX-Request")
def start(request, culture_pk):
    culture = get_culture(request, culture_pk)
    form = StartBatchForm(request.POST, culture=culture, user=request.user)
    if form.is_valid():
        fields = form.cleaned_data
        key = fields.pop("once")
        try:
            batch, repeated = once(
                request.user, key, lambda: services.start_batch(request.user, culture, **fields)
            )
        except ValidationError as error:
            add_model_errors(form, error)
        else:
            done = _started(culture, batch, repeated)
            if wants_fragment(request):
                context = {**_today_context(request), "notes": form.time_notes}
                response = render(request, "batches/today.html#today_body", context)
                focus = f"#batch-{batch.pk}" if batch else "#today-body"
                return _show_notes(announce(response, _said(done, form), focus), form)
            messages.add_message(request, messages.INFO if repeated else messages.SUCCESS, done)
            _add_notes(request, form)
            return redirect("batches:today")
    if wants_fragment(request):
        response = render(request, "batches/today.html#start_form", {"form": form})
        return reswap(retarget(response, f"#{form.form_id}"), "outerHTML")
    return render(request, "batches/today.html", _today_context(request, bound_form=form))


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def coach(request, culture_pk):
    """The ratio coach of a start form (batches.coach); saves nothing. As the person
    types (htmx GET): its answer alone. "Work it out" or "Use these amounts" without
    JavaScript (POST): the start form as typed, or with the amounts used, and the answer."""
    culture = get_culture(request, culture_pk)
    data = request.POST if request.method == "POST" else request.GET
    form = CoachForm(data, culture=culture, user=request.user)
    advice = advise(form, model_for(request.user))
    if request.method != "POST" and wants_fragment(request):
        context = {"coach_advice": advice, "coach_live": True}
        return render(request, "batches/_coach.html#coach_answer", context)
    typed = {name: data[name] for name in data if name != "csrfmiddlewaretoken"}
    if "use" in data:
        typed.update(advice.fill)
    start_form = StartBatchForm(culture=culture, user=request.user, initial=typed)
    start_form.asks_to_confirm = "amounts_confirmed" in data
    context = {"form": start_form, "coach_advice": advice}
    if wants_fragment(request):
        response = render(request, "batches/today.html#start_form", context)
        return reswap(retarget(response, f"#{start_form.form_id}"), "outerHTML")
    context = {**_today_context(request, bound_form=start_form), **context}
    return render(request, "batches/today.html", context)


# ---- History ----


def _history_url(**params):
    """History's address with the filters that are set (empty ones left out)."""
    query = QueryDict(mutable=True)
    query.update({key: value for key, value in params.items() if value})
    url = reverse("batches:history")
    return f"{url}?{query.urlencode()}" if query else url


@require_safe
@vary_on_headers("HX-Request")
def history(request):
    """History; ``?form=filters`` opens the folded filters (htmx: the filter fields alone)."""
    form = HistoryFilterForm(request.GET, user=request.user)
    asked = request.GET.get("form") == "filters"
    folded = ("culture", "base", "status", "min_rating")
    context = {
        "form": form,
        "page": None,
        "filters_open": asked or any(map(request.GET.get, folded)),
    }
    if asked and wants_fragment(request):
        return render(request, "batches/history.html#filter_fields", context)
    if not form.is_valid():
        return render(request, "batches/history.html", context, status=400)
    cursor, through = form.cleaned_data["cursor"], form.cleaned_data["through"]
    filters = {name: request.GET.get(name, "") for name in form.fields if name not in form.PLACE}
    batches = form.filter(Batch.objects.for_user(request.user))
    if through:
        page = keyset_through(batches.for_rows(), through)
    else:
        page = keyset_page(batches.for_rows(), cursor)
    context.update(page=page, cursor=cursor, newest_url=_history_url(**filters))
    if page.next_cursor:
        context["next_url"] = _history_url(**filters, cursor=page.next_cursor)
    if cursor and wants_fragment(request):
        # The rows loaded as the list scrolls; the address now says how far it goes.
        through = page.last_cursor or str(cursor)
        response = render(request, "batches/history.html#rows", context)
        return replace_url(response, _history_url(**filters, through=through))
    if form.is_filtered:
        context["matches"] = {
            "count": batches.count(),
            "words": form.cleaned_data["q"].strip(),
            "filtered": any(form.cleaned_data[name] for name in folded),
        }
    if not wants_fragment(request):
        return render(request, "batches/history.html", context)
    # The address bar shows the filters that are set, not every empty field of the form.
    return push_url(render(request, "batches/history.html#results", context), context["newest_url"])


# ---- one batch ----


class _Forms(dict):
    """The batch's action forms by name, each made when the page first shows it."""

    def __init__(self, batch, user):
        super().__init__()
        self.batch, self.user = batch, user

    def __missing__(self, name):
        form = self[name] = FORMS_BY_NAME[name](batch=self.batch, user=self.user)
        return form


def _detail_context(request, batch, bound_form=None, open_form=""):
    """The batch page; of the forms folded away, only a bound one (sent back with
    its errors) or ``open_form`` is rendered (the rest load when opened)."""
    forms = _Forms(batch, request.user)
    if bound_form is not None:
        forms[bound_form.name] = bound_form
        open_form = bound_form.name
    if batch.status == "fermenting":
        batch.estimate = services.estimate(batch, model_for(request.user))
    return {"batch": batch, "forms": forms, "open_form": open_form}


@require_safe
@vary_on_headers("HX-Request")
def batch_detail(request, pk):
    """A batch; ``?form=taste``, ``bottle``, ``edit`` or ``discard`` opens that form
    (htmx: the form alone)."""
    batch = get_batch(request, pk)
    form_name = request.GET.get("form", "")
    if form_name:
        if form_name not in LAZY_FORMS:
            raise Http404("No such form.")
        if wants_fragment(request):
            form = LAZY_FORMS[form_name](batch=batch, user=request.user)
            return render(request, "batches/_action_form.html", {"form": form})
    context = _detail_context(request, batch, open_form=form_name)
    return page_or_fragment(request, "batches/detail.html", "body", context)


def _batch_action(request, pk, form_class, action, done):
    """Validate ``form_class`` on the POST and run ``action(batch, **cleaned_data)``.

    Answers where the form was posted from (its ``next``): Today's card of the batch,
    or the batch page; without htmx, a redirect there, or the page with the form's errors.
    ``done`` says what happened to ``{batch}``: "Strained {batch}." is "Strained batch 4
    of Little B."; with htmx, the focus goes to the batch's heading (Today: its card).
    """
    # The batch with its grains; its tastings are fetched only for a page that shows them.
    batch = get_batch(request, pk, Batch.objects.select_related("culture"))
    form = form_class(request.POST, batch=batch, user=request.user)
    on_today = _next_url(request, "") == reverse("batches:today")
    if form.is_valid():
        fields = form.cleaned_data
        key = fields.pop("once", None)
        try:
            _, repeated = once(request.user, key, lambda: action(batch, by=request.user, **fields))
        except ValidationError as error:
            add_model_errors(form, error)
        except Batch.DoesNotExist:
            raise Http404("This batch was deleted.") from None
        else:
            this_batch = f"batch {batch.number} of {batch.culture.name}"
            done = done.format(batch=this_batch)
            if repeated:
                done = sent_twice(form.made_by_it.format(batch=this_batch))
            if not wants_fragment(request):
                messages.add_message(request, messages.INFO if repeated else messages.SUCCESS, done)
                _add_notes(request, form)
                return redirect(_next_url(request, batch.get_absolute_url()))
            if on_today:
                card = _today_card(request, batch, notes=form.time_notes)
                return announce(card, _said(done, form), f"#batch-{batch.pk}")
            batch = get_batch(request, pk)
            context = {**_detail_context(request, batch), "notes": form.time_notes}
            response = render(request, "batches/detail.html#body", context)
            heading = "#tasting-heading" if form_class is TastingForm else "#batch-heading"
            return _show_notes(announce(response, _said(done, form), heading), form)
    if not wants_fragment(request):
        context = _detail_context(request, get_batch(request, pk), form)
        return render(request, "batches/detail.html", context)
    if on_today:
        return _today_card(request, batch, form)
    response = render(request, "batches/_action_form.html", {"form": form})
    return reswap(retarget(response, f"#{form.form_id}"), "outerHTML")


@require_POST
@vary_on_headers("HX-Request")
def strain(request, pk):
    return _batch_action(request, pk, StrainForm, services.strain_batch, "Strained {batch}.")


@require_POST
@vary_on_headers("HX-Request")
def bottle(request, pk):
    return _batch_action(
        request, pk, BottleForm, services.bottle_batch, "Bottled {batch} for a second ferment."
    )


@require_POST
@vary_on_headers("HX-Request")
def finish(request, pk):
    return _batch_action(
        request,
        pk,
        FinishForm,
        services.finish_second_ferment,
        "Finished the second ferment of {batch}.",
    )


@require_POST
@vary_on_headers("HX-Request")
def taste(request, pk):
    return _batch_action(
        request, pk, TastingForm, services.add_tasting_note, "Added a tasting note to {batch}."
    )


@require_POST
@vary_on_headers("HX-Request")
def edit(request, pk):
    return _batch_action(request, pk, EditBatchForm, services.update_batch, "Saved {batch}.")


@require_POST
@vary_on_headers("HX-Request")
def undo(request, pk):
    return _batch_action(
        request, pk, UndoForm, services.undo_last_action, "Took back the last change to {batch}."
    )


@require_POST
@vary_on_headers("HX-Request")
def discard(request, pk):
    return _batch_action(request, pk, DiscardForm, services.discard_batch, "Discarded {batch}.")


@require_http_methods(["GET", "HEAD", "POST"])
@vary_on_headers("HX-Request")
def delete(request, pk):
    """GET asks first (the page without JavaScript); POST deletes the batch and its tastings."""
    batch = get_batch(request, pk)
    if request.method == "POST":
        batch.delete()
        started = dates.day_and_month(timezone.localtime(batch.started_at))
        messages.success(request, f"Deleted the batch of {batch.culture.name} from {started}.")
        if wants_fragment(request):
            return HttpResponseClientRedirect(reverse("batches:history"))
        return redirect("batches:history")
    return page_or_fragment(request, "batches/delete.html", "confirm", {"batch": batch})
