//! What the sandbox's Instagram accounts hold: media containers on their way (§3.1, §3.2), the
//! media they became (§3.6), and the publishing-quota uses counted over a rolling day (§3.5).

use chrono::{DateTime, Duration, Utc};

/// "Containers expire after 24 h" (§3).
const CONTAINER_LIFETIME_HOURS: i64 = 24;

/// The quota window: a moving 24 hours (§3.5).
pub(super) const QUOTA_WINDOW_SECONDS: i64 = 86_400;

/// The content-publishing guide's figure; the references' 50 is reachable through the control API.
pub(super) const DEFAULT_QUOTA_TOTAL: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ContainerKind {
    Image,
    CarouselImage,
    CarouselVideo,
    Carousel,
    Reel,
    StoryImage,
    StoryVideo,
}

impl ContainerKind {
    pub fn is_video(self) -> bool {
        matches!(
            self,
            ContainerKind::CarouselVideo | ContainerKind::Reel | ContainerKind::StoryVideo
        )
    }

    pub fn is_carousel_item(self) -> bool {
        matches!(
            self,
            ContainerKind::CarouselImage | ContainerKind::CarouselVideo
        )
    }

    pub fn is_story(self) -> bool {
        matches!(self, ContainerKind::StoryImage | ContainerKind::StoryVideo)
    }

    /// Only these take a caption (§3.1: none on stories or carousel items).
    pub fn takes_caption(self) -> bool {
        matches!(
            self,
            ContainerKind::Image | ContainerKind::Carousel | ContainerKind::Reel
        )
    }

    pub fn media_type(self) -> &'static str {
        match self {
            ContainerKind::Carousel => "CAROUSEL_ALBUM",
            kind if kind.is_video() => "VIDEO",
            _ => "IMAGE",
        }
    }

    pub fn media_product_type(self) -> &'static str {
        match self {
            ContainerKind::Reel => "REELS",
            ContainerKind::StoryImage | ContainerKind::StoryVideo => "STORY",
            _ => "FEED",
        }
    }

    /// The `kind` a `SandboxPost` reports.
    pub fn label(self) -> &'static str {
        match self {
            ContainerKind::Image | ContainerKind::CarouselImage => "image",
            ContainerKind::CarouselVideo => "video",
            ContainerKind::Carousel => "carousel",
            ContainerKind::Reel => "reel",
            ContainerKind::StoryImage | ContainerKind::StoryVideo => "story",
        }
    }
}

/// Why a container ends in `ERROR`: the subcode its `status` text carries, and the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ContainerFailure {
    pub subcode: i64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum ContainerStatus {
    InProgress,
    Finished,
    Published,
    Error(ContainerFailure),
    Expired,
}

