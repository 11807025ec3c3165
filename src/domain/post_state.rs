//! Where a post and each of its accounts stand, and the rule that derives the post's state from
//! its accounts' (DESIGN §4): `draft → scheduled → publishing → published | failed |
//! outcome_unknown`, `scheduled → draft` (unschedule) or `canceled`.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    Draft,
    Scheduled,
    Publishing,
    Published,
    PartiallyPublished,
    Failed,
    Canceled,
}

text_forms!(PostStatus {
    Draft => "draft",
    Scheduled => "scheduled",
    Publishing => "publishing",
    Published => "published",
    PartiallyPublished => "partially_published",
    Failed => "failed",
    Canceled => "canceled",
});

impl PostStatus {
    /// A post's status, from its accounts' results: published only when every account is, and
    /// "publishing" while any is still under way or in doubt (Herald is still finding out).
    /// Scheduling and cancelling move every account at once, so a post is scheduled or
    /// cancelled only when all its accounts are.
    pub fn from_targets(targets: &[TargetStatus]) -> PostStatus {
        let count = |wanted: TargetStatus| targets.iter().filter(|s| **s == wanted).count();
        let published = count(TargetStatus::Published);
        let failed = count(TargetStatus::Failed);
        let pending = count(TargetStatus::Publishing)
            + count(TargetStatus::OutcomeUnknown)
            + count(TargetStatus::Scheduled);
        let all = |wanted: TargetStatus| count(wanted) == targets.len();
        if targets.is_empty() || all(TargetStatus::Draft) {
            PostStatus::Draft
        } else if all(TargetStatus::Scheduled) {
            PostStatus::Scheduled
        } else if all(TargetStatus::Canceled) {
            PostStatus::Canceled
        } else if published == targets.len() {
            PostStatus::Published
        } else if pending > 0 && published == 0 {
            PostStatus::Publishing
        } else if published > 0 {
            PostStatus::PartiallyPublished
        } else if failed > 0 {
            PostStatus::Failed
        } else {
            PostStatus::Publishing
        }
    }

    /// Published (wholly or partly) posts are history: they cannot be edited any more.
    pub fn is_editable(self) -> bool {
        self == PostStatus::Draft
    }
}

/// Where one account of a post stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetStatus {
    Draft,
    /// Waiting for the post's time; its job is queued.
    Scheduled,
    Publishing,
    Published,
    Failed,
    /// A call that publishes got no answer; Herald is finding out whether it posted.
    OutcomeUnknown,
    /// Cancelled before its time: nothing was sent.
    Canceled,
}

text_forms!(TargetStatus {
    Draft => "draft",
    Scheduled => "scheduled",
    Publishing => "publishing",
    Published => "published",
    Failed => "failed",
    OutcomeUnknown => "outcome_unknown",
    Canceled => "canceled",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posts_status_follows_its_accounts() {
        use TargetStatus::*;
        let status = PostStatus::from_targets;
        assert_eq!(status(&[]), PostStatus::Draft);
        assert_eq!(status(&[Draft, Draft]), PostStatus::Draft);
        assert_eq!(status(&[Published, Published]), PostStatus::Published);
        assert_eq!(
            status(&[Published, Publishing]),
            PostStatus::PartiallyPublished
        );
        assert_eq!(status(&[Published, Failed]), PostStatus::PartiallyPublished);
        assert_eq!(status(&[Failed, Failed]), PostStatus::Failed);
        assert_eq!(status(&[Failed, Publishing]), PostStatus::Publishing);
        assert_eq!(status(&[Scheduled, Scheduled]), PostStatus::Scheduled);
        assert_eq!(status(&[Scheduled, Publishing]), PostStatus::Publishing);
        assert_eq!(status(&[Canceled]), PostStatus::Canceled);
        // In doubt is never called failed: Herald is still finding out.
        assert_eq!(status(&[Failed, OutcomeUnknown]), PostStatus::Publishing);
        assert_eq!(
            status(&[Published, OutcomeUnknown]),
            PostStatus::PartiallyPublished
        );
    }

    #[test]
    fn statuses_read_back_what_they_write() {
        for status in TargetStatus::ALL {
            assert_eq!(TargetStatus::parse(status.as_str()), Some(*status));
        }
        for status in PostStatus::ALL {
            assert_eq!(PostStatus::parse(status.as_str()), Some(*status));
        }
        assert_eq!(TargetStatus::parse("posted"), None);
    }
}
