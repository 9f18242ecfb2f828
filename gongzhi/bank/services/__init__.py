from .ledger import community_account, earn, lapse, ledger_check, redeem, reverse, transfer, unbalanced_transactions

__all__ = ["community_account", "earn", "lapse", "ledger_check", "redeem", "reverse", "transfer", "unbalanced_transactions"]
