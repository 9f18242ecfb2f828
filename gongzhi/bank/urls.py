"""URLs of the 道德银行 pages: the counter (称重、兑换) and the resident's 积分卡 in `counter_urls`,
the staff's management pages and the public 公示 in `manage_urls`."""

from django.urls import include, path

app_name = "bank"
urlpatterns = [
    path("", include("gongzhi.bank.counter_urls")),
    path("", include("gongzhi.bank.manage_urls")),
]
