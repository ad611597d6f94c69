"""Accounts in the admin: users by email, with their role (group); one sign-in page."""

from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts import forms as account_forms
from accounts import roles

User = get_user_model()

_admin_login = admin.site.login


def admin_login(request, extra_context=None):
    """Anonymous visitors of the admin sign in on the portal's own page (throttled, French)."""
    if request.user.is_authenticated:
        # Signed in without access: the admin says so and offers another account.
        return _admin_login(request, extra_context)
    return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"))


admin.site.login = admin_login


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "groups")

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise self.instance.unique_error_message(User, ["email"])
        return email


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("full_name",)}),
        (
            "Rôle et accès",
            {
                "fields": ("is_active", "groups", "is_staff", "is_superuser", "user_permissions"),
                "description": (
                    "Le rôle est donné par le groupe : « Équipe projet », « Élus » ou "
                    "« Administration ». Les groupes Équipe projet et Administration ouvrent "
                    "l'administration."
                ),
            },
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "full_name",
                    "groups",
                    "usable_password",
                    "password1",
                    "password2",
                ),
                "description": (
                    "Sans mot de passe, envoyez ensuite à la personne un lien pour le choisir "
                    "(action « Envoyer un lien pour choisir le mot de passe »)."
                ),
            },
        ),
    )
    list_display = ("email", "full_name", "role_names", "is_staff", "is_active", "last_login")
    list_filter = ("groups", "is_staff", "is_active", "is_superuser")
    search_fields = ("email", "full_name")
    ordering = ("email",)
    readonly_fields = ("last_login", "date_joined")
    actions = ["send_password_link"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="rôles")
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all()) or "—"

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        staff_groups = {roles.TEAM, roles.ADMINISTRATION}
        if not user.is_staff and staff_groups & {group.name for group in user.groups.all()}:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            messages.info(
                request,
                f"{user.email} peut maintenant ouvrir l'administration (rôle de l'équipe "
                "ou de l'administration).",
            )

    @admin.action(
        description="Envoyer un lien pour choisir le mot de passe", permissions=["change"]
    )
    def send_password_link(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            form = account_forms.PasswordResetForm(data={"email": user.email})
            if form.is_valid():
                form.save(
                    request=request,
                    use_https=request.is_secure(),
                    subject_template_name="registration/password_reset_subject.txt",
                    email_template_name="registration/password_reset_email.txt",
                )
                sent += 1
        messages.success(request, f"Lien envoyé à {sent} compte{'s' if sent > 1 else ''}.")
