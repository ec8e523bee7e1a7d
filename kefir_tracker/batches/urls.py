from django.urls import include, path

from kefir_tracker.batches import views

app_name = "batches"

one_batch = [
    path("", views.batch_detail, name="detail"),
    path("strain/", views.strain, name="strain"),
    path("bottle/", views.bottle, name="bottle"),
    path("finish/", views.finish, name="finish"),
    path("taste/", views.taste, name="taste"),
    path("edit/", views.edit, name="edit"),
    path("discard/", views.discard, name="discard"),
    path("undo/", views.undo, name="undo"),
    path("delete/", views.delete, name="delete"),
]

urlpatterns = [
    path("", views.today, name="today"),
    path("history/", views.history, name="history"),
    path("batches/start/<int:culture_pk>/", views.start, name="start"),
    path("batches/start/<int:culture_pk>/coach/", views.coach, name="coach"),
    path("batches/<int:pk>/", include(one_batch)),
]
