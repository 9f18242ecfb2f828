"""Pinyin initials of Chinese names, for search ("zs" finds 张三)."""

from functools import lru_cache

from pypinyin import Style, pinyin


@lru_cache(maxsize=20000)
def _char_initial(ch: str) -> str:
    if ch.isascii():
        return ch.lower() if ch.isalnum() else ""
    reading = pinyin(ch, style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
    return reading[0][0].lower() if reading and reading[0] else ""


def name_initials(name: str) -> str:
    return "".join(_char_initial(ch) for ch in name)
