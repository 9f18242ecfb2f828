"""URLs of 在外党员 reports and members' personal links (their views are in away_views)."""

urlpatterns = []
