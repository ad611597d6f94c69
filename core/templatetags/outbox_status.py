"""`{% outbox_status as status %}`: whether email is stuck (core.outbox_status), for the
admin's home page; None for those who may not read the send log."""

from django import template

from core.outbox_status import status_report

register = template.Library()


@register.simple_tag(takes_context=True)
def outbox_status(context):
    request = context.get("request")
    if request is None or not request.user.has_perm("core.view_outboxemail"):
        return None
    return status_report()
