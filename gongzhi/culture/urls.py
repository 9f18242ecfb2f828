"""URLs of the 德治 pages: staff pages under culture/, the public page of a 社区 (no login)
under public/<community_pk>/culture/."""

from django.urls import path

from . import campaign_views, public_views, views

app_name = "culture"
urlpatterns = [
    path("culture/", views.overview, name="overview"),
    path("culture/stories/", views.story_list, name="stories"),
    path("culture/stories/new/", views.story_new, name="story_new"),
    path("culture/stories/<int:pk>/", views.story_detail, name="story"),
    path("culture/stories/<int:pk>/edit/", views.story_edit, name="story_edit"),
    path("culture/stories/<int:pk>/photo/", views.story_photo, name="story_photo"),
    path("culture/campaigns/", campaign_views.campaign_list, name="campaigns"),
    path("culture/campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("culture/campaigns/<int:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("culture/campaigns/<int:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("culture/publicity/", views.publicity_list, name="publicity"),
    path("culture/publicity/new/", views.publicity_new, name="publicity_new"),
    path("public/<int:community_pk>/culture/", public_views.public_home, name="public"),
    path("public/<int:community_pk>/culture/stories/<int:pk>/", public_views.public_story, name="public_story"),
    path("public/<int:community_pk>/culture/stories/<int:pk>/photo/", public_views.public_story_photo, name="public_story_photo"),
    path("public/<int:community_pk>/culture/campaigns/<int:pk>/", public_views.public_campaign, name="public_campaign"),
]
