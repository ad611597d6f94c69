from django.db import models


class ContentVersion(models.Model):
    """The one row that says which version of the public content is current.

    core.cache reads and replaces it with one SQL statement on its table name, the cheapest
    read there is for a check made on every cached page: this class is here for the
    migration and for `flush`. See core.cache for why the database.
    """

    token = models.CharField(max_length=32)

    class Meta:
        db_table = "portal_content_version"
        verbose_name = "version du contenu"
        verbose_name_plural = "versions du contenu"

    def __str__(self):
        return self.token
