from django.urls import path

from kefir_tracker.batches import views

app_name = "batches"

urlpatterns = [
    path("", views.today, name="today"),
    path("history/", views.history, name="history"),
    path("batches/start/<int:culture_pk>/", views.start, name="start"),
    path("batches/<int:pk>/", views.batch_detail, name="detail"),
    path("batches/<int:pk>/strain/", views.strain, name="strain"),
    path("batches/<int:pk>/bottle/", views.bottle, name="bottle"),
    path("batches/<int:pk>/finish/", views.finish, name="finish"),
    path("batches/<int:pk>/taste/", views.taste, name="taste"),
    path("batches/<int:pk>/edit/", views.edit, name="edit"),
    path("batches/<int:pk>/discard/", views.discard, name="discard"),
    path("batches/<int:pk>/delete/", views.delete, name="delete"),
]
