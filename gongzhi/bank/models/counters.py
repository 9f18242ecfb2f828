"""Where points are earned by weight and spent: counters, their goods, the resident's short-lived
code, redemptions with their receipts, garbage weighed at a station, merchants' monthly
settlements, and the 公益集市 / 公益日 events whose stalls are counters for a day.

A `Counter` is a station's 爱心超市 (the seed's six 驿站), a 道德联盟 merchant, or a stall at an
event; each has its own ledger account (what was redeemed there). Its operators are users who may
weigh garbage and confirm redemptions there, though they hold no role anywhere else.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Place, PlaceLevel
from gongzhi.people.models import Person

from .ledger import Account, Transaction


class CounterKind(models.TextChoices):
    STATION = "station", _("积分驿站（爱心超市）")
    MERCHANT = "merchant", _("道德联盟商户")
    STALL = "stall", _("集市摊位")


class EventKind(models.TextChoices):
    MARKET = "market", _("公益集市")
    DAY = "day", _("公益日")


class CharityEvent(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="charity_events",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    kind = models.CharField(_("活动类别"), max_length=8, choices=EventKind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("举办日期"))
    venue = models.CharField(_("地点"), max_length=100)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "公益活动")
        verbose_name_plural = _("公益活动")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return f"{self.title}（{self.held_on}）"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class Counter(TimeStampedModel):
    community = models.ForeignKey(Place, verbose_name=_("所属社区"), on_delete=models.PROTECT, related_name="bank_counters",
                                  limit_choices_to={"level": PlaceLevel.COMMUNITY})
    kind = models.CharField(_("类别"), max_length=10, choices=CounterKind.choices)
    name = models.CharField(_("名称"), max_length=100)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    business_phone = models.CharField(_("营业电话"), max_length=20, blank=True)
    offer = models.CharField(_("优惠内容"), max_length=300, blank=True, help_text=_("商户向积分兑换提供的商品或折扣"))
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)
    active = models.BooleanField(_("营业中"), default=True)
    event = models.ForeignKey(CharityEvent, verbose_name=pgettext_lazy("singular", "公益活动"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="stalls")
    account = models.OneToOneField(Account, verbose_name=pgettext_lazy("singular", "积分账户"), on_delete=models.PROTECT, related_name="counter")
    operators = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("操作员"), blank=True, related_name="bank_counters")

    class Meta:
        verbose_name = pgettext_lazy("singular", "兑换点")
        verbose_name_plural = _("兑换点")
        ordering = ["kind", "name", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind="stall", event__isnull=False) | (~Q(kind="stall") & Q(event__isnull=True)),
                                              name="bank_counter_stall_has_event")]

    def __str__(self):
        return self.name

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="community__path")


class GoodsKind(models.TextChoices):
    GOODS = "goods", _("实物")
    DISCOUNT = "discount", _("折扣/服务")


class Goods(TimeStampedModel):
    counter = models.ForeignKey(Counter, verbose_name=pgettext_lazy("singular", "兑换点"), on_delete=models.PROTECT, related_name="goods")
    kind = models.CharField(_("类别"), max_length=10, choices=GoodsKind.choices, default=GoodsKind.GOODS)
    name = models.CharField(_("名称"), max_length=100)
    points = models.PositiveIntegerField(_("所需积分"), validators=[MinValueValidator(1)])
    stock = models.PositiveIntegerField(_("库存"), null=True, blank=True, help_text=_("留空表示不限（如折扣、服务）"))
    active = models.BooleanField(_("上架"), default=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "兑换物品")
        verbose_name_plural = _("兑换物品")
        ordering = ["points", "name", "id"]

    def __str__(self):
        return f"{self.name}（{self.points}分）"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="counter__community__path")


class RedemptionCode(models.Model):
    """The code a resident's phone shows (as a QR code and as digits) for one redemption: valid for
    the community's number of seconds, used once."""

    account = models.ForeignKey(Account, verbose_name=pgettext_lazy("singular", "积分账户"), on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("兑换码"), max_length=8, db_index=True)
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("失效时间"), db_index=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "兑换码")
        verbose_name_plural = _("兑换码")

    def __str__(self):
        return self.code


