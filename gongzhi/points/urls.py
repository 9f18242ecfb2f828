"""URLs of the member-points pages (views) and the 五星支部 pages (star_urls)."""

from django.urls import path

from . import star_urls, views

app_name = "points"
urlpatterns = [
    path("points/", views.ranking, name="ranking"),
    path("points/members/<int:pk>/", views.statement, name="statement"),
    path("points/entries/new/", views.entry_new, name="entry_new"),
    path("points/approvals/", views.approvals, name="approvals"),
    path("points/entries/<int:pk>/approve/", views.entry_approve, name="entry_approve"),
    path("points/entries/<int:pk>/reject/", views.entry_reject, name="entry_reject"),
    path("points/entries/<int:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    *star_urls.urlpatterns,
]
