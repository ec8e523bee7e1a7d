from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kefir_tracker.accounts import views
from kefir_tracker.accounts.forms import NewPasswordForm, SignInForm

app_name = "accounts"

urlpatterns = [
    path(
        "sign-in/",
        views.first_run_first(
            auth_views.LoginView.as_view(
                template_name="accounts/sign_in.html",
                authentication_form=SignInForm,
                redirect_authenticated_user=True,
            )
        ),
        name="login",
    ),
    path("welcome/", views.first_run, name="first_run"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("", views.account, name="account"),
    path("reminders/", views.reminders, name="reminders"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html",
            form_class=NewPasswordForm,
            success_url=reverse_lazy("accounts:password_changed"),
        ),
        name="password_change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_changed.html"),
        name="password_changed",
    ),
]
