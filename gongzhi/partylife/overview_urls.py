"""URLs of the overview pages (their views are in overview_views)."""

from django.urls import path

from . import overview_views

urlpatterns = [
    path("partylife/", overview_views.compliance, name="compliance"),
    path("partylife/warnings/", overview_views.warnings, name="warnings"),
    path("partylife/orgs/<int:pk>/", overview_views.org_meetings, name="org_meetings"),
    path("partylife/orgs/<int:pk>/calendar/", overview_views.calendar, name="calendar"),
]
