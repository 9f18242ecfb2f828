from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("jobs/<uuid:pk>/progress/", views.progress, name="progress"),
]
