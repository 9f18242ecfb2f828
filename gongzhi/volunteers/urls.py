"""URLs of the 志愿服务 pages: the registry, a volunteer and their certificate, activities, teams, posts and shifts."""

from django.urls import path

from . import duty_views, views

app_name = "volunteers"
urlpatterns = [
    path("volunteers/", views.volunteer_list, name="list"),
    path("volunteers/new/", views.volunteer_new, name="new"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("volunteers/<int:pk>/certificate.docx", views.volunteer_certificate, name="certificate"),
    path("volunteers/activities/", views.activity_list, name="activities"),
    path("volunteers/activities/new/", views.activity_new, name="activity_new"),
    path("volunteers/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("volunteers/teams/", duty_views.team_list, name="teams"),
    path("volunteers/teams/new/", duty_views.team_new, name="team_new"),
    path("volunteers/teams/<int:pk>/", duty_views.team_detail, name="team"),
    path("volunteers/teams/<int:pk>/edit/", duty_views.team_edit, name="team_edit"),
    path("volunteers/posts/", duty_views.post_list, name="posts"),
    path("volunteers/posts/new/", duty_views.post_new, name="post_new"),
    path("volunteers/posts/<int:pk>/", duty_views.post_detail, name="post"),
    path("volunteers/posts/<int:pk>/edit/", duty_views.post_edit, name="post_edit"),
    path("volunteers/shifts/<int:pk>/", duty_views.shift_detail, name="shift"),
]
