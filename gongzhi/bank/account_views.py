"""道德银行 management pages: residents' and households' accounts with their statements, violations
and the accounts' Excel. Every object is fetched through the user's scope first (404 out of scope)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.people.selectors import community_options, place_labels

from . import selectors, services
from .view_helpers import EXPORT_CAP, XLSX, community_param as _community_param
from .export import accounts_xlsx
from .forms import AccountFilterForm, ViolationForm
from .models import HOLDER_KINDS

STATEMENT_LINES = 50


# ---- accounts ---------------------------------------------------------------------------------------


@login_required
@require_GET
def account_list(request):
    """Residents' and households' accounts in scope; ?community= ?q= (name); ?format=xlsx."""
    scope, today = request.scope, timezone.localdate()
    community = _community_param(request, scope)
    form = AccountFilterForm(request.GET, community_options=community_options(scope))
    form.is_valid()
    q = (form.cleaned_data.get("q") or "").strip()
    accounts = selectors.holder_accounts(scope=scope, community=community, q=q)
    if request.GET.get("format") == "xlsx":
        where = community.name if community else "、".join(map(str, scope.labels)) or _("全部")
        title = _("%(where)s 道德银行积分账户（截至%(day)s）") % {"where": where, "day": f"{today:%Y-%m-%d}"}
        data = accounts_xlsx(title=title, accounts=accounts[:EXPORT_CAP])
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"道德银行积分账户-{today:%Y%m%d}.xlsx", content_type=XLSX)
    page = capped_page(accounts, request.GET.get("page"))
    context = {"form": form, "page": page, "community": community, "export_query": query_with(request.GET, format="xlsx", page=None)}
    return render(request, "bank/accounts.html", context)


@login_required
def account_detail(request, pk):
    """An account: balance, statement (?before= for older lines; htmx appends them), violations and
    记录违规 (POST)."""
    scope, today = request.scope, timezone.localdate()
    account = selectors.account_get(scope=scope, pk=pk)
    before = request.GET.get("before")
    before = int(before) if before and before.isdigit() else None
    lines = selectors.account_statement(account=account, limit=STATEMENT_LINES, before=before)
    more = lines[-1].transaction_id if len(lines) == STATEMENT_LINES else None
    if request.headers.get("HX-Request") and before is not None:
        return render(request, "bank/partials/statement_rows.html", {"lines": lines, "more": more})
    form = ViolationForm(request.POST if request.method == "POST" else None, initial={"recorded_on": today})
    if request.method == "POST" and account.kind not in HOLDER_KINDS:
        raise Http404(_("不存在或无权查看。"))
    if request.method == "POST" and form.is_valid():
        try:
            violation = services.violation_record(scope=scope, acting_user=request.user, account=account, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已记录违规，积分已清零，%(day)s 前停止兑换。") % {"day": violation.barred_until})
            return redirect("bank:account", account.pk)
    context = {"account": account, "lines": lines, "more": more, "before": before, "form": form, "holder_account": account.kind in HOLDER_KINDS,
               "violations": selectors.account_violations(scope=scope, account=account), "barred_until": services.barred_until(account, today),
               "address": _address(account)}
    return render(request, "bank/account_detail.html", context)


def _address(account) -> str:
    place = account.person.place if account.person_id else account.household.place if account.household_id else None
    if place is None:
        return ""
    community, address = place_labels([place]).get(place.pk, ("", ""))
    room = account.household.room if account.household_id else ""
    return " ".join(x for x in (community, address or place.name, room) if x)
