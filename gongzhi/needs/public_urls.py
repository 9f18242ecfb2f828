"""URLs of the 挂账销号 公示 pages: residents read them without a login (their views are in
public_views). Spliced into `needs.urls`, so their names are `needs:public_results` (a 社区's
closed projects) and `needs:public_result` (one of them)."""

from django.urls import path

from . import public_views

urlpatterns = [
    path("public/<int:community_pk>/results/", public_views.results, name="public_results"),
    path("public/results/<int:pk>/", public_views.result, name="public_result"),
]
