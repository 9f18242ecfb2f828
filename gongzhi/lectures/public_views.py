"""法治讲座 without a login: the public page of a 社区 (`/public/<社区>/lectures/`, phone first) where
residents 点单, 附议 and rate a lecture held, identified by name and ID number, and see where each
request stands, the lectures coming and those held (names masked); and the teacher's personal link
(`/lectures/t/<token>/`) where a teacher accepts or declines the lectures they were asked to give."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from gongzhi.core.forms import add_service_errors
from gongzhi.core.pii import mask_name
from gongzhi.core.token_pages import token_page
from gongzhi.notices.selectors import public_community
from gongzhi.core.ratelimit import Limit, client_address
from gongzhi.people.selectors import resident_identify

from . import selectors, services
from .forms import AnswerForm, FeedbackForm, RequestForm, SecondForm
from .models import InviteStatus, OrderStatus, RequestChannel

FAILURES = Limit("lectures:identify-failures", limit=10, window=600)  # failed name + ID checks per 社区 and address
NOT_RESIDENT = _("姓名与身份证号不符，或不是本社区登记在册的居民。")


def _identify(form, community, request):
    """The resident the form names, or None with the error on the form; failed checks are
    counted per 社区 and address (a guessing limit, as at the QR sign-in)."""
    address = client_address(request)
    if FAILURES.exceeded(community.pk, address):
        form.add_error(None, _("尝试次数过多，请10分钟后再试，或到社区办理。"))
        return None
    person = resident_identify(community=community, name=form.cleaned_data["name"], id_number=form.cleaned_data["id_number"])
    if person is None:
        FAILURES.hit(community.pk, address)
        form.add_error("id_number", str(NOT_RESIDENT))
    return person


def _post_request(request, community, topics):
    form = RequestForm(request.POST, topics=topics)
    if form.is_valid() and (person := _identify(form, community, request)):
        topic = next((t for t in topics if t.pk == form.cleaned_data["topic"]), None)
        try:
            services.request_submit(community=community, person=person, topic=topic, wish=form.cleaned_data["wish"], channel=RequestChannel.PUBLIC)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return None
    return form


def _post_second(request, community):
    item = selectors.public_request(community=community, pk=request.POST.get("request", ""))
    if item is None:
        raise Http404(_("不存在或无权查看。"))
    form = SecondForm(request.POST, prefix=f"second-{item.pk}")
    if form.is_valid() and (person := _identify(form, community, request)):
        try:
            services.request_second(request=item, person=person)
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return item, None
    return item, form


def _post_feedback(request, community):
    order = selectors.public_order(community=community, pk=request.POST.get("order", ""))
    if order is None:
        raise Http404(_("不存在或无权查看。"))
    form = FeedbackForm(request.POST, prefix=f"feedback-{order.pk}")
    if form.is_valid() and (person := _identify(form, community, request)):
        try:
            services.feedback_give(order=order, person=person, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"])
        except ValidationError as e:
            add_service_errors(form, e)
        else:
            return order, None
    return order, form


@never_cache
def public_page(request, community_pk):
    """点单 (POST action=request), 附议 (action=second, request=<id>), 评价 (action=feedback, order=<id>)."""
    community, now = public_community(community_pk), timezone.now()
    topics = list(selectors.topics())
    request_form, bound = RequestForm(topics=topics), {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "request":
            request_form = _post_request(request, community, topics)
            if request_form is None:
                messages.success(request, _("点单成功！社区将根据点单和附议情况安排讲座，进展可在本页查看。"))
                return redirect("lectures:public", community.pk)
        elif action == "second":
            item, form = _post_second(request, community)
            if form is None:
                messages.success(request, _("附议成功，感谢参与！"))
                return redirect(f"{request.path}#request-{item.pk}")
            bound[("r", item.pk)] = form
        elif action == "feedback":
            order, form = _post_feedback(request, community)
            if form is None:
                messages.success(request, _("感谢您的评价！"))
                return redirect(f"{request.path}#lecture-{order.pk}")
            bound[("o", order.pk)] = form
        else:
            raise Http404(_("不存在或无权查看。"))
    rows = [(r, mask_name(r.person.name), bound.get(("r", r.pk)) or SecondForm(prefix=f"second-{r.pk}"))
            for r in selectors.public_requests(community=community)]
    past = [(o, bound.get(("o", o.pk)) or FeedbackForm(prefix=f"feedback-{o.pk}")) for o in selectors.public_past(community=community)]
    context = {"community": community, "form": request_form, "requests": rows, "upcoming": selectors.public_upcoming(community=community, now=now),
               "past": past, "open_request_form": request_form.is_bound, "held": OrderStatus.HELD}
    return render(request, "lectures/public/page.html", context)


# ---- the teacher's link ----------------------------------------------------------------------------

teacher_page = token_page(selectors.teacher_find, "lectures/public/link_invalid.html")


@teacher_page
def teacher_link(request, teacher, token):
    """The teacher's invitations: those waiting for an answer (接单 / 谢绝 with a reason), then the
    others with where each lecture stands. Only the teacher's own invitations can be answered."""
    invites = selectors.teacher_invites(teacher=teacher)
    bound = None
    if request.method == "POST":
        invite = next((i for i in invites if str(i.pk) == request.POST.get("invite", "")), None)
        if invite is None:
            raise Http404(_("不存在或无权查看。"))
        if invite.status != InviteStatus.ASKED:
            messages.error(request, _("您已答复过这次邀请（%(status)s）。") % {"status": invite.get_status_display()})
            return redirect("lectures:teacher_link", token)
        bound = (invite.pk, AnswerForm(request.POST, prefix=f"answer-{invite.pk}"))
        form = bound[1]
        if form.is_valid():
            accept = form.cleaned_data["decision"] == "accept"
            try:
                services.invite_answer(teacher=teacher, invite=invite, accept=accept, reason=form.cleaned_data["reason"])
            except ValidationError as e:
                add_service_errors(form, e)
            else:
                messages.success(request, _("已接单，感谢支持！社区会按时与您联系。") if accept else _("已谢绝，社区将另请讲师。"))
                return redirect("lectures:teacher_link", token)
    waiting = [(i, bound[1] if bound and bound[0] == i.pk else AnswerForm(prefix=f"answer-{i.pk}", initial={"decision": "accept"}))
               for i in invites if i.status == InviteStatus.ASKED and i.order.status in (OrderStatus.ASKED, OrderStatus.ACCEPTED)]
    waiting_ids = {i.pk for i, _f in waiting}
    others = [i for i in invites if i.pk not in waiting_ids]
    return render(request, "lectures/public/teacher.html", {"teacher": teacher, "waiting": waiting, "others": others, "token": token})
