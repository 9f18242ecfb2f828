"""德治 staff pages: the overview, 家风 stories and 寄语, the publicity register. The selections
(评选) are in `campaign_views`, the public pages in `public_views`. Thin: parse, call one selector
or service, render. Every object is fetched through the user's scope first (out of scope: 404);
each action is a POST to the object's own page with an `action` field."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.core.uploads import file_response
from gongzhi.people.selectors import household_get, person_search
from gongzhi.people.selectors import community_options

from . import figures, selectors, services
from .export import publicity_xlsx
from .forms import PublicityFilterForm, PublicityForm, StoryFilterForm, StoryForm
from .models import StoryKind
from .services.common import PHOTO_TYPES
from .view_helpers import PERSON_CAP, community_choice, community_param

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CAP = 20_000


# ---- overview ---------------------------------------------------------------------------------------


@login_required
@require_GET
def overview(request):
    """This year's 德治 figures in scope and the pages behind them."""
    scope, today = request.scope, timezone.localdate()
    start, end = dt.date(today.year, 1, 1), today
    measures = ("stories_collected", "stories_published", "campaigns_held", "votes_cast", "honours_awarded")
    totals = {m: figures.total(scope=scope, measure=m, start=start, end=end) for m in measures}
    publicity = selectors.publicity_totals(selectors.publicity_list(scope=scope, start=start, end=end))
    context = {"year": today.year, "totals": totals, "publicity": publicity, "communities": community_options(scope),
               "voting": selectors.campaign_list(scope=scope).filter(vote_from__lte=today, vote_until__gte=today, results_published_at__isnull=True)[:10],
               "unpublished": selectors.story_list(scope=scope, published="no").count()}
    return render(request, "culture/overview.html", context)


# ---- stories ----------------------------------------------------------------------------------------


@login_required
@require_GET
def story_list(request):
    """Stories in scope; ?community= ?kind= ?published= ?q= (title or family)."""
    scope = request.scope
    community = community_param(request, scope)
    form = StoryFilterForm(request.GET, community_options=community_options(scope), placeholder=_("标题或家庭"))
    form.is_valid()
    f = form.cleaned_data
    stories = selectors.story_list(scope=scope, community=community, kind=f.get("kind") or "", published=f.get("published") or "",
                                   q=(f.get("q") or "").strip())
    page = capped_page(stories, request.GET.get("page"))
    return render(request, "culture/stories.html", {"form": form, "page": page, "community": community})


def _household_options(scope, q: str, posted) -> list[tuple[int, str]]:
    """The households of the residents `q` finds, and the one posted (in scope, else 404)."""
    persons = list(person_search(scope=scope, q=q).filter(household__isnull=False).select_related("household__place")[:PERSON_CAP]) if q else []
    households = {p.household_id: p.household for p in persons}
    if posted and str(posted).isdigit() and int(posted) not in households:
        households[int(posted)] = household_get(scope=scope, pk=posted)
    return [(h.pk, f"{h.place.name} {h.room}") for h in households.values()]


def _story_form(request, scope, story=None):
    q = (request.GET.get("q") or "").strip()
    data = request.POST if request.method == "POST" else None
    files = request.FILES if data is not None else None
    communities, community_lookup = community_choice(scope)
    lookups = {"community": community_lookup, "household": lambda pk: household_get(scope=scope, pk=pk)}
    options = {"community": communities, "household": _household_options(scope, q, (data or {}).get("household") or (story and story.household_id))}
    if story is not None:
        initial = {f: getattr(story, f) for f in ("kind", "family_name", "title", "text", "collected_on")}
        initial |= {"community": story.community_id, "household": story.household_id}
    else:
        initial = {"collected_on": timezone.localdate(), "kind": StoryKind.STORY, "community": communities[0][0] if len(communities) == 1 else None}
    form = StoryForm(data, files, initial=initial, lookups=lookups, options=options)
    if story is not None:
        form.fields["community"].disabled = True
    return form, q


@login_required
def story_new(request):
    """Record a 家风 story or 寄语; ?q= finds a resident whose household it may be linked to."""
    scope = request.scope
    form, q = _story_form(request, scope)
    if request.method == "POST" and form.is_valid():
        try:
            story = services.story_create(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记“%(title)s”，核对无误后可发布。") % {"title": story.title})
            return redirect("culture:story", story.pk)
    return render(request, "culture/story_form.html", {"form": form, "q": q, "story": None})


@login_required
def story_edit(request, pk):
    scope = request.scope
    story = selectors.story_get(scope=scope, pk=pk)
    if story.is_published:
        messages.error(request, _("该家风故事已发布，不能再修改。"))
        return redirect("culture:story", story.pk)
    form, q = _story_form(request, scope, story)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "community"}
        try:
            services.story_update(scope=scope, acting_user=request.user, story=story, **values)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("culture:story", story.pk)
    return render(request, "culture/story_form.html", {"form": form, "q": q, "story": story})


