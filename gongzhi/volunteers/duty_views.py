"""志愿服务 pages for teams, duty posts and shifts: new teams and their members (加入, 离队); new
posts (党员先锋岗, 值守点) with their shifts; editing a team or a post on its own page (编辑; its
community stays); a shift's roster with check-in/out, the 值守记录 and 认定工时 with 冲正. An
emergency mobilisation is done here end to end: a post, a shift, people on it, what they logged,
their hours. Same rules as views.py: thin, everything through the scope first (out of scope is a
404), each action a POST to the object's own page with an `action`."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.org.models import PlaceLevel
from gongzhi.org.selectors.places import place_get
from gongzhi.people.selectors import place_filter_choices

from . import selectors, services
from .forms import (
    LeaveForm, MomentForm, PostEditForm, PostForm, ReverseForm, ShiftForm, ShiftLogForm, ShiftVerifyForm, SignupForm, TeamFilterForm, TeamForm,
    TeamMemberForm,
)
from .models import PostKind, ServiceSource, TeamKind
from .view_helpers import community_get, community_options, first_error_messages, is_reversed, moment_value, pick, verify_is_late

VOLUNTEER_CAP = 300  # volunteers offered at once when adding to a team or a roster


def _search(request) -> str:
    return (request.GET.get("q") or "").strip()[:40]


def _volunteer_options(scope, community, q, exclude):
    volunteers = list(selectors.volunteer_choices(scope=scope, community=community, q=q, exclude=exclude)[:VOLUNTEER_CAP + 1])
    return [(v.pk, v.person.name) for v in volunteers[:VOLUNTEER_CAP]], len(volunteers) > VOLUNTEER_CAP


# ---- teams ----------------------------------------------------------------------------------------


@login_required
@require_GET
def team_list(request):
    """Teams in scope; ?q= (name) ?kind=."""
    scope = request.scope
    form = TeamFilterForm(request.GET)
    form.is_valid()
    q, kind = (form.cleaned_data.get("q") or "").strip(), form.cleaned_data.get("kind") or ""
    page = capped_page(selectors.team_list(scope=scope, q=q, kind=kind), request.GET.get("page"))
    return render(request, "volunteers/teams.html", {"page": page, "form": form, "filtered": bool(q or kind)})


TEAM_FIELDS = ("name", "kind", "leader_name", "description", "founded_on")


def _team_form(request, scope, team=None) -> TeamForm:
    """The team form, new or prefilled from `team` (whose community then stays as it is)."""
    communities = community_options(scope)
    if team is None:
        initial = {"kind": TeamKind.GENERAL, **({"community": communities[0][0]} if len(communities) == 1 else {})}
    else:
        initial = {"community": team.community_id, **{f: getattr(team, f) for f in TEAM_FIELDS}}
    form = TeamForm(request.POST if request.method == "POST" else None, initial=initial, options=communities,
                    lookup=lambda pk: community_get(scope, pk))
    form.fields["community"].disabled = team is not None
    return form


@login_required
def team_new(request):
    scope = request.scope
    form = _team_form(request, scope)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            team = services.team_create(scope=scope, acting_user=request.user, community=d["community"], **{k: d[k] for k in TEAM_FIELDS})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已建立队伍“%(name)s”。") % {"name": team.name})
            return redirect("volunteers:team", team.pk)
    return render(request, "volunteers/team_form.html", {"form": form})


@login_required
def team_edit(request, pk):
    """编辑队伍: its name, kind, leader, founding date and description (not its community)."""
    scope = request.scope
    team = selectors.team_get(scope=scope, id=pk)
    form = _team_form(request, scope, team)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.team_update(scope=scope, acting_user=request.user, team=team, **{k: d[k] for k in TEAM_FIELDS})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("volunteers:team", team.pk)
    return render(request, "volunteers/team_form.html", {"form": form, "team": team})


def _team_action(request, scope, team, posted, form, membership):
    d = form.cleaned_data
    if posted == "add":
        m = services.team_member_add(scope=scope, acting_user=request.user, team=team, volunteer=d["volunteer"], joined_on=d["joined_on"])
        return _("%(name)s已加入“%(team)s”。") % {"name": m.volunteer.person.name, "team": team.name}
    services.team_member_remove(scope=scope, acting_user=request.user, membership=membership, on=d["left_on"])
    return _("%(name)s已离队。") % {"name": membership.volunteer.person.name}


@login_required
def team_detail(request, pk):
    """A team: its current members (离队 each with a date) or ?show=former ones; adding a
    volunteer of the team's community (?q= narrows the list by name)."""
    scope, q = request.scope, _search(request)
    team = selectors.team_get(scope=scope, id=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    if posted and posted not in ("add", "remove"):
        raise Http404(_("不存在或无权查看。"))
    current = selectors.team_memberships(scope=scope, team=team)
    options, more = _volunteer_options(scope, team.community, q, current.values("volunteer_id"))
    forms = {
        "add": TeamMemberForm(request.POST if posted == "add" else None, prefix="add", options=options,
                              lookup=lambda pk: selectors.volunteer_get(scope=scope, id=pk)),
        "remove": LeaveForm(request.POST if posted == "remove" else None),
    }
    errors, error_row = [], None
    if posted:
        form = forms[posted]
        membership = selectors.team_membership_get(scope=scope, team=team, id=request.POST.get("membership")) if posted == "remove" else None
        if form.is_valid():
            try:
                done = _team_action(request, scope, team, posted, form, membership)
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, done)
                return redirect("volunteers:team", team.pk)
        if membership is not None:  # a row's 离队: its errors at the top of the page
            errors, error_row = first_error_messages(form), str(membership.pk)
    former = request.GET.get("show") == "former"
    page = capped_page(selectors.team_memberships(scope=scope, team=team, current=not former), request.GET.get("page"))
    context = {
        "team": team, "page": page, "former": former, "forms": forms, "posted": posted, "errors": errors, "error_row": error_row,
        "q": q, "more": more, "cap": VOLUNTEER_CAP, "today": f"{timezone.localdate():%Y-%m-%d}",
        "current_count": current.count(), "former_count": selectors.team_memberships(scope=scope, team=team, current=False).count(),
    }
    return render(request, "volunteers/team_detail.html", context)


