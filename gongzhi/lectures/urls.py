"""URLs of the 法治讲座: staff pages under /lectures/, the teacher's link /lectures/t/<token>/ and
the public page of a 社区 /public/<社区>/lectures/ (no login)."""

from django.urls import path

from . import public_views, views

app_name = "lectures"
urlpatterns = [
    path("lectures/", views.overview, name="overview"),
    path("lectures/requests/", views.request_list, name="requests"),
    path("lectures/requests/new/", views.request_new, name="request_new"),
    path("lectures/requests/<int:pk>/", views.request_detail, name="request"),
    path("lectures/orders/", views.order_list, name="orders"),
    path("lectures/orders/new/", views.order_new, name="order_new"),
    path("lectures/orders/<int:pk>/", views.order_detail, name="order"),
    path("lectures/teachers/", views.teacher_list, name="teachers"),
    path("lectures/teachers/new/", views.teacher_new, name="teacher_new"),
    path("lectures/teachers/<int:pk>/", views.teacher_detail, name="teacher"),
    path("lectures/topics/", views.topic_list, name="topics"),
    path("lectures/t/<str:token>/", public_views.teacher_link, name="teacher_link"),
    path("public/<int:community_pk>/lectures/", public_views.public_page, name="public"),
]
