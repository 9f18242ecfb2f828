"""Member points (党员积分) under versioned rule sets, on an immutable ledger fed by the records,
and 五星支部 star ratings of branches."""
