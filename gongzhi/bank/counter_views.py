"""道德银行 at the counter, and the resident's 积分卡.

- The counter page (/bank/counters/<pk>/): for staff whose scope holds the counter's 社区 and for
  the counter's own operators (who hold no role anywhere: `require_counter`); anyone else gets
  the same 404. A station weighs sorted garbage (垃圾分类称重) for a resident found by name in its
  社区; every counter redeems points (积分兑换) for the code a resident's phone shows, then
  prints the receipt (兑换凭证); receipts can be refunded (退兑) with a reason.
- The 积分卡 (/bank/card/<token>/): no login, reached by the account's random link; the
  balance, the statement and a short-lived redemption code with its QR code.
- Staff issue or reissue a card link (/bank/accounts/<pk>/card/) and print it.

Thin: parse, call one service, render. The object comes first, then the method: out of scope is
a 404 before anything else. Every writing form carries an idempotency key made when it is
rendered, so a resubmitted page or a retried request never credits or redeems twice.
"""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pii import mask_name
from gongzhi.core.token_pages import token_page
from gongzhi.core.pagination import capped_page
from gongzhi.partylife.qr import qr_svg
from gongzhi.people.models import Person

from . import selectors, services
from .counter_forms import CodeForm, RedeemForm, RefundForm, WeighForm
from .models import HOLDER_KINDS, Account, Counter, CounterKind, Redemption, TransactionKind

PEOPLE_CAP = 20  # residents offered at once when weighing
RECENT_RECEIPTS = 5  # on the counter page
STATEMENT_PAGE = 20  # lines of the 积分卡's statement at a time


# ---- reads (each one answers the same 404 for missing and not allowed) ------------------------------


def holder_label(account: Account) -> str:
    """The holder of a resident's or household's account, masked."""
    if account.person_id:
        return mask_name(account.person.name)
    head = account.household.head if account.household_id else None
    return _("%(name)s家") % {"name": mask_name(head.name)} if head else _("家庭账户")


def counter_get(request, pk) -> Counter:
    return selectors.counter_operate_get(scope=request.scope, user=request.user, pk=pk)


def receipt_get(request, pk) -> Redemption:
    return selectors.receipt_get(scope=request.scope, user=request.user, pk=pk)


def residents_found(counter: Counter, q: str) -> list[Person]:
    return selectors.counter_residents(counter=counter, q=q, limit=PEOPLE_CAP)


resident_get = selectors.counter_resident_get
today_totals = selectors.counter_today
receipts_of = selectors.counter_receipts
day_bounds = selectors.day_bounds


def balance_after(receipt: Redemption) -> int:
    """The resident's balance right after the redemption (its line of the statement)."""
    lines = selectors.account_statement(account=receipt.account, limit=1, before=receipt.transaction_id + 1)
    return lines[0].balance if lines else 0


def _is_refunded(receipt: Redemption) -> bool:
    return getattr(receipt.transaction, "reversed_by", None) is not None


# ---- the counter page ----------------------------------------------------------------------------


def _weigh_form(counter: Counter, data=None, q: str = "") -> tuple[WeighForm, int]:
    people = residents_found(counter, q)
    options = [(p.pk, _person_option(p)) for p in people]
    posted = data.get("person") if data else None
    if posted and posted.isdigit() and int(posted) not in {p.pk for p in people}:
        person = resident_get(counter, posted)
        options.insert(0, (person.pk, _person_option(person)))
    form = WeighForm(data, options=options, lookup=lambda pk: resident_get(counter, pk))
    return form, len(people)


def _person_option(person: Person) -> str:
    where = f"{person.place.name} {person.household.room}" if person.household_id else person.place.name
    return f"{person.name}（{where}）"


def _goods_on_shelf(counter: Counter):
    return counter.goods.filter(active=True).order_by("points", "name", "id")


def _redeem_panel(counter: Counter, code: str, data=None) -> dict:
    """The looked-up code: its holder, balance and the counter's goods with quantities; or the
    code form with the service's refusal at the field."""
    code_form = CodeForm({"code": code})
    if not code_form.is_valid():
        return {"code_form": code_form}
    try:
        found = services.code_find(code=code_form.cleaned_data["code"])
    except ValidationError as e:
        add_service_errors(code_form, e)
        return {"code_form": code_form}
    account = found.account
    form = RedeemForm(data, goods=_goods_on_shelf(counter), initial={"code": found.code})
    return {"code_form": code_form, "found": found, "holder": holder_label(account), "account": account,
            "barred": services.barred_until(account, timezone.localdate()), "redeem_form": form,
            "other_community": account.community_id != counter.community_id}


