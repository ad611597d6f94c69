"""The real content of the démarche, from FACTS.md: chantiers, timeline, partners.

`load()` creates what is missing and leaves alone what exists, so it can run at every
deployment without undoing what the project team has edited through the admin.
Nothing here is invented: what FACTS.md marks UNKNOWN stays « à préciser ».
"""

from datetime import date

from django.db import transaction

from chantiers.models import Chantier, ChantierStatus, Partner, PartnerKind, Phase

NBSP = "\u00a0"

_IN_ACTION_TEXT = (
    "Ce chantier est l'un des trois, sur les cinq identifiés, qui sont passés en mode "
    "action. Comme chaque chantier de la démarche, il est porté par un écosystème hybride "
    "d'acteurs (élus, techniciens, citoyens, entreprises, associations, établissements "
    "scolaires…) qui se retrouve lors d'intersessions, des soirées de travail en commun.\n\n"
    "Sa présentation détaillée sera complétée par l'équipe-projet."
)
_UNKNOWN_TEXT = (
    "Cinq chantiers ont été identifiés au cours de la démarche. L'intitulé, la description "
    f"et l'état de celui-ci restent à préciser par l'équipe-projet{NBSP}; on sait seulement "
    "qu'il ne fait pas partie des trois chantiers passés en mode action."
)

CHANTIERS = [
    {
        "slug": "epargne-locale",
        "order": 1,
        "title": "Mobilisation de l'épargne locale pour financer des projets locaux",
        "summary": "Mobiliser l'épargne du territoire pour financer des projets locaux.",
        "description": _IN_ACTION_TEXT,
        "status": ChantierStatus.IN_ACTION,
    },
    {
        "slug": "dessine-moi-ton-agriculture",
        "order": 2,
        "title": f"Dessine-moi ton agriculture{NBSP}!",
        "summary": "Un chantier consacré à l'agriculture du territoire, passé en mode action.",
        "description": _IN_ACTION_TEXT,
        "status": ChantierStatus.IN_ACTION,
    },
    {
        "slug": "stages-territoire-lycee-la-vinadie",
        "order": 3,
        "title": "Stages territoire avec le lycée de La Vinadie",
        "summary": "Un chantier mené avec le lycée agricole de La Vinadie, à Figeac.",
        "description": _IN_ACTION_TEXT,
        "status": ChantierStatus.IN_ACTION,
    },
    {
        "slug": "chantier-4",
        "order": 4,
        "title": "Chantier 4",
        "summary": "Intitulé et description à préciser.",
        "description": _UNKNOWN_TEXT,
        "status": ChantierStatus.UNKNOWN,
    },
    {
        "slug": "chantier-5",
        "order": 5,
        "title": "Chantier 5",
        "summary": "Intitulé et description à préciser.",
        "description": _UNKNOWN_TEXT,
        "status": ChantierStatus.UNKNOWN,
    },
]

PHASES = [
    {
        "key": "genese",
        "period": "Printemps 2018",
        "title": "La genèse",
        # Spring 2018 is all FACTS.md says: the date only orders the timeline.
        "starts_on": date(2018, 3, 20),
        "ends_on": date(2018, 11, 30),
        "text": (
            "Le Conseil syndical confie au Conseil de développement et aux quatre élus qui "
            "siègent à l'Assemblée des territoires de la Région Occitanie le soin de fixer un "
            "cap et une ambition partagée. Quatorze personnes y travaillent de juin à "
            "novembre 2018.\n\n"
            f"Pour mobiliser les acteurs, le PETR s'entoure d'un groupement de conseil{NBSP}: "
            "Réseaux & Territoires, La Clé Proactive et OPC."
        ),
    },
    {
        "key": "co-construction",
        "period": "2019",
        "title": "La co-construction",
        "starts_on": date(2019, 1, 1),
        "ends_on": date(2019, 12, 31),
        "text": (
            f"La phase de co-construction{NBSP}: les chantiers prennent forme avec les "
            "acteurs du territoire."
        ),
    },
    {
        "key": "action",
        "period": "2020",
        "title": "Le passage à l'action",
        "starts_on": date(2020, 1, 1),
        "ends_on": None,
        "text": (
            "Cinq chantiers sont identifiés. La crise sanitaire oblige les écosystèmes à "
            f"changer leur façon de travailler et à expérimenter autrement{NBSP}; trois "
            "chantiers passent en mode action."
        ),
    },
    {
        "key": "bonheur-local-brut",
        "period": "2022",
        "title": "La relance par la recherche-action",
        "starts_on": date(2022, 2, 9),
        "ends_on": None,
        "text": (
            f"Une recherche-action relance la démarche en créant des indicateurs de «{NBSP}"
            f"Bonheur Local Brut{NBSP}». Elle s'ouvre le 9 février 2022 avec une vingtaine de "
            "citoyens. Gabriel Colletis, professeur d'économie politique au LEREPS "
            "(Université Toulouse Capitole), accompagne une dizaine de personnes pendant "
            "environ deux ans."
        ),
    },
]

PARTNERS = [
    {
        "key": "conseil-syndical",
        "order": 1,
        "name": "Conseil syndical du PETR",
        "kind": PartnerKind.BODY,
        "description": (
            "L'assemblée délibérante du PETR, composée d'élus. Au printemps 2018, elle a "
            "engagé la démarche du projet de territoire."
        ),
    },
    {
        "key": "conseil-de-developpement",
        "order": 2,
        "name": "Conseil de développement",
        "kind": PartnerKind.BODY,
        "description": (
            "L'instance consultative du PETR, où siègent des citoyens et des acteurs locaux "
            "réunis en collèges. Au printemps 2018, le Conseil syndical lui a confié, avec "
            "les quatre élus qui siègent à l'Assemblée des territoires de la Région "
            "Occitanie, le soin de fixer un cap et une ambition partagée."
        ),
    },
    {
        "key": "groupement-conseil",
        "order": 3,
        "name": "Réseaux & Territoires, La Clé Proactive et OPC",
        "kind": PartnerKind.CONSULTANCY,
        "description": (
            "Le groupement de conseil choisi pour accompagner la mobilisation des acteurs."
        ),
    },
    {
        "key": "lereps",
        "order": 4,
        "name": "LEREPS – Université Toulouse Capitole",
        "kind": PartnerKind.RESEARCH,
        "description": (
            "Laboratoire de recherche de Gabriel Colletis, professeur d'économie "
            "politique. À partir de 2022, il a accompagné pendant environ deux ans la "
            f"recherche-action sur les indicateurs de «{NBSP}Bonheur Local Brut{NBSP}»."
        ),
    },
]


@transaction.atomic
def load():
    """Create the real chantiers, phases and partners that are missing; return counts."""
    created = {"chantiers": 0, "étapes": 0, "partenaires": 0}
    for data in CHANTIERS:
        fields = dict(data)
        slug = fields.pop("slug")
        _, was_created = Chantier.objects.get_or_create(slug=slug, defaults=fields)
        created["chantiers"] += was_created
    for data in PHASES:
        fields = dict(data)
        _, was_created = Phase.objects.get_or_create(key=fields.pop("key"), defaults=fields)
        created["étapes"] += was_created
    for data in PARTNERS:
        fields = dict(data)
        _, was_created = Partner.objects.get_or_create(key=fields.pop("key"), defaults=fields)
        created["partenaires"] += was_created
    return created
