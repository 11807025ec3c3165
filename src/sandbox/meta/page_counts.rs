//! A Page post's counts at a given time, from the growth model (`page_post_figures`): its
//! insights (§6.1) and its cheap counters — `shares`, `reactions` and `comments` summaries
//! (§2.5) — read the same figures, so they always agree.

use chrono::{DateTime, Duration, Utc};
use serde_json::{Value, json};

use super::fields::Field;
use super::page_content::{PagePost, PostKind};
use super::page_post_figures::{self, Clickable, PagePostFigures};

/// What a post counts at `now`; nothing until it is live.
pub(super) fn post_figures(post: &PagePost, now: DateTime<Utc>) -> PagePostFigures {
    figures_at(post, now, now)
}

/// A post's figures as they stood at `at`, its age counted from when it went live (by `now`).
pub(super) fn figures_at(
    post: &PagePost,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> PagePostFigures {
    let age = post
        .live_since(now)
        .map_or_else(Duration::zero, |live| at - live);
    let clickable = Clickable {
        link: post.kind == PostKind::Link,
        photo: matches!(post.kind, PostKind::Photo | PostKind::Album),
    };
    page_post_figures::at_age(&post.id(), age, clickable)
}

/// A post's `shares`, `reactions` (`.type(LIKE)` and the like counting one kind) or
/// `comments` field; `None` for `shares` at zero, which Graph leaves out (§2.5).
pub(super) fn counter(field: &Field, counts: &PagePostFigures) -> Option<Value> {
    let total = match field.name.as_str() {
        "shares" => return (counts.shares > 0).then(|| json!({ "count": counts.shares })),
        "reactions" => match field.modifier("type") {
            Some(reaction_type) => counts.reactions.of_type(reaction_type),
            None => counts.reactions.total(),
        },
        "comments" => counts.comments,
        _ => return None,
    };
    Some(json!({ "data": [], "summary": { "total_count": total } }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sandbox::meta::fields;
    use crate::sandbox::meta::page_content::Publication;

    fn post(publication: Publication, created_at: DateTime<Utc>) -> PagePost {
        PagePost {
            page_id: "1000000000000001".to_owned(),
            number: "122100000000000009".to_owned(),
            kind: PostKind::Text,
            message: Some("Hello".to_owned()),
            link: None,
            photo_ids: Vec::new(),
            video_id: None,
            created_at,
            publication,
            sequence: 9,
        }
    }

    #[test]
    fn the_posts_counters_agree_with_its_insights() {
        let now = Utc::now();
        let counts = post_figures(&post(Publication::Published, now - Duration::days(9)), now);
        let wanted = fields::parse(
            "shares,reactions.summary(true).limit(0),reactions.type(LIKE).summary(true),comments",
        )
        .unwrap();
        assert_eq!(
            counter(&wanted[0], &counts),
            (counts.shares > 0).then(|| json!({ "count": counts.shares }))
        );
        let reactions = counter(&wanted[1], &counts).unwrap();
        assert_eq!(
            reactions["summary"]["total_count"],
            counts.reactions.total()
        );
        assert_eq!(reactions["data"], json!([]));
        let likes = counter(&wanted[2], &counts).unwrap();
        assert_eq!(likes["summary"]["total_count"], counts.reactions.like);
        let comments = counter(&wanted[3], &counts).unwrap();
        assert_eq!(comments["summary"]["total_count"], counts.comments);
    }

    #[test]
    fn nothing_is_counted_before_a_post_goes_live_and_shares_are_then_absent() {
        let now = Utc::now();
        let ahead = post(
            Publication::Scheduled(now + Duration::hours(2)),
            now - Duration::days(3),
        );
        assert_eq!(post_figures(&ahead, now), PagePostFigures::default());
        let draft = post(Publication::Draft, now - Duration::days(3));
        assert_eq!(post_figures(&draft, now), PagePostFigures::default());
        let shares = fields::parse("shares").unwrap();
        assert_eq!(counter(&shares[0], &post_figures(&draft, now)), None);
    }

    #[test]
    fn a_scheduled_post_ages_from_its_publication_time() {
        let now = Utc::now();
        let went_live = now - Duration::days(4);
        let scheduled = post(Publication::Scheduled(went_live), now - Duration::days(20));
        let published = post(Publication::Published, went_live);
        assert_eq!(post_figures(&scheduled, now), post_figures(&published, now));
    }
}
