"""志愿服务 pages: the registry (search, filters, tiles, registering), a volunteer with their verified
records and the free certificate (.docx), activities with sign-up, check-in/out, 认定工时 and
冲正. Teams, posts and shifts are in duty_views.py. Thin: parse, call one selector or service,
render. Every object is fetched through the user's scope first: out of scope is a 404 before
anything else, on pages and actions alike; each action is a POST to the object's own page with an
`action` field."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.people.selectors import person_search

from . import selectors, services
from .certificate import certificate_docx
from .forms import ActivityForm, MomentForm, ReverseForm, SignupForm, VerifyForm, VolunteerFilterForm, VolunteerForm
from .models import ActivityStatus, ServiceSource, VolunteerKind
from .view_helpers import community_get, community_options, first_error_messages, is_reversed, moment_value, pick, verify_is_late

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PERSON_CAP = 50  # residents offered at once when registering a volunteer
VOLUNTEER_CAP = 300  # volunteers offered at once when signing up for an activity
STATUS_TONES = {"published": "info", "cancelled": "", "completed": "ok"}


# ---- the registry ---------------------------------------------------------------------------------


@login_required
@require_GET
def volunteer_list(request):
    """Volunteers in scope; ?q= (name) ?kind= ?skill= ?community= (in scope, else 404)."""
    scope, today = request.scope, timezone.localdate()
    community = community_get(scope, request.GET["community"]) if request.GET.get("community") else None
    form = VolunteerFilterForm(request.GET, community_options=community_options(scope))
    form.is_valid()
    kind, skill = form.cleaned_data.get("kind") or None, form.cleaned_data.get("skill")
    volunteers = selectors.volunteer_list(scope=scope, community=community, kind=kind, skill=skill)
    q = (form.cleaned_data.get("q") or "").strip()
    if q:
        volunteers = volunteers.filter(person__name__contains=q)
    page = capped_page(volunteers, request.GET.get("page"))
    everyone = selectors.volunteer_list(scope=scope).prefetch_related(None)
    by_kind = dict(everyone.order_by().values_list("kind").annotate(n=Count("id")))
    year = selectors.hours_by_community(scope=scope, start=today.replace(month=1, day=1), end=today)
    context = {
        "form": form, "page": page, "community": community,
        "kinds": [(label, by_kind.get(value, 0), query_with(request.GET, kind=value, page=None)) for value, label in VolunteerKind.choices],
        "total": sum(by_kind.values()),
        "year_hours": sum((row["hours"] for row in year), 0), "year_volunteers": sum(row["volunteers"] for row in year),
    }
    return render(request, "volunteers/list.html", context)


def _person_options(scope, q: str, posted) -> list[tuple[int, str]]:
    """Residents in scope found by `q`, then 在职党员 who reported to a community in scope (they may
    live elsewhere), labelled with where they reported; the posted person is kept after a failed
    submit (looked up in scope: any other is a 404)."""
    persons = list(person_search(scope=scope, q=q)[:PERSON_CAP])
    options = [(p.pk, _person_label(p)) for p in persons]
    seen = {p.pk for p in persons}
    for p in selectors.checkin_candidates(scope=scope, q=q)[:PERSON_CAP]:
        if p.pk not in seen:
            seen.add(p.pk)
            options.append((p.pk, _person_label(p)))
    if posted and posted.isdigit() and int(posted) not in seen:
        p = selectors.registrable_person_get(scope=scope, pk=posted)
        options.insert(0, (p.pk, _person_label(p)))
    return options


def _person_label(person) -> str:
    checkins = getattr(getattr(person, "party_member", None), "checkins_here", None)
    if checkins is None:
        return f"{person.name}（{person.place.name}）"
    places = "、".join(c.community.name for c in checkins)
    return _("%(name)s（在职党员，报到至%(community)s）") % {"name": person.name, "community": places}


def _register_form(request, scope):
    data = request.POST if request.method == "POST" else None
    q = (request.GET.get("q") or "").strip()
    persons = _person_options(scope, q, data.get("person") if data else None)
    communities = community_options(scope)
    options = {"person": persons, "community": communities}
    lookups = {"person": lambda pk: selectors.registrable_person_get(scope=scope, pk=pk), "community": lambda pk: community_get(scope, pk)}
    initial = {"community": communities[0][0]} if len(communities) == 1 else None
    return VolunteerForm(data, initial=initial, lookups=lookups, options=options), q, len(persons)


@login_required
def volunteer_new(request):
    """注册志愿者: ?q= finds residents in scope by name; the form registers one with a community."""
    scope = request.scope
    form, q, found = _register_form(request, scope)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            volunteer = services.volunteer_register(scope=scope, acting_user=request.user, person=d["person"], community=d["community"],
                                                    kind=d["kind"], skills=d["skills"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已将%(name)s登记为志愿者。") % {"name": volunteer.person.name})
            return redirect("volunteers:volunteer", volunteer.pk)
    return render(request, "volunteers/volunteer_form.html", {"form": form, "q": q, "found": found, "cap": PERSON_CAP})


@login_required
@require_GET
def volunteer_detail(request, pk):
    scope, today = request.scope, timezone.localdate()
    volunteer = selectors.volunteer_get(scope=scope, id=pk)
    records = list(selectors.records_of(scope=scope, volunteer=volunteer)[:500])
    memberships = selectors.volunteer_memberships(scope=scope, volunteer=volunteer)
    context = {
        "volunteer": volunteer, "records": records, "memberships": memberships, "skills": volunteer.skills.all(),
        "total": selectors.volunteer_hours(scope=scope, volunteer=volunteer),
        "year_total": selectors.volunteer_hours(scope=scope, volunteer=volunteer, start=today.replace(month=1, day=1), end=today),
        "start": _first_day(scope, volunteer), "end": today,
    }
    return render(request, "volunteers/volunteer_detail.html", context)


@login_required
@require_GET
def volunteer_certificate(request, pk):
    """志愿服务记录证明 (.docx) of the records served in ?start= … ?end= (default: since registering
    until today), free of charge."""
    scope, today = request.scope, timezone.localdate()
    volunteer = selectors.volunteer_get(scope=scope, id=pk)
    start = parse_date(request.GET.get("start") or "") if _is_date(request.GET.get("start")) else _first_day(scope, volunteer)
    end = parse_date(request.GET.get("end") or "") if _is_date(request.GET.get("end")) else today
    if start > end:
        messages.error(request, _("证明的开始日期不能晚于结束日期。"))
        return redirect("volunteers:volunteer", volunteer.pk)
    cert = selectors.certificate_data(scope=scope, volunteer=volunteer, start=start, end=end)
    data = certificate_docx(cert, issued_on=today)
    filename = _("%(name)s-志愿服务记录证明-%(day)s.docx") % {"name": cert.name, "day": f"{today:%Y%m%d}"}
    return FileResponse(io.BytesIO(data), as_attachment=True, filename=filename, content_type=DOCX)


def _first_day(scope, volunteer) -> dt.date:
    """The default start of a certificate: registering, or the first record if earlier."""
    first = scope.filter(volunteer.service_records.all()).aggregate(d=Min("served_on"))["d"]
    return min(volunteer.registered_on, first) if first else volunteer.registered_on


def _is_date(value) -> bool:
    try:
        return bool(value) and parse_date(value) is not None
    except ValueError:
        return False


# ---- activities -----------------------------------------------------------------------------------


@login_required
@require_GET
def activity_list(request):
    scope = request.scope
    status = request.GET.get("status", "")
    page = capped_page(selectors.activity_list(scope=scope, status=status), request.GET.get("page"))
    return render(request, "volunteers/activities.html", {
        "page": page, "status": status, "statuses": ActivityStatus.choices, "tones": STATUS_TONES,
        "open_count": selectors.activities_open(scope=scope).count()})


@login_required
def activity_new(request):
    scope = request.scope
    communities = community_options(scope)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"capacity": 10}
    if len(communities) == 1:
        initial["community"] = communities[0][0]
    form = ActivityForm(request.POST if request.method == "POST" else None, initial=initial, options=communities,
                        lookup=lambda pk: community_get(scope, pk))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            activity = services.activity_create(scope=scope, acting_user=request.user, **{k: d[k] for k in (
                "community", "title", "starts_at", "ends_at", "capacity", "signup_deadline", "location", "description")})
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已发布活动“%(title)s”。") % {"title": activity.title})
            return redirect("volunteers:activity", activity.pk)
    return render(request, "volunteers/activity_form.html", {"form": form, "now": now})


def _activity_forms(request, scope, activity, posted: str) -> dict:
    def data(action):
        return request.POST if action == posted else None

    volunteers = selectors.volunteer_list(scope=scope, community=activity.community).prefetch_related(None)[:VOLUNTEER_CAP]
    return {
        "signup": SignupForm(data("signup"), prefix="signup", options=[(v.pk, v.person.name) for v in volunteers],
                             lookup=lambda pk: selectors.volunteer_get(scope=scope, id=pk)),
        "check_in": MomentForm(data("check_in")), "check_out": MomentForm(data("check_out")),
        "verify": VerifyForm(data("verify"), prefix="verify"),
        "reverse": ReverseForm(data("reverse"), prefix="reverse"),
    }


def _run_activity_action(request, scope, activity, signups, records, action, form):
    user, d = request.user, getattr(form, "cleaned_data", {})
    if action == "signup":
        signup = services.signup_create(scope=scope, acting_user=user, activity=activity, volunteer=d["volunteer"])
        return _("%(name)s已报名。") % {"name": signup.volunteer.person.name}
    if action in ("cancel", "check_in", "check_out"):
        signup = pick(signups, request.POST.get("signup"))
        name = signup.volunteer.person.name
        if action == "cancel":
            services.signup_cancel(scope=scope, acting_user=user, signup=signup)
            return _("已取消%(name)s的报名。") % {"name": name}
        if action == "check_in":
            services.signup_check_in(scope=scope, acting_user=user, signup=signup, at=d["at"])
            return _("%(name)s已签到。") % {"name": name}
        services.signup_check_out(scope=scope, acting_user=user, signup=signup, at=d["at"])
        return _("%(name)s已签退。") % {"name": name}
    if action == "verify":
        made = services.hours_verify(scope=scope, acting_user=user, activity=activity, reason=d["reason"])
        return _("已认定 %(n)s 人的志愿服务工时。") % {"n": len(made)}
    record = pick(records, request.POST.get("record"))
    services.service_record_reverse(scope=scope, acting_user=user, record=record, reason=d["reason"])
    return _("已冲正%(name)s的 %(hours)s 小时。") % {"name": record.volunteer.person.name, "hours": record.hours}


ACTIONS = ("signup", "cancel", "check_in", "check_out", "verify", "reverse")


@login_required
def activity_detail(request, pk):
    scope, now = request.scope, timezone.now()
    activity = selectors.activity_get(scope=scope, id=pk)
    signups = list(selectors.activity_signups(scope=scope, activity=activity))
    records = list(selectors.records_of(scope=scope, source=ServiceSource.ACTIVITY, source_id=activity.pk))
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _activity_forms(request, scope, activity, posted)
    errors, error_row = [], None
    if posted:
        if posted not in ACTIONS:
            raise Http404(_("不存在或无权查看。"))
        form = forms.get(posted) or MomentForm(request.POST)  # cancel has no fields of its own
        if posted == "cancel" or form.is_valid():
            try:
                done = _run_activity_action(request, scope, activity, signups, records, posted, form)
            except ValidationError as e:
                if posted in ("signup", "verify"):
                    add_service_errors(form, e)
                else:
                    errors, error_row = e.messages, request.POST.get("signup") or request.POST.get("record")
            else:
                messages.success(request, done)
                return redirect("volunteers:activity", activity.pk)
        elif posted in ("check_in", "check_out", "reverse"):
            errors = first_error_messages(form)
            error_row = request.POST.get("signup") or request.POST.get("record")
    active = [s for s in signups if s.cancelled_at is None]
    standing = {r.volunteer_id for r in records if r.reverses_id is None and not is_reversed(r)}
    context = {
        "activity": activity, "signups": signups, "records": records, "forms": forms, "posted": posted, "tones": STATUS_TONES,
        "errors": errors, "error_row": error_row, "now": moment_value(now), "active_count": len(active),
        "pending": sum(1 for s in active if s.checked_out_at and s.volunteer_id not in standing),
        "late": verify_is_late(activity, now), "can_signup": activity.status == ActivityStatus.PUBLISHED and now <= activity.signup_deadline,
        "total": sum((r.hours for r in records), 0),
    }
    return render(request, "volunteers/activity_detail.html", context)
