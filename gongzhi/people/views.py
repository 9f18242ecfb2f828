"""Staff pages of the people registry. Thin: parse input, call one selector or service, render.

Every object comes through a selector with `request.scope`: a person or household outside the
user's scope is the same 404 as a missing one. Lists are never counted in full
(gongzhi.core.pagination): a page says "1,000+" past LIST_CAP and pages no further (narrow the
search instead).
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.accounts.models import Role
from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.org import selectors as org_selectors
from gongzhi.org.models import PartyOrganization

from . import selectors, services
from .forms import (
    HouseholdCreateForm, MemberFilterForm, MemberStatusForm, MemberTransferForm, PersonCreateForm, PersonEditForm, PersonSearchForm, RevealFilterForm,
    RevealForm, tree_options,
)
from .models import RevealedField
from .reveal_export import reveals_xlsx

_DIGITS = re.compile(r"\d{5}")


# ---------------------------------------------------------------- helpers


def _is_partial(request) -> bool:
    """An htmx request for the results only (not a history restore, which wants the page)."""
    return request.headers.get("HX-Request") == "true" and not request.headers.get("HX-History-Restore-Request")


def _render_list(request, full: str, partial: str, context: dict):
    response = render(request, partial if _is_partial(request) else full, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _from_query(getter, scope, pk):
    """A selector's object for an optional query parameter: None when absent; 404 when missing
    or out of scope, like an object in the path."""
    return getter(scope=scope, pk=pk) if pk else None


def _label_addresses(rows, place_of=lambda r: r.place, room_of=lambda r: r.household.room if r.household_id else "") -> None:
    """Give each row `.community` and `.address` ("小区 楼栋 单元 房号"), in one query for the page."""
    labels = selectors.place_labels(place_of(r) for r in rows)
    for r in rows:
        community, address = labels.get(place_of(r).pk, ("", ""))
        r.community, r.address = community, " ".join(x for x in (address, room_of(r)) if x)


def _private(response):
    """Pages that hold personal data are not kept by browsers or proxies."""
    add_never_cache_headers(response)
    return response


# ---------------------------------------------------------------- search


@login_required
@require_GET
def search(request):
    scope = request.scope
    form = PersonSearchForm(request.GET, scope=scope)
    form.is_valid()
    filters = form.filters()
    sizes = selectors.search_sizes(scope=scope, **filters)
    page = capped_page(
        lambda offset: selectors.person_search(scope=scope, offset=offset, sizes=sizes, **filters),
        request.GET.get("page"),
        counted=selectors.person_search(scope=scope, for_count=True, sizes=sizes, **filters),
    )
    _label_addresses(page.rows)
    context = {"form": form, "page": page, "key": selectors.search_key(filters["q"]), "searched": form.searched}
    if not _is_partial(request):
        choices = selectors.place_filter_choices(scope=scope)
        form.fields["place"].widget.choices = tree_options(choices, blank=_("全部地点"), selected=filters["place"])
    response = _render_list(request, "people/search.html", "people/partials/search_results.html", context)
    if _DIGITS.search(filters["q"]):
        response["HX-Push-Url"] = "false"  # phone and ID numbers stay out of the browser's history
    return _private(response)


# ---------------------------------------------------------------- persons


@login_required
@require_GET
def person_detail(request, pk):
    scope = request.scope
    person = selectors.person_get(scope=scope, pk=pk)
    try:
        member = person.party_member
    except ObjectDoesNotExist:
        member = None
    housemates = []
    if person.household_id:
        housemates = [p for p in selectors.household_members(scope=scope, household=person.household) if p.pk != person.pk]
    _label_addresses([person])
    # a member seen through their organisation may live outside the scope: read only
    lives_in_scope = member is None or scope.contains(person)
    context = {
        "person": person,
        "lives_in_scope": lives_in_scope,
        "ancestors": org_selectors.place_ancestors(scope=scope, node=person.place, include_self=True),
        "housemates": housemates,
        "member": member,
        "political_birthday": member.political_birthday(timezone.localdate()) if member else None,
        "org_visible": member is not None and scope.contains(member.organization),
        "checkins": list(selectors.member_checkins(scope=scope, member=member)) if member else [],
        "history": selectors.person_history(scope=scope, person=person),
        # the full numbers of residents in scope, for users holding the permission (logged)
        "can_reveal_here": lives_in_scope and request.user.has_perm(services.REVEAL_PERMISSION),
    }
    return _private(render(request, "people/person_detail.html", context))


def _choose_place_context(scope, near) -> dict:
    """When the residence list would be too long: a list of 社区 and 小区 to narrow it first."""
    nodes = selectors.place_filter_choices(scope=scope)
    return {"choose_options": tree_options(nodes, blank=_("请选择社区或小区"), selected=near)}


@login_required
def person_create(request):
    scope = request.scope
    household = _from_query(selectors.household_get, scope, request.GET.get("household"))
    near = household.place if household else _from_query(org_selectors.place_get, scope, request.GET.get("place"))
    place = near if near is not None and near.level in services.RESIDENCE_LEVELS else None
    form = PersonCreateForm(request.POST or None, scope=scope, place=place, household=household, near=near)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(scope=scope, acting_user=request.user, **form.service_kwargs())
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记居民“%(name)s”。") % {"name": person.name})
            return redirect("people:person", person.pk)
    context = {"form": form, "near": near, "creating": True}
    if not form.residences_complete:
        context |= _choose_place_context(scope, near)
    return _private(render(request, "people/person_form.html", context))


@login_required
def person_edit(request, pk):
    scope = request.scope
    person = selectors.person_get(scope=scope, pk=pk, for_change=True)
    form = PersonEditForm(request.POST or None, scope=scope, person=person)
    if request.method == "POST" and form.is_valid():
        if not form.changes_anything:
            messages.info(request, _("没有修改任何内容。"))
            return redirect("people:person", person.pk)
        try:
            services.person_update(scope=scope, acting_user=request.user, person=person, **form.service_kwargs())
        except ValidationError as e:
            add_service_errors(form, e)
            person = selectors.person_get(scope=scope, pk=pk, for_change=True)  # the service may have changed it in memory
        else:
            messages.success(request, _("已保存“%(name)s”的修改。") % {"name": person.name})
            return redirect("people:person", person.pk)
    return _private(render(request, "people/person_form.html", {"form": form, "person": person, "creating": False}))


# ---------------------------------------------------------------- households


@login_required
@require_GET
def household_detail(request, pk):
    scope = request.scope
    household = selectors.household_get(scope=scope, pk=pk)
    members = list(selectors.household_members(scope=scope, household=household))
    labels = selectors.place_labels([household.place])
    context = {
        "household": household,
        "members": members,
        "address": " ".join(x for x in (labels[household.place_id][1], household.room) if x),
        "community": labels[household.place_id][0],
        "ancestors": org_selectors.place_ancestors(scope=scope, node=household.place, include_self=True),
        "history": selectors.household_history(scope=scope, household=household),
    }
    return _private(render(request, "people/household_detail.html", context))


@login_required
def household_create(request):
    scope = request.scope
    near = _from_query(org_selectors.place_get, scope, request.GET.get("place"))
    if near is None or near.level not in services.RESIDENCE_LEVELS:
        context = {"near": near, "residences": selectors.residence_choices(scope=scope, near=near)}
        if not context["residences"].complete:
            context |= _choose_place_context(scope, near)
        return render(request, "people/household_choose.html", context)
    form = HouseholdCreateForm(request.POST or None, scope=scope, place=near)
    if request.method == "POST" and form.is_valid():
        try:
            household = services.household_create(scope=scope, acting_user=request.user, place=near, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已新建一户：%(place)s %(room)s。") % {"place": household.place.name, "room": household.room})
            return redirect("people:household", household.pk)
    labels = selectors.place_labels([near])
    context = {"form": form, "place": near, "address": labels[near.pk][1], "community": labels[near.pk][0]}
    return render(request, "people/household_form.html", context)


@login_required
def member_status(request, pk):
    """Record a status change of a party member (转出 / 去世 / 恢复在册), with its date and reason."""
    scope = request.scope
    member = selectors.member_get(scope=scope, pk=pk)
    form = MemberStatusForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_change_status(scope=scope, acting_user=request.user, member=member, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已记录%(name)s的状态变更：%(status)s。") % {"name": member.person.name, "status": member.get_status_display()})
            return redirect("people:person", member.person_id)
    context = {
        "form": form,
        "member": member,
        "history": selectors.member_status_history(scope=scope, member=member),
        "changes": selectors.member_history(scope=scope, member=member),
    }
    return _private(render(request, "people/member_status.html", context))


@login_required
def member_transfer(request, pk):
    """组织关系转接 inside the district, dated: past meetings keep counting the member where they were."""
    scope = request.scope
    member = selectors.member_get(scope=scope, pk=pk)
    organizations = scope.filter(PartyOrganization.objects.exclude(pk=member.organization_id)).order_by("path")
    form = MemberTransferForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_transfer(scope=scope, acting_user=request.user, member=member, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已将%(name)s的组织关系转入“%(org)s”。") % {"name": member.person.name, "org": member.organization.name})
            return redirect("people:person", member.person_id)
    transfers = member.transfers.select_related("from_organization", "to_organization", "recorded_by").order_by("-transferred_on", "-id")
    return _private(render(request, "people/member_transfer.html", {"form": form, "member": member, "transfers": transfers}))


@login_required
@require_GET
def household_options(request):
    """htmx: the <option>s of the households at the chosen building (person forms)."""
    place = _from_query(org_selectors.place_get, request.scope, request.GET.get("place"))
    rows = list(selectors.households_at(scope=request.scope, place=place)) if place else []
    return render(request, "people/partials/household_options.html", {"households": rows})


# ---------------------------------------------------------------- party members


@login_required
@require_GET
def members(request):
    scope = request.scope
    form = MemberFilterForm(request.GET, scope=scope)
    form.is_valid()
    filters = form.filters()
    page = capped_page(selectors.member_list(scope=scope, **filters), request.GET.get("page"))
    _label_addresses(page.rows, place_of=lambda m: m.person.place, room_of=lambda m: "")
    context = {"form": form, "page": page}
    if not _is_partial(request):
        choices = selectors.organization_filter_choices(scope=scope)
        form.fields["org"].widget.choices = tree_options(choices, blank=_("全部党组织"), selected=filters["organization"])
    return _private(_render_list(request, "people/members.html", "people/partials/member_results.html", context))


# ---------------------------------------------------------------- full personal data


@login_required
def person_reveal(request, pk):
    """htmx: GET the reason form for one full number (?field=id_number|phone); POST shows the
    number once, logged by the service. Out of scope: 404; without the permission: 403."""
    scope = request.scope
    person = selectors.person_get(scope=scope, pk=pk, for_change=True)
    if not request.user.has_perm(services.REVEAL_PERMISSION):
        raise PermissionDenied(_("您没有查看完整身份证号和手机号的权限。"))
    field = request.POST.get("field") or request.GET.get("field")
    if field not in RevealedField.values:
        raise Http404(_("不存在或无权查看。"))
    form = RevealForm(request.POST or None)
    context = {"person": person, "field": field, "field_label": RevealedField(field).label, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            value = services.person_reveal(
                scope=scope, acting_user=request.user, person=person, field=field,
                reason=form.cleaned_data["reason"], ip=request.META.get("REMOTE_ADDR", ""),
            )
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return _private(render(request, "people/partials/reveal_value.html", context | {"value": value}))
    return _private(render(request, "people/partials/reveal_form.html", context))


def _require_district_admin(request) -> None:
    """The review of looks at personal data is for district administrators (and superusers);
    anyone else gets the same 404 as a missing page."""
    if not request.scope.has_role(Role.DISTRICT_ADMIN):
        raise Http404(_("不存在或无权查看。"))


def _reveal_rows(request):
    """The reveal log as the page and the export both show it: district admins only, filtered."""
    _require_district_admin(request)
    form = RevealFilterForm(request.GET, scope=request.scope)
    form.is_valid()
    return form, selectors.reveal_list(scope=request.scope, **form.filters())


@login_required
@require_GET
def reveals(request):
    """Who looked at whose full ID number or phone, when and why: filters, pages, export."""
    form, rows = _reveal_rows(request)
    page = capped_page(rows, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _private(render(request, "people/reveals.html", {"form": form, "page": page, "query": query.urlencode()}))


@login_required
@require_GET
def reveals_export(request):
    """The same log, filtered the same way, as an .xlsx workbook."""
    _form, rows = _reveal_rows(request)
    content = reveals_xlsx(rows)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="pii-reveals-{timezone.localdate():%Y%m%d}.xlsx"'
    return _private(response)
