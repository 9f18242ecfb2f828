"""Chinese first, English available: the Chinese text is the msgid (no catalogue needed for
Chinese), the English catalogue gongzhi/locale/en is complete, and the 中文/English switch in the
top bar posts to Django's set_language view."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from gongzhi.core.validators import parse_id_number

pytestmark = pytest.mark.django_db

LC_MESSAGES = Path(settings.BASE_DIR) / "gongzhi" / "locale" / "en" / "LC_MESSAGES"
CJK = re.compile(r"[\u4e00-\u9fff]")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]")
KEPT_IN_CHINESE = ("张三", "2020年7月1日", "系统编号", "问题")  # example data (a name for pinyin initials, a date style sheets use) and sheet column headers


@pytest.fixture(autouse=True)
def _back_to_chinese():
    """The middleware activates a language for the thread; leave it Chinese for later tests."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _nav(html: str) -> str:
    return re.search(r'<nav class="sidenav".*?</nav>', html, re.S).group(0)


def _switch(client, language: str, next_url: str):
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


def test_chinese_by_default_whatever_the_browser_says(client, world):
    client.force_login(world.shequ1)
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}):
        html = client.get(reverse("web:home"), **headers).content.decode()
        nav = _nav(html)
        assert '<html lang="zh-CN">' in html
        assert "居民" in nav and "党员" in nav and "区划与网格" in nav
        assert "Residents" not in nav
        assert "工作台" in html and "小区党组织覆盖率" in html


def test_the_switch_is_in_the_top_bar(client, world):
    client.force_login(world.shequ1)
    html = client.get(reverse("org:place", args=[world.C1.pk])).content.decode()
    topbar = re.search(r'<header class="topbar">.*?</header>', html, re.S).group(0)
    assert f'action="{reverse("set_language")}"' in topbar
    assert 'name="language" value="zh-hans"' in topbar and 'name="language" value="en"' in topbar
    assert "中文" in topbar and "English" in topbar
    assert f'name="next" value="{reverse("org:place", args=[world.C1.pk])}"' in topbar


def test_english_after_choosing_it_and_back(client, world):
    client.force_login(world.shequ1)
    home, place = reverse("web:home"), reverse("org:place", args=[world.C1.pk])

    response = _switch(client, "en", place)
    assert response.status_code == 302 and response["Location"] == place

    html = client.get(place).content.decode()
    nav = _nav(html)
    assert '<html lang="en">' in html
    assert "Residents" in nav and "Party members" in nav
    assert not CJK.search(nav), nav
    assert "Basic information" in html and "Level" in html and "Community" in html
    for chinese in ("基本信息", "下级区划", "查看居民", "层级", "工作台"):
        assert chinese not in html
    assert "幸福社区" in html  # data stays as entered

    html = client.get(home).content.decode()
    assert "Residents" in _nav(html) and "居民" not in _nav(html)
    assert "Compound party organisation coverage rate" in html
    assert "Community worker·幸福社区" in html  # the role is translated, the place is data
    for chinese in ("工作台", "在册居民", "指标口径", "我的区划"):
        assert chinese not in html

    _switch(client, "zh-hans", home)
    html = client.get(home).content.decode()
    assert "居民" in _nav(html) and "Residents" not in html


def test_messages_and_errors_follow_the_language(client, world):
    with translation.override("en"):
        with pytest.raises(ValidationError) as e:
            parse_id_number("12345")
        assert e.value.messages == ["The citizen ID number must have 18 characters: 17 digits, then a digit or X (this one has 5)."]
    with pytest.raises(ValidationError) as e:
        parse_id_number("12345")
    assert "公民身份号码应为18位" in e.value.messages[0]


def test_login_page_in_english(client, world):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("login")).content.decode()
    assert "Staff sign-in" in html and "Username" in html and "工作人员登录" not in html


# ---------------------------------------------------------------- the catalogue


def _po_entries(path: Path) -> list[dict]:
    """A small reader of a .po file: each entry's flags, msgctxt, msgid, msgid_plural and msgstr(s).

    An entry ends at a blank line, or where a comment or msgctxt/msgid follows its msgstr (Django
    writes a new file's header without the blank line after it)."""
    entries, entry, key = [], None, None

    def unquote(s: str) -> str:
        return s[1:-1].encode("raw_unicode_escape").decode("unicode_escape") if "\\" in s else s[1:-1]

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        starts_entry = line.startswith(("#", "msgctxt ", "msgid "))
        if not line or (starts_entry and isinstance(key, tuple)):
            if entry is not None:
                entries.append(entry)
            entry, key = None, None
            if not line:
                continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": {}, "obsolete": False}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            key, entry["msgctxt"] = "msgctxt", unquote(line[8:])
        elif line.startswith("msgid_plural "):
            key, entry["msgid_plural"] = "msgid_plural", unquote(line[13:])
        elif line.startswith("msgid "):
            key, entry["msgid"] = "msgid", unquote(line[6:])
        elif line.startswith("msgstr"):
            m = re.match(r'msgstr(?:\[(\d+)\])? (".*")$', line)
            key = ("msgstr", int(m.group(1) or 0))
            entry["msgstr"][key[1]] = unquote(m.group(2))
        elif line.startswith('"'):
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += unquote(line)
            else:
                entry[key] += unquote(line)
    return entries


def test_every_entry_of_the_english_catalogue_is_translated():
    entries = _po_entries(LC_MESSAGES / "django.po")
    header = [e for e in entries if e["msgid"] == ""]
    messages = [e for e in entries if e["msgid"] != ""]
    assert len(header) == 1 and "fuzzy" not in header[0]["flags"]
    assert len(messages) > 300
    assert not [e["msgid"] for e in entries if e["obsolete"]]
    for e in messages:
        assert "fuzzy" not in e["flags"], e["msgid"]
        assert e["msgstr"] and all(s.strip() for s in e["msgstr"].values()), f"untranslated: {e['msgid']}"
        for s in e["msgstr"].values():
            assert not CJK.search(re.sub("|".join(KEPT_IN_CHINESE), "", s)), f"Chinese left in the translation of {e['msgid']}: {s}"
            assert sorted(PLACEHOLDER.findall(s)) == sorted(PLACEHOLDER.findall(e["msgid"])), e["msgid"]


def test_the_compiled_catalogue_matches_the_po_file():
    """The .mo is committed (msgfmt need not be installed): it must hold the .po as it is now."""
    with open(LC_MESSAGES / "django.mo", "rb") as f:
        mo = gettext.GNUTranslations(f)
    for e in _po_entries(LC_MESSAGES / "django.po"):
        if not e["msgid"] or e["obsolete"]:
            continue
        if e["msgctxt"] is not None:
            assert mo.pgettext(e["msgctxt"], e["msgid"]) == e["msgstr"][0], e["msgid"]
        elif e["msgid_plural"] is None:
            assert mo.gettext(e["msgid"]) == e["msgstr"][0], e["msgid"]
        else:
            assert mo.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr"][0], e["msgid"]
