"""Opening the accounts points are kept in, and what a counter's operator may do."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from gongzhi.core.scope import Scope
from gongzhi.org.selectors.places import community_around
from gongzhi.org.models import Place
from gongzhi.people.models import Person

from ..models import Account, AccountKind, BankPolicy, Counter, ScoredBy


def community_of(place: Place) -> Place:
    """The 社区 a building, compound or grid place lies in (itself when it is one)."""
    community = community_around(place)
    if community is None:
        raise ValidationError(_("“%(place)s”不在任何社区内，无法开立积分账户。") % {"place": place})
    return community


def holder_account(*, person: Person, community: Place | None = None) -> Account:
    """The account `person`'s points go to: their own, or their household's where the community
    scores by 户 (opened on first use)."""
    community = community or community_of(person.place)
    by_household = BankPolicy.for_community(community).scored_by == ScoredBy.HOUSEHOLD and person.household_id
    lookup = {"kind": AccountKind.HOUSEHOLD, "household_id": person.household_id} if by_household else {"kind": AccountKind.RESIDENT, "person": person}
    account = Account.objects.filter(**lookup).first()
    if account is not None:
        return account
    try:
        with transaction.atomic():
            return Account.objects.create(community=community, **lookup)
    except IntegrityError:  # opened meanwhile by another request
        return Account.objects.get(**lookup)


def card_issue(*, scope: Scope, account: Account) -> str:
    """A new 积分卡 link token for a resident's or household's account (the old link stops working)."""
    scope.require(account)
    if account.kind not in (AccountKind.RESIDENT, AccountKind.HOUSEHOLD):
        raise ValidationError(_("只有居民或家庭账户有积分卡。"))
    account.card_token = secrets.token_urlsafe(32)
    account.save(update_fields=["card_token"])
    return account.card_token


def counter_allowed(*, scope: Scope, user, counter: Counter) -> bool:
    """Staff whose scope holds the counter's 社区, or the counter's own operators."""
    return scope.contains(counter) or (getattr(user, "is_authenticated", False) and counter.operators.filter(pk=user.pk).exists())


def require_counter(*, scope: Scope, user, counter: Counter) -> Counter:
    if not counter_allowed(scope=scope, user=user, counter=counter):
        raise Http404(_("不存在或无权查看。"))
    return counter
