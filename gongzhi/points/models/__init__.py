from .ledger import EntryStatus, MemberCycleTotal, PointEntry  # noqa: F401
from .rules import Rule, RuleSet, RuleSource, RuleVersion  # noqa: F401
from .stars import IndicatorScore, IndicatorSource, StarEvaluation, StarIndicator, StarLevel, StarScheme, EvaluationStatus  # noqa: F401
