from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from gongzhi.accounts.forms import LoginForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("gongzhi.web.urls")),
    path("", include("gongzhi.org.urls")),
    path("", include("gongzhi.people.urls")),
    path("", include("gongzhi.jobs.urls")),
    path("", include("gongzhi.partylife.urls")),
    path("", include("gongzhi.points.urls")),
    path("", include("gongzhi.needs.urls")),
    path("", include("gongzhi.volunteers.urls")),
    path("", include("gongzhi.notices.urls")),
    path("", include("gongzhi.decisions.urls")),
    path("", include("gongzhi.mediation.urls")),
    path("", include("gongzhi.lectures.urls")),
    path("", include("gongzhi.culture.urls")),
    path("", include("gongzhi.bank.urls")),
    path("", include("gongzhi.reports.urls")),
]
