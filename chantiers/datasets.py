"""This app's open data (/donnees/): the chantiers, the meetings, the actions and their
points d'étape, registered with the export engine in core.export. Each dataset is read in
one query as plain values."""

from django.db.models import OuterRef, Subquery, TextField
from django.urls import reverse
from django.utils import timezone

from chantiers.models import (
    Action,
    ActionStatus,
    AttendanceMode,
    Chantier,
    ChantierStatus,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PointEtape,
    action_url,
)
from core.export import Column, Dataset, GroupConcat, register, stream, table_stats

# ---------------------------------------------------------------------------
# Chantiers


CHANTIER_COLUMNS = (
    Column("slug", "string", "Identifiant du chantier (dans son adresse)."),
    Column("intitule", "string", "Intitulé du chantier."),
    Column(
        "intitule_de_demonstration",
        "string",
        "Nom de démonstration affiché tant que l'intitulé réel reste à préciser.",
    ),
    Column("resume", "string", "Résumé."),
    Column("description", "string", "Description (texte Markdown)."),
    Column("etat", "string", "État : en construction, en action, en pause, terminé ou à préciser."),
    Column("debut", "date", "Date de début (AAAA-MM-JJ), si connue."),
    Column("fin", "date", "Date de fin (AAAA-MM-JJ), si connue."),
    Column("nombre_acteurs", "integer", "Nombre d'acteurs de l'écosystème publiés sur le portail."),
    Column("adresse", "string", "Page du chantier sur le portail."),
    Column("mis_a_jour", "datetime", "Dernière mise à jour (date et heure, heure de Paris)."),
    Column("demonstration", "boolean", "Contenu de démonstration, pas une information réelle."),
)


