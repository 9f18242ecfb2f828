"""URLs of the 三张清单 pages: the ledger (挂账), needs and projects."""

from django.urls import path

from . import photo_views, public_urls, resource_views, suggestion_views, views

app_name = "needs"
urlpatterns = [
    path("needs/", views.ledger, name="ledger"),
    path("needs/new/", views.need_new, name="new"),
    path("needs/<int:pk>/", views.need_detail, name="need"),
    path("needs/<int:pk>/photos/", photo_views.photo_upload, name="photo_upload"),
    path("needs/photos/<int:pk>/", photo_views.photo_file, name="photo"),
    path("needs/photos/<int:pk>/delete/", photo_views.photo_delete, name="photo_delete"),
    path("needs/projects/", views.project_list, name="projects"),
    path("needs/projects/new/", views.project_new, name="project_new"),
    path("needs/suggestions/", suggestion_views.suggestions, name="suggestions"),
    path("needs/projects/<int:pk>/", views.project_detail, name="project"),
    path("needs/projects/<int:pk>/resources/", resource_views.project_resources, name="project_resources"),
    path("needs/resources/", resource_views.resource_list, name="resources"),
    path("needs/resources/new/", resource_views.resource_new, name="resource_new"),
    path("needs/resources/survey/", resource_views.resource_survey, name="resource_survey"),
    path("needs/resources/survey/row/", resource_views.resource_survey_row, name="resource_survey_row"),
    path("needs/resources/<int:pk>/", resource_views.resource_detail, name="resource"),
    *public_urls.urlpatterns,
]
