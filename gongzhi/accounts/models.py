from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gongzhi.core.models import TimeStampedModel
from gongzhi.org.models import Grid, PartyOrganization, Place, PlaceLevel


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("singular", "用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username


class Role(models.TextChoices):
    DISTRICT_ADMIN = "district_admin", _("区委组织部管理员")
    STREET_STAFF = "street_staff", _("街道党工委工作人员")
    COMMUNITY_SECRETARY = "community_secretary", _("社区书记")
    COMMUNITY_WORKER = "community_worker", _("社区工作者")
    GRID_LEADER = "grid_leader", _("网格长")
    GRID_WORKER = "grid_worker", _("网格员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记")


# Where each role is granted: a place of one level, a grid, or a party organisation.
ROLE_TARGET = {
    Role.DISTRICT_ADMIN: PlaceLevel.DISTRICT,
    Role.STREET_STAFF: PlaceLevel.STREET,
    Role.COMMUNITY_SECRETARY: PlaceLevel.COMMUNITY,
    Role.COMMUNITY_WORKER: PlaceLevel.COMMUNITY,
    Role.GRID_LEADER: "grid",
    Role.GRID_WORKER: "grid",
    Role.BRANCH_SECRETARY: "org",
}


class RoleGrant(TimeStampedModel):
    """A role held at one node; it covers that node and everything below it."""

    user = models.ForeignKey(User, verbose_name=pgettext_lazy("singular", "用户"), on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    place = models.ForeignKey(Place, verbose_name=pgettext_lazy("singular", "区划"), null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    grid = models.ForeignKey(Grid, verbose_name=pgettext_lazy("singular", "网格"), null=True, blank=True, on_delete=models.CASCADE, related_name="grants")
    organization = models.ForeignKey(PartyOrganization, verbose_name=pgettext_lazy("singular", "党组织"), null=True, blank=True, on_delete=models.CASCADE, related_name="grants")

    class Meta:
        verbose_name = pgettext_lazy("singular", "角色授权")
        verbose_name_plural = _("角色授权")
        ordering = ["user_id", "id"]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.target}"

    @property
    def target(self):
        return self.place or self.grid or self.organization

    def clean(self):
        target = ROLE_TARGET.get(self.role)
        given = [n for n in ("place", "grid", "organization") if getattr(self, f"{n}_id")]
        if target == "grid":
            wanted = "grid"
        elif target == "org":
            wanted = "organization"
        else:
            wanted = "place"
        if given != [wanted]:
            needs = {
                "place": _("“%(role)s”须且只须指定一个区划。"),
                "grid": _("“%(role)s”须且只须指定一个网格。"),
                "organization": _("“%(role)s”须且只须指定一个党组织。"),
            }
            raise ValidationError({wanted: needs[wanted] % {"role": self.get_role_display()}})
        if wanted == "place" and self.place.level != target:
            raise ValidationError({"place": _("“%(role)s”应授予在%(level)s一级，所选“%(place)s”是%(place_level)s。") % {
                "role": self.get_role_display(), "level": PlaceLevel(target).label, "place": self.place, "place_level": self.place.get_level_display(),
            }})

    @classmethod
    def scope_q(cls, scope):
        return scope.q(place="place__path", org="organization__path", grid="grid_id") | scope.q(place="grid__community__path")
