//! What the sandbox's Pages hold once things are published to them: posts (live, scheduled or
//! draft), photos (shown in a post, or unpublished and waiting to be attached) and videos.

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PostKind {
    Text,
    Link,
    Photo,
    Album,
    Video,
}

impl PostKind {
    /// The `kind` a `SandboxPost` reports.
    pub fn label(self) -> &'static str {
        match self {
            PostKind::Text => "text",
            PostKind::Link => "link",
            PostKind::Photo => "photo",
            PostKind::Album => "album",
            PostKind::Video => "video",
        }
    }
}

/// When a post is, or becomes, visible on its Page (§2.1 `published`, `scheduled_publish_time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Publication {
    Published,
    /// Live from this time on.
    Scheduled(DateTime<Utc>),
    /// `published=false` without a time: kept, never shown.
    Draft,
}

#[derive(Debug, Clone)]
pub(super) struct PagePost {
    pub page_id: String,
    /// The part after `{page_id}_` in the post id.
    pub number: String,
    pub kind: PostKind,
    pub message: Option<String>,
    pub link: Option<String>,
    pub photo_ids: Vec<String>,
    pub video_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub publication: Publication,
    /// Creation order across everything the sandbox published: equal times still sort.
    pub sequence: u64,
}

impl PagePost {
    pub fn id(&self) -> String {
        format!("{}_{}", self.page_id, self.number)
    }

    pub fn live_since(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self.publication {
            Publication::Published => Some(self.created_at),
            Publication::Scheduled(at) if at <= now => Some(at),
            Publication::Scheduled(_) | Publication::Draft => None,
        }
    }

    /// `created_time`: when it went live, or when it was asked for while it is not live yet.
    pub fn shown_time(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        self.live_since(now).unwrap_or(self.created_at)
    }

    pub fn is_scheduled_ahead(&self, now: DateTime<Utc>) -> bool {
        matches!(self.publication, Publication::Scheduled(at) if at > now)
    }

