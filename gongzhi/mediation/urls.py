from django.urls import path

from . import views

app_name = "mediation"
urlpatterns = [
    path("mediation/", views.case_list, name="cases"),
    path("mediation/new/", views.case_new, name="case_new"),
    path("mediation/<int:pk>/", views.case_detail, name="case"),
    path("mediation/<int:pk>/agreement/", views.agreement, name="agreement"),
    path("mediation/sessions/<int:pk>/file/", views.session_file, name="session_file"),
    path("mediation/mediators/", views.mediator_list, name="mediators"),
    path("mediation/mediators/new/", views.mediator_edit, name="mediator_new"),
    path("mediation/mediators/<int:pk>/", views.mediator_edit, name="mediator"),
    path("mediation/figures/", views.figures, name="figures"),
]