class Redemption(models.Model):
    """A receipt (兑换凭证): what was taken at which counter for how many points."""

    transaction = models.OneToOneField(Transaction, verbose_name=pgettext_lazy("singular", "积分交易"), on_delete=models.PROTECT, related_name="redemption")
    counter = models.ForeignKey(Counter, verbose_name=pgettext_lazy("singular", "兑换点"), on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(Account, verbose_name=pgettext_lazy("singular", "积分账户"), on_delete=models.PROTECT, related_name="redemptions")
    points = models.PositiveIntegerField(_("积分"))
    at = models.DateTimeField(_("兑换时间"), auto_now_add=True, db_index=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = pgettext_lazy("singular", "兑换凭证")
        verbose_name_plural = _("兑换凭证")
        ordering = ["-at", "-id"]

    def __str__(self):
        return _("兑换凭证 No.%(n)s") % {"n": self.transaction_id}

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="counter__community__path")


class RedemptionLine(models.Model):
    redemption = models.ForeignKey(Redemption, on_delete=models.CASCADE, related_name="lines")
    goods = models.ForeignKey(Goods, verbose_name=pgettext_lazy("singular", "兑换物品"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("名称"), max_length=100)
    quantity = models.PositiveIntegerField(_("数量"), validators=[MinValueValidator(1)])
    points = models.PositiveIntegerField(_("积分小计"))


class GarbageDrop(models.Model):
    """Sorted garbage weighed at a station: kilograms by kind, the points by the community's rates,
    cut to what the daily cap leaves (0 is recorded too: the weight still counts)."""

    counter = models.ForeignKey(Counter, verbose_name=pgettext_lazy("singular", "兑换点"), on_delete=models.PROTECT, related_name="garbage_drops")
    account = models.ForeignKey(Account, verbose_name=pgettext_lazy("singular", "积分账户"), on_delete=models.PROTECT, related_name="garbage_drops")
    person = models.ForeignKey(Person, verbose_name=pgettext_lazy("singular", "居民"), on_delete=models.PROTECT, related_name="garbage_drops")
    day = models.DateField(_("投放日期"), db_index=True)
    kitchen_kg = models.DecimalField(_("厨余垃圾（公斤）"), max_digits=6, decimal_places=2, default=0)
    recyclable_kg = models.DecimalField(_("可回收物（公斤）"), max_digits=6, decimal_places=2, default=0)
    hazardous_kg = models.DecimalField(_("有害垃圾（公斤）"), max_digits=6, decimal_places=2, default=0)
    other_kg = models.DecimalField(_("其他垃圾（公斤）"), max_digits=6, decimal_places=2, default=0)
    earned = models.PositiveIntegerField(_("按标准积分"))
    credited = models.PositiveIntegerField(_("实际入账积分"))
    transaction = models.OneToOneField(Transaction, verbose_name=pgettext_lazy("singular", "积分交易"), null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="garbage_drop")
    key = models.CharField(_("幂等键"), max_length=64, unique=True)
    operator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("称重时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "垃圾分类称重")
        verbose_name_plural = _("垃圾分类称重")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["account", "day"], name="bank_garbage_account_day")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="counter__community__path")


class Settlement(models.Model):
    """A merchant's monthly settlement (月度结算): the points redeemed with it in the month, retired
    from its account to the community's issuing account; the community pays the merchant as agreed."""

    counter = models.ForeignKey(Counter, verbose_name=pgettext_lazy("singular", "兑换点"), on_delete=models.PROTECT, related_name="settlements")
    month = models.DateField(_("结算月份"))  # the first day of the month
    redemptions = models.PositiveIntegerField(_("兑换笔数"))
    points = models.PositiveIntegerField(_("结算积分"))
    transaction = models.OneToOneField(Transaction, verbose_name=pgettext_lazy("singular", "积分交易"), null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="settlement")
    settled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    settled_at = models.DateTimeField(_("结算时间"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "商户结算")
        verbose_name_plural = _("商户结算")
        ordering = ["-month", "counter_id"]
        constraints = [models.UniqueConstraint(fields=["counter", "month"], name="bank_settlement_once")]

    @classmethod
    def scope_q(cls, scope) -> Q:
        return scope.q(place="counter__community__path")
