"""三张清单 pages: the open-items ledger (挂账) with its .xlsx, the intake of a need, a need with
its steps and the actions its status allows, and projects (立项 from needs, the task map,
spending, 销号). Thin: parse, call one selector or service, render. Every object is fetched
through the user's scope first: out of scope is a 404 before anything else, on pages and
actions alike; each action is a POST to the object's own page with an `action` field."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.org.selectors import org_get, place_get
from gongzhi.people.forms import tree_options
from gongzhi.people.selectors import (
    households_at, organization_filter_choices, person_get, persons_at, place_filter_choices, place_labels, residence_get, residences,
)

from . import matching, selectors, services
from .export import ledger_xlsx
from .forms import (
    CloseForm, LedgerFilterForm, MergeForm, NeedForm, NoteForm, ProjectCloseForm, ProjectForm, SpendingForm, TaskForm, VisitForm,
)
from .models import OPEN_NEED_STATUSES, OPEN_PROJECT_STATUSES, NeedStatus, ProjectStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CAP = 20_000  # rows per sheet at most in one export
BUILDING_CAP = 1000  # buildings listed in the intake form
STATUS_TONES = {"registered": "warn", "accepted": "info", "in_progress": "info", "closed": "ok", "visited": "ok", "merged": "",
                "opened": "warn", "running": "info"}


def _month_start(today: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(today.replace(day=1), dt.time.min))


# ---- the ledger (挂账) ---------------------------------------------------------------------------


def _ledger_needs(scope, today, f: dict):
    status = f["status"] if f["status"] in OPEN_NEED_STATUSES else None
    needs = selectors.need_list(scope=scope, today=today, status=status, category=f["category"], open_only=True)
    if f["node"] is not None:
        needs = needs.filter(f["node"].subtree_q("place__path"))
    if f["q"]:
        needs = needs.filter(Q(title__icontains=f["q"]) | Q(place__name__icontains=f["q"]))
    if f["overdue"]:
        needs = needs.filter(Q(overdue_accept=True) | Q(overdue_close=True))
    return needs.order_by("registered_at", "id")


def _ledger_projects(scope, today, f: dict):
    projects = selectors.project_list(scope=scope, today=today, open_only=True)
    if f["status"] in OPEN_PROJECT_STATUSES:
        projects = projects.filter(status=f["status"])
    if f["node"] is not None:
        projects = projects.filter(f["node"].subtree_q("place__path"))
    if f["q"]:
        projects = projects.filter(Q(name__icontains=f["q"]) | Q(place__name__icontains=f["q"]))
    if f["overdue"]:
        projects = projects.filter(tasks_late=True)
    return projects.order_by("opened_on", "id")


def _need_rows(needs, today):
    labels = place_labels([n.place for n in needs])
    return [(n, selectors.need_age(n, today), labels.get(n.place_id, ("", ""))) for n in needs]


def _project_rows(projects, today):
    return [(p, (today - p.opened_on).days, selectors.project_progress(p)) for p in projects]


@login_required
@require_GET
def ledger(request):
    """Open needs (or ?kind=projects: open projects) in scope, oldest first, with ages and overdue
    flags; filters ?category= ?status= ?place= (in scope, else 404) ?q= ?overdue=; ?format=xlsx
    downloads both lists as filtered."""
    scope, today = request.scope, timezone.localdate()
    node = place_get(scope=scope, pk=request.GET["place"]) if request.GET.get("place") else None
    options = tree_options(place_filter_choices(scope=scope), blank=_("全部地点"), selected=node)
    form = LedgerFilterForm(request.GET, place_options=options)
    form.is_valid()
    f = {k: form.cleaned_data.get(k) for k in ("category", "status", "q", "overdue")} | {"node": node}
    f["q"] = (f["q"] or "").strip()
    kind = "projects" if request.GET.get("kind") == "projects" else "needs"
    if request.GET.get("format") == "xlsx":
        needs = list(_ledger_needs(scope, today, f)[:EXPORT_CAP])
        projects = list(_ledger_projects(scope, today, f)[:EXPORT_CAP])
        where = node.name if node else "、".join(map(str, scope.labels))
        title = _("%(where)s 挂账清单（截至%(day)s）") % {"where": where, "day": f"{today:%Y-%m-%d}"}
        data = ledger_xlsx(title=title, needs=_need_rows(needs, today), projects=_project_rows(projects, today))
        return FileResponse(io.BytesIO(data), as_attachment=True, filename=f"{where}-挂账清单-{today:%Y%m%d}.xlsx", content_type=XLSX)
    if kind == "needs":
        page = capped_page(_ledger_needs(scope, today, f), request.GET.get("page"))
        page.rows = _need_rows(page.rows, today)
    else:
        page = capped_page(_ledger_projects(scope, today, f), request.GET.get("page"))
        page.rows = _project_rows(page.rows, today)
    totals = selectors.open_items(scope=scope, today=today, limit=0)
    month = _month_start(today)
    context = {
        "form": form, "kind": kind, "node": node, "page": page, "totals": totals, "tones": STATUS_TONES,
        "closed_needs": selectors.need_list(scope=scope, today=today).filter(closed_at__gte=month).count(),
        "closed_projects": selectors.project_list(scope=scope, today=today).filter(closed_on__gte=month.date()).count(),
        "export_query": query_with(request.GET, format="xlsx", page=None),
        "needs_query": query_with(request.GET, kind=None, page=None), "projects_query": query_with(request.GET, kind="projects", page=None),
    }
    return render(request, "needs/ledger.html", context)


# ---- intake ---------------------------------------------------------------------------------------


def _building_options(scope) -> list[tuple[int, str]]:
    """Buildings and units in scope, labelled "社区 · 小区 楼栋 单元", in tree order."""
    nodes = list(residences(scope=scope).order_by("path")[:BUILDING_CAP])
    labels = place_labels(nodes)
    return [(n.pk, " · ".join(x for x in labels[n.pk] if x) or n.name) for n in nodes]


def _household_at(scope, place, pk):
    household = households_at(scope=scope, place=place).filter(pk=pk).first() if place else None
    if household is None:
        raise ValidationError(_("所选住户不在该楼栋，请重新选择。"))
    return household


def _intake_form(request, scope):
    data = request.POST if request.method == "POST" else (request.GET if request.GET.get("place") else None)
    place = residence_get(scope=scope, pk=data["place"]) if data and data.get("place") else None
    options = {"place": _building_options(scope)}
    if place is not None:
        options["household"] = [(h.pk, h.room or _("户%(id)s") % {"id": h.pk}) for h in households_at(scope=scope, place=place)[:300]]
        options["requester"] = [(p.pk, p.name) for p in persons_at(scope=scope, place=place)[:300]]
    lookups = {
        "place": lambda pk: residence_get(scope=scope, pk=pk),
        "household": lambda pk: _household_at(scope, place, pk),
        "requester": lambda pk: person_get(scope=scope, pk=pk),
    }
    if request.method != "POST":
        return NeedForm(initial={"place": place.pk} if place else None, lookups=lookups, options=options)
    return NeedForm(request.POST, lookups=lookups, options=options)


@login_required
def need_new(request):
    """登记: a need as it came in; ?place= (a building in scope, else 404) fills the household and
    requester lists of that building (htmx reloads them when the building changes)."""
    scope = request.scope
    form = _intake_form(request, scope)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            need = services.need_register(scope=scope, acting_user=request.user, **{k: d[k] for k in (
                "title", "category", "channel", "place", "household", "requester", "description", "urgency", "contact_note", "source_ref")})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记需求“%(title)s”。") % {"title": need.title})
            return redirect("needs:need", need.pk)
    return render(request, "needs/need_form.html", {"form": form})


# ---- one need -------------------------------------------------------------------------------------


FLOW = (NeedStatus.REGISTERED, NeedStatus.ACCEPTED, NeedStatus.IN_PROGRESS, NeedStatus.CLOSED, NeedStatus.VISITED)
ACTIONS_BY_STATUS = {
    NeedStatus.REGISTERED: ("accept", "merge"),
    NeedStatus.ACCEPTED: ("start", "merge"),
    NeedStatus.IN_PROGRESS: ("close", "merge"),
    NeedStatus.CLOSED: ("visit",),
}


def _need_forms(request, scope, need, posted: str) -> dict:
    """The forms of the actions `need`'s status allows; the one `posted` is bound."""
    def data(action):
        return request.POST if action == posted else None

    forms = {}
    for action in ACTIONS_BY_STATUS.get(need.status, ()):
        if action in ("accept", "start"):
            forms[action] = NoteForm(data(action), prefix=action)
        elif action == "close":
            forms[action] = CloseForm(data(action), prefix=action)
        elif action == "visit":
            forms[action] = VisitForm(data(action), prefix=action)
        elif action == "merge":
            others = selectors.need_list(scope=scope, open_only=True, category=need.category).exclude(pk=need.pk)[:100]
            options = [(n.pk, f"#{n.pk} {n.title}（{n.place.name} · {n.get_status_display()}）") for n in others]
            forms[action] = MergeForm(data(action), prefix=action, options=options,
                                      lookup=lambda pk: selectors.need_get(scope=scope, id=pk))
    return forms


