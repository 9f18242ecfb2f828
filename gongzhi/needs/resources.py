"""Writing the resources list (资源清单): register one resource, register many at once from a
door-to-door survey (地毯式摸底, all or nothing, errors naming the row), change availability, and
commit a resource to a project.

Contact notes never hold a phone number in clear: numbers live encrypted on the person
(gongzhi.core.pii); the note says how to reach them ("经社区居委会联系").
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.core.text import clean_text
from gongzhi.org.models import Place
from gongzhi.people.models import Person
from gongzhi.volunteers.models import Skill, Volunteer, VolunteerStatus

from .flow import NEED_LEVELS
from .models import PEOPLE_KINDS, Project, ProjectResource, Resource, ResourceKind
from gongzhi.core.validators import validate_contact_note

K = ResourceKind

# the fields a survey row may carry (the rest of `resource_register`'s keywords)
ROW_FIELDS = ("name", "kind", "place", "person", "volunteer", "skills", "quantity", "amount", "unit_name", "commitment",
              "committed_until", "available", "availability_note", "contact_note")


def _check_links(scope: Scope, place: Place | None, person: Person | None, volunteer: Volunteer | None, errors: dict) -> None:
    if place is None:
        errors["place"] = _("请选择资源所在的社区、小区或楼栋。")
    elif not scope.contains(place):
        errors["place"] = _("所选地点不在您的管辖范围内。")
    elif place.level not in NEED_LEVELS:
        errors["place"] = _("资源所在地点应为社区、小区、楼栋或单元，不能是%(level)s。") % {"level": place.get_level_display()}
    if person is not None and not scope.contains(person):
        errors["person"] = _("所选居民不在您的管辖范围内。")
    if volunteer is not None:
        if not scope.contains(volunteer):
            errors["volunteer"] = _("所选志愿者不在您的管辖范围内。")
        elif volunteer.status != VolunteerStatus.ACTIVE:
            errors["volunteer"] = _("志愿者%(name)s已退出，不能登记为资源。") % {"name": volunteer.person.name}
        elif person is not None and person.pk != volunteer.person_id:
            errors["person"] = _("所选居民与志愿者不是同一人。")


def _check_kind(kind: str, *, skills, quantity, amount, unit_name: str, commitment: str, errors: dict) -> None:
    if kind not in K.values:
        errors["kind"] = _("请选择资源类型：人、才、物、资金或驻区单位。")
    elif kind == K.TALENT and not skills:
        errors["skills"] = _("“才”类资源须至少选择一项技能。")
    elif kind not in PEOPLE_KINDS and skills:
        errors["skills"] = _("只有“人”“才”类资源可以填写技能。")
    if kind == K.FUND and (amount is None or amount <= 0):
        errors["amount"] = _("资金类资源须填写大于零的金额。")
    elif kind != K.FUND and amount is not None:
        errors["amount"] = _("只有资金类资源填写金额。")
    if quantity is not None and quantity <= 0:
        errors["quantity"] = _("数量/容量应大于零。")
    if kind == K.UNIT:
        if not unit_name:
            errors["unit_name"] = _("请填写驻区单位名称。")
        if not commitment:
            errors["commitment"] = _("请填写驻区单位承诺提供的内容。")


def _build(*, scope: Scope, acting_user, name: str, kind: str, place: Place | None, person: Person | None = None,
           volunteer: Volunteer | None = None, skills=(), quantity: int | None = None, amount: Decimal | None = None,
           unit_name: str = "", commitment: str = "", committed_until: dt.date | None = None, available: bool = True,
           availability_note: str = "", contact_note: str = "", recorded_at: dt.datetime | None = None) -> tuple[Resource, list[Skill]]:
    """A checked, unsaved resource and its skills; ValidationError naming the fields otherwise."""
    errors: dict[str, str] = {}
    name, unit_name, commitment = clean_text(name), clean_text(unit_name), (commitment or "").strip()
    contact_note = clean_text(contact_note)
    skills = list(skills or ())
    if volunteer is not None and person is None:
        person = volunteer.person
    if not name:
        errors["name"] = _("请填写资源名称。")
    _check_links(scope, place, person, volunteer, errors)
    _check_kind(kind, skills=skills, quantity=quantity, amount=amount, unit_name=unit_name, commitment=commitment, errors=errors)
    if kind != K.UNIT and (unit_name or committed_until):
        errors["unit_name"] = _("只有驻区单位填写单位名称和承诺截止日期。")
    try:
        validate_contact_note(contact_note)
    except ValidationError as e:
        errors["contact_note"] = e.messages[0]
    if errors:
        raise ValidationError(errors)
    resource = Resource(name=name, kind=kind, place=place, person=person, volunteer=volunteer, quantity=quantity, amount=amount,
                        unit_name=unit_name, commitment=commitment, committed_until=committed_until, available=available,
                        availability_note=clean_text(availability_note), contact_note=contact_note,
                        recorded_by=acting_user, recorded_at=recorded_at or timezone.now())
    resource.full_clean()
    return resource, skills


def _save(resource: Resource, skills: list[Skill], acting_user) -> Resource:
    resource._history_user = acting_user
    resource.save()
    if skills:
        resource.skills.set(skills)
    return resource


@transaction.atomic
def resource_register(*, scope: Scope, acting_user, name: str, kind: str, place: Place | None, **fields) -> Resource:
    """One resource on the list (the other keywords: see ROW_FIELDS)."""
    resource, skills = _build(scope=scope, acting_user=acting_user, name=name, kind=kind, place=place, **fields)
    return _save(resource, skills, acting_user)


def _row_errors(number: int, error: ValidationError) -> list[ValidationError]:
    """“第N行：…” for each message; `params` keep the row and the field for a page to mark them."""
    pairs = [(f, m) for f, ms in error.message_dict.items() for m in ms] if hasattr(error, "error_dict") else [("", m) for m in error.messages]
    return [ValidationError(_("第%(row)s行：%(message)s"), code="row", params={"row": number, "field": f, "message": m}) for f, m in pairs]


@transaction.atomic
def resource_survey_register(*, scope: Scope, acting_user, rows: list[dict]) -> list[Resource]:
    """地毯式摸底: many resources at once (each row a dict of ROW_FIELDS). All or nothing: every row
    is checked first and every error is reported as “第N行：…” (rows count from 1)."""
    if not rows:
        raise ValidationError({"rows": _("摸底表中没有资源。")})
    built, errors = [], []
    for number, row in enumerate(rows, start=1):
        unknown = set(row) - set(ROW_FIELDS)
        if unknown:
            errors.append(ValidationError(_("第%(row)s行：无法识别的栏目 %(names)s。"), code="row",
                                          params={"row": number, "field": "", "names": "、".join(sorted(unknown))}))
            continue
        try:
            built.append(_build(scope=scope, acting_user=acting_user, **{"name": "", "kind": "", "place": None, **row}))
        except ValidationError as e:
            errors.extend(_row_errors(number, e))
    if errors:
        raise ValidationError({"rows": errors})
    return [_save(resource, skills, acting_user) for resource, skills in built]


@transaction.atomic
def resource_set_availability(*, scope: Scope, acting_user, resource: Resource, available: bool, note: str = "") -> Resource:
    """可用 or 暂不可用, with a note (周末, 外出至月底 …)."""
    scope.require(resource)
    resource = Resource.objects.select_for_update().get(pk=resource.pk)
    resource.available, resource.availability_note = available, clean_text(note)
    resource._history_user = acting_user
    resource.save(update_fields=["available", "availability_note", "updated_at"])
    return resource


@transaction.atomic
def resource_commit(*, scope: Scope, acting_user, project: Project, resource: Resource, note: str,
                    committed_on: dt.date | None = None) -> ProjectResource:
    """A resource committed to an open project, saying what and how much. Both must be in scope;
    a resource is committed to a project once."""
    scope.require(project)
    scope.require(resource)
    project = Project.objects.select_for_update().get(pk=project.pk)  # its status as it stands now
    note = clean_text(note)
    errors = {}
    if not project.is_open:
        errors["project"] = _("项目“%(name)s”已销号，不能再投入资源。") % {"name": project.name}
    if not note:
        errors["note"] = _("请填写投入内容（投入什么、多少）。")
    if ProjectResource.objects.filter(project=project, resource=resource).exists():
        errors["resource"] = _("资源“%(name)s”已投入本项目。") % {"name": resource.name}
    if resource.kind == K.UNIT and resource.committed_until and resource.committed_until < timezone.localdate():
        errors["resource"] = _("驻区单位“%(name)s”的承诺已于%(day)s到期。") % {"name": resource.name, "day": f"{resource.committed_until:%Y-%m-%d}"}
    if errors:
        raise ValidationError(errors)
    link = ProjectResource(project=project, resource=resource, note=note, committed_on=committed_on or timezone.localdate(),
                           committed_by=acting_user)
    link.full_clean()
    link._history_user = acting_user
    link.save()
    return link
