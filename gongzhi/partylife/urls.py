from django.urls import path

from . import away_urls, overview_urls, views

app_name = "partylife"
urlpatterns = [
    path("partylife/orgs/<int:pk>/ledger/", views.ledger, name="ledger"),
    path("partylife/meetings/new/", views.meeting_create, name="meeting_new"),
    path("partylife/meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("partylife/meetings/<int:pk>/qr/", views.meeting_qr, name="meeting_qr"),
    path("partylife/meetings/<int:pk>/signin/close/", views.signin_close, name="signin_close"),
    path("partylife/meetings/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("partylife/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("partylife/attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    path("partylife/members/<int:pk>/exemptions/", views.member_exemptions, name="member_exemptions"),
    path("s/<str:token>/", views.signin_page, name="signin"),
    *overview_urls.urlpatterns,
    *away_urls.urlpatterns,
]
