"""五星支部 pages: the year's ratings for the user's scope (tiles per star level, every branch with
its stars and last year's, the .xlsx), one evaluation (indicators with their sources, points
editable while a draft, publishing), a branch's history. Thin: parse, call, render."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.org import selectors as org_selectors

from . import star_selectors as selectors
from . import star_services as services
from .forms_stars import EvaluationForm, OpenForm, YearForm
from .models import EvaluationStatus
from .star_export import summary_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _year(request) -> tuple[YearForm, int]:
    today = timezone.localdate()
    years = selectors.years_to_choose(scope=request.scope, today=today)
    form = YearForm(request.GET if "year" in request.GET else None, years=years, default=selectors.default_year(today))
    return form, form.chosen()


@login_required
@require_GET
def summary(request):
    """The year's ratings (?year=, last year by default) in the user's scope or ?org='s subtree;
    ?stars= keeps one level (0: not yet rated); ?format=xlsx downloads the same."""
    scope = request.scope
    form, year = _year(request)
    node = org_selectors.org_get(scope=scope, pk=request.GET["org"]) if request.GET.get("org") else None
    stars = selectors.star_choices_for(request.GET.get("stars"))
    rows = selectors.branch_ratings(scope=scope, year=year, node=node, stars=stars)
    summary = selectors.star_summary(scope=scope, year=year, node=node)
    if request.GET.get("format") == "xlsx":
        name = f"{node.name if node else _('五星支部')}-{year}年度星级评定.xlsx"
        return FileResponse(io.BytesIO(summary_xlsx(summary, rows)), as_attachment=True, filename=name, content_type=XLSX)
    page = capped_page(rows, request.GET.get("page"))
    for r in page.rows:
        r.change = selectors.change(r.rating_stars, r.previous_stars)
    keep = QueryDict(mutable=True)
    keep["year"] = year
    if node:
        keep["org"] = node.pk
    base = f"{reverse('points:stars')}?{keep.urlencode()}&stars="
    for level in summary.levels:
        level.url = f"{base}{level.stars}"
    context = {
        "unrated_url": f"{base}0",
        "form": form, "year": year, "node": node, "summary": summary, "page": page, "stars": stars, "keep": keep.urlencode(),
        "ancestors": [a for a in org_selectors.org_ancestors(scope=scope, node=node) if a.visible] if node else [],
        "can_evaluate": services.can_evaluate(request.user) and year <= timezone.localdate().year,
        "query": request.GET.urlencode(),
    }
    return render(request, "points/stars/summary.html", context)


@login_required
@require_POST
def evaluations_open(request):
    form = OpenForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("请选择年度。"))
    year = form.cleaned_data["year"]
    try:
        created = services.evaluations_open(scope=request.scope, acting_user=request.user, year=year)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        if created:
            messages.success(request, _("已为 %(n)s 个支部开始%(year)s年度星级评定，有数据来源的指标已自动计分。") % {"n": len(created), "year": year})
        else:
            messages.info(request, _("%(year)s年度所有支部都已开始评定。") % {"year": year})
    return redirect(f"{reverse('points:stars')}?year={year}")


ACTIONS = {"refresh": gettext_lazy("已重新读取系统数据；调整过的得分保持不变。"), "publish": gettext_lazy("已公布评定结果。")}


@login_required
def evaluation(request, pk):
    """One evaluation: while a draft, POST saves every score and the details (action=save), re-reads
    the figures (refresh) or publishes (publish); once published it is read-only."""
    scope = request.scope
    evaluation = selectors.evaluation_get(scope=scope, pk=pk)
    scores = selectors.evaluation_scores(evaluation=evaluation)
    form = EvaluationForm(request.POST if request.POST.get("action") == "save" else None, evaluation=evaluation, scores=scores)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                if form.is_valid():
                    services.evaluation_save(scope=scope, acting_user=request.user, evaluation=evaluation, **form.service_kwargs())
                    messages.success(request, _("已保存得分。"))
                    return redirect("points:star_evaluation", evaluation.pk)
            elif action in ACTIONS:
                run = services.evaluation_refresh if action == "refresh" else services.evaluation_publish
                run(scope=scope, acting_user=request.user, evaluation=evaluation)
                messages.success(request, ACTIONS[action])
                return redirect("points:star_evaluation", evaluation.pk)
            else:
                return HttpResponseBadRequest(_("未知的操作。"))
        except ValidationError as e:
            if action == "save" and hasattr(e, "error_dict"):
                add_service_errors(form, e)
            else:
                messages.error(request, " ".join(e.messages))
        evaluation.refresh_from_db()
        scores = scores if action == "save" else selectors.evaluation_scores(evaluation=evaluation)
    total, level = selectors.evaluation_preview(evaluation=evaluation, scores=scores)
    context = {
        "evaluation": evaluation, "org": evaluation.organization, "form": form, "scores": scores, "total": total, "level": level,
        "editable": evaluation.status == EvaluationStatus.DRAFT and services.can_evaluate(request.user),
        "levels": list(evaluation.scheme.levels.all()), "max_total": sum(s.indicator.max_points for s in scores),
        "ancestors": org_selectors.org_ancestors(scope=scope, node=evaluation.organization),
        "publicity_until": evaluation.published_at and timezone.localdate(evaluation.published_at) + dt.timedelta(days=evaluation.scheme.publicity_days),
    }
    return render(request, "points/stars/evaluation.html", context)


@login_required
@require_GET
def history(request, pk):
    """A branch's ratings over the years, stars up or down from one year to the next."""
    scope = request.scope
    org = org_selectors.org_get(scope=scope, pk=pk)
    context = {"org": org, "rows": selectors.branch_history(scope=scope, organization=org),
               "ancestors": org_selectors.org_ancestors(scope=scope, node=org)}
    return render(request, "points/stars/history.html", context)
