"""Normalising what people type or paste: full-width characters, stray spaces."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


_HALFWIDTH = {0x3000: " ", **{code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}}


def to_halfwidth(value: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, ｘ, the ideographic space) to its half-width form."""
    return value.translate(_HALFWIDTH)


def clean_text(value: str | None) -> str:
    """Half-width, NFC, single inner spaces, trimmed. (str.split() splits on the same Unicode
    whitespace as \\s, the ideographic space included; ASCII text skips the conversions.)"""
    if value is None:
        return ""
    value = str(value)
    if not value.isascii():
        value = unicodedata.normalize("NFC", value.translate(_HALFWIDTH))
    return " ".join(value.split())


def squeeze(value: str | None) -> str:
    """Like clean_text, and with every space removed (codes, numbers, Chinese names)."""
    return clean_text(value).replace(" ", "")


def record_text(message: str, values: dict | None = None) -> str:
    """Text kept in a record (a ledger memo, a review note): in the site's language, whoever's
    page wrote it, so the records never mix languages. Mark `message` with gettext_noop."""
    from django.utils import translation

    with in_site_language():  # lazy values (a choice's label) are read in it too
        text = translation.gettext(message)
        return text % {k: str(v) for k, v in values.items()} if values is not None else text


def in_site_language():
    """A block whose gettext is the site's language (settings.LANGUAGE_CODE), whoever's page runs
    it: for texts written into records and public notices."""
    from django.conf import settings
    from django.utils import translation

    return translation.override(settings.LANGUAGE_CODE)
