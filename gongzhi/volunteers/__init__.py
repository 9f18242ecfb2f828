"""Volunteers: the registry, teams, posts (党员先锋岗) and duty shifts, activities with sign-up and
check-in, and verified hours kept as 民政部令第67号 expects."""
