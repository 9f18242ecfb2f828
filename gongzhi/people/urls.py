from django.urls import path

from . import import_views, views

app_name = "people"
urlpatterns = [
    path("people/", views.search, name="search"),
    path("people/new/", views.person_create, name="person_new"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person_reveal"),
    path("households/new/", views.household_create, name="household_new"),
    path("households/options/", views.household_options, name="household_options"),
    path("households/<int:pk>/", views.household_detail, name="household"),
    path("members/", views.members, name="members"),
    path("members/<int:pk>/status/", views.member_status, name="member_status"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("people/import/", import_views.import_home, name="import"),
    path("people/import/<uuid:pk>/", import_views.import_job, name="import_job"),
    path("people/import/<uuid:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
    path("people/import/<uuid:pk>/report/", import_views.import_report, name="import_report"),
    path("people/import/template/<str:kind>.<str:fmt>", import_views.import_template, name="import_template"),
    path("people/export/", import_views.export, name="export"),
    path("people/export/<uuid:pk>/", import_views.export_job, name="export_job"),
    path("people/export/<uuid:pk>/download/", import_views.export_download, name="export_download"),
    path("audit/reveals/", views.reveals, name="reveals"),
    path("audit/reveals/export/", views.reveals_export, name="reveals_export"),
]
