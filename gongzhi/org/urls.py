from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("places/", views.place_roots, name="places"),
    path("places/<int:pk>/", views.place_detail, name="place"),
    path("places/<int:pk>/children/", views.place_children, name="place_children"),
    path("places/<int:pk>/new/", views.place_create, name="place_create"),
    path("grids/<int:pk>/", views.grid_detail, name="grid"),
    path("orgs/", views.org_roots, name="orgs"),
    path("orgs/<int:pk>/", views.org_detail, name="org"),
    path("orgs/<int:pk>/children/", views.org_children, name="org_children"),
    path("orgs/<int:pk>/new/", views.org_create, name="org_create"),
    path("new-orgs/", views.new_org_list, name="new_orgs"),
]