# ---- posts ----------------------------------------------------------------------------------------


@login_required
@require_GET
def post_list(request):
    """Active posts in scope (?kind=) with their shifts from today on, each with its roster."""
    scope = request.scope
    kind = request.GET.get("kind", "")
    kind = kind if kind in PostKind.values else ""
    page = capped_page(selectors.post_list(scope=scope, kind=kind), request.GET.get("page"))
    return render(request, "volunteers/posts.html", {"page": page, "kind": kind, "kinds": PostKind.choices,
                                                     "shift_hours": selectors.post_hours(scope=scope)})


def _place_options(scope) -> list[tuple[int, str]]:
    """小区 in scope, labelled with their community ("幸福社区 · 幸福家园")."""
    options, community = [], None
    for p in place_filter_choices(scope=scope):
        if p.level == PlaceLevel.COMMUNITY:
            community = p
        elif p.level == PlaceLevel.COMPOUND:
            in_community = community is not None and p.path.startswith(community.path)
            options.append((p.pk, f"{community.name} · {p.name}" if in_community else p.name))
    return options


POST_FIELDS = ("name", "kind", "place", "description")


def _post_form(request, scope, post=None) -> PostForm:
    """The post form, new or prefilled from `post` (whose community then stays as it is; 启用 added)."""
    communities = community_options(scope)
    data = request.POST if request.method == "POST" else None
    kwargs = {"options": {"community": communities, "place": _place_options(scope)},
              "lookups": {"community": lambda pk: community_get(scope, pk), "place": lambda pk: place_get(scope=scope, pk=pk)}}
    if post is None:
        initial = {"kind": PostKind.DUTY, **({"community": communities[0][0]} if len(communities) == 1 else {})}
        return PostForm(data, initial=initial, **kwargs)
    initial = {"community": post.community_id, "place": post.place_id, "name": post.name, "kind": post.kind,
               "description": post.description, "is_active": post.is_active}
    form = PostEditForm(data, initial=initial, **kwargs)
    form.fields["community"].disabled = True
    return form