def _run_need_action(request, scope, need, action, form):
    d, user = form.cleaned_data, request.user
    if action == "accept":
        services.need_accept(scope=scope, acting_user=user, need=need, note=d["note"])
        return _("已受理。")
    if action == "start":
        services.need_start(scope=scope, acting_user=user, need=need, note=d["note"])
        return _("已开始办理。")
    if action == "close":
        services.need_close(scope=scope, acting_user=user, need=need, result=d["result"])
        return _("已办结，请在回访后记录满意度。")
    if action == "visit":
        services.need_visit(scope=scope, acting_user=user, need=need, satisfaction=d["satisfaction"], note=d["note"])
        return _("已记录回访。")
    services.need_merge(scope=scope, acting_user=user, need=need, into=d["merged_into"], note=d["note"])
    return _("已合并到“%(title)s”。") % {"title": d["merged_into"].title}


@login_required
def need_detail(request, pk):
    scope, today = request.scope, timezone.localdate()
    need = selectors.need_get(scope=scope, id=pk, today=today)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _need_forms(request, scope, need, posted)
    if posted:
        form = forms.get(posted)
        if form is None:
            messages.error(request, _("需求“%(title)s”当前为“%(status)s”，不能进行此操作。") % {"title": need.title, "status": need.get_status_display()})
            return redirect("needs:need", need.pk)
        if form.is_valid():
            try:
                done = _run_need_action(request, scope, need, posted, form)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, done)
                return redirect("needs:need", need.pk)
    steps = list(selectors.need_steps(scope=scope, need=need))
    context = {
        "need": need, "forms": forms, "posted": posted, "steps": steps, "age": selectors.need_age(need, today),
        "flow": [(s.value, s.label) for s in FLOW], "reached": {s.to_status for s in steps} - ({need.status} if need.status != NeedStatus.VISITED else set()),
        "label": place_labels([need.place]).get(need.place_id, ("", "")),
        "can_project": need.is_open and need.project_id is None,
        "candidates": matching.candidates(scope=scope, need=need, limit=5, today=today) if need.is_open else [],
        "similar": matching.similar_needs(scope=scope, need=need) if need.is_open and need.project_id is None else None,
    }
    return render(request, "needs/need_detail.html", context)


