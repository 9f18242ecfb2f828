from django.urls import path

from . import away_urls, overview_views, views

app_name = "partylife"
urlpatterns = [
    path("partylife/", overview_views.compliance, name="compliance"),
    path("partylife/warnings/", overview_views.warnings, name="warnings"),
    path("partylife/orgs/<int:pk>/", overview_views.org_meetings, name="org_meetings"),
    path("partylife/orgs/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("partylife/meetings/new/", views.meeting_create, name="meeting_new"),
    path("partylife/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    *away_urls.urlpatterns,
]
