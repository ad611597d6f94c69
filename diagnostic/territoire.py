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


def load(stdout=None):
    created = 0
    for order, (key, name) in enumerate(AXES, start=1):
        _axis, was_created = Axis.objects.get_or_create(
            key=key, defaults={"name": name, "order": order}
        )
        created += was_created
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
        created += was_created
    if stdout is not None:
        stdout.write(
            f"diagnostic : {created} élément(s) créé(s) (axes du BLB, documents annoncés)."
        )
    return created
