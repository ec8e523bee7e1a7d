from django.urls import path

from kefir_tracker.grains import views

app_name = "grains"

urlpatterns = [
    path("", views.culture_list, name="list"),
    path("new/", views.culture_create, name="create"),
    path("<int:pk>/", views.culture_detail, name="detail"),
]
