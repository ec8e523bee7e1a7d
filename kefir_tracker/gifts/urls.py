from django.urls import path

from kefir_tracker.gifts import views

app_name = "gifts"

urlpatterns = [
    path("gift/<str:key>/", views.open_gift, name="open"),
    path("gifts/receive/", views.receive, name="receive"),
    path("gifts/receive/file/", views.import_file, name="import_file"),
    path("grains/<int:culture_pk>/gift/", views.make, name="make"),
    path("gifts/<int:pk>/cut/", views.cut_gift, name="cut"),
    path("gifts/<int:pk>/file/", views.download, name="download"),
]
