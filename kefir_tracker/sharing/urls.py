from django.urls import path

from kefir_tracker.sharing import views

app_name = "sharing"

urlpatterns = [
    path("shared/<str:token>/", views.shared, name="shared"),
    path("grains/<int:culture_pk>/share/", views.manage, name="manage"),
    path("grains/<int:culture_pk>/share/new/", views.create, name="create"),
    path("shares/<int:pk>/off/", views.revoke_link, name="revoke"),
]
