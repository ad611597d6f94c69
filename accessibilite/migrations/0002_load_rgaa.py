from django.db import migrations


def load(apps, schema_editor):
    # The files shipped with the code as it is when this runs: `load_rgaa` (make run)
    # refreshes them later, and reads a version added since.
    from accessibilite import referentiel

    referentiel.load_all(apps=apps)


class Migration(migrations.Migration):
    dependencies = [("accessibilite", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