# ---- projects -------------------------------------------------------------------------------------


@login_required
@require_GET
def project_list(request):
    scope, today = request.scope, timezone.localdate()
    status = request.GET.get("status", "")
    projects = selectors.project_list(scope=scope, today=today)
    if status in ProjectStatus.values:
        projects = projects.filter(status=status)
    page = capped_page(projects, request.GET.get("page"))
    page.rows = _project_rows(page.rows, today)
    return render(request, "needs/projects.html", {"page": page, "status": status, "statuses": ProjectStatus.choices, "tones": STATUS_TONES})


def _needs_asked(scope, raw: str) -> list:
    ids = [x.strip() for x in raw.split(",") if x.strip()]
    if not all(x.isdigit() for x in ids):
        raise Http404(_("不存在或无权查看。"))
    return [selectors.need_get(scope=scope, id=int(x)) for x in dict.fromkeys(ids)]


@login_required
def project_new(request):
    """立项 from ?needs=<id>,<id> (each in scope, else 404)."""
    scope = request.scope
    needs = _needs_asked(scope, request.GET.get("needs", ""))
    if not needs:
        messages.info(request, _("请先在挂账清单中打开一项需求，再点击“纳入项目”。"))
        return redirect("needs:ledger")
    options = tree_options(organization_filter_choices(scope=scope), blank=_("请选择"))
    initial = {"name": needs[0].title if len(needs) == 1 else ""}
    form = ProjectForm(request.POST if request.method == "POST" else None, initial=initial, options=options,
                       lookup=lambda pk: org_get(scope=scope, pk=pk))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            project = services.project_open(scope=scope, acting_user=request.user, name=d["name"], organization=d["organization"],
                                            leader_name=d["leader_name"], budget=d["budget"], needs=needs)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已立项“%(name)s”，所选需求已转入办理中。") % {"name": project.name})
            return redirect("needs:project", project.pk)
    return render(request, "needs/project_form.html", {"form": form, "needs": needs})


