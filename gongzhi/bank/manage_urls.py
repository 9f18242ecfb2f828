"""URLs of the 道德银行 management pages and the public 公示 (no login). Spliced into `bank.urls`,
so their names are `bank:<name>`; the counter's operator page (`bank:counter`), receipts and the
resident's card are in `counter_urls`."""

from django.urls import path

from . import account_views, counter_manage_views, views

urlpatterns = [
    path("bank/", views.overview, name="overview"),
    path("bank/deeds/", views.deed_list, name="deeds"),
    path("bank/deeds/new/", views.deed_new, name="deed_new"),
    path("bank/deeds/<int:pk>/", views.deed_detail, name="deed"),
    path("bank/accounts/", account_views.account_list, name="accounts"),
    path("bank/accounts/<int:pk>/", account_views.account_detail, name="account"),
    path("bank/counters/", counter_manage_views.counter_list, name="counters"),
    path("bank/counters/new/", counter_manage_views.counter_new, name="counter_new"),
    path("bank/counters/<int:pk>/manage/", counter_manage_views.counter_manage, name="counter_manage"),
    path("bank/counters/<int:pk>/statement.xlsx", counter_manage_views.counter_statement, name="counter_statement"),
    path("bank/events/", counter_manage_views.event_list, name="events"),
    path("bank/events/new/", counter_manage_views.event_new, name="event_new"),
    path("bank/events/<int:pk>/", counter_manage_views.event_detail, name="event"),
    path("bank/rules/", counter_manage_views.rules, name="rules"),
    path("bank/expiry/", counter_manage_views.expiry, name="expiry"),
    path("public/<int:community_pk>/bank/", views.public_bank, name="public"),
]
