"""What every app's forms share: putting a service's Chinese errors on the form's fields."""

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(form: forms.Form, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the form: each message at its field when the form has
    that field (after `aliases`, e.g. the service's "parent" rule shown at "kind"), else at the top."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        field = aliases.get(field, field)
        form.add_error(field if field in form.fields else None, ValidationError(errors))
