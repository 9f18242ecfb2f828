"""Models of the 德治 app: 家风 stories and 寄语, selections (评选) with nominations and a public
vote, and publicity records (宣传: 横幅、展板、宣传单、微信推文 …)."""

from .awards import CAMPAIGN_STEPS, AwardCategory, Campaign, Nomination, NominationStatus, NominatorKind, Phase, TieRule, Vote
from .publicity import PublicityKind, PublicityRecord
from .stories import FamilyStory, StoryKind

__all__ = ["CAMPAIGN_STEPS", "AwardCategory", "Campaign", "FamilyStory", "Nomination", "NominationStatus", "NominatorKind", "Phase", "PublicityKind",
           "PublicityRecord", "StoryKind", "TieRule", "Vote"]