def _project_forms(request, project, tasks, posted: str) -> dict:
    def data(action):
        return request.POST if action == posted else None

    if not project.is_open:
        return {}
    return {"add_task": TaskForm(data("add_task"), prefix="task", tasks=tasks),
            "add_spending": SpendingForm(data("add_spending"), prefix="spending", initial={"spent_on": timezone.localdate()}),
            "close": ProjectCloseForm(data("close"), prefix="close")}


def _run_project_action(request, scope, project, tasks, action, form):
    user = request.user
    if action == "task_done":
        task = next((t for t in tasks if str(t.pk) == request.POST.get("task", "")), None)
        if task is None:
            raise Http404(_("不存在或无权查看。"))
        services.task_done(scope=scope, acting_user=user, task=task)
        return _("任务“%(title)s”已完成。") % {"title": task.title}
    d = form.cleaned_data
    if action == "add_task":
        task = services.task_add(scope=scope, acting_user=user, project=project, **form.service_kwargs())
        return _("已添加任务“%(title)s”。") % {"title": task.title}
    if action == "add_spending":
        services.spending_add(scope=scope, acting_user=user, project=project, spent_on=d["spent_on"], amount=d["amount"], purpose=d["purpose"])
        return _("已记录支出 %(amount)s 元。") % {"amount": d["amount"]}
    services.project_close(scope=scope, acting_user=user, project=project, result=d["result"], evidence=d["evidence"],
                           public_summary=d["public_summary"])
    return _("项目已销号，其办理中的需求已随之办结。")


@login_required
def project_detail(request, pk):
    scope, today = request.scope, timezone.localdate()
    project = selectors.project_get(scope=scope, id=pk, today=today)
    tasks = list(selectors.project_tasks(scope=scope, project=project))
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _project_forms(request, project, tasks, posted)
    errors = []
    if posted:
        if not project.is_open or (posted not in forms and posted != "task_done"):
            messages.error(request, _("项目“%(name)s”已销号，不能再修改。") % {"name": project.name})
            return redirect("needs:project", project.pk)
        form = forms.get(posted)
        if form is None or form.is_valid():
            try:
                done = _run_project_action(request, scope, project, tasks, posted, form)
            except ValidationError as e:
                if form is None:
                    errors = e.messages
                else:
                    add_service_errors(form, e)
            else:
                messages.success(request, done)
                return redirect("needs:project", project.pk)
    context = {
        "project": project, "tasks": tasks, "forms": forms, "posted": posted, "errors": errors, "tones": STATUS_TONES, "today": today,
        "progress": selectors.project_progress(project), "age": (today - project.opened_on).days,
        "needs": selectors.need_list(scope=scope, today=today).filter(project=project),
        "spendings": project.spendings.select_related("recorded_by").order_by("spent_on", "id"),
    }
    return render(request, "needs/project_detail.html", context)
