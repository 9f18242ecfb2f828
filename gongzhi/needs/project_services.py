"""Writing the projects list (项目清单): open a project from open needs, add tasks with their
dependencies (任务图), record spending, and close it (销号) with a result and evidence, which
closes its needs with that result. Whatever is not closed stays on the ledger (挂账).

Closing tells the ledgers fed by records (member points) which party members served the
project as a committed resource, through the one hook, after commit:
events.emit("records.changed", kinds=["project"], ...)."""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core import events
from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.core.validators import holds_phone_or_id
from gongzhi.org.models import PartyOrganization, Place
from gongzhi.people.models import PartyMember

from .flow import S, locked, need_move
from .models import Need, NeedStep, Project, ProjectSpending, ProjectStatus, ProjectTask


def _common_place(needs: list[Need]) -> Place:
    """The lowest place holding every need (their deepest common ancestor in the place tree)."""
    prefix = os.path.commonprefix([n.place.path for n in needs])
    prefix = prefix[: len(prefix) - len(prefix) % Place.steplen]
    place = Place.objects.filter(path=prefix).first() if prefix else None
    if place is None:
        raise ValidationError({"needs": _("所选需求不在同一个区内，不能组成一个项目。")})
    return place


def _require_open(project: Project) -> None:
    if not project.is_open:
        raise ValidationError({"status": _("项目“%(name)s”已销号，不能再修改。") % {"name": project.name}})


def _attach(need: Need, project: Project, *, acting_user, at: dt.datetime) -> None:
    """A need joins a project: moved on to 办理中 (登记 needs are 受理 on the way), one step each."""
    need = locked(need)
    if need.project_id == project.pk:
        raise ValidationError({"needs": _("需求“%(title)s”已在本项目中。") % {"title": need.title}})
    if need.project_id:
        raise ValidationError({"needs": _("需求“%(title)s”已在项目“%(project)s”中。") % {"title": need.title, "project": need.project.name}})
    note = _("纳入项目“%(name)s”") % {"name": project.name}
    need.project = project
    if need.status == S.REGISTERED:
        need_move(need, S.ACCEPTED, acting_user=acting_user, at=at, note=note, fields=("project",))
    if need.status == S.ACCEPTED:
        need_move(need, S.IN_PROGRESS, acting_user=acting_user, at=at, note=note, fields=("project",))
    elif need.status == S.IN_PROGRESS:  # handled directly until now: the step records who moved it into the project
        need._history_user = acting_user
        need.save(update_fields=["project", "updated_at"])
        NeedStep.objects.create(need=need, from_status=S.IN_PROGRESS, to_status=S.IN_PROGRESS, by=acting_user, at=at, note=note)
    else:
        need_move(need, S.IN_PROGRESS, acting_user=acting_user, at=at, note=note)  # refuses, naming both statuses


@transaction.atomic
def project_open(*, scope: Scope, acting_user, name: str, organization: PartyOrganization, leader_name: str, needs: list[Need],
                 budget: Decimal = Decimal(0), place: Place | None = None, opened_on: dt.date | None = None,
                 at: dt.datetime | None = None) -> Project:
    """立项 from one or more open needs in scope: they move to 办理中 and point at the project.
    The project stands at `place`, by default the lowest place holding all its needs."""
    at = at or timezone.now()
    opened_on = opened_on or timezone.localdate(at)
    scope.require(organization)
    for need in needs:
        scope.require(need)
    errors = {}
    if not needs:
        errors["needs"] = _("项目须由至少一项需求形成。")
    if not clean_text(name):
        errors["name"] = _("请填写项目名称。")
    if not clean_text(leader_name):
        errors["leader_name"] = _("请填写项目责任人。")
    if budget is None or budget < 0:
        errors["budget"] = _("专项资金不能为负数。")
    if errors:
        raise ValidationError(errors)
    place = place or _common_place(needs)
    scope.require(place)
    project = Project(name=clean_text(name), organization=organization, leader_name=clean_text(leader_name), budget=budget,
                      place=place, opened_on=opened_on, opened_by=acting_user)
    project.full_clean()
    project._history_user = acting_user
    project.save()
    for need in needs:
        _attach(need, project, acting_user=acting_user, at=at)
    return project