@login_required
def post_new(request):
    scope = request.scope
    form = _post_form(request, scope)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            post = services.post_create(scope=scope, acting_user=request.user, community=d["community"], **{k: d[k] for k in POST_FIELDS})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已设立岗位“%(name)s”。") % {"name": post.name})
            return redirect("volunteers:post", post.pk)
    return render(request, "volunteers/post_form.html", {"form": form})


@login_required
def post_edit(request, pk):
    """编辑岗位: its name, kind, place and description, or 停用 (not its community; its shifts stay)."""
    scope = request.scope
    post = selectors.post_get(scope=scope, id=pk)
    form = _post_form(request, scope, post)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.post_update(scope=scope, acting_user=request.user, post=post, is_active=d["is_active"],
                                 **{k: d[k] for k in POST_FIELDS})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("volunteers:post", post.pk)
    return render(request, "volunteers/post_form.html", {"form": form, "post": post})


@login_required
def post_detail(request, pk):
    """A post with its shifts not yet ended, or ?when=past the ended ones; 新增班次 (action
    `shift`) leads to the new shift's page."""
    scope, now = request.scope, timezone.now()
    post = selectors.post_get(scope=scope, id=pk)
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    if posted and posted != "shift":
        raise Http404(_("不存在或无权查看。"))
    start = now.replace(second=0, microsecond=0)
    form = ShiftForm(request.POST if posted else None, prefix="shift", initial={
        "starts_at": start, "ends_at": start + dt.timedelta(hours=4), "capacity": 2})
    if posted and form.is_valid():
        d = form.cleaned_data
        try:
            shift = services.shift_create(scope=scope, acting_user=request.user, post=post, **{k: d[k] for k in (
                "starts_at", "ends_at", "capacity", "note")})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已新增班次 %(time)s。") % {"time": f"{timezone.localtime(shift.starts_at):%Y-%m-%d %H:%M}"})
            return redirect("volunteers:shift", shift.pk)
    past = request.GET.get("when") == "past"
    page = capped_page(selectors.post_shifts(scope=scope, post=post, past=past, now=now), request.GET.get("page"))
    context = {
        "post": post, "page": page, "past": past, "form": form, "posted": posted, "hours": selectors.post_hours(scope=scope, post=post),
        "upcoming_count": selectors.post_shifts(scope=scope, post=post, now=now).count(),
    }
    return render(request, "volunteers/post_detail.html", context)


# ---- a shift --------------------------------------------------------------------------------------


SHIFT_ACTIONS = ("assign", "unassign", "check_in", "check_out", "log", "verify", "reverse")


def _shift_forms(request, scope, shift, roster, posted, q):
    def data(action):
        return request.POST if action == posted else None

    options, more = _volunteer_options(scope, shift.post.community, q, [a.volunteer_id for a in roster])
    forms = {
        "assign": SignupForm(data("assign"), prefix="assign", options=options, lookup=lambda pk: selectors.volunteer_get(scope=scope, id=pk)),
        "check_in": MomentForm(data("check_in")), "check_out": MomentForm(data("check_out")),
        "unassign": MomentForm(),  # no fields of its own
        "log": ShiftLogForm(data("log"), prefix="log", initial={"logged_at": timezone.localtime().replace(second=0, microsecond=0)}),
        "verify": ShiftVerifyForm(data("verify"), prefix="verify"),
        "reverse": ReverseForm(data("reverse"), prefix="reverse"),
    }
    return forms, more


