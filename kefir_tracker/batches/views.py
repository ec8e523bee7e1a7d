from django.shortcuts import get_object_or_404, render

from kefir_tracker.batches.models import Batch


def today(request):
    batches = Batch.objects.for_user(request.user).fermenting().select_related("culture")
    return render(request, "batches/today.html", {"batches": batches})


def history(request):
    batches = Batch.objects.for_user(request.user).select_related("culture")[:25]
    return render(request, "batches/history.html", {"batches": batches})


def batch_detail(request, pk):
    batch = get_object_or_404(Batch.objects.for_user(request.user), pk=pk)
    return render(request, "batches/detail.html", {"batch": batch})
