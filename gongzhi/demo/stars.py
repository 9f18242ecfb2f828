"""The demo's 五星支部: the last two whole years rated by the district admin through the real
services (indicators with a source filled from the records; the others scored by branch quality,
which drifts a little from year to year, so stars go up and down), and published."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from gongzhi.accounts.models import User
from gongzhi.accounts.scopes import scope_for_user
from gongzhi.points import star_services
from gongzhi.points.models import IndicatorSource

INNOVATIONS = ("楼栋微治理", "红色物业联盟", "邻里议事厅", "党员先锋岗", "垃圾分类积分", "老旧小区加装电梯协商")
EVIDENCE = "年度考核材料、现场查看"
YEARS = 2


def stars_history(*, rng: random.Random, as_of: dt.date, progress: Callable[[str], None]) -> dict[str, int]:
    user = User.objects.get(username="quwei")
    scope = scope_for_user(user)
    quality: dict[int, float] = {}
    published = 0
    for year in range(as_of.year - YEARS, as_of.year):
        for evaluation in star_services.evaluations_open(scope=scope, acting_user=user, year=year, today=as_of):
            q = quality[evaluation.organization_id] = min(max(quality.get(evaluation.organization_id, rng.gauss(0.78, 0.12)) + rng.gauss(0, 0.05), 0.3), 1.0)
            scores = {s.indicator_id: (Decimal(str(round(float(s.indicator.max_points) * min(max(q + rng.gauss(0, 0.06), 0.2), 1.0), 1))), EVIDENCE)
                      for s in evaluation.scores.select_related("indicator") if s.indicator.source == IndicatorSource.NONE}
            innovation = rng.choice(INNOVATIONS) if q > 0.85 and rng.random() < 0.6 else ""
            star_services.evaluation_save(scope=scope, acting_user=user, evaluation=evaluation, scores=scores,
                                          innovation_project=innovation, is_model_site=bool(innovation) and rng.random() < 0.15)
            star_services.evaluation_publish(scope=scope, acting_user=user, evaluation=evaluation)
            published += 1
        progress(f"  {year}年星级评定：累计公布 {published:,} 个支部")
    return {"star_evaluations": published}
