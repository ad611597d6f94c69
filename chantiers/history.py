"""The edit history through the Session and Intersession proxies.

The edit history is recorded on Meeting (django-simple-history). Saving through a proxy
sends the model signals with the proxy as sender, which the history does not listen to,
and the proxies' _meta lacks the history manager's name. `relay_proxy_history()` (called
by ChantiersConfig.ready) relays the signals to Meeting and names the manager, so that
every edit is kept, whether made in the admin, a command or the shell.
"""

from django.db.models.signals import post_delete, post_save, pre_delete


def _relay_to(model, signal):
    def relay(sender, **kwargs):
        kwargs.pop("signal", None)
        signal.send(sender=model, **kwargs)

    return relay


def relay_proxy_history():
    from chantiers.models import Intersession, Meeting, Session

    for proxy in (Session, Intersession):
        proxy._meta.simple_history_manager_attribute = (
            Meeting._meta.simple_history_manager_attribute
        )
        for signal in (pre_delete, post_save, post_delete):
            signal.connect(
                _relay_to(Meeting, signal),
                sender=proxy,
                weak=False,
                dispatch_uid=f"history-relay-{proxy.__name__}-{id(signal)}",
            )
