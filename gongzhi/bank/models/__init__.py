from .counters import (CharityEvent, Counter, CounterKind, EventKind, GarbageDrop, Goods, GoodsKind, Redemption, RedemptionCode,
                       RedemptionLine, Settlement)
from .deeds import Deed, DeedObjection, DeedStatus, Violation
from .ledger import COMMUNITY_KINDS, COUNTER_KINDS, HOLDER_KINDS, Account, AccountKind, Posting, Transaction, TransactionKind
from .rules import BankPolicy, DeedCategory, GarbageKind, GarbageRate, ScoredBy

__all__ = [
    "COMMUNITY_KINDS", "COUNTER_KINDS", "HOLDER_KINDS", "Account", "AccountKind", "BankPolicy", "CharityEvent", "Counter", "CounterKind",
    "Deed", "DeedCategory", "DeedObjection", "DeedStatus", "EventKind", "GarbageDrop", "GarbageKind", "GarbageRate", "Goods", "GoodsKind",
    "Posting", "Redemption", "RedemptionCode", "RedemptionLine", "ScoredBy", "Settlement", "Transaction", "TransactionKind", "Violation",
]