def chantier_rows(base_url):
    status = dict(ChantierStatus.choices)
    chantiers = (
        Chantier.objects.with_actor_count()
        .order_by("order", "title")
        .values(
            "slug",
            "title",
            "demo_title",
            "summary",
            "description",
            "status",
            "started_on",
            "ended_on",
            "actor_count",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in stream(chantiers):
        yield {
            "slug": row["slug"],
            "intitule": row["title"],
            "intitule_de_demonstration": row["demo_title"],
            "resume": row["summary"],
            "description": row["description"],
            "etat": status.get(row["status"], row["status"]),
            "debut": row["started_on"],
            "fin": row["ended_on"],
            "nombre_acteurs": row["actor_count"],
            "adresse": base_url + reverse("chantiers:chantier_detail", args=[row["slug"]]),
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


# ---------------------------------------------------------------------------
# Meetings


MEETING_COLUMNS = (
    Column("slug", "string", "Identifiant de la réunion (dans son adresse)."),
    Column(
        "type",
        "string",
        "Session (journée de l'équipe-projet) ou Intersession (soirée d'un écosystème).",
    ),
    Column("titre", "string", "Titre."),
    Column("debut", "datetime", "Début (date et heure ISO 8601, heure de Paris)."),
    Column("fin", "datetime", "Fin (date et heure ISO 8601, heure de Paris)."),
    Column("statut", "string", "Prévue, tenue, annulée ou reportée."),
    Column(
        "nouvelle_date",
        "string",
        "Réunion reportée : identifiant de la réunion qui la remplace, si elle est annoncée.",
    ),
    Column("participation", "string", "Sur place, en ligne, ou sur place et en ligne."),
    Column(
        "lien_visio",
        "string",
        "Lien de la visioconférence, quand l'équipe le publie (sinon envoyé aux inscrits).",
    ),
    Column("lieu", "string", "Nom du lieu."),
    Column("adresse_du_lieu", "string", "Adresse du lieu."),
    Column("commune", "string", "Commune du lieu."),
    Column("acces_plain_pied", "boolean", "Lieu accessible de plain-pied ; vide : non renseigné."),
    Column(
        "boucle_magnetique",
        "boolean",
        "Lieu équipé d'une boucle magnétique ; vide : non renseigné.",
    ),
    Column("accessibilite", "string", "Autres informations sur l'accessibilité du lieu."),
    Column(
        "chantier", "string", "Intersession : identifiant du chantier dont l'écosystème se réunit."
    ),
    Column("chantiers_concernes", "string", "Session : identifiants des chantiers travaillés."),
    Column("nombre_participants", "integer", "Nombre de participants, une fois la réunion tenue."),
    Column("ordre_du_jour", "string", "Ordre du jour (texte Markdown)."),
    Column("compte_rendu", "string", "Compte rendu (texte Markdown), une fois publié."),
    Column("adresse", "string", "Page de la réunion sur le portail."),
    Column(
        "version",
        "integer",
        "Augmente à chaque changement de date, de lieu ou de statut (SEQUENCE des calendriers).",
    ),
    Column("mis_a_jour", "datetime", "Dernière mise à jour (date et heure, heure de Paris)."),
    Column("demonstration", "boolean", "Contenu de démonstration, pas une information réelle."),
)


def meeting_rows(base_url):
    kinds, statuses = dict(MeetingKind.choices), dict(MeetingStatus.choices)
    modes = dict(AttendanceMode.choices)
    through = Meeting.chantiers.through
    concerned = (
        through.objects.filter(meeting_id=OuterRef("pk"))
        .order_by()
        .values("meeting_id")
        .annotate(slugs=GroupConcat("chantier__slug"))
        .values("slugs")
    )
    meetings = (
        Meeting.objects.annotate(concerned=Subquery(concerned, output_field=TextField()))
        .order_by("starts_at", "pk")
        .values(
            "slug",
            "kind",
            "title",
            "starts_at",
            "ends_at",
            "status",
            "rescheduled_to__slug",
            "attendance_mode",
            "video_url",
            "video_url_public",
            "place_name",
            "place_address",
            "place_commune",
            "step_free_access",
            "hearing_loop",
            "accessibility_notes",
            "sequence",
            "chantier__slug",
            "concerned",
            "participants_count",
            "agenda",
            "minutes",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in stream(meetings):
        yield {
            "slug": row["slug"],
            "type": kinds.get(row["kind"], row["kind"]),
            "titre": row["title"],
            "debut": row["starts_at"],
            "fin": row["ends_at"],
            "statut": statuses.get(row["status"], row["status"]),
            "nouvelle_date": row["rescheduled_to__slug"] or "",
            "participation": modes.get(row["attendance_mode"], row["attendance_mode"]),
            "lien_visio": row["video_url"] if row["video_url_public"] else "",
            "lieu": row["place_name"],
            "adresse_du_lieu": row["place_address"],
            "commune": row["place_commune"],
            "acces_plain_pied": row["step_free_access"],
            "boucle_magnetique": row["hearing_loop"],
            "accessibilite": row["accessibility_notes"],
            "chantier": row["chantier__slug"] or "",
            "chantiers_concernes": row["concerned"] or "",
            "nombre_participants": row["participants_count"],
            "ordre_du_jour": row["agenda"],
            "compte_rendu": row["minutes"],
            "adresse": base_url + reverse("chantiers:meeting_detail", args=[row["slug"]]),
            "version": row["sequence"],
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


# ---------------------------------------------------------------------------
# Actions and their journal

STATUS_HELP = "À venir, en cours, réalisée, en pause ou abandonnée."

ACTION_COLUMNS = (
    Column("chantier", "string", "Identifiant du chantier de l'action."),
    Column("slug", "string", "Identifiant de l'action (dans son adresse, unique par chantier)."),
    Column("intitule", "string", "Intitulé de l'action."),
    Column("description", "string", "Description (texte Markdown)."),
    Column("statut", "string", f"Statut : {STATUS_HELP.lower()}"),
    Column(
        "en_retard",
        "boolean",
        "Fin prévue dépassée sans que l'action soit réalisée ni abandonnée, au jour de l'export.",
    ),
    Column("raison_abandon", "string", "Pourquoi l'action est abandonnée, le cas échéant."),
    Column("debut", "date", "Date de début (AAAA-MM-JJ), si connue."),
    Column("fin_prevue", "date", "Date de fin prévue (AAAA-MM-JJ), si connue."),
    Column("avancement", "integer", "Avancement en pour cent (0 à 100), s'il est indiqué."),
    Column(
        "pilotes_equipe", "string", "Pilotes membres de l'équipe-projet, séparés par des virgules."
    ),
    Column(
        "pilotes_acteurs", "string", "Pilotes acteurs de l'écosystème, séparés par des virgules."
    ),
    Column(
        "reunions", "string", "Identifiants des réunions où l'action a été décidée ou discutée."
    ),
    Column("adresse", "string", "Page de l'action sur le portail."),
    Column("mis_a_jour", "datetime", "Dernière mise à jour (date et heure, heure de Paris)."),
    Column("demonstration", "boolean", "Contenu de démonstration, pas une information réelle."),
)


def _names(through, name_path):
    """The names joined by a many-to-many table, for each action: a subquery."""
    return Subquery(
        through.objects.filter(action_id=OuterRef("pk"))
        .order_by()
        .values("action_id")
        .annotate(names=GroupConcat(name_path))
        .values("names"),
        output_field=TextField(),
    )


def action_rows(base_url):
    statuses = dict(ActionStatus.choices)
    actions = (
        Action.objects.with_lateness(timezone.localdate())
        .annotate(
            team=_names(Action.team_pilots.through, "teammember__name"),
            actors=_names(Action.actor_pilots.through, "actor__name"),
            meeting_slugs=_names(Action.meetings.through, "meeting__slug"),
        )
        .order_by("chantier__order", "chantier_id", "title", "pk")
        .values(
            "chantier__slug",
            "slug",
            "title",
            "description",
            "status",
            "late_now",
            "abandon_reason",
            "starts_on",
            "planned_end_on",
            "progress",
            "team",
            "actors",
            "meeting_slugs",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in stream(actions):
        yield {
            "chantier": row["chantier__slug"],
            "slug": row["slug"],
            "intitule": row["title"],
            "description": row["description"],
            "statut": statuses.get(row["status"], row["status"]),
            "en_retard": bool(row["late_now"]),
            "raison_abandon": row["abandon_reason"],
            "debut": row["starts_on"],
            "fin_prevue": row["planned_end_on"],
            "avancement": row["progress"],
            "pilotes_equipe": row["team"] or "",
            "pilotes_acteurs": row["actors"] or "",
            "reunions": row["meeting_slugs"] or "",
            "adresse": base_url + action_url(row["chantier__slug"], row["slug"]),
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


POINT_COLUMNS = (
    Column("chantier", "string", "Identifiant du chantier."),
    Column("action", "string", "Identifiant de l'action (unique dans son chantier)."),
    Column("date", "date", "Date du point d'étape (AAAA-MM-JJ)."),
    Column("titre", "string", "Titre du point d'étape."),
    Column("texte", "string", "Texte (Markdown)."),
    Column("nouveau_statut", "string", f"Statut donné à l'action, s'il change : {STATUS_HELP}"),
    Column("nouvel_avancement", "integer", "Avancement donné à l'action (0 à 100), s'il change."),
    Column(
        "reunion",
        "string",
        "Identifiant de la réunion d'où vient le point d'étape, le cas échéant.",
    ),
    Column("adresse", "string", "Le point d'étape dans le journal de l'action, sur le portail."),
    Column("mis_a_jour", "datetime", "Dernière mise à jour (date et heure, heure de Paris)."),
    Column("demonstration", "boolean", "Contenu de démonstration, pas une information réelle."),
)


def point_rows(base_url):
    statuses = dict(ActionStatus.choices)
    points = (
        PointEtape.objects.order_by("-date", "-pk").values(
            "pk",
            "action__chantier__slug",
            "action__slug",
            "date",
            "title",
            "text",
            "new_status",
            "new_progress",
            "meeting__slug",
            "updated_at",
            "is_demo",
        )  # fmt: skip
    )
    for row in stream(points):
        chantier, action = row["action__chantier__slug"], row["action__slug"]
        yield {
            "chantier": chantier,
            "action": action,
            "date": row["date"],
            "titre": row["title"],
            "texte": row["text"],
            "nouveau_statut": statuses.get(row["new_status"], row["new_status"]),
            "nouvel_avancement": row["new_progress"],
            "reunion": row["meeting__slug"] or "",
            "adresse": f"{base_url}{action_url(chantier, action)}#point-{row['pk']}",
            "mis_a_jour": row["updated_at"],
            "demonstration": row["is_demo"],
        }


register(
    Dataset(
        "chantiers",
        "Les chantiers",
        "Les cinq chantiers du projet de territoire : intitulé, résumé, état, dates "
        "et taille de leur écosystème d'acteurs.",
        CHANTIER_COLUMNS,
        chantier_rows,
        table_stats(Chantier.objects.all()),
        position=10,
    )
)
register(
    Dataset(
        "reunions",
        "Les réunions",
        "Toutes les Sessions et Intersessions : dates, statuts, lieux et leur accessibilité, "
        "participation sur place ou en ligne, chantiers, ordres du jour et comptes rendus.",
        MEETING_COLUMNS,
        meeting_rows,
        table_stats(Meeting.objects.all()),
        position=20,
    )
)
register(
    Dataset(
        "actions",
        "Les actions des chantiers",
        "Les actions de chaque chantier : statut, retard éventuel, dates, avancement, "
        "pilotes et réunions où elles ont été décidées.",
        ACTION_COLUMNS,
        action_rows,
        table_stats(Action.objects.all()),
        position=22,
    )
)
register(
    Dataset(
        "points-etape",
        "Le journal des actions",
        "Les points d'étape des actions, du plus récent au plus ancien : ce qui s'est passé, "
        "le nouveau statut ou avancement annoncé, la réunion d'où ils viennent.",
        POINT_COLUMNS,
        point_rows,
        table_stats(PointEtape.objects.all()),
        position=24,
    )
)
