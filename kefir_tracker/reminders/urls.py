from django.urls import path

from kefir_tracker.reminders import views

app_name = "reminders"

urlpatterns = [
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("account/calendar/new/", views.new_link, name="new_link"),
    path("account/calendar/off/", views.revoke, name="revoke"),
    path("batches/<int:pk>/calendar.ics", views.batch_calendar, name="batch_calendar"),
]