def _run_shift_action(request, scope, shift, action, form, row):
    user, d = request.user, getattr(form, "cleaned_data", {})
    if action == "assign":
        a = services.shift_assign(scope=scope, acting_user=user, shift=shift, volunteer=d["volunteer"])
        return _("已将%(name)s排入本班次。") % {"name": a.volunteer.person.name}
    if action == "log":
        services.shift_log_add(scope=scope, acting_user=user, shift=shift, text=d["text"], at=d["logged_at"])
        return _("已添加值守记录。")
    if action == "verify":
        made = services.hours_verify(scope=scope, acting_user=user, shift=shift, reason=d["reason"])
        return _("已认定 %(n)s 人的志愿服务工时。") % {"n": len(made)}
    if action == "reverse":
        services.service_record_reverse(scope=scope, acting_user=user, record=row, reason=d["reason"])
        return _("已冲正%(name)s的 %(hours)s 小时。") % {"name": row.volunteer.person.name, "hours": row.hours}
    name = row.volunteer.person.name
    if action == "unassign":
        services.shift_unassign(scope=scope, acting_user=user, assignment=row)
        return _("已将%(name)s移出本班次。") % {"name": name}
    if action == "check_in":
        services.assignment_check_in(scope=scope, acting_user=user, assignment=row, at=d["at"])
        return _("%(name)s已签到。") % {"name": name}
    services.assignment_check_out(scope=scope, acting_user=user, assignment=row, at=d["at"])
    return _("%(name)s已签退。") % {"name": name}


def _posted_row(request, posted, roster, records):
    """The roster row or record an action is about (another shift's is a 404), or None."""
    if posted == "reverse":
        return pick(records, request.POST.get("record"))
    if posted in ("unassign", "check_in", "check_out"):
        return pick(roster, request.POST.get("assignment"))
    return None


@login_required
def shift_detail(request, pk):
    """A shift: its roster (排班, ?q= narrows the volunteers offered), check-in/out, 值守记录 and
    认定工时 with 冲正."""
    scope, now, q = request.scope, timezone.now(), _search(request)
    shift = selectors.shift_get(scope=scope, id=pk)
    roster = list(selectors.shift_roster(scope=scope, shift=shift))
    records = list(selectors.records_of(scope=scope, source=ServiceSource.SHIFT, source_id=shift.pk))
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    if posted and posted not in SHIFT_ACTIONS:
        raise Http404(_("不存在或无权查看。"))
    forms, more = _shift_forms(request, scope, shift, roster, posted, q)
    errors, error_row = [], None
    if posted:
        form, row = forms[posted], _posted_row(request, posted, roster, records)
        if posted == "unassign" or form.is_valid():
            try:
                done = _run_shift_action(request, scope, shift, posted, form, row)
            except ValidationError as e:
                if row is not None:
                    errors = e.messages
                else:
                    add_service_errors(form, e)
            else:
                messages.success(request, done)
                return redirect("volunteers:shift", shift.pk)
        elif row is not None:
            errors = first_error_messages(form)
        error_row = str(row.pk) if row is not None else None
    standing = {r.volunteer_id for r in records if r.reverses_id is None and not is_reversed(r)}
    logs = capped_page(selectors.shift_logs(scope=scope, shift=shift), request.GET.get("page"))
    context = {
        "shift": shift, "post": shift.post, "roster": roster, "records": records, "logs": logs, "forms": forms, "posted": posted,
        "errors": errors, "error_row": error_row, "now": moment_value(now), "q": q, "more": more, "cap": VOLUNTEER_CAP,
        "checked_in": sum(1 for a in roster if a.checked_in_at), "full": len(roster) >= shift.capacity,
        "pending": sum(1 for a in roster if a.checked_out_at and a.volunteer_id not in standing),
        "late": verify_is_late(shift, now), "total": sum((r.hours for r in records), 0),
    }
    return render(request, "volunteers/shift_detail.html", context)
