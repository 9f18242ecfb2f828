"""The report generator's pages, joined to the `reports` namespace by reports/urls.py."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("reports/report/new/", report_views.report_new, name="report_new"),
    path("reports/report/<uuid:pk>/", report_views.report_job, name="report_job"),
    path("reports/report/<uuid:pk>/download/", report_views.report_download, name="report_download"),
]
