"""资源清单 pages: the list (filters, counts by kind, each resource's load, .xlsx), one resource
(its commitments, availability, history), registering one, the door-to-door survey (地毯式摸底:
many rows for one place, all or nothing, errors naming the row), and committing a resource to a
project (the project page loads that panel through htmx; the need page's candidates link to it).
Thin, like gongzhi.needs.views: every object is fetched through the user's scope first (out of
scope is a 404), and each action is a POST to the object's own page with an `action` field."""

import io
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.org.selectors import place_get
from gongzhi.people.forms import tree_options
from gongzhi.people.selectors import place_filter_choices

from . import resource_selectors as rsel
from . import selectors
from .export import resources_xlsx
from .models import ResourceKind
from .resource_forms import (
    SURVEY_FIELD_OF, SURVEY_MAX_ROWS, SURVEY_PREFIX, SURVEY_ROWS, AvailabilityForm, CommitForm, ResourceFilterForm, ResourceForm, SurveyForm,
    SurveyRowFormSet, survey_rows_filled,
)
from .resources import resource_commit, resource_register, resource_set_availability, resource_survey_register
from .views import EXPORT_CAP, XLSX




# ---- the list -------------------------------------------------------------------------------------


@login_required
@require_GET
def resource_list(request):
    """Resources in scope; ?q= (name or unit) ?kind= ?skill= ?place= (in scope, else 404)
    ?available=on; tiles count each kind; ?format=xlsx downloads the filtered list."""
    scope = request.scope
    node = place_get(scope=scope, pk=request.GET["place"]) if request.GET.get("place") else None
    options = tree_options(place_filter_choices(scope=scope), blank=_("全部地点"), selected=node)
    form = ResourceFilterForm(request.GET, place_options=options)
    form.is_valid()
    d = form.cleaned_data
    filters = {"skill": d.get("skill"), "place": node, "available_only": bool(d.get("available")), "q": (d.get("q") or "").strip()}
    resources = rsel.resource_list(scope=scope, kind=d.get("kind") or "", **filters)
    if request.GET.get("format") == "xlsx":
        today = timezone.localdate()
        where = node.name if node else "、".join(map(str, scope.labels))
        title = _("%(where)s 资源清单（截至%(day)s）") % {"where": where, "day": f"{today:%Y-%m-%d}"}
        data = resources_xlsx(title=title, resources=resources[:EXPORT_CAP])
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{where}-资源清单-{today:%Y%m%d}.xlsx", content_type=XLSX)
    counts = rsel.resource_counts_by_kind(scope=scope, **filters)
    context = {
        "form": form, "node": node, "page": capped_page(resources, request.GET.get("page")),
        "tiles": [(k, label, counts[k], "?" + query_with(request.GET, kind=k, page=None)) for k, label in ResourceKind.choices],
        "total": sum(counts.values()), "export_query": query_with(request.GET, format="xlsx", page=None),
    }
    return render(request, "needs/resources.html", context)


# ---- registering ----------------------------------------------------------------------------------


def _place_options(scope):
    return tree_options(rsel.resource_places(scope=scope), blank=_("请选择"))


@login_required
def resource_new(request):
    """新增资源: one resource; ?place= (in scope, else 404) chooses its place."""
    scope = request.scope
    lookup = lambda pk: place_get(scope=scope, pk=pk)  # noqa: E731
    if request.method == "POST":
        form = ResourceForm(request.POST, lookup=lookup, options=_place_options(scope))
    else:
        place = lookup(request.GET["place"]) if request.GET.get("place") else None
        form = ResourceForm(initial={"place": place.pk if place else None}, lookup=lookup, options=_place_options(scope))
    if request.method == "POST" and form.is_valid():
        try:
            resource = resource_register(scope=scope, acting_user=request.user, **form.service_kwargs())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记资源“%(name)s”。") % {"name": resource.name})
            return redirect("needs:resource", resource.pk)
    return render(request, "needs/resource_form.html", {"form": form})


def _survey_errors(form, rows, error: ValidationError) -> list[str]:
    """The service's “第N行：…” errors: each marked at its row's column, listed above the table;
    an error of the place (the same on every row) once, at the place."""
    listed, place_errors = [], set()
    for e in error.error_dict.get("rows", []) if hasattr(error, "error_dict") else error.error_list:
        params = e.params or {}
        field, number = params.get("field", ""), params.get("row")
        if field == "place":
            place_errors.add(params["message"])
            continue
        listed.append(e.messages[0])
        if number and number <= len(rows.forms) and params.get("message"):
            row = rows.forms[number - 1]
            column = SURVEY_FIELD_OF.get(field, field)
            row.add_error(column if column in row.fields else None, params["message"])
    for message in sorted(place_errors):
        form.add_error("place", message)
    return listed


def _survey_parse_errors(rows) -> list[str]:
    return [_("第%(row)s行：%(message)s") % {"row": i, "message": f"{row.fields[name].label}：{m}" if name != "__all__" else m}
            for i, row in enumerate(rows.forms, start=1) for name, ms in row.errors.items() for m in ms]


