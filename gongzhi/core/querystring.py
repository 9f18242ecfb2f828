"""Links that keep a page's filters: the current query string with some parameters changed."""


def query_with(query, **changes) -> str:
    """`query` (a QueryDict) with each of `changes` set, or removed where its value is None, encoded."""
    params = query.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
