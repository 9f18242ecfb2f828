"""Texts written into records and public notices are in the site's language, whoever's page wrote them."""

from django.utils import translation
from django.utils.translation import gettext_noop

from gongzhi.core.text import in_site_language, record_text
from gongzhi.notices.models import NoticeKind


def test_a_record_text_is_in_the_site_language_with_its_lazy_values():
    with translation.override("en"):
        assert str(NoticeKind.PUBLICITY.label) == "Public notice"  # the page's language
        text = record_text(gettext_noop("异议成立：%(resolution)s"), {"resolution": NoticeKind.PUBLICITY.label})
        with in_site_language():
            assert translation.get_language() == "zh-hans"
        assert translation.get_language() == "en"
    assert text == "异议成立：公示"
