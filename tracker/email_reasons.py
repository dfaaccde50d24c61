"""Why an e-mail address was refused, in the reader's language.

email_validator explains a refusal in an English sentence of its own (no error code), so the kinds of
refusal are recognised by the wording of version 2.x and each is given a catalogue string; wording the
library may add later falls back to a general hint, never to its English.
"""
import re

from email_validator import EmailNotValidError
from flask_babel import lazy_gettext as _l

# (pattern on the library's message, the reason shown), first match wins: the order matters, as several of
# the library's messages share words ("invalid characters after the @-sign" is about characters).
REASONS = (
    (r"must have an @-sign|at-sign|commercial at",
     _l("it must have an @ sign between the name and the domain (as in name@example.org).")),
    (r"something before the @-sign", _l("there must be a name before the @ sign.")),
    (r"something after the @-sign", _l("there must be a domain after the @ sign (as in example.org).")),
    (r"too long|so many characters", _l("it is too long.")),
    (r"two periods in a row|cannot (?:start|end) with a|period and a hyphen next to each other|"
     r"cannot have a period|cannot have a hyphen|two letters followed by two dashes",
     _l("a period or a hyphen is out of place: none may start or end the name or the domain, nor come "
        "two in a row.")),
    (r"should have a period", _l("the domain after the @ sign must have a period (as in example.org).")),
    (r"top-level domain|special-use or reserved|does not exist|does not accept email|does not send email",
     _l("the domain after the @ sign cannot receive e-mail.")),
    (r"Internationali[sz]ed characters|not valid ASCII|IDNA|Unicode normalization",
     _l("use an address written in Latin letters, digits and . _ + - only.")),
    (r"display name|angle bracket|anything after the email address|after close quote|Quoting",
     _l("enter the address alone, without a name, quotation marks or angle brackets.")),
    (r"brackets|IP address|address literal",
     _l("an address at a bare IP address is not accepted: use one with a domain name.")),
    (r"invalid character|unsafe character|contains invalid",
     _l("it contains a character an e-mail address cannot have, such as a space or a comma.")),
)
GENERAL = _l("check it for a typing mistake.")


def refusal_reason(exc: EmailNotValidError) -> str:
    """The reason for the reader, in the current language, for the library's refusal `exc`."""
    message = str(exc)
    for pattern, reason in REASONS:
        if re.search(pattern, message, re.IGNORECASE):
            return str(reason)
    return str(GENERAL)