def _render_counter(request, counter: Counter, *, q: str = "", code: str = "", weigh=None, redeem=None, drop=None):
    context = {"counter": counter, "today": today_totals(counter), "q": q, "drop": drop,
               "is_station": counter.kind == CounterKind.STATION,
               "recent": list(receipts_of(counter)[:RECENT_RECEIPTS])}
    if context["is_station"]:
        form, people_found = weigh or _weigh_form(counter, q=q)
        context.update(weigh_form=form, people_found=people_found, cap=PEOPLE_CAP,
                       balance=drop.account.balance if drop else None)
    if redeem is not None:
        context.update(redeem)
    elif code:
        context.update(_redeem_panel(counter, code))
    else:
        context["code_form"] = CodeForm()
    for receipt in context["recent"]:
        receipt.holder = holder_label(receipt.account)
    return render(request, "bank/counter/counter.html", context)


@login_required
@require_GET
def counter_page(request, pk):
    """?q= finds residents to weigh for (a station); ?code= looks up a resident's redemption code."""
    counter = counter_get(request, pk)
    return _render_counter(request, counter, q=(request.GET.get("q") or "").strip(), code=(request.GET.get("code") or "").strip())


@login_required
def counter_weigh(request, pk):
    """垃圾分类称重 → points at the community's rates, cut to the daily cap; a retry with the
    form's key gets the first weighing back."""
    counter = counter_get(request, pk)
    if counter.kind != CounterKind.STATION:
        raise Http404(_("不存在或无权查看。"))
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    q = (request.POST.get("q") or "").strip()
    form, found = _weigh_form(counter, request.POST, q=q)
    if form.is_valid():
        d = form.cleaned_data
        try:
            drop = services.garbage_record(scope=request.scope, acting_user=request.user, counter=counter, person=d["person"],
                                           weights=form.weights(), key=d["key"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            drop = selectors.garbage_drop_get(counter=counter, pk=drop.pk)
            return _render_counter(request, counter, drop=drop, weigh=_weigh_form(counter))
    return _render_counter(request, counter, q=q, weigh=(form, found))


@login_required
def counter_redeem(request, pk):
    """积分兑换: the goods and quantities for the code looked up → the receipt. A retry of a
    confirmed request (its code used meanwhile) gets the first receipt back from the service."""
    counter = counter_get(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    panel = _redeem_panel(counter, (request.POST.get("code") or "").strip(), request.POST)
    form = panel.get("redeem_form") or RedeemForm(request.POST, goods=_goods_on_shelf(counter))
    if form.is_valid():
        account = panel.get("account")
        if account is not None and form.total() > account.balance:  # the service refuses it too; said here without the resident's full name
            form.add_error(None, _("积分不足：现有 %(balance)s 分，本次需要 %(need)s 分。") % {"balance": account.balance, "need": form.total()})
        else:
            try:
                receipt = services.redemption_confirm(scope=request.scope, acting_user=request.user, counter=counter,
                                                      code=form.cleaned_data["code"], items=form.items(), key=form.cleaned_data["key"])
            except ValidationError as e:
                _redeem_errors(panel, e)
            else:
                return redirect("bank:receipt", receipt.pk)
    return _render_counter(request, counter, redeem=panel)


def _redeem_errors(panel: dict, error: ValidationError) -> None:
    """A refusal of the code (used, expired, another 社区's, barred) at the code field; the rest
    (stock, goods, balance) above the goods."""
    errors = dict(error.error_dict) if hasattr(error, "error_dict") else {}
    code_form = panel["code_form"]
    for message in ValidationError(errors.pop("code", [])).messages:
        if message not in code_form.errors.get("code", []):
            code_form.add_error("code", message)
    if errors or not hasattr(error, "error_dict"):
        add_service_errors(panel.get("redeem_form") or code_form, ValidationError(errors) if errors else error)


# ---- receipts -------------------------------------------------------------------------------------


@login_required
@require_GET
def receipt_list(request, pk):
    """The counter's receipts: ?when=today (default) or all, newest first, paginated."""
    counter = counter_get(request, pk)
    when = "all" if request.GET.get("when") == "all" else "today"
    since = day_bounds(timezone.localdate())[0] if when == "today" else None
    page = capped_page(receipts_of(counter, since=since), request.GET.get("page"))
    for receipt in page.rows:
        receipt.holder, receipt.refunded = holder_label(receipt.account), _is_refunded(receipt)
    return render(request, "bank/counter/receipts.html", {"counter": counter, "page": page, "when": when, "today": today_totals(counter)})


def _render_receipt(request, receipt: Redemption, refund_form=None):
    context = {"receipt": receipt, "counter": receipt.counter, "lines": list(receipt.lines.order_by("id")),
               "holder": holder_label(receipt.account), "balance_after": balance_after(receipt),
               "refund": getattr(receipt.transaction, "reversed_by", None), "refund_form": refund_form or RefundForm()}
    return render(request, "bank/counter/receipt.html", context)


@login_required
@require_GET
def receipt_detail(request, pk):
    """兑换凭证 (printable)."""
    return _render_receipt(request, receipt_get(request, pk))


@login_required
def receipt_refund(request, pk):
    """退兑 with a reason: the points and the stock go back. Then `next` (a page of this site) or the receipt."""
    receipt = receipt_get(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            services.redemption_refund(scope=request.scope, acting_user=request.user, redemption=receipt, reason=form.cleaned_data["reason"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已退兑：%(points)s 分已退回%(holder)s。") % {"points": receipt.points, "holder": holder_label(receipt.account)})
            return redirect(_safe_next(request) or reverse("bank:receipt", args=[receipt.pk]))
    return _render_receipt(request, receipt, refund_form=form)


def _safe_next(request) -> str:
    target = request.POST.get("next") or ""
    return target if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()) else ""


# ---- the resident's 积分卡 (no login) ---------------------------------------------------------------


# the account of a live 积分卡 link (any other token: 404)
card_page = token_page(lambda token: selectors.card_account(token=token), "bank/counter/card_invalid.html")


def _statement(account: Account, before) -> tuple[list, int | None]:
    before = int(before) if str(before or "").isdigit() else None
    lines = selectors.account_statement(account=account, limit=STATEMENT_PAGE + 1, before=before)
    more = lines[STATEMENT_PAGE - 1].transaction_id if len(lines) > STATEMENT_PAGE else None
    labels = dict(TransactionKind.choices)
    return [(line, labels.get(line.kind, line.kind)) for line in lines[:STATEMENT_PAGE]], more


def _render_card(request, account: Account, token: str, *, code=None, code_error=""):
    lines, more = _statement(account, request.GET.get("before"))
    if request.GET.get("before") and request.headers.get("HX-Request"):
        return render(request, "bank/counter/partials/statement_rows.html", {"lines": lines, "more": more, "token": token})
    context = {"account": account, "token": token, "holder": holder_label(account), "lines": lines, "more": more,
               "paged": bool(request.GET.get("before")), "barred": services.barred_until(account, timezone.localdate()),
               "code": code, "code_error": code_error}
    if code is not None:
        context.update(code_qr=qr_svg(code.code, scale=6), code_seconds=max(0, int((code.expires_at - timezone.now()).total_seconds())),
                       code_shown=f"{code.code[:3]} {code.code[3:]}")
    return render(request, "bank/counter/card.html", context)


@card_page
@require_GET
def card(request, account, token):
    """The holder's balance and statement (?before= a transaction id: the older lines)."""
    return _render_card(request, account, token)


@card_page
@require_POST
def card_code(request, account, token):
    """出示兑换码: a fresh 6-digit code (and its QR code) valid for the community's seconds."""
    try:
        code = services.code_issue(account=account)
    except ValidationError as e:
        return _render_card(request, account, token, code_error=" ".join(e.messages))
    return _render_card(request, account, token, code=code)


# ---- staff: issuing a card link -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def card_issue(request, pk):
    """GET: the account's card link and its QR code, to print for the resident. POST: a new link
    (the old one stops working), then back to `next` or here."""
    account = selectors.account_get(scope=request.scope, pk=pk)
    if request.method == "POST":
        try:
            services.card_issue(scope=request.scope, account=account)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, _("已生成新的积分卡链接，原链接即时失效。"))
        return redirect(_safe_next(request) or reverse("bank:card_issue", args=[account.pk]))
    link = request.build_absolute_uri(reverse("bank:card", args=[account.card_token])) if account.card_token else ""
    holder = account.person or (account.household.head if account.household_id else None)
    context = {"account": account, "link": link, "qr": qr_svg(link, scale=5) if link else "", "holder_name": holder.name if holder else "",
               "masked": holder_label(account) if account.kind in HOLDER_KINDS else "", "is_holder": account.kind in HOLDER_KINDS}
    return render(request, "bank/counter/card_issue.html", context)