@login_required
def resource_survey(request):
    """地毯式摸底: one place, many rows, registered together (all or nothing); blank rows are
    left out; on an error nothing is saved and the rows stay as typed, each error naming its row."""
    scope = request.scope
    lookup = lambda pk: place_get(scope=scope, pk=pk)  # noqa: E731
    options, errors = _place_options(scope), []
    if request.method != "POST":
        place = lookup(request.GET["place"]) if request.GET.get("place") else None  # out of scope: 404
        form = SurveyForm(lookup=lookup, options=options, initial={"place": place.pk if place else None})
        rows = SurveyRowFormSet(prefix=SURVEY_PREFIX, initial=[{}] * SURVEY_ROWS)
        return render(request, "needs/resource_survey.html", {"form": form, "rows": rows, "errors": errors})
    data = survey_rows_filled(request.POST)
    form, rows = SurveyForm(data, lookup=lookup, options=options), SurveyRowFormSet(data, prefix=SURVEY_PREFIX)
    if not rows.total_form_count():
        errors = [_("摸底表中没有资源：请至少填写一行。")]
    elif form.is_valid() and rows.is_valid():
        try:
            saved = resource_survey_register(scope=scope, acting_user=request.user,
                                             rows=[row.row(form.cleaned_data["place"]) for row in rows.forms])
        except ValidationError as e:
            errors = _survey_errors(form, rows, e)
        else:
            messages.success(request, _("已登记 %(n)s 项资源（%(place)s）。") % {"n": len(saved), "place": form.cleaned_data["place"].name})
            return redirect(reverse("needs:resources") + f"?place={form.cleaned_data['place'].pk}")
    else:
        errors = _survey_parse_errors(rows) + [e for e in rows.non_form_errors()]
    return render(request, "needs/resource_survey.html", {"form": form, "rows": rows, "errors": errors})


@login_required
@require_GET
def resource_survey_row(request):
    """One more blank row of the survey (htmx), numbered after ?row-TOTAL_FORMS=, with the new total."""
    try:
        index = max(0, int(request.GET.get(f"{SURVEY_PREFIX}-TOTAL_FORMS", 0)))
    except ValueError:
        index = 0
    if index >= SURVEY_MAX_ROWS:
        return HttpResponse(status=204)  # htmx adds nothing: a survey holds SURVEY_MAX_ROWS rows at most
    rows = SurveyRowFormSet(prefix=SURVEY_PREFIX, initial=[{}] * (index + 1))
    return render(request, "needs/partials/resource_survey_row.html", {"row": rows.forms[index], "number": index + 1, "total": index + 1,
                                                                        "oob": True})


# ---- one resource ---------------------------------------------------------------------------------


@login_required
def resource_detail(request, pk):
    """A resource with the projects it is committed to; action `availability` toggles 可用 / 暂不可用 with a note."""
    scope = request.scope
    resource = rsel.resource_get(scope=scope, id=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    form = AvailabilityForm(request.POST if posted == "availability" else None, prefix="availability")
    if posted and posted != "availability":
        messages.error(request, _("无法识别的操作。"))
        return redirect("needs:resource", resource.pk)
    if posted and form.is_valid():
        try:
            resource_set_availability(scope=scope, acting_user=request.user, resource=resource, available=not resource.available,
                                      note=form.cleaned_data["note"])
        except ValidationError as e:
            add_service_errors(form, e, aliases={"availability_note": "note"})
        else:
            messages.success(request, _("已标记为可用。") if not resource.available else _("已标记为暂不可用。"))
            return redirect("needs:resource", resource.pk)
    context = {
        "resource": resource, "form": form, "skills": list(resource.skills.all()),
        "commitments": list(rsel.resource_commitments(scope=scope, resource=resource)),
        "history": rsel.resource_history(scope=scope, resource=resource),
    }
    return render(request, "needs/resource_detail.html", context)


# ---- committing resources to a project ------------------------------------------------------------


def _offer_options(offers) -> list[tuple[int, str]]:
    def label(r, score):
        text = f"{r.name}（{r.get_kind_display()} · {r.place.name}{'' if r.available else ' · ' + _('暂不可用')}）"
        return text + (" " + _("匹配分 %(n)s") % {"n": score} if score is not None else "")

    return [(r.pk, label(r, score)) for r, score in offers]


@login_required
def project_resources(request, pk):
    """The resources committed to a project, and the form to commit one (POST, action `commit`):
    a panel the project page loads through htmx, or a page of its own (the need page's “投入项目”
    links here with ?resource=)."""
    scope = request.scope
    project = selectors.project_get(scope=scope, id=pk)
    lookup = lambda rid: rsel.resource_get(scope=scope, id=rid)  # noqa: E731
    offers = rsel.resources_to_offer(scope=scope, project=project) if project.is_open else []
    posted = request.method == "POST" and request.POST.get("action") == "commit"
    initial = {"resource": lookup(request.GET["resource"]).pk} if request.GET.get("resource") else {}
    form = CommitForm(request.POST if posted else None, lookup=lookup, options=_offer_options(offers), initial=initial)
    if request.method == "POST" and not posted:
        messages.error(request, _("无法识别的操作。"))
        return redirect("needs:project", project.pk)
    if posted and form.is_valid():
        d = form.cleaned_data
        try:
            resource_commit(scope=scope, acting_user=request.user, project=project, resource=d["resource"], note=d["note"],
                            committed_on=d["committed_on"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已将资源“%(name)s”投入项目。") % {"name": d["resource"].name})
            url = reverse("needs:project", args=[project.pk])
            if not request.headers.get("HX-Request"):
                return redirect(url + "#resources")
            if urlsplit(request.headers.get("HX-Current-URL", "")).path == url:  # the project page: load it again
                return HttpResponse(headers={"HX-Refresh": "true"})
            return HttpResponse(headers={"HX-Redirect": url + "#resources"})
    context = {"project": project, "form": form, "committed": list(rsel.project_resources(scope=scope, project=project)),
               "has_offers": bool(offers)}
    if request.headers.get("HX-Request"):
        return render(request, "needs/partials/resource_commit_panel.html", context)
    return render(request, "needs/resource_commit.html", context)
