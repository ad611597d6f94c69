"""The policies the portal's security headers carry, worked out from the settings' own
values (settings.py calls these; nothing here reads Django's settings, so that it can)."""

from urllib.parse import urlsplit

from csp.constants import NONE, SELF

# Permissions-Policy (petr_portal.security): every powerful feature is denied, since the
# portal uses none: no camera, microphone or screen capture, no location, sensors or
# devices (USB, serial, HID, MIDI, gamepads), no payment, no passkeys (sign-in is by
# password), no full screen (no video, no embed), no clipboard, no interest cohorts.
# Only names current browsers know: Chromium warns in the console about any other.
DENIED_FEATURES = [
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "clipboard-read",
    "clipboard-write",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "gamepad",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "local-fonts",
    "magnetometer",
    "microphone",
    "midi",
    "otp-credentials",
    "payment",
    "picture-in-picture",
    "publickey-credentials-create",
    "publickey-credentials-get",
    "screen-wake-lock",
    "serial",
    "usb",
    "window-management",
    "xr-spatial-tracking",
]


def _origin(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def content_security_policy(
    static_url, media_url, s3_bucket="", s3_custom_domain="", s3_endpoint_url="", **extra
):
    """Strict: scripts, styles, fonts and images from our own origin only; no inline
    script, no style attribute, no eval. htmx is set up for it by the meta htmx-config in
    base.html (allowEval false, includeIndicatorStyles false: indicator styles live in
    portal.css).

    Static files behind a CDN (STATIC_URL absolute) and media on object storage are
    allowed by their exact origins; extra["media_src"] adds more, extra["report_uri"]
    names where browsers report a violation."""
    static = [SELF, *filter(None, [_origin(static_url)])]
    media = [SELF, *filter(None, [_origin(media_url)])]
    if s3_bucket:
        if s3_custom_domain:
            media.append(f"https://{s3_custom_domain}")
        elif s3_endpoint_url:
            endpoint = urlsplit(s3_endpoint_url)
            # Both addressing styles: bucket.host/key and host/bucket/key.
            media += [
                f"{endpoint.scheme}://{s3_bucket}.{endpoint.netloc}",
                f"{endpoint.scheme}://{endpoint.netloc}/{s3_bucket}/",
            ]
        else:
            media.append(f"https://{s3_bucket}.s3.amazonaws.com")
    media += extra.get("media_src", [])
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": static,
            "style-src": static,
            "font-src": static,
            "img-src": [*static, *media],
            "media-src": media,
            "connect-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
            "report-uri": extra.get("report_uri") or None,
        },
    }
