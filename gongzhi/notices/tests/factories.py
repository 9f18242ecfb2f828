import datetime as dt

from gongzhi.notices.models import Notice, NoticeKind


def notice(community, *, title="通知", kind=NoticeKind.ANNOUNCEMENT, starts_on=dt.date(2026, 11, 1), ends_on=None, **kw) -> Notice:
    return Notice.objects.create(community=community, kind=kind, title=title, body=kw.pop("body", f"{title}的内容"),
                                 starts_on=starts_on, ends_on=ends_on, **kw)
