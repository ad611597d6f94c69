"""What every public form's POST goes through, whichever view receives it (« Nous
rejoindre », « Je participe », « Suivre », « Signaler un problème d'accessibilité »): the
refusal before anything is stored or sent (rate limit, honeypot), and the form shown back
with what was typed."""

from core import abuse


def rejection(request, scope):
    """Why a public post is refused before anything is stored or sent, or None: a dict
    with the status, a title and a French text for the page.

    Every post counts toward the rate limit of its form, rejected ones included.
    """
    if abuse.rate_limited(request, scope):
        return {
            "status": 429,
            "title": "Trop d'envois",
            "text": (
                "Trop d'envois depuis votre connexion en peu de temps : rien n'a été "
                f"enregistré. Réessayez dans {abuse.retry_after_minutes()} minutes, ou "
                "écrivez-nous directement."
            ),
        }
    if abuse.honeypot_filled(request):
        return {
            "status": 400,
            "title": "Envoi refusé",
            "text": (
                "Votre envoi n'a pas été enregistré : le champ « Ne pas remplir », prévu pour "
                "repérer les robots, contenait quelque chose. Videz-le et envoyez à nouveau, "
                "ou écrivez-nous directement."
            ),
        }
    return None


def rejected_response(response, rejection):
    """The page of a refused post, told when to try again after a 429."""
    if rejection["status"] == 429:
        response["Retry-After"] = str(abuse.retry_after_minutes() * 60)
    return response


def typed_form(form_class, data, **kwargs):
    """An unbound form showing what was typed: a refused post is not validated, but
    nothing the person wrote is lost. The honeypot is left empty."""
    form = form_class(**kwargs)
    initial = {}
    for name, field in form.fields.items():
        if getattr(field.widget, "allow_multiple_selected", False):
            initial[name] = data.getlist(name)
        elif name in data:
            initial[name] = data.get(name)
    form.initial = initial
    return form
