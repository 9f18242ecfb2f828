"""民主决策 pages: decision matters (list with Excel export, new, a matter with its progress line
and the next step's form, the whole record as .docx, PDF and print page, the signature scans),
the decision methods in force, the 一肩挑 settings, and 居民公约 (list, new, a 公约 with its
versions). Thin: parse, call one selector or service, render. Every object is fetched through the
user's scope first (out of scope is a 404); each action is a POST to the object's own page with an
`action` field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.pdf import in_chinese, pdf_response
from gongzhi.core.querystring import query_with
from gongzhi.core.uploads import file_response
from gongzhi.notices.selectors import notice_for
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.org.selectors.places import communities_in, communities_query, place_get
from gongzhi.people.selectors import community_get, community_options

from . import selectors, services
from .document import record_docx, record_entries, record_lines
from .export import matters_xlsx
from .forms import ConventionFilterForm, ConventionForm, FileForm, MatterFilterForm, MatterForm, SettingForm, StepForm, VersionForm, WithdrawForm
from .models import MatterStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXPORT_CAP = 10_000


def _community_param(request, scope):
    raw = request.GET.get("community")
    return community_get(scope, raw) if raw and str(raw).isdigit() else None


def _method_options():
    return [(m.pk, m.name) for m in selectors.method_list()]


def _compound_options(scope) -> list[tuple[int, str]]:
    names = {c.path: c.name for c in communities_in(scope)}
    compounds = scope.filter(Place.objects.filter(level=PlaceLevel.COMPOUND)).only("name", "path").order_by("path")[:400]
    return [(k.pk, f"{names.get(k.path[:-Place.steplen], '')} · {k.name}") for k in compounds]


def _compound_get(scope, pk):
    place = place_get(scope=scope, pk=pk)
    if place.level != PlaceLevel.COMPOUND:
        raise Http404(_("不存在或无权查看。"))
    return place


# ---- matters -------------------------------------------------------------------------------------


@login_required
@require_GET
def matter_list(request):
    """Matters in scope; ?q= ?status= ?method= ?community= (in scope, else 404); ?format=xlsx."""
    scope = request.scope
    community = _community_param(request, scope)
    methods = _method_options()
    form = MatterFilterForm(request.GET, community_options=community_options(scope), method_options=methods)
    form.is_valid()
    f = form.cleaned_data
    method = next((pk for pk, _label in methods if str(pk) == f.get("method")), None)
    matters = selectors.matter_list(scope=scope, community=community, method=method, status=f.get("status") or "", q=(f.get("q") or "").strip())
    if request.GET.get("format") == "xlsx":
        data = matters_xlsx(title=_("民主决策事项（%(day)s导出）") % {"day": timezone.localdate()}, matters=matters[:EXPORT_CAP])
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E6%B0%91%E4%B8%BB%E5%86%B3%E7%AD%96%E4%BA%8B%E9%A1%B9.xlsx"
        return response
    page = capped_page(matters, request.GET.get("page"))
    counts = selectors.matter_counts(scope=scope)
    context = {
        "form": form, "page": page, "community": community, "all_query": query_with(request.GET, status=None, page=None),
        "export_query": query_with(request.GET, format="xlsx", page=None),
        "status_links": [(v, label, counts.get(v, 0), query_with(request.GET, status=v, page=None)) for v, label in MatterStatus.choices],
    }
    return render(request, "decisions/matters.html", context)


@login_required
def matter_new(request):
    scope = request.scope
    data = request.POST if request.method == "POST" else None
    options = {"community": community_options(scope), "compound": _compound_options(scope), "method": _method_options()}
    methods = {m.pk: m for m in selectors.method_list()}
    lookups = {"community": lambda pk: community_get(scope, pk), "compound": lambda pk: _compound_get(scope, pk),
               "method": lambda pk: methods.get(pk) or _no_method()}
    initial = {"community": options["community"][0][0]} if len(options["community"]) == 1 else {}
    if methods:
        initial["method"] = next(iter(methods))
    form = MatterForm(data, lookups=lookups, options=options, initial=initial)
    if data is not None and form.is_valid():
        try:
            matter = services.matter_create(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记事项，请按“%(method)s”逐步记录。") % {"method": matter.method.name})
            return redirect("decisions:matter", matter.pk)
    return render(request, "decisions/matter_form.html", {"form": form, "methods": list(methods.values())})


def _no_method():
    raise ValidationError(_("请从列表中选择决策方法。"))


def _progress(matter, entries):
    """(step, state, last record) for the progress line: done, failed, current or waiting."""
    line = []
    for entry in entries:
        last = entry.records[-1] if entry.records else None
        if matter.current_step_id == entry.step.pk:
            state = "current"
        elif last is not None:
            state = "done" if last.outcome == "passed" else "failed"
        else:
            state = ""
        line.append((entry.step, state, last))
    return line


def _step_action(request, scope, matter, form):
    d = form.cleaned_data
    data = services.StepData(held_on=d["held_on"], due_count=d.get("due_count"), present_count=d.get("present_count"),
                             votes_for=d.get("votes_for"), votes_against=d.get("votes_against"), votes_abstain=d.get("votes_abstain"),
                             minutes=d.get("minutes") or "", notice_text=d.get("notice_text") or "", signatures=d.get("signatures"))
    records = services.step_record(scope=scope, acting_user=request.user, matter=matter, step=matter.current_step, data=data,
                                   merge_next=bool(d.get("merge_next")))
    last = records[-1]
    if last.outcome == "failed":
        matter.refresh_from_db()
        then = _("事项已退回“%(step)s”。") % {"step": matter.current_step.name} if matter.current_step else _("事项终止。")
        return messages.warning, _("“%(step)s”未通过：%(reason)s%(then)s") % {"step": last.step.name, "reason": last.fail_reason, "then": then}
    names = "、".join(r.step.name for r in records)
    if last.step.publishes:
        return messages.success, _("已记录“%(steps)s”，并已发布到社区公开栏。") % {"steps": names}
    return messages.success, _("已记录“%(steps)s”，结果：通过。") % {"steps": names}


@login_required
def matter_detail(request, pk):
    """A matter: its facts, the method's steps as a progress line, every record, the next step's
    form (POST action=step) and 撤回 (action=withdraw)."""
    scope = request.scope
    matter = selectors.matter_get(scope=scope, pk=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    mergeable = services.merge_candidate(matter) if matter.status == MatterStatus.OPEN else None
    step_form = withdraw_form = None
    if matter.current_step_id:
        step_form = StepForm(request.POST if posted == "step" else None, request.FILES if posted == "step" else None,
                             steps=[matter.current_step], mergeable=mergeable, prefix="step")
    if matter.status == MatterStatus.OPEN:
        withdraw_form = WithdrawForm(request.POST if posted == "withdraw" else None, prefix="withdraw")
    form = {"step": step_form, "withdraw": withdraw_form}.get(posted)
    if posted and form is None:
        messages.error(request, _("该事项当前为“%(status)s”，不能进行此操作。") % {"status": matter.get_status_display()})
        return redirect("decisions:matter", matter.pk)
    if form is not None and form.is_valid():
        try:
            if posted == "step":
                notify, text = _step_action(request, scope, matter, form)
            else:
                services.matter_withdraw(scope=scope, acting_user=request.user, matter=matter, reason=form.cleaned_data["withdraw_reason"])
                notify, text = messages.success, _("事项已撤回。")
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            notify(request, text)
            return redirect("decisions:matter", matter.pk)
    records = selectors.matter_records(matter)
    entries = record_entries(matter, records)
    notices = {r.pk: notice_for(r, r.step.publishes) for r in records if r.step.publishes}
    context = {"matter": matter, "progress": _progress(matter, entries),
               "entries": [(e, [(r, record_lines(r), notices.get(r.pk)) for r in e.records]) for e in entries],
               "step_form": step_form, "withdraw_form": withdraw_form, "mergeable": mergeable, "posted": posted}
    return render(request, "decisions/matter_detail.html", context)


def _record_context(request, pk):
    matter = selectors.matter_get(scope=request.scope, pk=pk)
    records = selectors.matter_records(matter)
    entries = record_entries(matter, records)
    return {"matter": matter, "entries": [(e, [(r, record_lines(r)) for r in e.records]) for e in entries], "now": timezone.localtime()}


def _filename(matter, suffix):
    return f"{matter.title}-决策记录.{suffix}"


@login_required
@require_GET
@in_chinese
def matter_record_docx(request, pk):
    matter = selectors.matter_get(scope=request.scope, pk=pk)
    response = HttpResponse(record_docx(matter, selectors.matter_records(matter)), content_type=DOCX)
    from urllib.parse import quote

    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(_filename(matter, 'docx'))}"
    return response


@login_required
@require_GET
@in_chinese
def matter_record_pdf(request, pk):
    context = _record_context(request, pk)
    return pdf_response(request, "decisions/record_print.html", context, _filename(context["matter"], "pdf"))


@login_required
@require_GET
@in_chinese
def matter_record_print(request, pk):
    return render(request, "decisions/record_print.html", _record_context(request, pk))


@login_required
@require_GET
def record_signatures(request, pk):
    record = selectors.record_get(scope=request.scope, pk=pk)
    if not record.signatures:
        raise Http404(_("不存在或无权查看。"))
    suffix = record.signatures.name.rsplit(".", 1)[-1].lower()
    return file_response(record.signatures, filename=f"{record.matter.title}-{record.step.name}-签字.{suffix}")


# ---- methods and settings ------------------------------------------------------------------------


@login_required
@require_GET
def method_list(request):
    """The decision methods in force with their steps, who acts, what is recorded and thresholds."""
    can_edit = request.user.is_superuser or request.scope.has_role("district_admin")
    return render(request, "decisions/methods.html", {"methods": selectors.method_list(), "can_edit": can_edit})


@login_required
def setting_list(request):
    """一肩挑 per 社区 in scope; POST community + secretary_is_director sets one."""
    scope = request.scope
    if request.method == "POST":
        community = community_get(scope, request.POST.get("community") or 0)
        form = SettingForm(request.POST)
        form.is_valid()
        services.setting_save(scope=scope, acting_user=request.user, community=community,
                              secretary_is_director=form.cleaned_data.get("secretary_is_director", False))
        messages.success(request, _("已保存%(name)s的设置。") % {"name": community.name})
        return redirect("decisions:settings")
    communities = communities_query(scope)
    page = capped_page(communities, request.GET.get("page"))
    values = selectors.settings_for(scope=scope, communities=list(page.rows))
    rows = [(c, values.get(c.pk, False)) for c in page.rows]
    return render(request, "decisions/settings.html", {"page": page, "rows": rows})


# ---- 居民公约 ---------------------------------------------------------------------------------------


@login_required
@require_GET
def convention_list(request):
    """居民公约 of the 社区 and 小区 in scope, with their current (filed) version; the coverage."""
    scope = request.scope
    community = _community_param(request, scope)
    form = ConventionFilterForm(request.GET, community_options=community_options(scope))
    form.is_valid()
    conventions = selectors.convention_list(scope=scope, community=community, q=(form.cleaned_data.get("q") or "").strip())
    page = capped_page(conventions, request.GET.get("page"))
    coverage = {key: _share(*selectors.convention_coverage(scope=scope, level=level))
                for key, level in (("community", PlaceLevel.COMMUNITY), ("compound", PlaceLevel.COMPOUND))}
    return render(request, "decisions/conventions.html", {"form": form, "page": page, "community": community, "coverage": coverage})


def _share(covered: int, total: int) -> tuple[int, int, str]:
    return covered, total, f"{covered * 100 / total:.1f}%" if total else "—"


@login_required
def convention_new(request):
    scope = request.scope
    data = request.POST if request.method == "POST" else None
    options = {"community": community_options(scope), "compound": _compound_options(scope)}
    lookups = {"community": lambda pk: community_get(scope, pk), "compound": lambda pk: _compound_get(scope, pk)}
    initial = {"community": options["community"][0][0]} if len(options["community"]) == 1 else {}
    form = ConventionForm(data, lookups=lookups, options=options, initial=initial)
    if data is not None and form.is_valid():
        try:
            convention = services.convention_create(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记公约，请录入经决议通过的公约全文。"))
            return redirect("decisions:convention", convention.pk)
    return render(request, "decisions/convention_form.html", {"form": form})


def _matter_options(scope, convention):
    matters = selectors.adopted_matters(scope=scope, community=convention.community)
    if convention.compound_id:
        matters = matters.filter(Q(compound__isnull=True) | Q(compound=convention.compound_id))
    return list(matters[:200])


@login_required
def convention_detail(request, pk):
    """A 公约 with its versions; POST action=adopt (a new version through a passed matter) or
    action=file (备案 of a version: it comes into force and is published)."""
    scope = request.scope
    convention = selectors.convention_get(scope=scope, pk=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    matters = _matter_options(scope, convention)
    adopt_form = VersionForm(request.POST if posted == "adopt" else None, prefix="adopt",
                             lookup=lambda pk: selectors.matter_get(scope=scope, pk=pk),
                             options=[(m.pk, f"{m.title}（{m.get_status_display()}）") for m in matters])
    versions = selectors.convention_versions(convention)
    file_form = FileForm(request.POST if posted == "file" else None, prefix="file")
    form = {"adopt": adopt_form, "file": file_form}.get(posted)
    if form is not None and form.is_valid():
        try:
            if posted == "adopt":
                version = services.convention_version_adopt(scope=scope, acting_user=request.user, convention=convention, **form.cleaned_data)
                text = _("已录入第%(n)s版，备案后生效并在公开栏公布。") % {"n": version.number}
            else:
                version = selectors.version_get(scope=scope, pk=request.POST.get("version") or 0)
                if version.convention_id != convention.pk:
                    raise Http404(_("不存在或无权查看。"))
                services.convention_version_file(scope=scope, acting_user=request.user, version=version, filed_on=form.cleaned_data["filed_on"])
                text = _("第%(n)s版已备案，成为现行公约，并已在公开栏公布。") % {"n": version.number}
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, text)
            return redirect("decisions:convention", convention.pk)
    current = selectors.current_version(versions)
    context = {"convention": convention, "versions": versions, "current": current, "notice": notice_for(current, "convention") if current else None,
               "adopt_form": adopt_form, "file_form": file_form, "has_matters": bool(matters), "posted": posted}
    return render(request, "decisions/convention_detail.html", context)
