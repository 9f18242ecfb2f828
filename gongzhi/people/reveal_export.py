"""The log of looks at full ID numbers and phones as an .xlsx workbook (district review).

The workbook holds who looked, whose number (name and the masked ID number), what, when, why
and from where: never a full number.
"""

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

EXPORT_CAP = 20_000


def reveals_xlsx(reveals) -> bytes:
    """At most EXPORT_CAP rows of `reveals` (a queryset from selectors.reveal_list), newest first."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("查看记录"))
    sheet.append([_("查看时间"), _("查看人"), _("用户名"), _("居民"), _("公民身份号码（部分）"), _("查看内容"), _("查看原因"), _("IP地址")])
    for r in reveals[:EXPORT_CAP]:
        sheet.append([
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M:%S"), str(r.user), r.user.username,
            r.person.name, r.person.id_number_mask, str(r.get_field_display()), r.reason, r.ip_address or "",
        ])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
