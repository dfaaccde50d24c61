"""One hierarchy of domain errors. Operations raise them; routes never build an error response by hand.

The app maps each to a JSON error (`{"error": message}`) under /api/ and to an error page elsewhere; a page
with a form catches `DomainError` and shows it on the field it names (`attach_to_form`). The message is
for a person and already translated where it is shown on pages.
"""
from __future__ import annotations


class DomainError(Exception):
    """Something a person asked for cannot be done; `status` is the HTTP status that says why."""

    status = 400

    def __init__(self, message: str, field: str | None = None, *, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if status is not None:
            self.status = status


class InvalidInput(DomainError):
    status = 400


class Unauthorised(DomainError):
    status = 401


class Forbidden(DomainError):
    status = 403


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    """The stored state moved on (a stale version, a decision already taken): reload and try again."""

    status = 409


def attach_to_form(form, exc: DomainError, default_field: str | None = None) -> None:
    """Shows a domain error on the form field it names (or the default one, or the form as a whole)."""
    name = exc.field or default_field
    field = getattr(form, name, None) if name else None
    if field is not None and hasattr(field, "errors"):
        errors = field.errors if isinstance(field.errors, list) else list(field.errors)
        errors.append(exc.message)
        field.errors = errors
    else:
        form.form_errors.append(exc.message)
