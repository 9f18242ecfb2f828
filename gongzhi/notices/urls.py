"""URLs of the 公开栏: the staff board (`notices:board`, `notices:new`, `notices:notice`) and the
public board of a 社区 (`notices:public_board`, `notices:public_notice`), no login."""

from django.urls import path

from . import public_views, views

app_name = "notices"
urlpatterns = [
    path("notices/", views.board, name="board"),
    path("notices/new/", views.notice_new, name="new"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("public/<int:community_pk>/notices/", public_views.public_board, name="public_board"),
    path("public/notices/<int:pk>/", public_views.public_notice, name="public_notice"),
]
