//! `published` and `scheduled_publish_time` (§2.1): a post is published now, scheduled, or kept
//! as a draft; a schedule is a unix time or an ISO 8601 string between ten minutes and 75 days
//! after the request (videos: six months, §2.4, UNCERTAIN).

use chrono::{DateTime, Duration, Utc};

use super::errors::GraphError;
use super::page_content::Publication;

const EARLIEST_MINUTES: i64 = 10;
const POSTS_LATEST_DAYS: i64 = 75;
const VIDEOS_LATEST_DAYS: i64 = 180;

/// How far ahead a post may be scheduled.
pub(super) fn posts_reach() -> Duration {
    Duration::days(POSTS_LATEST_DAYS)
}

pub(super) fn videos_reach() -> Duration {
    Duration::days(VIDEOS_LATEST_DAYS)
}

pub(super) fn publication(
    published: bool,
    scheduled: Option<&str>,
    now: DateTime<Utc>,
    reach: Duration,
) -> Result<Publication, GraphError> {
    match (published, scheduled) {
        (true, None) => Ok(Publication::Published),
        (true, Some(_)) => Err(GraphError::numbered(
            100,
            "You cannot specify a scheduled publish time on a published post",
        )),
        (false, None) => Ok(Publication::Draft),
        (false, Some(text)) => {
            let at = parse(text).ok_or_else(|| invalid_time(reach))?;
            let in_window = at >= now + Duration::minutes(EARLIEST_MINUTES) && at <= now + reach;
            if in_window {
                Ok(Publication::Scheduled(at))
            } else {
                Err(invalid_time(reach))
            }
        }
    }
}

fn invalid_time(reach: Duration) -> GraphError {
    GraphError::numbered(
        100,
        format!(
            "The specified scheduled publish time is invalid. Must be date between \
             {EARLIEST_MINUTES} minutes and {} days from the time of the API request",
            reach.num_days()
        ),
    )
}

fn parse(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<i64>() {
        return DateTime::from_timestamp(seconds, 0);
    }
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z"))
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_needs_published_false_and_a_time_inside_the_window() {
        let now = Utc::now();
        let in_an_hour = (now + Duration::hours(1)).timestamp();
        let at = publication(false, Some(&in_an_hour.to_string()), now, posts_reach()).unwrap();
        assert_eq!(
            at,
            Publication::Scheduled(DateTime::from_timestamp(in_an_hour, 0).unwrap())
        );
        let refused = publication(true, Some(&in_an_hour.to_string()), now, posts_reach());
        assert_eq!(refused.unwrap_err().code, 100);
        let too_soon = (now + Duration::minutes(5)).timestamp().to_string();
        assert!(publication(false, Some(&too_soon), now, posts_reach()).is_err());
        let too_late = (now + Duration::days(76)).to_rfc3339();
        assert!(publication(false, Some(&too_late), now, posts_reach()).is_err());
        assert!(publication(false, Some(&too_late), now, videos_reach()).is_ok());
        assert!(publication(false, Some("next tuesday"), now, posts_reach()).is_err());
    }

    #[test]
    fn graph_style_offsets_are_read_and_no_time_means_draft_or_now() {
        let now = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = publication(false, Some("2026-01-02T12:00:00+0000"), now, posts_reach()).unwrap();
        assert!(matches!(at, Publication::Scheduled(_)));
        assert_eq!(
            publication(false, None, now, posts_reach()).unwrap(),
            Publication::Draft
        );
        assert_eq!(
            publication(true, None, now, posts_reach()).unwrap(),
            Publication::Published
        );
    }
}
