"""schema.org data in JSON-LD, for search engines and agendas: the publishing body as an
`Organization` (from settings.PORTAL: only what is known, nothing invented), and the
`<script type="application/ld+json">` element that carries such data in a page.

A script element of type application/ld+json is a data block: browsers never run it, so
the Content-Security-Policy (script-src 'self', no 'unsafe-inline') does not apply to it.
Its text is escaped as json_script escapes it (<, > and & as \\u escapes), so that no
value can close the element.
"""

import json

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

CONTEXT = "https://schema.org"
# What json_script escapes: nothing typed by the team can end the <script> element.
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def organization(site_url: str) -> dict:
    """The body that publishes the portal and organises the meetings."""
    portal = settings.PORTAL
    address = {"@type": "PostalAddress", "addressLocality": portal["CITY"], "addressCountry": "FR"}
    if portal.get("STREET_ADDRESS"):
        address["streetAddress"] = portal["STREET_ADDRESS"]
    data = {
        "@type": "Organization",
        "@id": f"{site_url}/#organisation",
        "name": portal["BODY_NAME"],
        "url": f"{site_url}/",
        "email": portal["CONTACT_EMAIL"],
        "telephone": "+33 " + portal["PHONE"].removeprefix("0"),
        "address": address,
        "identifier": {
            "@type": "PropertyValue",
            "propertyID": "SIREN",
            "value": portal["SIREN"].replace(" ", ""),
        },
    }
    return data


def with_context(data: dict) -> dict:
    return {"@context": CONTEXT, **data}


def dumps(data) -> str:
    """JSON text safe inside a <script> element."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)


def script(data) -> str:
    """The <script type="application/ld+json"> element holding `data`."""
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(dumps(data)))  # noqa: S308 - escaped by dumps
