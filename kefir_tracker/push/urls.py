from django.urls import path

from kefir_tracker.push import views

app_name = "push"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("unsubscribe/", views.unsubscribe, name="unsubscribe"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("test/", views.send_test, name="send_test"),
]
