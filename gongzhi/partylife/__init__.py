"""Organisational life (三会一课, 主题党日): meetings with attendance, frequency rules as data,
compliance for any scope and period (issue 4). See ../../shared/DOMAIN.md §3.

Built so far: meeting types and frequency rules (data, defaults by migration, district admins
edit them), meetings with agenda and attendance, who is due to attend (应到) on a date, quorum,
and the compliance of each organisation for a period. Pages, warnings, members away, political
birthdays and the demo history come next.
"""
