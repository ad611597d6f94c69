"""Create an account in its role's group and print a one-time link to set its password."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email

from accounts import roles, services
from core.seo import DEVELOPMENT_SITE_URL


class Command(BaseCommand):
    help = (
        "Crée un compte (équipe-projet, élu ou administration) sans mot de passe et affiche "
        "un lien à usage unique pour que la personne choisisse le sien."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="adresse électronique, qui sert d'identifiant")
        parser.add_argument(
            "--role",
            required=True,
            choices=sorted(roles.ROLES),
            help="equipe : équipe projet ; elu : élus ; admin : administration",
        )
        parser.add_argument("--name", default="", help="nom complet, par exemple « Marie Dupont »")
        parser.add_argument(
            "--base-url",
            default="",
            help=(
                "adresse du site pour le lien (défaut : PORTAL_SITE_URL, sinon "
                f"{DEVELOPMENT_SITE_URL})"
            ),
        )

    def handle(self, *args, email, role, name, base_url, **options):
        try:
            validate_email(email)
        except ValidationError as error:
            raise CommandError(f"Adresse électronique invalide : « {email} ».") from error
        try:
            user = services.create_account(email, role, full_name=name.strip())
        except services.AccountExists as error:
            raise CommandError(
                f"Un compte existe déjà pour « {email} ». Pour un nouveau lien, la personne "
                "peut utiliser « Mot de passe oublié » sur la page de connexion."
            ) from error
        link = services.set_password_link(user, base_url=base_url or None)
        if not base_url and not settings.PORTAL.get("SITE_URL"):
            self.stdout.write(
                "PORTAL_SITE_URL n'est pas défini : le lien vise le serveur de développement."
            )
        group_name, is_staff = roles.ROLES[role]
        days = settings.PASSWORD_RESET_TIMEOUT // 86400
        self.stdout.write(
            self.style.SUCCESS(f"Compte créé : {user.email} (groupe « {group_name} »).")
        )
        if is_staff:
            self.stdout.write("Ce compte peut ouvrir l'administration.")
        self.stdout.write(
            f"Lien pour choisir le mot de passe (une seule fois, valable {days} jours) :"
        )
        self.stdout.write(link)
