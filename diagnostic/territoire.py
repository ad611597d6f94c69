"""The real content of this app, from FACTS.md: the BLB compass and the announced documents.

Called by `manage.py load_territoire`. Idempotent, and it never overwrites what the
team has since changed in the admin (a file uploaded, a summary rewritten...).
What FACTS.md marks UNKNOWN is not invented: the two documents come without a file
and without a publication date, and the pages say so.
"""

from diagnostic.models import Axis, Document, DocumentKind, Visibility

AXES = [
    ("cooperation", "Coopération"),
    ("democratie", "Démocratie"),
    ("sobriete", "Sobriété"),
    ("habitabilite", "Habitabilité"),
]

DOCUMENTS = [
    {
        "slug": "diagnostic-socio-economique",
        "title": "Diagnostic socio-économique",
        "kind": DocumentKind.DIAGNOSTIC,
        "summary": (
            "Le diagnostic du territoire lu à travers les flux de revenus qui y circulent : "
            "les moteurs de développement existants, à faire grandir."
        ),
    },
    {
        "slug": "rapport-final-de-la-demarche",
        "title": "Rapport final de la démarche",
        "kind": DocumentKind.FINAL_REPORT,
        "summary": "Le rapport qui rend compte de la démarche du projet de territoire.",
    },
]


def load():
    """Create the BLB axes and the announced documents that are missing; return counts
    by kind, as every app's loader does (load_territoire prints them)."""
    created = {"axes du BLB": 0, "documents annoncés": 0}
    for order, (key, name) in enumerate(AXES, start=1):
        _axis, was_created = Axis.objects.get_or_create(
            key=key, defaults={"name": name, "order": order}
        )
        created["axes du BLB"] += was_created
    for entry in DOCUMENTS:
        _document, was_created = Document.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "title": entry["title"],
                "kind": entry["kind"],
                "summary": entry["summary"],
                "visibility": Visibility.PUBLIC,
            },
        )
        created["documents annoncés"] += was_created
    return created
