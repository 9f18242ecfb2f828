"""URLs of the reports app: the dashboard here; the report generator's pages (report_urls.py)
join the same namespace once that module is installed."""

from importlib.util import find_spec

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
]

if find_spec("gongzhi.reports.report_urls") is not None:
    from . import report_urls

    urlpatterns += report_urls.urlpatterns
