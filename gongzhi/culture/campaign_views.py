"""评选 staff pages: the campaigns list, a campaign's form, and its page — nominations (提名),
their review (审核) before the vote, the tally once the vote has closed and the publication of
the results (to the notice board, 表彰). Each action is a POST to the campaign's page with an
`action` field; every object is fetched through the user's scope first (out of scope: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pagination import capped_page
from gongzhi.people.selectors import person_get
from gongzhi.people.selectors import community_options

from . import selectors, services
from .forms import CampaignFilterForm, CampaignForm, NominationForm, PublishForm, ReviewForm
from .models import CAMPAIGN_STEPS, NominationStatus, Phase, TieRule
from .services.awards import CAMPAIGN_FIELDS
from .view_helpers import PERSON_CAP, community_choice, community_param, person_options


@login_required
@require_GET
def campaign_list(request):
    """Campaigns in scope; ?community= ?category= ?q= (title)."""
    scope = request.scope
    community = community_param(request, scope)
    categories = list(selectors.award_categories(scope=scope))
    form = CampaignFilterForm(request.GET, community_options=community_options(scope), category_options=[(c.pk, c.name) for c in categories],
                              placeholder=_("评选名称"))
    form.is_valid()
    f = form.cleaned_data
    category = next((c for c in categories if str(c.pk) == f.get("category")), None)
    campaigns = selectors.campaign_list(scope=scope, community=community, category=category, q=(f.get("q") or "").strip())
    page = capped_page(campaigns, request.GET.get("page"))
    return render(request, "culture/campaigns.html", {"form": form, "page": page, "community": community, "today": timezone.localdate()})


def _campaign_form(request, scope, campaign=None):
    communities, community_lookup = community_choice(scope)
    categories = {c.pk: c for c in selectors.award_categories(scope=scope)}
    lookups = {"community": community_lookup, "category": lambda pk: categories.get(pk) or _no_category()}
    options = {"community": communities, "category": [(c.pk, c.name) for c in categories.values()]}
    if campaign is not None:
        initial = {f: getattr(campaign, f) for f in CAMPAIGN_FIELDS} | {"community": campaign.community_id, "category": campaign.category_id}
    else:
        initial = {"seats": 5, "tie_rule": TieRule.FLAG, "community": communities[0][0] if len(communities) == 1 else None}
    form = CampaignForm(request.POST if request.method == "POST" else None, initial=initial, lookups=lookups, options=options)
    if campaign is not None:
        form.fields["community"].disabled = True
    return form


def _no_category():
    raise ValidationError(_("请从列表中选择评选类别。"))


@login_required
def campaign_new(request):
    scope = request.scope
    form = _campaign_form(request, scope)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(scope=scope, acting_user=request.user, **form.cleaned_data)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已创建评选“%(title)s”，提名开始后可登记提名。") % {"title": campaign.title})
            return redirect("culture:campaign", campaign.pk)
    return render(request, "culture/campaign_form.html", {"form": form, "campaign": None})


@login_required
def campaign_edit(request, pk):
    scope = request.scope
    campaign = selectors.campaign_get(scope=scope, pk=pk)
    if campaign.phase() not in (Phase.UPCOMING, Phase.NOMINATING, Phase.REVIEWING):
        messages.error(request, _("投票已开始，评选规则不能再修改。"))
        return redirect("culture:campaign", campaign.pk)
    form = _campaign_form(request, scope, campaign)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "community"}
        try:
            services.campaign_update(scope=scope, acting_user=request.user, campaign=campaign, **values)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            messages.success(request, _("已保存。"))
            return redirect("culture:campaign", campaign.pk)
    return render(request, "culture/campaign_form.html", {"form": form, "campaign": campaign})


# ---- the campaign's page ----------------------------------------------------------------------------


def _forms(request, scope, campaign, phase, nominations, tally, posted):
    def data(action):
        return request.POST if action == posted else None

    forms = {}
    if phase == Phase.NOMINATING:
        q = (request.GET.get("q") or "").strip()
        chosen = (data("nominate") or {}).get("person")
        options = person_options(scope, q, chosen, within=campaign.community)
        forms["nominate"] = NominationForm(data("nominate"), prefix="nominate", options=options,
                                           lookup=lambda pk: person_get(scope=scope, pk=pk, for_change=True),
                                           initial={"person": options[0][0] if len(options) == 1 else None})
    if phase in (Phase.UPCOMING, Phase.NOMINATING, Phase.REVIEWING):
        for n in nominations:
            forms[f"review-{n.pk}"] = ReviewForm(data(f"review-{n.pk}"), prefix=f"review-{n.pk}",
                                                 initial={"decision": "reject" if n.status == NominationStatus.REJECTED else "accept",
                                                          "review_note": n.review_note})
    if phase == Phase.COUNTING:
        forms["publish"] = PublishForm(data("publish"), prefix="publish", tied=[r for r in tally if r.outcome == "tied"])
    return forms


def _run(request, scope, campaign, nominations, tally, action, form):
    d, user = form.cleaned_data, request.user
    if action == "nominate":
        n = services.nomination_add(scope=scope, acting_user=user, campaign=campaign, **d)
        return _("已登记对%(name)s的提名，请在提名截止后审核。") % {"name": n.person.name}
    if action == "publish":
        chosen = [r.nomination for r in tally if str(r.nomination.pk) in set(d.get("tie_break") or ())]
        services.campaign_publish_results(scope=scope, acting_user=user, campaign=campaign, tie_break=chosen, note=d.get("results_note", ""))
        return _("评选结果已公布到社区公开栏。")
    nomination = next(n for n in nominations if action == f"review-{n.pk}")
    accept = d["decision"] == "accept"
    services.nomination_review(scope=scope, acting_user=user, nomination=nomination, accept=accept, note=d["review_note"])
    return (_("%(name)s已列为候选人。") if accept else _("%(name)s的提名未通过审核。")) % {"name": nomination.person.name}


@login_required
def campaign_detail(request, pk):
    """A campaign: its rules and periods, the nominations and their review, the votes, the tally
    and the results."""
    scope = request.scope
    campaign = selectors.campaign_get(scope=scope, pk=pk)
    phase = campaign.phase()
    nominations = list(selectors.nomination_rows(campaign=campaign))
    tally = services.campaign_tally(campaign) if phase in (Phase.COUNTING, Phase.PUBLISHED) else []
    posted = request.POST.get("action", "") if request.method == "POST" else ""
    forms = _forms(request, scope, campaign, phase, nominations, tally, posted)
    if posted:
        form = forms.get(posted)
        if form is None:
            messages.error(request, _("该评选当前为“%(phase)s”，不能进行此操作。") % {"phase": campaign.phase_label()})
            return redirect("culture:campaign", campaign.pk)
        if form.is_valid():
            try:
                message = _run(request, scope, campaign, nominations, tally, posted, form)
            except ValidationError as e:
                add_service_errors(form, e, aliases={"review_note": "review_note", "results_note": "results_note"})
            else:
                messages.success(request, message)
                return redirect("culture:campaign", campaign.pk)
    steps = [(code, label, i) for i, (code, label) in enumerate(CAMPAIGN_STEPS)]
    current = next(i for code, _label, i in steps if code == phase)
    context = {"campaign": campaign, "phase": phase, "steps": steps, "current": current, "nominations": nominations, "forms": forms,
               "review_forms": [(n, forms.get(f"review-{n.pk}")) for n in nominations], "tally": tally,
               "votes": selectors.vote_count(campaign=campaign), "q": (request.GET.get("q") or "").strip(), "cap": PERSON_CAP,
               "accepted": sum(1 for n in nominations if n.status == NominationStatus.ACCEPTED)}
    return render(request, "culture/campaign_detail.html", context)