    fn publication_time(&self) -> DateTime<Utc> {
        match self.publication {
            Publication::Scheduled(at) => at,
            Publication::Published | Publication::Draft => self.created_at,
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct PagePhoto {
    pub id: String,
    pub page_id: String,
    /// The URL Meta downloaded it from, or the sandbox URL that serves an upload.
    pub source_url: String,
    pub caption: Option<String>,
    pub dimensions: Option<(u32, u32)>,
    /// The post showing it: its own (a published photo) or the one it was attached to.
    pub post_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub(super) struct PageVideo {
    pub id: String,
    pub page_id: String,
    pub source_url: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub size: u64,
    pub post_id: Option<String>,
    pub publication: Publication,
    pub created_at: DateTime<Utc>,
    /// Status reads so far, and how many of the first ones report "processing".
    pub reads: u32,
    pub processing_reads: u32,
}

impl PageVideo {
    pub fn is_processing(&self) -> bool {
        self.reads < self.processing_reads
    }
}

/// An id the Pages side knows, and what it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PageObject {
    Post(usize),
    Photo(usize),
    Video(usize),
}

#[derive(Debug, Default)]
pub(super) struct PageContent {
    pub posts: Vec<PagePost>,
    pub photos: Vec<PagePhoto>,
    pub videos: Vec<PageVideo>,
}

impl PageContent {
    pub fn find(&self, id: &str) -> Option<PageObject> {
        if id.contains('_') {
            return self
                .posts
                .iter()
                .position(|post| post.id() == id)
                .map(PageObject::Post);
        }
        if let Some(index) = self.photos.iter().position(|photo| photo.id == id) {
            return Some(PageObject::Photo(index));
        }
        self.videos
            .iter()
            .position(|video| video.id == id)
            .map(PageObject::Video)
    }

    /// The Page that holds whatever `id` names.
    pub fn page_id_of(&self, id: &str) -> Option<&str> {
        Some(match self.find(id)? {
            PageObject::Post(index) => self.posts[index].page_id.as_str(),
            PageObject::Photo(index) => self.photos[index].page_id.as_str(),
            PageObject::Video(index) => self.videos[index].page_id.as_str(),
        })
    }

    /// The post `id` names: the post itself, or the post showing the photo or video `id`
    /// names. Herald holds whichever id the publish answered with, so each must lead here.
    pub fn publication_index(&self, id: &str) -> Option<usize> {
        let post_id = match self.find(id)? {
            PageObject::Post(index) => return Some(index),
            PageObject::Photo(index) => self.photos[index].post_id.as_deref()?,
            PageObject::Video(index) => self.videos[index].post_id.as_deref()?,
        };
        self.posts.iter().position(|post| post.id() == post_id)
    }

    pub fn publication(&self, id: &str) -> Option<&PagePost> {
        self.publication_index(id).map(|index| &self.posts[index])
    }

    pub fn post(&self, id: &str) -> Option<&PagePost> {
        self.posts.iter().find(|post| post.id() == id)
    }

    pub fn photo(&self, id: &str) -> Option<&PagePhoto> {
        self.photos.iter().find(|photo| photo.id == id)
    }

    pub fn video(&self, id: &str) -> Option<&PageVideo> {
        self.videos.iter().find(|video| video.id == id)
    }

    /// The Page's posts that are live at `now`, newest first, as `/feed` lists them.
    pub fn live_posts(&self, page_id: &str, now: DateTime<Utc>) -> Vec<&PagePost> {
        let mut posts: Vec<&PagePost> = self
            .posts
            .iter()
            .filter(|post| post.page_id == page_id && post.live_since(now).is_some())
            .collect();
        posts.sort_by_key(|post| std::cmp::Reverse((post.shown_time(now), post.sequence)));
        posts
    }

    /// Posts waiting for their `scheduled_publish_time`, soonest first.
    pub fn scheduled_posts(&self, page_id: &str, now: DateTime<Utc>) -> Vec<&PagePost> {
        let mut posts: Vec<&PagePost> = self
            .posts
            .iter()
            .filter(|post| post.page_id == page_id && post.is_scheduled_ahead(now))
            .collect();
        posts.sort_by_key(|post| (post.publication_time(), post.sequence));
        posts
    }

    /// The photos, then the video, a post shows, as (URL, is a video).
    pub fn media_of(&self, post: &PagePost) -> Vec<(String, bool)> {
        let photos = post
            .photo_ids
            .iter()
            .filter_map(|id| self.photo(id))
            .map(|photo| (photo.source_url.clone(), false));
        let video = post
            .video_id
            .as_deref()
            .and_then(|id| self.video(id))
            .map(|video| (video.source_url.clone(), true));
        photos.chain(video).collect()
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;

    fn post(number: &str, publication: Publication, created_at: DateTime<Utc>) -> PagePost {
        PagePost {
            page_id: "1".to_owned(),
            number: number.to_owned(),
            kind: PostKind::Text,
            message: None,
            link: None,
            photo_ids: Vec::new(),
            video_id: None,
            created_at,
            publication,
            sequence: number.parse().unwrap(),
        }
    }

    #[test]
    fn scheduled_posts_go_live_at_their_time_and_drafts_never() {
        let now = Utc::now();
        let content = PageContent {
            posts: vec![
                post("1", Publication::Published, now - Duration::hours(2)),
                post(
                    "2",
                    Publication::Scheduled(now - Duration::hours(1)),
                    now - Duration::days(1),
                ),
                post("3", Publication::Scheduled(now + Duration::hours(1)), now),
                post("4", Publication::Draft, now),
            ],
            ..PageContent::default()
        };
        let live: Vec<String> = content
            .live_posts("1", now)
            .iter()
            .map(|post| post.id())
            .collect();
        assert_eq!(live, ["1_2", "1_1"]);
        let scheduled: Vec<String> = content
            .scheduled_posts("1", now)
            .iter()
            .map(|post| post.id())
            .collect();
        assert_eq!(scheduled, ["1_3"]);
        assert_eq!(content.find("1_4"), Some(PageObject::Post(3)));
        assert_eq!(content.find("1_9"), None);
    }

    #[test]
    fn a_photo_id_leads_to_the_post_showing_it_and_a_loose_photo_to_none() {
        let now = Utc::now();
        let photo = |id: &str, post_id: Option<&str>| PagePhoto {
            id: id.to_owned(),
            page_id: "1".to_owned(),
            source_url: "http://127.0.0.1:9/p.jpg".to_owned(),
            caption: None,
            dimensions: None,
            post_id: post_id.map(str::to_owned),
            created_at: now,
        };
        let content = PageContent {
            posts: vec![post("5", Publication::Published, now)],
            photos: vec![photo("5", Some("1_5")), photo("6", None)],
            ..PageContent::default()
        };
        assert_eq!(content.publication_index("1_5"), Some(0));
        assert_eq!(content.publication_index("5"), Some(0));
        assert_eq!(content.publication_index("6"), None);
        assert_eq!(content.page_id_of("6"), Some("1"));
    }
}