@login_required
def story_detail(request, pk):
    """A story; POST action=publish puts it on the notice board and the public page."""
    scope = request.scope
    story = selectors.story_get(scope=scope, pk=pk)
    if request.method == "POST":
        if request.POST.get("action") == "publish":
            services.story_publish(scope=scope, acting_user=request.user, story=story)
            messages.success(request, _("已发布到社区公开栏和德治公开页。"))
        return redirect("culture:story", story.pk)
    return render(request, "culture/story_detail.html", {"story": story})


def photo_response(story, *, cache="private, max-age=3600"):
    if not story.photo:
        raise Http404(_("不存在或无权查看。"))
    ext = "." + story.photo.name.rsplit(".", 1)[-1].lower()
    response = file_response(story.photo, filename=f"story-{story.pk}{ext}", content_type=PHOTO_TYPES.get(ext, "application/octet-stream"))
    response["Cache-Control"] = cache
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
@require_GET
def story_photo(request, pk):
    return photo_response(selectors.story_get(scope=request.scope, pk=pk))


# ---- publicity --------------------------------------------------------------------------------------


def _publicity_filters(request, scope):
    kinds = list(selectors.publicity_kinds())
    form = PublicityFilterForm(request.GET, community_options=community_options(scope), kind_options=[(k.code, k.name) for k in kinds],
                               placeholder=_("宣传主题"))
    form.is_valid()
    f = form.cleaned_data
    kind = next((k for k in kinds if k.code == f.get("kind")), None)
    records = selectors.publicity_list(scope=scope, community=community_param(request, scope), kind=kind, start=f.get("start"),
                                       end=f.get("end"), q=(f.get("q") or "").strip())
    return form, records


@login_required
def publicity_list(request):
    """The register: ?community= ?kind= (code) ?start= ?end= ?q= (topic); totals by kind for the
    filtered records; ?format=xlsx exports them. POST action=delete, record=<id>: remove a record
    entered by mistake (its history keeps it)."""
    scope = request.scope
    if request.method == "POST":
        if request.POST.get("action") == "delete" and str(request.POST.get("record", "")).isdigit():
            record = selectors.publicity_get(scope=scope, pk=request.POST["record"])
            services.publicity_delete(scope=scope, acting_user=request.user, record=record)
            messages.success(request, _("已删除该条宣传记录。"))
        return redirect(f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path)
    form, records = _publicity_filters(request, scope)
    if request.GET.get("format") == "xlsx":
        body = publicity_xlsx(records[:EXPORT_CAP], selectors.publicity_totals(records), scope=scope)
        response = HttpResponse(body, content_type=XLSX)
        response["Content-Disposition"] = "attachment; filename*=UTF-8''%E5%AE%A3%E4%BC%A0%E7%99%BB%E8%AE%B0.xlsx"
        return response
    page = capped_page(records, request.GET.get("page"))
    context = {"form": form, "page": page, "totals": selectors.publicity_totals(records), "community": community_param(request, scope),
               "export_query": request.GET.urlencode()}
    return render(request, "culture/publicity.html", context)


@login_required
def publicity_new(request):
    scope = request.scope
    communities, community_lookup = community_choice(scope)
    kinds = {k.pk: k for k in selectors.publicity_kinds()}
    lookups = {"community": community_lookup, "kind": lambda pk: kinds[pk] if pk in kinds else _no_kind()}
    options = {"community": communities, "kind": [(k.pk, f"{k.name}（{k.unit}）") for k in kinds.values()]}
    initial = {"made_on": timezone.localdate(), "community": communities[0][0] if len(communities) == 1 else None}
    form = PublicityForm(request.POST if request.method == "POST" else None, initial=initial, lookups=lookups, options=options)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.publicity_record(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已登记%(kind)s %(n)s%(unit)s。") % {"kind": record.kind.name, "n": record.count, "unit": record.kind.unit})
            if request.POST.get("again"):
                return redirect("culture:publicity_new")
            return redirect("culture:publicity")
    return render(request, "culture/publicity_form.html", {"form": form})


def _no_kind():
    raise ValidationError(_("请从列表中选择宣传形式。"))
