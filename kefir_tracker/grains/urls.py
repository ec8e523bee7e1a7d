from django.urls import path

from kefir_tracker.grains import views

app_name = "grains"

urlpatterns = [
    path("", views.culture_list, name="list"),
    path("new/", views.culture_create, name="create"),
    path("lineage/", views.lineage_overview, name="lineage"),
    path("<int:pk>/", views.culture_detail, name="detail"),
    path("<int:pk>/weigh/", views.culture_weigh, name="weigh"),
    path("<int:pk>/split/", views.culture_split, name="split"),
    path("<int:pk>/status/", views.culture_status, name="status"),
    path("<int:pk>/give-away/", views.culture_give_away, name="give_away"),
    path("<int:pk>/rest-milk/", views.culture_rest_milk, name="rest_milk"),
    path("<int:pk>/edit/", views.culture_edit, name="edit"),
    path("<int:pk>/delete/", views.culture_delete, name="delete"),
]
