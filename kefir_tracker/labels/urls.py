from django.urls import path

from kefir_tracker.labels import views

app_name = "labels"

urlpatterns = [
    path("labels/", views.choose, name="choose"),
    path("labels/print/", views.print_sheet, name="print"),
    path("j/<str:code>", views.jar, name="jar"),
]
