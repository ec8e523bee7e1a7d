from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Lower
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from kefir_tracker.batches.models import Batch
from kefir_tracker.batches.pagination import InvalidCursor, keyset_page
from kefir_tracker.gifts import cards as gift_cards
from kefir_tracker.gifts import services as gifts
from kefir_tracker.grains import services
from kefir_tracker.grains.chart import chart_of
from kefir_tracker.grains.forms import (
    CultureEditForm,
    CultureForm,
    GiveAwayForm,
    SplitForm,
    StatusForm,
    WeighForm,
)
from kefir_tracker.grains.lineage import family_of, forest
from kefir_tracker.grains.models import MILK_CHANGE_AFTER, Culture, Status, Weighing
from kefir_tracker.kitchens.models import not_found_here
from kefir_tracker.submissions.services import earlier_submission, once, sent_twice
from kefir_tracker.templating import announce, render, wants_fragment

STATUS_ORDER = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(Status)),
    output_field=IntegerField(),
)


def get_culture(request, pk, cultures=None) -> Culture:
    """The signed-in person's grains ``pk`` (from ``cultures``, by default all of them);
    404 for anyone else's."""
    if cultures is None:
        cultures = Culture.objects.all()
    culture = cultures.for_user(request.user).filter(pk=pk).first()
    if culture is None:
        raise not_found_here(request.user, Culture, pk)
    return culture


LAZY_FORMS = {
    "weigh": "weigh_form",
    "split": "split_form",
    "give": "give_form",
    "edit": "edit_form",
}


@require_safe
def culture_list(request):
    cultures = (
        Culture.objects.with_lineage(request.user)
        .with_stats()
        .order_by(STATUS_ORDER, Lower("name"))
    )
    return render(request, "grains/list.html", {"cultures": cultures})


@require_safe
def lineage_overview(request):
    cultures = Culture.objects.with_lineage(request.user).with_stats()
    return render(request, "grains/lineage.html", {"lineages": forest(cultures)})


@require_http_methods(["GET", "HEAD", "POST"])
def culture_create(request):
    if request.method == "POST":
        # Sent again: the name is taken now, by the grains the first one added.
        earlier = earlier_submission(request.user, request.POST.get("once", ""))
        if earlier is not None:
            culture = earlier.made()
            messages.info(request, sent_twice(culture and culture.name))
            return redirect(culture or "grains:list")
    form = CultureForm(request.POST or None, owner=request.user)
    if form.is_valid():
        culture, _ = once(request.user, form.cleaned_data["once"], form.save)
        return redirect(culture)
    return render(request, "grains/create.html", {"form": form})


def _lazy_form(name, culture, user):
    """An action form, rendered only when asked for: forms are most of the cost of
    a page, and the edit form's list of parents can be as long as all one's grains."""
    if name == "weigh_form":
        return WeighForm()
    if name == "split_form":
        return SplitForm(culture=culture)
    if name == "give_form":
        return GiveAwayForm()
    return CultureEditForm(instance=culture, owner=user)


@require_safe
@vary_on_headers("HX-Request")
def culture_detail(request, pk):
    """The culture page; ``?cursor=`` pages through its batches (htmx: only the rows);
    ``?form=weigh``, ``split``, ``give`` or ``edit`` opens that form (htmx: the form alone)."""
    cursor = request.GET.get("cursor") or None
    form = request.GET.get("form", "")
    if form:
        name = LAZY_FORMS.get(form)
        if name is None:
            raise Http404("No such form.")
        if wants_fragment(request):
            culture = get_culture(request, pk, Culture.objects.with_stats())
            context = {"culture": culture, name: _lazy_form(name, culture, request.user)}
            return render(request, f"grains/detail.html#{form}_form", context)
        return _culture_page(request, pk, cursor=cursor, open_lazy=name)
    if wants_fragment(request) and cursor:
        culture = get_culture(request, pk)
        context = {"culture": culture, **_batch_page(request, culture, cursor)}
        return render(request, "grains/detail.html#batch_rows", context)
    return _culture_page(request, pk, cursor=cursor)


def _batch_page(request, culture, cursor):
    """One page of the culture's batches, newest first, numbered "batch N" for good."""

    batches = Batch.objects.for_user(request.user).filter(culture=culture)
    try:
        page = keyset_page(batches.for_rows(), cursor)
    except InvalidCursor:
        raise BadRequest("That page of batches does not exist.") from None
    next_url = f"{culture.get_absolute_url()}?cursor={page.next_cursor}" if page.next_cursor else ""
    return {"page": page, "cursor": cursor, "next_url": next_url}


def _culture_page(request, pk, *, cursor=None, open_lazy="", **forms):
    """The culture page, or for htmx only its panel (everything above the batches)."""
    try:
        lineage = family_of(request.user, pk)
    except Culture.DoesNotExist:
        raise not_found_here(request.user, Culture, pk) from None
    culture = lineage.culture
    now = timezone.now()
    context = {
        "culture": culture,
        "lineage": lineage,
        "chart": SimpleLazyObject(lambda: chart_of(culture, now)),
        "status_actions": _status_actions(culture),
        "status_changes": list(culture.status_changes.all()),
        "gifts": gift_cards.gift_section(request, culture),
    }
    for name in LAZY_FORMS.values():
        if name in forms:
            context[name] = forms[name]
        elif name == open_lazy:
            context[name] = _lazy_form(name, culture, request.user)
    if wants_fragment(request):
        return render(request, "grains/detail.html#panel", context)
    context.update(_batch_page(request, culture, cursor))
    return render(request, "grains/detail.html", context)


