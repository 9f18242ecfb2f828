from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET

from .selectors import job_get
from .services import job_state


@login_required
@require_GET
def progress(request, pk):
    """htmx, polled every second: the progress bar, or a refresh of the page once the job ended."""
    job = job_get(user=request.user, pk=pk)
    state = job_state(job)
    if job.finished:
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
    else:
        response = render(request, "jobs/partials/progress.html", {"job": job, "state": state})
    add_never_cache_headers(response)
    return response