@transaction.atomic
def project_add_need(*, scope: Scope, acting_user, project: Project, need: Need, at: dt.datetime | None = None) -> Need:
    """One more open need joins an open project (办理中 inside the project)."""
    scope.require(project)
    scope.require(need)
    _require_open(project)
    _attach(need, project, acting_user=acting_user, at=at or timezone.now())
    return Need.objects.get(pk=need.pk)


def _dependency_edges(project: Project) -> dict[int, set[int]]:
    Through = ProjectTask.depends_on.through
    edges: dict[int, set[int]] = {}
    for task_id, dep_id in Through.objects.filter(from_projecttask__project=project).values_list("from_projecttask_id", "to_projecttask_id"):
        edges.setdefault(task_id, set()).add(dep_id)
    return edges


def _check_dependencies(task: ProjectTask, depends_on: list[ProjectTask]) -> None:
    """Same project, not itself, no cycle (nothing it depends on may depend on it, however far)."""
    for dep in depends_on:
        if dep.project_id != task.project_id:
            raise ValidationError({"depends_on": _("前置任务“%(title)s”不属于本项目。") % {"title": dep.title}})
        if dep.pk == task.pk:
            raise ValidationError({"depends_on": _("任务不能依赖它自己。")})
    if task.pk is None:
        return
    edges = _dependency_edges(task.project)
    edges[task.pk] = {d.pk for d in depends_on}
    seen, stack = set(), [d.pk for d in depends_on]
    while stack:
        current = stack.pop()
        if current == task.pk:
            raise ValidationError({"depends_on": _("前置任务形成了循环：“%(title)s”会间接依赖它自己。") % {"title": task.title}})
        if current not in seen:
            seen.add(current)
            stack.extend(edges.get(current, ()))
    if task.is_done and any(not d.is_done for d in depends_on):
        raise ValidationError({"depends_on": _("任务“%(title)s”已完成，不能再依赖未完成的任务。") % {"title": task.title}})


@transaction.atomic
def task_add(*, scope: Scope, acting_user, project: Project, title: str, owner_name: str, due_on: dt.date | None = None,
             depends_on: list[ProjectTask] = ()) -> ProjectTask:
    """A task of the project's task map, with its owner, due date and the tasks it waits for."""
    scope.require(project)
    _require_open(project)
    errors = {}
    if not clean_text(title):
        errors["title"] = _("请填写任务内容。")
    if not clean_text(owner_name):
        errors["owner_name"] = _("请填写任务负责人。")
    if due_on is not None and due_on < project.opened_on:
        errors["due_on"] = _("完成期限不能早于立项日期。")
    if errors:
        raise ValidationError(errors)
    task = ProjectTask(project=project, title=clean_text(title), owner_name=clean_text(owner_name), due_on=due_on)
    _check_dependencies(task, list(depends_on))
    task._history_user = acting_user
    task.save()
    task.depends_on.set(depends_on)
    return task


@transaction.atomic
def task_set_dependencies(*, scope: Scope, acting_user, task: ProjectTask, depends_on: list[ProjectTask]) -> ProjectTask:
    """Replace the tasks `task` waits for; refuses a cycle."""
    scope.require(task)
    _require_open(task.project)
    _check_dependencies(task, list(depends_on))
    task.depends_on.set(depends_on)
    return task


def _running(project: Project, acting_user) -> None:
    """The first task done or spending recorded puts a 立项 project 实施中."""
    if project.status == ProjectStatus.OPENED:
        project.status = ProjectStatus.RUNNING
        project._history_user = acting_user
        project.save(update_fields=["status", "updated_at"])


