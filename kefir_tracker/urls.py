from django.contrib import admin
from django.urls import include, path

from kefir_tracker import offline

urlpatterns = [
    path("sw.js", offline.service_worker, name="service_worker"),
    path("offline/", offline.offline_page, name="offline"),
    path("", include("kefir_tracker.batches.urls")),
    path("grains/", include("kefir_tracker.grains.urls")),
    path("insights/", include("kefir_tracker.insights.urls")),
    path("account/", include("kefir_tracker.accounts.urls")),
    path("account/data/", include("kefir_tracker.archive.urls")),
    path("account/notifications/", include("kefir_tracker.push.urls")),
    path("kitchen/", include("kefir_tracker.kitchens.urls")),
    path("", include("kefir_tracker.reminders.urls")),
    path("", include("kefir_tracker.sharing.urls")),
    path("", include("kefir_tracker.labels.urls")),
    path("", include("kefir_tracker.gifts.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "kefir_tracker.errors.bad_request"
handler403 = "kefir_tracker.errors.permission_denied"
handler404 = "kefir_tracker.errors.page_not_found"
handler500 = "kefir_tracker.errors.server_error"
