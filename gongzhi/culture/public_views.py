"""The 社区's public 德治 page (no login, phone first): published 家风 stories, the selections
residents may vote in, and published honour rolls. A resident votes with their name and 身份证号
(checked against the register, never shown); the nominees are shown in full once accepted (they
stand for a public honour), the voters never. Anything not published, and any place that is not
a 社区, is the same 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page

from . import selectors, services
from .forms import VoteForm
from .models import Phase
from .views import photo_response

PER_PAGE = 10


@require_GET
def public_home(request, community_pk):
    community, today = selectors.public_community(community_pk), timezone.localdate()
    campaigns = list(selectors.public_campaigns(community=community, today=today)[:20])
    page = capped_page(selectors.public_stories(community=community), request.GET.get("page"), per_page=PER_PAGE)
    return render(request, "culture/public/home.html", {"community": community, "campaigns": campaigns, "page": page, "today": today})


@require_GET
def public_story(request, community_pk, pk):
    community = selectors.public_community(community_pk)
    story = selectors.public_stories(community=community).filter(pk=pk).first()
    if story is None:
        raise Http404(_("不存在或无权查看。"))
    return render(request, "culture/public/story.html", {"community": community, "story": story})


@require_GET
def public_story_photo(request, community_pk, pk):
    community = selectors.public_community(community_pk)
    story = selectors.public_stories(community=community).filter(pk=pk).first()
    if story is None:
        raise Http404(_("不存在或无权查看。"))
    return photo_response(story, cache="public, max-age=3600")


def public_campaign(request, community_pk, pk):
    """A selection: its nominees with their 事迹; in the voting period a resident votes here
    (POST: nomination, name, id_number); once published, the honour roll."""
    community, today = selectors.public_community(community_pk), timezone.localdate()
    campaign = selectors.public_campaign(community=community, pk=pk, today=today)
    phase = campaign.phase(today)
    form = VoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_cast(campaign=campaign, nomination_id=form.cleaned_data["nomination"], name=form.cleaned_data["name"],
                               id_number=form.cleaned_data["id_number"], address=request.META.get("REMOTE_ADDR", ""))
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("投票成功，感谢您的参与！每位居民在本次评选中只能投一票。"))
            return redirect("culture:public_campaign", community.pk, campaign.pk)
    chosen = (request.POST.get("nomination") or "") if request.method == "POST" else ""
    context = {"community": community, "campaign": campaign, "phase": phase, "form": form, "chosen": chosen,
               "nominees": list(selectors.public_nominees(campaign=campaign)), "voting": phase == Phase.VOTING,
               "published": phase == Phase.PUBLISHED}
    response = render(request, "culture/public/campaign.html", context)
    response["Cache-Control"] = "no-store"
    return response
