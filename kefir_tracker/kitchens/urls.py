from django.urls import path

from kefir_tracker.kitchens import views

app_name = "kitchens"

urlpatterns = [
    path("", views.kitchen, name="kitchen"),
    path("invite/", views.invite, name="invite"),
    path("invitations/<int:invitation_pk>/revoke/", views.revoke, name="revoke"),
    path("members/<int:membership_pk>/remove/", views.remove, name="remove"),
    path("rename/", views.rename, name="rename"),
    path("delete/", views.delete, name="delete"),
    path("leave/", views.leave, name="leave"),
    path("switch/", views.switch, name="switch"),
    path("join/", views.join_code, name="join_code"),
    path("join/<str:token>/", views.join, name="join"),
]
