from urllib.parse import urlsplit

from django.db import migrations


def paths(apps, schema_editor):
    """Stored news links become paths: their address is now written with each email, on
    the site's address (PORTAL_SITE_URL), never on the host a request came through."""
    FollowEvent = apps.get_model("chantiers", "FollowEvent")
    for event in FollowEvent.objects.exclude(url__startswith="/").only("pk", "url"):
        parts = urlsplit(event.url)
        path = parts.path or "/"
        if parts.query:
            path += f"?{parts.query}"
        if parts.fragment:
            path += f"#{parts.fragment}"
        event.url = path
        event.save(update_fields=["url"])


class Migration(migrations.Migration):
    dependencies = [
        ("chantiers", "0010_point_etape_journal_index"),
    ]

    operations = [migrations.RunPython(paths, migrations.RunPython.noop)]
