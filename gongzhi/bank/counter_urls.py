"""URLs of the counter (称重、兑换、兑换凭证、退兑), the resident's 积分卡 and issuing its link."""

from django.urls import path

from . import counter_views as views

urlpatterns = [
    path("bank/counters/<int:pk>/", views.counter_page, name="counter"),
    path("bank/counters/<int:pk>/weigh/", views.counter_weigh, name="counter_weigh"),
    path("bank/counters/<int:pk>/redeem/", views.counter_redeem, name="counter_redeem"),
    path("bank/counters/<int:pk>/receipts/", views.receipt_list, name="counter_receipts"),
    path("bank/receipts/<int:pk>/", views.receipt_detail, name="receipt"),
    path("bank/receipts/<int:pk>/refund/", views.receipt_refund, name="receipt_refund"),
    path("bank/card/<str:token>/", views.card, name="card"),
    path("bank/card/<str:token>/code/", views.card_code, name="card_code"),
    path("bank/accounts/<int:pk>/card/", views.card_issue, name="card_issue"),
]
