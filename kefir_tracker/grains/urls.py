from django.urls import include, path

from kefir_tracker.grains import views

app_name = "grains"

one_culture = [
    path("", views.culture_detail, name="detail"),
    path("weigh/", views.culture_weigh, name="weigh"),
    path("split/", views.culture_split, name="split"),
    path("status/", views.culture_status, name="status"),
    path("status/undo/", views.culture_undo_status, name="undo_status"),
    path("give-away/", views.culture_give_away, name="give_away"),
    path("rest-milk/", views.culture_rest_milk, name="rest_milk"),
    path("edit/", views.culture_edit, name="edit"),
    path("delete/", views.culture_delete, name="delete"),
]

urlpatterns = [
    path("", views.culture_list, name="list"),
    path("new/", views.culture_create, name="create"),
    path("lineage/", views.lineage_overview, name="lineage"),
    path("<int:pk>/", include(one_culture)),
]
