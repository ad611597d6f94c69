from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from accounts import forms, views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "connexion/",
        # No redirect_authenticated_user: a signed-in account without admin access,
        # sent here by the admin, would bounce between the two pages.
        auth_views.LoginView.as_view(authentication_form=forms.SignInForm),
        name="login",
    ),
    path("deconnexion/", views.sign_out, name="logout"),
    path(
        "mot-de-passe/",
        auth_views.PasswordChangeView.as_view(
            form_class=forms.PasswordChangeForm,
            # Not registration/…: the admin's own password change uses those names.
            template_name="accounts/password_change_form.html",
            success_url=reverse_lazy("accounts:password_change_done"),
        ),
        name="password_change",
    ),
    path(
        "mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/password_change_done.html"
        ),
        name="password_change_done",
    ),
    path(
        "mot-de-passe-oublie/",
        auth_views.PasswordResetView.as_view(
            form_class=forms.PasswordResetForm,
            email_template_name="registration/password_reset_email.txt",
            subject_template_name="registration/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=forms.SetPasswordForm,
            reset_url_token="nouveau-mot-de-passe",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe-oublie/termine/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
