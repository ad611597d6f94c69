"""Chromium reads the Permissions-Policy header: it knows every feature named (an unknown
name is a console warning) and grants none of them to the page."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db(transaction=True)


# The refused geolocation request at the end is logged by Chromium as a violation.
@pytest.mark.allow_console_errors(r"Permissions policy violation: Geolocation")
def test_chromium_knows_and_denies_every_feature(page, live_server):
    messages = []
    page.on("console", lambda message: messages.append(f"{message.type}: {message.text}"))
    response = page.goto(live_server.url + "/")
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    known = set(page.evaluate("document.featurePolicy.features()"))
    allowed = set(page.evaluate("document.featurePolicy.allowedFeatures()"))
    denied = set(settings.PERMISSIONS_POLICY)
    assert denied - known == set()
    assert denied & allowed == set()
    assert {"camera", "microphone", "geolocation", "payment", "usb"} <= denied
    assert [m for m in messages if "Permissions-Policy" in m] == []
    # Even with the visitor's permission granted, the page's request is refused.
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 44.6, "longitude": 2.03})
    refused = page.evaluate(
        """() => new Promise((resolve) => navigator.geolocation.getCurrentPosition(
            () => resolve("granted"), (error) => resolve(error.code)))"""
    )
    assert refused == 1  # PERMISSION_DENIED