@transaction.atomic
def task_done(*, scope: Scope, acting_user, task: ProjectTask, note: str = "", at: dt.datetime | None = None) -> ProjectTask:
    """A task confirmed done: only once every task it depends on is done."""
    scope.require(task)
    task = ProjectTask.objects.select_for_update().select_related("project").get(pk=task.pk)
    _require_open(task.project)
    if task.is_done:
        raise ValidationError({"done_at": _("任务“%(title)s”已完成。") % {"title": task.title}})
    waiting = [t.title for t in task.depends_on.filter(done_at__isnull=True).order_by("id")]
    if waiting:
        raise ValidationError({"done_at": _("任务“%(title)s”须等前置任务完成：%(waiting)s。") % {"title": task.title, "waiting": "、".join(waiting)}})
    task.done_at, task.done_by, task.note = at or timezone.now(), acting_user, note.strip()
    task._history_user = acting_user
    task.save(update_fields=["done_at", "done_by", "note"])
    _running(task.project, acting_user)
    return task


@transaction.atomic
def spending_add(*, scope: Scope, acting_user, project: Project, spent_on: dt.date, amount: Decimal, purpose: str,
                 today: dt.date | None = None) -> ProjectSpending:
    """A spending of the project's 专项资金. Going over the budget is allowed (the selectors warn)."""
    scope.require(project)
    _require_open(project)
    today = today or timezone.localdate()
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("支出金额应大于0。")
    if not clean_text(purpose):
        errors["purpose"] = _("请填写支出用途。")
    if spent_on > today:
        errors["spent_on"] = _("支出日期不能晚于今天。")
    elif spent_on < project.opened_on:
        errors["spent_on"] = _("支出日期不能早于立项日期。")
    if errors:
        raise ValidationError(errors)
    spending = ProjectSpending(project=project, spent_on=spent_on, amount=amount, purpose=clean_text(purpose), recorded_by=acting_user)
    spending.full_clean()
    spending._history_user = acting_user
    spending.save()
    _running(project, acting_user)
    return spending


def _summary_errors(project: Project, summary: str) -> dict:
    """The public summary is read by anyone (the 公示 page): no phone or ID number, and not the
    name of a resident who asked for help."""
    if holds_phone_or_id(summary):
        return {"public_summary": _("公示摘要向居民公开，不能含电话号码或身份证号。")}
    names = sorted({n for n in project.needs.exclude(requester=None).values_list("requester__name", flat=True) if len(n) >= 2 and n in summary})
    if names:
        return {"public_summary": _("公示摘要向居民公开，不能出现求助人姓名（%(names)s）。") % {"names": "、".join(names)}}
    return {}


@transaction.atomic
def project_close(*, scope: Scope, acting_user, project: Project, result: str, evidence: str, public_summary: str = "",
                  closed_on: dt.date | None = None, at: dt.datetime | None = None) -> Project:
    """销号: result and evidence recorded, every task done; the project's needs in 办理中 are 办结
    with the project's result."""
    scope.require(project)
    project = Project.objects.select_for_update().get(pk=project.pk)
    _require_open(project)
    at = at or timezone.now()
    closed_on = closed_on or timezone.localdate(at)
    result, evidence = (result or "").strip(), (evidence or "").strip()
    errors = {}
    if not result:
        errors["result"] = _("销号须填写实施结果。")
    if not evidence:
        errors["evidence"] = _("销号须填写佐证材料。")
    if closed_on < project.opened_on:
        errors["closed_on"] = _("销号日期不能早于立项日期。")
    errors |= _summary_errors(project, public_summary)
    undone = list(project.tasks.filter(done_at__isnull=True).order_by("id").values_list("title", flat=True))
    if undone:
        errors["tasks"] = _("还有任务未完成，不能销号：%(titles)s。") % {"titles": "、".join(undone)}
    if errors:
        raise ValidationError(errors)
    project.status, project.closed_on, project.closed_by = ProjectStatus.CLOSED, closed_on, acting_user
    project.result, project.evidence, project.public_summary = result, evidence, public_summary.strip()
    project._history_user = acting_user
    project.save()
    for need in project.needs.filter(status=S.IN_PROGRESS).order_by("id"):
        need = locked(need)
        need.result = result
        need_move(need, S.CLOSED, acting_user=acting_user, at=at, note=_("随项目“%(name)s”销号办结") % {"name": project.name}, fields=("result",))
    members = sorted(PartyMember.objects.filter(person__resources__commitments__project=project).values_list("pk", flat=True).distinct())
    if members:
        events.emit("records.changed", kinds=["project"], members=members, start=closed_on, end=closed_on)
    return project
