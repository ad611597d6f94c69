"""Text that reached the server unreadable is refused, never stored or mailed as « � ».

Browsers send forms in the page's encoding (UTF-8), so invalid bytes come from broken
clients, bots or a mangled copy and paste. Django decodes a form body leniently: invalid
UTF-8 in a percent-encoded or multipart field becomes U+FFFD (the replacement character),
and a urlencoded body that is not valid UTF-8 as a whole is silently read as Latin-1.
Two guards, one at each depth:
- `ReadableTextMixin`, under every public form: a text field holding U+FFFD gets one
  clear French error of its own; the other fields keep what was typed.
- `UndecodableFormBodyMiddleware`: a urlencoded body that cannot be decoded at all (raw
  bytes, which no browser sends) is a 400, before any view or form reads it.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import BadRequest, ValidationError

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


class UndecodableFormBodyMiddleware:
    """A urlencoded form body is ASCII when a browser sends it; one that does not decode
    in its declared encoding (UTF-8 by default) is refused rather than read as Latin-1."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type == URLENCODED:
            try:
                request.body.decode(request.encoding or settings.DEFAULT_CHARSET)
            except UnicodeDecodeError as error:
                raise BadRequest("Form body is not valid in its encoding") from error
        return self.get_response(request)
