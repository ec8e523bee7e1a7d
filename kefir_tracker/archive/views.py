from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from kefir_tracker.archive.exchange import export_data, write_batches_csv
from kefir_tracker.archive.forms import ImportForm
from kefir_tracker.archive.importing import ImportRefused, import_file


def attachment(response, request, extension):
    day = timezone.localdate().isoformat()
    name = f"kefir-{request.user.username}-{day}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    # A whole account's data: kept by no cache, not even the browser's own.
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def your_data(request):
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    problems = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = import_file(request.user, upload.read(), upload.name)
        except ImportRefused as refusal:
            if refusal.about_the_file:
                form.add_error("file", refusal.problems)
            else:
                problems = refusal.problems
        else:
            messages.success(request, str(summary))
            return redirect("archive:your_data")
    return render(request, "archive/your_data.html", {"form": form, "problems": problems})


@require_safe
def export_json(request):
    response = JsonResponse(
        export_data(request.user), json_dumps_params={"indent": 1, "ensure_ascii": False}
    )
    return attachment(response, request, "json")


@require_safe
def export_csv(request):
    # A byte-order mark tells Excel the file is UTF-8 (names with accents, emoji).
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    write_batches_csv(request.user, response)
    return attachment(response, request, "csv")
