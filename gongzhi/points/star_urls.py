"""URLs of the 五星支部 pages (views in star_views), included by gongzhi.points.urls (app_name "points")."""

from django.urls import path

from . import star_views

urlpatterns = [
    path("points/stars/", star_views.summary, name="stars"),
    path("points/stars/open/", star_views.evaluations_open, name="stars_open"),
    path("points/stars/<int:pk>/", star_views.evaluation, name="star_evaluation"),
    path("points/stars/orgs/<int:pk>/", star_views.history, name="star_history"),
]
