"""Writes of the 德治 app (re-exported: `from gongzhi.culture import services`)."""

from .awards import (campaign_create, campaign_publish_results, campaign_tally, campaign_update, nomination_add, nomination_review, tally,
                     TallyRow, vote_cast)
from .publicity import publicity_delete, publicity_record
from .stories import story_create, story_publish, story_update

__all__ = ["TallyRow", "campaign_create", "campaign_tally", "campaign_publish_results", "campaign_update", "nomination_add", "nomination_review",
           "publicity_delete", "publicity_record", "story_create", "story_publish", "story_update", "tally", "vote_cast"]