def _status_actions(culture):
    """The status buttons that make sense now, in the order people reach for them."""
    labels = {
        Status.RESTING: "Rest in the fridge",
        Status.DRIED: "Dry",
        Status.ACTIVE: "Revive",
        Status.RETIRED: "Retire",
    }
    allowed = services.TRANSITIONS[Status(culture.status)]
    return [(status, label) for status, label in labels.items() if status in allowed]


def _done(request, pk, message, *, level=messages.SUCCESS):
    """After a change (or a refused button): the fresh panel for htmx, with the message
    announced and the focus on the heading; a redirect (PRG) otherwise."""
    if wants_fragment(request):
        tag = "error" if level == messages.ERROR else "success"
        return announce(_culture_page(request, pk), message, "#culture-heading", tag)
    messages.add_message(request, level, message)
    return redirect("grains:detail", pk=pk)


def _refused(request, pk, error: ValidationError, form_name, form):
    """A change the service refused: the message next to the form, nothing saved."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
    return _culture_page(request, pk, **{form_name: form})


@require_POST
@vary_on_headers("HX-Request")
def culture_weigh(request, pk):
    culture = get_culture(request, pk)
    form = WeighForm(request.POST, instance=Weighing(culture=culture))
    if not form.is_valid():
        return _culture_page(request, pk, weigh_form=form)
    grams, weighed_at = form.cleaned_data["grams"], form.cleaned_data["weighed_at"]
    _, repeated = once(
        request.user, form.cleaned_data["once"], lambda: services.weigh(culture, grams, weighed_at)
    )
    if repeated:
        return _done(request, pk, sent_twice(f"{culture.name} weighed {grams:g} g"))
    return _done(request, pk, f"Weighed {culture.name}: {grams:g} g.")


@require_POST
@vary_on_headers("HX-Request")
def culture_split(request, pk):
    culture = get_culture(request, pk, Culture.objects.with_stats())
    form = SplitForm(request.POST, culture=culture)
    if not form.is_valid():
        return _culture_page(request, pk, split_form=form)
    portions, total_g = form.cleaned_data["portions"], form.cleaned_data["total_g"]
    try:
        children, repeated = once(
            request.user,
            form.cleaned_data["once"],
            lambda: services.split_culture(culture, portions, total_g),
        )
    except ValidationError as error:
        return _refused(request, pk, error, "split_form", form)
    if repeated:
        return _done(request, pk, sent_twice(f"the split of {culture.name}"))
    names = ", ".join(child.name for child in children)
    return _done(request, pk, f"Split {culture.name} into {names}.")


@require_POST
@vary_on_headers("HX-Request")
def culture_status(request, pk):
    culture = get_culture(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Unknown status.")
    try:
        services.change_status(culture, form.cleaned_data["status"])
    except ValidationError as error:
        return _done(request, pk, " ".join(error.messages), level=messages.ERROR)
    return _done(request, pk, f"{culture.name}: {culture.get_status_display()}.")


@require_POST
@vary_on_headers("HX-Request")
def culture_undo_status(request, pk):
    culture = get_culture(request, pk)
    try:
        undone = services.undo_status_change(culture)
    except ValidationError as error:
        return _done(request, pk, " ".join(error.messages), level=messages.ERROR)
    again = f"{culture.name} are {culture.get_status_display()} again"
    return _done(request, pk, f"Took back “{undone.description}”: {again}.")


@require_POST
@vary_on_headers("HX-Request")
def culture_give_away(request, pk):
    culture = get_culture(request, pk)
    form = GiveAwayForm(request.POST)
    if not form.is_valid():
        return _culture_page(request, pk, give_form=form)
    try:
        with transaction.atomic():
            services.change_status(culture, Status.GIVEN_AWAY, form.cleaned_data["given_to"])
            if form.cleaned_data["make_gift"]:
                share_ancestry = form.cleaned_data["share_ancestry"]
                new = gifts.make_gift(request.user, culture, share_ancestry=share_ancestry)
    except ValidationError as error:
        return _refused(request, pk, error, "give_form", form)
    if form.cleaned_data["make_gift"]:
        gift_cards.remember_new_gift(request, new)
        messages.success(request, f"Gave {culture.name} to {culture.given_to}, with a gift link.")
        return redirect(f"{culture.get_absolute_url()}#gift")
    return _done(request, pk, f"Gave {culture.name} to {culture.given_to}.")


@require_POST
@vary_on_headers("HX-Request")
def culture_rest_milk(request, pk):
    culture = get_culture(request, pk)
    try:
        services.change_rest_milk(culture)
    except ValidationError as error:
        return _done(request, pk, " ".join(error.messages), level=messages.ERROR)
    every = MILK_CHANGE_AFTER.days
    return _done(
        request, pk, f"Fresh {culture.food} for {culture.name}: next change in {every} days."
    )


@require_POST
@vary_on_headers("HX-Request")
def culture_edit(request, pk):
    culture = get_culture(request, pk)
    form = CultureEditForm(request.POST, instance=culture, owner=request.user)
    if not form.is_valid():
        return _culture_page(request, pk, edit_form=form)
    form.save()
    return _done(request, pk, f"Saved {culture.name}.")


@require_POST
def culture_delete(request, pk):
    culture = get_culture(request, pk)
    try:
        services.delete_culture(culture)
    except ValidationError as error:
        return _done(request, pk, " ".join(error.messages), level=messages.ERROR)
    messages.success(request, f"Deleted {culture.name}.")
    return redirect("grains:list")
