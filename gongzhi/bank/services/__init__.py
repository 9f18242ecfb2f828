from .accounts import card_issue, community_of, counter_allowed, holder_account, require_counter
from .counters import counter_open, counter_summary, event_create, goods_save, settlement_close, settlement_preview
from .deeds import deed_object, deed_report, deed_review, deeds_credit_due, objection_resolve
from .garbage import garbage_points, garbage_record
from .ledger import community_account, earn, lapse, ledger_check, redeem, reverse, transfer, unbalanced_transactions
from .policy import expiring, policy_save, violation_record, volunteer_credit, volunteer_sync, year_end_lapse
from .redemption import barred_until, code_find, code_issue, redemption_confirm, redemption_refund

__all__ = [
    "barred_until", "card_issue", "code_find", "code_issue", "community_account", "community_of", "counter_allowed", "counter_open",
    "counter_summary", "deed_object", "deed_report", "deed_review", "deeds_credit_due", "earn", "event_create", "expiring",
    "garbage_points", "garbage_record", "goods_save", "holder_account", "lapse", "ledger_check", "objection_resolve", "policy_save", "redeem",
    "redemption_confirm", "redemption_refund", "require_counter", "reverse", "settlement_close", "settlement_preview", "transfer",
    "unbalanced_transactions", "violation_record", "volunteer_credit", "volunteer_sync", "year_end_lapse",
]
