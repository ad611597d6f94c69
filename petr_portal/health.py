"""/sante/: the health check that load balancers and monitoring probe."""

import logging

from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.outbox_status import oldest_waiting_at

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def health(request):
    """200 when the database answers, 503 otherwise: a load balancer then stops sending
    visitors to this server. Touches neither the session nor the cache.

    The same query says how long the oldest email not sent yet has waited, in seconds
    (0 when none waits), for monitoring to alert on: emails stuck do not make this
    server unfit to serve pages, so the status stays 200."""
    try:
        oldest = oldest_waiting_at()
    except DatabaseError:
        logger.exception("Santé : la base de données ne répond pas")
        return JsonResponse({"statut": "indisponible", "base_de_donnees": "erreur"}, status=503)
    waited = max(0, int((timezone.now() - oldest).total_seconds())) if oldest else 0
    return JsonResponse(
        {"statut": "ok", "base_de_donnees": "ok", "courriels_en_attente_depuis_secondes": waited}
    )
