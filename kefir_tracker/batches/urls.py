from django.urls import path

from kefir_tracker.batches import views

app_name = "batches"

urlpatterns = [
    path("", views.today, name="today"),
    path("history/", views.history, name="history"),
    path("batches/<int:pk>/", views.batch_detail, name="detail"),
]
