from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_outbox_message_id_failure_words"),
    ]

    operations = [
        migrations.CreateModel(
            name="FormPostCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("client", models.CharField(max_length=64)),
                ("period", models.BigIntegerField()),
                ("posts", models.PositiveIntegerField(default=0)),
            ],
            options={
                "verbose_name": "envois d'un formulaire public",
                "verbose_name_plural": "envois des formulaires publics",
                "indexes": [models.Index(fields=["period"], name="form_post_count_period")],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("client", "period"), name="one_count_per_form_address_window"
                    )
                ],
            },
        ),
    ]
