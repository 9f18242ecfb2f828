"""Shared template tags: navigation, breadcrumbs along a tree, rates, tiles, the pager."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from gongzhi.web.navigation import nav_for

register = template.Library()


@register.inclusion_tag("web/partials/nav.html", takes_context=True)
def main_nav(context):
    request = context["request"]
    match = getattr(request, "resolver_match", None)
    return {"items": nav_for(request.user, match.view_name if match else "", getattr(request, "scope", None))}


@register.inclusion_tag("web/partials/breadcrumbs.html")
def breadcrumbs(ancestors, current=None, url_name=None, *extra):
    """Home, then the tree's ancestors (links only where `.visible`), then `current` as text.

    `extra` labels (e.g. "新增下级") follow `current`, which then becomes a link.
    """
    crumbs = [{"label": _("工作台"), "url": reverse("web:home")}]
    for node in ancestors:
        url = reverse(url_name, args=[node.pk]) if url_name and getattr(node, "visible", False) else None
        crumbs.append({"label": str(node), "url": url, "outside": url is None})
    if current is not None:
        url = reverse(url_name, args=[current.pk]) if extra and url_name else None
        crumbs.append({"label": str(current), "url": url})
    crumbs += [{"label": str(label), "url": None} for label in extra]
    crumbs[-1]["current"] = True
    return {"crumbs": crumbs}


@register.filter
def percent(value, digits=1):
    """A rate (0..1, or a Coverage) as "66.7%"; "—" when there is nothing to divide."""
    rate = getattr(value, "rate", value)
    if rate is None or rate == "":
        return "—"
    return f"{rate * 100:.{int(digits)}f}%"


@register.inclusion_tag("web/partials/field.html")
def field(bound_field, css=""):
    return {"field": bound_field, "css": css}


@register.inclusion_tag("web/partials/pagination.html", takes_context=True)
def pagination(context, page, target=""):
    """The pager of a `gongzhi.core.pagination.CappedPage`: "共 1,000+ 条", then page links that
    keep the other query parameters (filters) of the current URL. With `target` (a CSS selector,
    e.g. "#results") the links load that element through htmx and push the URL."""
    current = page.page
    request = context.get("request")

    def href(number):
        params = request.GET.copy() if request is not None else QueryDict(mutable=True)
        params["page"] = number
        return f"?{params.urlencode()}"

    links = [{"label": _("上一页"), "href": href(current.previous_page_number()) if current.has_previous() else ""}]
    for n in page.page_range:
        if n == current.paginator.ELLIPSIS:
            links.append({"label": n, "gap": True})
        else:
            links.append({"label": n, "href": "" if n == current.number else href(n), "current": n == current.number})
    links.append({"label": _("下一页"), "href": href(current.next_page_number()) if current.has_next() else ""})
    return {"page": page, "links": links if current.paginator.num_pages > 1 else [], "target": target}


@register.filter
def num(value):
    """An integer with thousands separators (1,000,000); "—" for None."""
    if value is None or value == "":
        return "—"
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return value


@register.filter
def minus(value, other):
    try:
        return int(value) - int(other)
    except (TypeError, ValueError):
        return 0


@register.inclusion_tag("web/partials/rate.html")
def rate(coverage, label=""):
    """A coverage as "2 / 3 · 66.7%" with a small bar; "—" when the denominator is 0."""
    width = round((coverage.rate or 0) * 100, 1)
    return {"c": coverage, "width": width, "label": label}


@register.inclusion_tag("web/partials/tile.html")
def tile(label, value, note="", tone="", url=""):
    """One stat tile: a label, a big figure, an optional note (formula or fraction) and link."""
    return {"label": label, "value": value, "note": note, "tone": tone, "url": url}


@register.inclusion_tag("web/partials/tile.html")
def coverage_tile(label, coverage, unit="", url="", tone="ok"):
    """A tile showing a rate, with its numerator and denominator written under it."""
    note = f"{coverage.numerator:,} / {coverage.denominator:,}{unit}" if coverage.denominator else _("无统计对象")
    return {"label": label, "value": percent(coverage), "note": note, "tone": tone if coverage.denominator else "", "url": url}


@register.inclusion_tag("web/partials/tile.html")
def new_org_tile(figures, url=""):
    """两新组织: 组织覆盖率 as the figure, 工作覆盖率 and the number of organisations under it."""
    if figures.total:
        note = _("工作覆盖率 %(rate)s · 共 %(total)s 家") % {"rate": percent(figures.work), "total": f"{figures.total:,}"}
    else:
        note = _("暂无两新组织")
    return {"label": _("两新组织覆盖率"), "value": percent(figures.organisation), "note": note, "tone": "ok" if figures.total else "", "url": url}
