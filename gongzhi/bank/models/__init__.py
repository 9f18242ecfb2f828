from .ledger import COMMUNITY_KINDS, Account, AccountKind, Posting, Transaction, TransactionKind

__all__ = ["COMMUNITY_KINDS", "Account", "AccountKind", "Posting", "Transaction", "TransactionKind"]
