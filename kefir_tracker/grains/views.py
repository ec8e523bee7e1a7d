from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from kefir_tracker.grains.forms import CultureForm
from kefir_tracker.grains.models import Culture


def culture_list(request):
    cultures = Culture.objects.for_user(request.user)
    return render(request, "grains/list.html", {"cultures": cultures})


def culture_detail(request, pk):
    culture = get_object_or_404(Culture.objects.for_user(request.user), pk=pk)
    return render(request, "grains/detail.html", {"culture": culture})


@require_http_methods(["GET", "POST"])
def culture_create(request):
    form = CultureForm(request.POST or None, owner=request.user)
    if form.is_valid():
        culture = form.save()
        return redirect(culture)
    return render(request, "grains/create.html", {"form": form})
