from django.urls import path

from kefir_tracker.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.insights, name="insights"),
]
