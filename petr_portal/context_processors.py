from django.conf import settings


def portal(request):
    """The body's facts and settings, for the base template and the legal pages."""
    return {"portal": settings.PORTAL}
