"""Errors a service raises for the user to read: a Chinese sentence naming the field."""

from django.core.exceptions import ValidationError


def field_error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})
