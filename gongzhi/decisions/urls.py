"""URLs of 民主决策 (staff): matters, the record documents, methods, 一肩挑 settings, 居民公约."""

from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("decisions/", views.matter_list, name="matters"),
    path("decisions/new/", views.matter_new, name="matter_new"),
    path("decisions/<int:pk>/", views.matter_detail, name="matter"),
    path("decisions/<int:pk>/record.docx", views.matter_record_docx, name="record_docx"),
    path("decisions/<int:pk>/record.pdf", views.matter_record_pdf, name="record_pdf"),
    path("decisions/<int:pk>/print/", views.matter_record_print, name="record_print"),
    path("decisions/records/<int:pk>/signatures/", views.record_signatures, name="signatures"),
    path("decisions/methods/", views.method_list, name="methods"),
    path("decisions/settings/", views.setting_list, name="settings"),
    path("decisions/conventions/", views.convention_list, name="conventions"),
    path("decisions/conventions/new/", views.convention_new, name="convention_new"),
    path("decisions/conventions/<int:pk>/", views.convention_detail, name="convention"),
]
