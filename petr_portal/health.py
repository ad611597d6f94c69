"""/sante/: the health check that load balancers and monitoring probe."""

import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """200 when the database answers, 503 otherwise: a load balancer then stops sending
    visitors to this server. Touches neither the session nor the cache."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Santé : la base de données ne répond pas")
        return JsonResponse({"statut": "indisponible", "base_de_donnees": "erreur"}, status=503)
    return JsonResponse({"statut": "ok", "base_de_donnees": "ok"})
