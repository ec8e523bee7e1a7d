from django.urls import path

from kefir_tracker.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.your_data, name="your_data"),
    path("kefir.json", views.export_json, name="export_json"),
    path("batches.csv", views.export_csv, name="export_csv"),
]
