"""Text that reached the server unreadable is refused, never stored or mailed as « � ».

Browsers send forms in the page's encoding (UTF-8), so invalid bytes come from broken
clients, bots or a mangled copy and paste. Django decodes a form body leniently: invalid
UTF-8 in a percent-encoded or multipart field becomes U+FFFD (the replacement character),
and a urlencoded body that is not valid UTF-8 as a whole is silently read as Latin-1.
Two guards, one at each depth:
- `ReadableTextMixin`, under every public form: a text field holding U+FFFD gets one
  clear French error of its own; the other fields keep what was typed.
- `UndecodableFormBodyMiddleware`: a urlencoded body that cannot be decoded at all (raw
  bytes, which no browser sends), or a request in a charset that is no text encoding
  (with `refuse_unreadable_charsets` around the WSGI application), is a 400, before any
  view or form reads it.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError
from django.utils.http import parse_header_parameters

REPLACEMENT_CHARACTER = "\ufffd"
URLENCODED = "application/x-www-form-urlencoded"
ILLEGIBLE = "Ce texte contient des caractères illisibles. Saisissez-le à nouveau."


def readable_text(value):
    if REPLACEMENT_CHARACTER in value:
        raise ValidationError(ILLEGIBLE, code="illegible")


class ReadableTextMixin:
    """For forms: every text field refuses illegible characters with one message, which
    replaces the field's other errors (« invalid address » follows from it). Checked as
    the field is cleaned, so the form's own clean() (authentication, for sign-in) never
    sees that text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(readable_text)

    def full_clean(self):
        super().full_clean()
        for errors in self._errors.values():
            illegible = [e for e in errors.data if getattr(e, "code", None) == "illegible"]
            if illegible:
                errors.data = illegible[:1]


def is_text_encoding(charset):
    """Whether `charset` names a codec that turns bytes into text: not an unknown name,
    nor one of Python's bytes-to-bytes or text-to-text codecs (base64, hex, rot13...),
    which Django would accept as a request's encoding and then fail on."""
    try:
        # Not b"": Python decodes empty bytes without looking the codec up.
        b"a".decode(charset)
    except LookupError:
        return False
    except UnicodeError:  # a text encoding, in which one byte is not enough (UTF-16)
        return True
    return True


# Set in the WSGI environ by refuse_unreadable_charsets(): the charset the request named.
UNREADABLE_CHARSET = "portal.unreadable_charset"


def refuse_unreadable_charsets(application):
    """Wraps the WSGI application: a Content-Type whose charset is no text encoding (or no
    encoding at all) is taken out before Django builds the request, and the request
    marked, so that UndecodableFormBodyMiddleware answers 400 with the site's headers.
    Django would otherwise take rot13 or base64 as the request's encoding and fail while
    building the request, before any middleware: a bare 500 from the server."""

    def wrapped(environ, start_response):
        content_type, params = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        charset = params.get("charset")
        if charset is not None and not is_text_encoding(charset):
            environ = {**environ, "CONTENT_TYPE": content_type, UNREADABLE_CHARSET: charset}
        return application(environ, start_response)

    return wrapped


class UndecodableFormBodyMiddleware:
    """A request whose Content-Type names a charset that is no text encoding is refused
    (Django would use it to read the query string and the body). A urlencoded form body is
    ASCII when a browser sends it; one that does not decode in its declared encoding
    (UTF-8 by default) is refused rather than read as Latin-1."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        charset = request.content_params.get("charset")
        if UNREADABLE_CHARSET in request.META or (
            charset is not None and not is_text_encoding(charset)
        ):
            raise BadRequest("Unknown or non-text charset")
        if request.method == "POST" and request.content_type == URLENCODED:
            try:
                request.body.decode(request.encoding or settings.DEFAULT_CHARSET)
            except UnicodeDecodeError as error:
                raise BadRequest("Form body is not valid in its encoding") from error
        return self.get_response(request)
