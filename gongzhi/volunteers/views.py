"""志愿服务 pages: the registry (search, filters, tiles, registering), a volunteer with their verified
records and the free certificate (.docx), activities with sign-up, check-in/out, 认定工时 and
冲正, and simple lists of teams and posts with their shift rosters. Thin: parse, call one
selector or service, render. Every object is fetched through the user's scope first: out of scope
is a 404 before anything else, on pages and actions alike; each action is a POST to the object's
own page with an `action` field."""

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Min, Prefetch, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.querystring import query_with
from gongzhi.org.models import PlaceLevel
from gongzhi.org.selectors.places import place_get
from gongzhi.people.selectors import person_get, person_search, place_filter_choices

from . import selectors, services
from .certificate import certificate_docx
from .forms import ActivityForm, MomentForm, ReverseForm, SignupForm, VerifyForm, VolunteerFilterForm, VolunteerForm
from .models import (
    Activity, ActivityStatus, Post, RecordRules, ServiceRecord, ServiceSource, Shift, ShiftAssignment, Team, TeamMembership, VolunteerKind,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PERSON_CAP = 50  # residents offered at once when registering a volunteer
VOLUNTEER_CAP = 300  # volunteers offered at once when signing up for an activity
STATUS_TONES = {"published": "info", "cancelled": "", "completed": "ok"}


def _community_options(scope) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in place_filter_choices(scope=scope) if p.level == PlaceLevel.COMMUNITY]


def _community(scope, pk):
    place = place_get(scope=scope, pk=pk)
    if place.level != PlaceLevel.COMMUNITY:
        raise Http404(_("不存在或无权查看。"))
    return place


def _moment(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%dT%H:%M}"


# ---- the registry ---------------------------------------------------------------------------------


@login_required
@require_GET
def volunteer_list(request):
    """Volunteers in scope; ?q= (name) ?kind= ?skill= ?community= (in scope, else 404)."""
    scope, today = request.scope, timezone.localdate()
    community = _community(scope, request.GET["community"]) if request.GET.get("community") else None
    form = VolunteerFilterForm(request.GET, community_options=_community_options(scope))
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


def _register_form(request, scope):
    data = request.POST if request.method == "POST" else None
    q = (request.GET.get("q") or "").strip()
    persons = list(person_search(scope=scope, q=q)[:PERSON_CAP])
    posted = data.get("person") if data else None
    if posted and posted.isdigit() and int(posted) not in {p.pk for p in persons}:
        persons.insert(0, person_get(scope=scope, pk=posted))  # keep the chosen one after a failed submit
    communities = _community_options(scope)
    options = {"person": [(p.pk, f"{p.name}（{p.place.name}）") for p in persons], "community": communities}
    lookups = {"person": lambda pk: person_get(scope=scope, pk=pk), "community": lambda pk: _community(scope, pk)}
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


def _records_of(scope, **lookup):
    """Verified records in scope (with their reversals), newest first."""
    return (scope.filter(ServiceRecord.objects.filter(**lookup))
            .select_related("volunteer__person", "verified_by", "reverses", "reversed_by")
            .order_by("-served_on", "-id"))


@login_required
@require_GET
def volunteer_detail(request, pk):
    scope, today = request.scope, timezone.localdate()
    volunteer = selectors.volunteer_get(scope=scope, id=pk)
    records = list(_records_of(scope, volunteer=volunteer)[:500])
    memberships = scope.filter(TeamMembership.objects.filter(volunteer=volunteer)).select_related("team").order_by("left_on", "-joined_on")
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
    activities = scope.filter(Activity.objects.all())
    if status in ActivityStatus.values:
        activities = activities.filter(status=status)
    activities = (activities.select_related("community")
                  .annotate(signed_up=Count("signups", filter=Q(signups__cancelled_at__isnull=True)))
                  .order_by("-starts_at", "-id"))
    page = capped_page(activities, request.GET.get("page"))
    return render(request, "volunteers/activities.html", {
        "page": page, "status": status, "statuses": ActivityStatus.choices, "tones": STATUS_TONES,
        "open_count": selectors.activities_open(scope=scope).count()})


@login_required
def activity_new(request):
    scope = request.scope
    communities = _community_options(scope)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {"capacity": 10}
    if len(communities) == 1:
        initial["community"] = communities[0][0]
    form = ActivityForm(request.POST if request.method == "POST" else None, initial=initial, options=communities,
                        lookup=lambda pk: _community(scope, pk))
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


