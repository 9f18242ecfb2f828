"""What the 德治 views share: the ?community= filter, the options of the 社区 and resident pickers."""

from gongzhi.people.selectors import person_get, person_search, place_labels
from gongzhi.people.selectors import community_get, community_options

PERSON_CAP = 50


def community_param(request, scope):
    """?community= in scope (else 404), or None."""
    raw = request.GET.get("community")
    return community_get(scope, raw) if raw and str(raw).isdigit() else None


def community_choice(scope):
    """(options, lookup) for a form's 社区 field."""
    return community_options(scope), lambda pk: community_get(scope, pk)


def person_options(scope, q: str, posted, *, within=None) -> list[tuple[int, str]]:
    """Residents found by `q` (at most PERSON_CAP; those of `within` 社区 when given), and the one
    posted (fetched in scope: 404 otherwise)."""
    persons = list(person_search(scope=scope, q=q, place=within)[:PERSON_CAP]) if q else []
    if posted and str(posted).isdigit() and int(posted) not in {p.pk for p in persons}:
        persons.insert(0, person_get(scope=scope, pk=posted, for_change=True))
    labels = place_labels([p.place for p in persons])
    return [(p.pk, f"{p.name}（{' '.join(x for x in labels.get(p.place_id, ('', '')) if x) or p.place.name}）") for p in persons]
