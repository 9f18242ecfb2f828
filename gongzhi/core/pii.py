"""Personal data at rest: encryption, blind indexes for exact search, masks for display.

ID numbers and phones are stored three ways, none of them the plain value:
- `*_enc`: AES-256-GCM ciphertext (random nonce), base64; only `decrypt` turns it back;
- `*_hash`: HMAC-SHA256 under a key derived from the same secret (the blind index), so an
  exact match is an indexed equality without decrypting;
- `*_mask`: what every page and export shows (110105********002X, 138****1234).
The secret is settings.PII_KEY (environment GONGZHI_PII_KEY). Lose it and the ciphertexts
cannot be read again: back it up apart from the database.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

_NONCE = 12


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[AESGCM, bytes]:
    root = hashlib.sha256(("gongzhi-pii:" + secret).encode()).digest()
    enc_key = hmac.new(root, b"encrypt", hashlib.sha256).digest()
    index_key = hmac.new(root, b"blind-index", hashlib.sha256).digest()
    return AESGCM(enc_key), index_key


def encrypt(value: str) -> str:
    if not value:
        return ""
    aes, _ = _keys(settings.PII_KEY)
    nonce = os.urandom(_NONCE)
    return base64.b64encode(nonce + aes.encrypt(nonce, value.encode(), None)).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    aes, _ = _keys(settings.PII_KEY)
    raw = base64.b64decode(token)
    return aes.decrypt(raw[:_NONCE], raw[_NONCE:], None).decode()


def blind_index(value: str) -> str:
    if not value:
        return ""
    _, key = _keys(settings.PII_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def mask_id_number(number: str) -> str:
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_name(name: str) -> str:
    """A resident's name as counters and public lists show it: the first and last characters kept
    (张三丰 → 张*丰, 欧阳娜娜 → 欧**娜), a two-character name keeps its surname (张三 → 张*)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
