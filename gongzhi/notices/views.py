"""公开栏 pages of the staff app: the board of every 社区 in scope (filters, Excel), writing a
notice, one notice with its record (published when, by whom; withdrawn when, why). Thin: parse,
call one selector or service, render; every object is fetched through the user's scope first."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.org.models import PlaceLevel
from gongzhi.org.selectors.places import place_get
from gongzhi.people.selectors import community_get, community_options, place_filter_choices

from . import selectors, services
from .export import board_xlsx
from .forms import BoardFilterForm, NoticeForm, WithdrawForm
from .models import NoticeState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CAP = 20_000


@login_required
@require_GET
def board(request):
    """Notices in scope; ?community= (in scope, else 404) ?kind= ?state= ?q=; ?export=xlsx."""
    scope, today = request.scope, timezone.localdate()
    raw = request.GET.get("community")
    community = community_get(scope, raw) if raw else None
    form = BoardFilterForm(request.GET, community_options=community_options(scope))
    form.is_valid()
    f = form.cleaned_data
    notices = selectors.board(scope=scope, day=today, community=community, kind=f.get("kind") or "", state=f.get("state") or "",
                              q=f.get("q") or "")
    if request.GET.get("export") == "xlsx":
        title = _("%(where)s 公开栏（导出于 %(day)s）") % {"where": community.name if community else "、".join(map(str, scope.labels)),
                                                       "day": today.isoformat()}
        response = HttpResponse(board_xlsx(title=title, notices=notices[:EXPORT_CAP], day=today), content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''notices.xlsx"
        return response
    page = capped_page(notices, request.GET.get("page"))
    for n in page.rows:
        n.state = n.state_on(today)
    counts = selectors.board_counts(scope=scope, day=today, community=community)
    context = {
        "form": form, "page": page, "community": community, "today": today,
        "all_query": query_with(request.GET, state=None, page=None),
        "export_query": query_with(request.GET, export="xlsx", page=None),
        "state_links": [(v, label, counts.get(v, 0), query_with(request.GET, state=v, page=None)) for v, label in NoticeState.choices],
    }
    return render(request, "notices/board.html", context)


def _compound_options(scope) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in place_filter_choices(scope=scope) if p.level == PlaceLevel.COMPOUND]


@login_required
def notice_new(request):
    """Write a notice (公告, 公示 …) for one 社区 in scope."""
    scope = request.scope
    data = request.POST if request.method == "POST" else None
    lookups = {"community": lambda pk: community_get(scope, pk), "compound": lambda pk: place_get(scope=scope, pk=pk)}
    options = {"community": community_options(scope), "compound": _compound_options(scope)}
    raw = request.GET.get("community")
    chosen = community_get(scope, raw).pk if raw else (options["community"][0][0] if len(options["community"]) == 1 else None)
    initial = {"starts_on": timezone.localdate(), "community": chosen}
    form = NoticeForm(data, initial=initial, lookups=lookups, options=options)
    if data is not None and form.is_valid():
        try:
            notice = services.notice_publish(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已发布到%(name)s公开栏。") % {"name": notice.community.name})
            return redirect("notices:notice", notice.pk)
    return render(request, "notices/notice_form.html", {"form": form})


@login_required
def notice(request, pk):
    """One notice with its record; POST action=withdraw takes it down (it stays on record)."""
    scope = request.scope
    item = selectors.notice_get(scope=scope, pk=pk)
    form = WithdrawForm(request.POST if request.method == "POST" and request.POST.get("action") == "withdraw" else None)
    if form.is_bound and form.is_valid():
        try:
            services.notice_withdraw(notice=item, reason=form.cleaned_data["reason"], acting_user=request.user, scope=scope)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已撤下，公开记录仍保留。"))
            return redirect("notices:notice", item.pk)
    context = {"notice": item, "form": form, "state": item.state_on(timezone.localdate()), "history": selectors.notice_history(notice=item)}
    return render(request, "notices/notice.html", context)
