import zoneinfo

from django.utils import timezone

from kefir_tracker import dates


class UserTimeZoneMiddleware:
    """Show every time in the signed-in user's own time zone (stored in UTC), on their
    clock (12 or 24 hours) and with their order of day and month."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            dates.activate(
                twelve_hour=user.clock_hours == "12", month_first=user.date_order == "md"
            )
        else:
            timezone.deactivate()
            dates.deactivate()
        try:
            return self.get_response(request)
        finally:
            # The zone is the thread's until deactivated: it must not outlive the
            # request (into the next one's first middleware, or a test's own code).
            timezone.deactivate()
            dates.deactivate()