impl ContainerStatus {
    pub fn code(&self) -> &'static str {
        match self {
            ContainerStatus::InProgress => "IN_PROGRESS",
            ContainerStatus::Finished => "FINISHED",
            ContainerStatus::Published => "PUBLISHED",
            ContainerStatus::Error(_) => "ERROR",
            ContainerStatus::Expired => "EXPIRED",
        }
    }

    /// The free-text `status` (§3.2); an error's starts "Error: {subcode}" so clients can pick
    /// the subcode out.
    pub fn text(&self) -> String {
        match self {
            ContainerStatus::InProgress => {
                "In Progress: Media is still being processed.".to_owned()
            }
            ContainerStatus::Finished => {
                "Finished: Media has been uploaded and it is complete.".to_owned()
            }
            ContainerStatus::Published => {
                "Published: Media has been successfully published.".to_owned()
            }
            ContainerStatus::Error(failure) => {
                format!("Error: {} {}", failure.subcode, failure.message)
            }
            ContainerStatus::Expired => {
                "Expired: Media was not published within 24 hours of its creation.".to_owned()
            }
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Container {
    pub id: String,
    pub account_id: String,
    pub kind: ContainerKind,
    /// `image_url` or `video_url`; none on a carousel, whose children carry theirs.
    pub media_url: Option<String>,
    pub children: Vec<String>,
    pub caption: Option<String>,
    pub alt_text: Option<String>,
    pub share_to_feed: bool,
    pub created_at: DateTime<Utc>,
    /// Status reads so far, and how many of the first ones report IN_PROGRESS.
    pub reads: u32,
    pub processing_reads: u32,
    pub failure: Option<ContainerFailure>,
    /// The media it became.
    pub media_id: Option<String>,
    /// The carousel container that took it as a child.
    pub carousel_id: Option<String>,
}

impl Container {
    pub fn status(&self, now: DateTime<Utc>) -> ContainerStatus {
        if self.media_id.is_some() {
            return ContainerStatus::Published;
        }
        if let Some(failure) = &self.failure {
            return ContainerStatus::Error(failure.clone());
        }
        if now - self.created_at >= Duration::hours(CONTAINER_LIFETIME_HOURS) {
            return ContainerStatus::Expired;
        }
        if self.reads < self.processing_reads {
            ContainerStatus::InProgress
        } else {
            ContainerStatus::Finished
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct InstagramMedia {
    pub id: String,
    pub account_id: String,
    pub container_id: String,
    pub kind: ContainerKind,
    pub shortcode: String,
    pub permalink: String,
    pub caption: Option<String>,
    /// What it was made from, in order, as (URL, is a video): a carousel's are its children's.
    pub sources: Vec<(String, bool)>,
    /// A carousel's children, which are media too.
    pub children: Vec<String>,
    pub share_to_feed: bool,
    pub published_at: DateTime<Utc>,
    pub sequence: u64,
}

impl InstagramMedia {
    /// Children of a carousel exist as media but are never listed or shown on their own.
    pub fn is_top_level(&self) -> bool {
        !self.kind.is_carousel_item()
    }
}

#[derive(Debug)]
pub(super) struct InstagramContent {
    pub containers: Vec<Container>,
    pub media: Vec<InstagramMedia>,
    /// Each successful `media_publish` (or simulated one), per account.
    pub quota_uses: Vec<(String, DateTime<Utc>)>,
    pub quota_total: u32,
    /// Used up by the next container created.
    pub next_failure: Option<ContainerFailure>,
}

impl Default for InstagramContent {
    fn default() -> Self {
        InstagramContent {
            containers: Vec::new(),
            media: Vec::new(),
            quota_uses: Vec::new(),
            quota_total: DEFAULT_QUOTA_TOTAL,
            next_failure: None,
        }
    }
}

impl InstagramContent {
    pub fn container(&self, id: &str) -> Option<&Container> {
        self.containers.iter().find(|container| container.id == id)
    }

    pub fn container_mut(&mut self, id: &str) -> Option<&mut Container> {
        self.containers
            .iter_mut()
            .find(|container| container.id == id)
    }

    pub fn media_item(&self, id: &str) -> Option<&InstagramMedia> {
        self.media.iter().find(|media| media.id == id)
    }

    /// Posts counted against `account_id` from `since` on.
    pub fn quota_usage(&self, account_id: &str, since: DateTime<Utc>) -> u32 {
        let used = self
            .quota_uses
            .iter()
            .filter(|(account, at)| account == account_id && *at > since)
            .count();
        u32::try_from(used).unwrap_or(u32::MAX)
    }

    /// `/{ig-user-id}/media`: feed and reels, newest first, never stories (§3.6).
    pub fn listed_media(&self, account_id: &str) -> Vec<&InstagramMedia> {
        self.newest_first(account_id, |media| {
            media.is_top_level() && !media.kind.is_story()
        })
    }

    /// `/{ig-user-id}/stories`: stories of the last 24 hours, newest first.
    pub fn live_stories(&self, account_id: &str, now: DateTime<Utc>) -> Vec<&InstagramMedia> {
        self.newest_first(account_id, |media| {
            media.kind.is_story() && now - media.published_at < Duration::hours(24)
        })
    }

    fn newest_first(
        &self,
        account_id: &str,
        keep: impl Fn(&InstagramMedia) -> bool,
    ) -> Vec<&InstagramMedia> {
        let mut media: Vec<&InstagramMedia> = self
            .media
            .iter()
            .filter(|media| media.account_id == account_id && keep(media))
            .collect();
        media.sort_by_key(|media| std::cmp::Reverse((media.published_at, media.sequence)));
        media
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn container(processing_reads: u32, created_at: DateTime<Utc>) -> Container {
        Container {
            id: "17889000000000001".to_owned(),
            account_id: "17841400000000001".to_owned(),
            kind: ContainerKind::Reel,
            media_url: Some("http://127.0.0.1:9/v.mp4".to_owned()),
            children: Vec::new(),
            caption: None,
            alt_text: None,
            share_to_feed: true,
            created_at,
            reads: 0,
            processing_reads,
            failure: None,
            media_id: None,
            carousel_id: None,
        }
    }

    #[test]
    fn a_container_is_in_progress_for_its_processing_reads_then_finished() {
        let now = Utc::now();
        let mut video = container(2, now);
        assert_eq!(video.status(now), ContainerStatus::InProgress);
        video.reads = 2;
        assert_eq!(video.status(now), ContainerStatus::Finished);
        video.media_id = Some("1".to_owned());
        assert_eq!(video.status(now), ContainerStatus::Published);
    }

    #[test]
    fn an_unpublished_container_expires_after_a_day_unless_it_failed() {
        let now = Utc::now();
        let old = container(0, now - Duration::hours(24));
        assert_eq!(old.status(now), ContainerStatus::Expired);
        let mut failed = old.clone();
        failed.failure = Some(ContainerFailure {
            subcode: 2207001,
            message: "Instagram server error".to_owned(),
        });
        let status = failed.status(now);
        assert_eq!(status.code(), "ERROR");
        assert_eq!(status.text(), "Error: 2207001 Instagram server error");
    }

    #[test]
    fn the_quota_counts_a_moving_day_per_account() {
        let now = Utc::now();
        let content = InstagramContent {
            quota_uses: vec![
                ("a".to_owned(), now - Duration::hours(25)),
                ("a".to_owned(), now - Duration::hours(1)),
                ("b".to_owned(), now),
            ],
            ..InstagramContent::default()
        };
        let since = now - Duration::seconds(QUOTA_WINDOW_SECONDS);
        assert_eq!(content.quota_usage("a", since), 1);
        assert_eq!(content.quota_usage("b", since), 1);
        assert_eq!(content.quota_total, 100);
    }
}
