"""Email addresses and one-line text typed in public forms.

One mailbox, one way of writing it: `jean@EXÄMPLE.fr`, `jean@exämple.fr` and
`jean@xn--exmple-cua.fr` reach the same mailbox, so they are one subscription and one
seat. The domain is stored in its IDNA (ASCII) form, in lower case; an address holding
an invisible character (zero-width space, soft hyphen, direction marks...) or a
compatibility variant of a letter (fullwidth ｅ, superscripts, ligatures), which mail
servers fold into plain letters, is refused rather than guessed at.
"""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError

HIDDEN_OR_VARIANT = (
    "Cette adresse contient un caractère invisible ou une variante de lettre (pleine chasse, "
    "exposant…) : saisissez-la à nouveau au clavier."
)
ONE_LINE = "Écrivez-le sur une seule ligne."


def _invisible(char):
    # Controls, format characters (zero-width, bidi), separators (spaces, line and
    # paragraph separators), private use, unassigned.
    return unicodedata.category(char)[0] in "CZ"


def mailbox(value):
    """The address in its one written form (NFC, domain in IDNA ASCII lower case), or
    ValidationError. `value` has passed Django's EmailValidator or is about to."""
    value = unicodedata.normalize("NFC", value)
    if unicodedata.normalize("NFKC", value) != value or any(map(_invisible, value)):
        raise ValidationError(HIDDEN_OR_VARIANT, code="invisible")
    local, at, domain = value.rpartition("@")
    if not at:
        return value
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError(HIDDEN_OR_VARIANT, code="invisible") from error
    return f"{local}@{domain.lower()}"


class MailboxField(forms.EmailField):
    """An EmailField whose cleaned value is mailbox(value)."""

    def to_python(self, value):
        value = super().to_python(value)
        return mailbox(value) if value else value


def one_line(value):
    """Refuses every line or paragraph break, however written (CR, LF, VT, FF, NEL,
    U+2028, U+2029, the file/group/record separators) and every other control
    character: names end up in email headers (the subject), where they would break it."""
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in value):
        raise ValidationError(ONE_LINE, code="line_break")
