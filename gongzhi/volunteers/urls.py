"""URLs of the 志愿服务 pages: the registry, a volunteer and their certificate, activities, teams, posts."""

from django.urls import path

from . import views

app_name = "volunteers"
urlpatterns = [
    path("volunteers/", views.volunteer_list, name="list"),
    path("volunteers/new/", views.volunteer_new, name="new"),
    path("volunteers/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("volunteers/<int:pk>/certificate.docx", views.volunteer_certificate, name="certificate"),
    path("volunteers/activities/", views.activity_list, name="activities"),
    path("volunteers/activities/new/", views.activity_new, name="activity_new"),
    path("volunteers/activities/<int:pk>/", views.activity_detail, name="activity"),
    path("volunteers/teams/", views.team_list, name="teams"),
    path("volunteers/posts/", views.post_list, name="posts"),
]
