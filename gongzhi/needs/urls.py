"""URLs of the 三张清单 pages: the ledger (挂账), needs and projects."""

from django.urls import path

from . import views

app_name = "needs"
urlpatterns = [
    path("needs/", views.ledger, name="ledger"),
    path("needs/new/", views.need_new, name="new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/projects/", views.project_list, name="projects"),
    path("needs/projects/new/", views.project_new, name="project_new"),
    path("needs/projects/<int:pk>/", views.project_detail, name="project"),
]
