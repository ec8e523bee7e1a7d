from django.shortcuts import get_object_or_404, render

from kefir_tracker.grains.models import Culture


def culture_list(request):
    cultures = Culture.objects.for_user(request.user)
    return render(request, "grains/list.html", {"cultures": cultures})


def culture_detail(request, pk):
    culture = get_object_or_404(Culture.objects.for_user(request.user), pk=pk)
    return render(request, "grains/detail.html", {"culture": culture})