def _activity_late(activity, now) -> bool:
    limit = RecordRules.current().verify_within_days
    return (timezone.localdate(now) - timezone.localdate(activity.ends_at)).days > limit


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


def _pick(rows, raw):
    """The row of this page whose id was posted; any other id (another activity's) is a 404."""
    row = next((r for r in rows if str(r.pk) == (raw or "")), None)
    if row is None:
        raise Http404(_("不存在或无权查看。"))
    return row


def _run_activity_action(request, scope, activity, signups, records, action, form):
    user, d = request.user, getattr(form, "cleaned_data", {})
    if action == "signup":
        signup = services.signup_create(scope=scope, acting_user=user, activity=activity, volunteer=d["volunteer"])
        return _("%(name)s已报名。") % {"name": signup.volunteer.person.name}
    if action in ("cancel", "check_in", "check_out"):
        signup = _pick(signups, request.POST.get("signup"))
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
    record = _pick(records, request.POST.get("record"))
    services.service_record_reverse(scope=scope, acting_user=user, record=record, reason=d["reason"])
    return _("已冲正%(name)s的 %(hours)s 小时。") % {"name": record.volunteer.person.name, "hours": record.hours}


ACTIONS = ("signup", "cancel", "check_in", "check_out", "verify", "reverse")


@login_required
def activity_detail(request, pk):
    scope, now = request.scope, timezone.now()
    activity = selectors.activity_get(scope=scope, id=pk)
    signups = list(scope.filter(activity.signups.all()).select_related("volunteer__person").order_by("cancelled_at", "signed_up_at", "id"))
    records = list(_records_of(scope, source=ServiceSource.ACTIVITY, source_id=activity.pk))
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
            errors = [m for ms in form.errors.values() for m in ms]
            error_row = request.POST.get("signup") or request.POST.get("record")
    active = [s for s in signups if s.cancelled_at is None]
    standing = {r.volunteer_id for r in records if r.reverses_id is None and not _reversed(r)}
    context = {
        "activity": activity, "signups": signups, "records": records, "forms": forms, "posted": posted, "tones": STATUS_TONES,
        "errors": errors, "error_row": error_row, "now": _moment(now), "active_count": len(active),
        "pending": sum(1 for s in active if s.checked_out_at and s.volunteer_id not in standing),
        "late": _activity_late(activity, now), "can_signup": activity.status == ActivityStatus.PUBLISHED and now <= activity.signup_deadline,
        "total": sum((r.hours for r in records), 0),
    }
    return render(request, "volunteers/activity_detail.html", context)


def _reversed(record) -> bool:
    return hasattr(record, "reversed_by")  # the reverse one-to-one, loaded with select_related


# ---- teams and posts ------------------------------------------------------------------------------


@login_required
@require_GET
def team_list(request):
    scope = request.scope
    teams = (scope.filter(Team.objects.all()).select_related("community")
             .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
             .prefetch_related(Prefetch("memberships", queryset=TeamMembership.objects.filter(left_on__isnull=True)
                                        .select_related("volunteer__person").order_by("volunteer__person__name"), to_attr="current"))
             .order_by("community_id", "name"))
    page = capped_page(teams, request.GET.get("page"))
    return render(request, "volunteers/teams.html", {"page": page})


@login_required
@require_GET
def post_list(request):
    """Posts in scope with their shifts from today on, each with its roster."""
    scope = request.scope
    since = timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))
    roster = ShiftAssignment.objects.select_related("volunteer__person").order_by("volunteer__person__name", "id")
    shifts = Shift.objects.filter(ends_at__gte=since).prefetch_related(Prefetch("assignments", queryset=roster)).order_by("starts_at", "id")
    posts = (scope.filter(Post.objects.filter(is_active=True)).select_related("community", "place")
             .prefetch_related(Prefetch("shifts", queryset=shifts, to_attr="upcoming")).order_by("community_id", "name"))
    page = capped_page(posts, request.GET.get("page"))
    hours = scope.filter(ServiceRecord.objects.filter(source=ServiceSource.SHIFT)).aggregate(h=Sum("hours"))["h"] or 0
    return render(request, "volunteers/posts.html", {"page": page, "shift_hours": hours})
