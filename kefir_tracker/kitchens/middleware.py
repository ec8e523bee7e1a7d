from kefir_tracker.kitchens.models import InAnotherKitchen
from kefir_tracker.templating import render


class AnotherKitchenMiddleware:
    """A link to grains or a batch of another of the person's kitchens is no dead end:
    the 404 says which kitchen it is in and offers to switch there."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, InAnotherKitchen):
            return None
        context = {"kitchen": exception.kitchen, "next": request.get_full_path()}
        return render(request, "kitchens/elsewhere.html", context, status=404)
