"""URLs of 在外党员 reports and members' personal links (their views are in away_views).

`m/<token>/` are members' own pages, without a login: the token is the personal link."""

from django.urls import path

from . import away_views

urlpatterns = [
    path("partylife/orgs/<int:pk>/away/", away_views.away_list, name="away"),
    path("partylife/reports/<int:pk>/", away_views.report_detail, name="report"),
    path("m/<str:token>/", away_views.member_home, name="member_home"),
    path("m/<str:token>/report/", away_views.member_report, name="member_report"),
]
