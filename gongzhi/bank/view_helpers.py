"""What the 道德银行's management pages share: the export's type and cap, the 社区 filter."""

from gongzhi.people.selectors import community_get

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_CAP = 20_000


def community_param(request, scope):
    """?community= in scope (else 404), or None."""
    raw = request.GET.get("community") or request.POST.get("community_filter")
    return community_get(scope, raw) if raw else None


def only_community(scope, options):
    return community_get(scope, options[0][0]) if len(options) == 1 else None
