from django.urls import path

from . import away_urls, overview_urls, views

app_name = "partylife"
urlpatterns = [
    path("partylife/orgs/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("partylife/meetings/new/", views.meeting_create, name="meeting_new"),
    path("partylife/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    *overview_urls.urlpatterns,
    *away_urls.urlpatterns,
]
