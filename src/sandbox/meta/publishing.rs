//! Everything published through the sandbox, Page side and Instagram side, with the ids it
//! hands out, the uploads it keeps, and the one flat view of it (`SandboxPost`) that tests,
//! the feed page and the permalink pages read.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use rand::Rng;
use serde::{Deserialize, Serialize};

use super::instagram_content::{InstagramContent, InstagramMedia};
use super::media::Media;
use super::page_content::{PageContent, PagePost};
use super::permalinks;
use super::tokens::random_alphanumeric;
use super::world::World;

/// Status reads a video stays processing (IN_PROGRESS) for, unless a test says otherwise.
pub(super) const DEFAULT_VIDEO_PROCESSING_READS: u32 = 2;

/// Id ranges shaped like Meta's: 18-digit Page objects, 17-digit Instagram ones.
const FACEBOOK_OBJECT_ID_BASE: u64 = 122_100_000_000_000_000;
const CONTAINER_ID_BASE: u64 = 17_889_000_000_000_000;
const MEDIA_ID_BASE: u64 = 17_900_000_000_000_000;
/// Each sandbox starts its ids at a random point, so ids from an earlier run still stored in
/// Herald's database never name a new object.
const ID_OFFSET_RANGE: u64 = 1_000_000_000_000;
const SHORTCODE_CHARS: usize = 11;

/// One live post on a Page or an Instagram account, as tests see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SandboxPost {
    /// "facebook" or "instagram".
    pub network: String,
    /// The Page id or the Instagram user id.
    pub account_id: String,
    pub id: String,
    /// "text", "link", "photo", "album", "video", "image", "carousel", "reel" or "story".
    pub kind: String,
    /// The message or caption, "" when there is none.
    pub text: String,
    /// The URLs it was made from, in order: photos, video, a link post's link, a carousel's
    /// children. An upload counts as the sandbox URL serving it.
    pub media_urls: Vec<String>,
    pub permalink: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct ShownMedia {
    pub url: String,
    pub is_video: bool,
}

/// A post with what a page showing it needs besides the `SandboxPost` fields.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PostView {
    pub network: &'static str,
    pub account_id: String,
    pub id: String,
    pub kind: &'static str,
    pub text: String,
    pub link: Option<String>,
    pub media: Vec<ShownMedia>,
    pub permalink: String,
    pub created_at: DateTime<Utc>,
    /// Scheduled posts before their time and drafts are not.
    pub live: bool,
    pub sequence: u64,
}

impl PostView {
    pub fn to_sandbox_post(&self) -> SandboxPost {
        let media_urls = self
            .link
            .iter()
            .cloned()
            .chain(self.media.iter().map(|media| media.url.clone()))
            .collect();
        SandboxPost {
            network: self.network.to_owned(),
            account_id: self.account_id.clone(),
            id: self.id.clone(),
            kind: self.kind.to_owned(),
            text: self.text.clone(),
            media_urls,
            permalink: self.permalink.clone(),
            created_at: self.created_at,
        }
    }
}

pub(super) struct Publishing {
    id_offset: u64,
    counter: u64,
    pub page: PageContent,
    pub instagram: InstagramContent,
    /// Uploaded files by id, served at `/_sandbox/uploads/{id}`.
    pub uploads: HashMap<String, Media>,
    pub video_processing_reads: u32,
}

impl Publishing {
    pub fn new() -> Publishing {
        Publishing {
            id_offset: rand::thread_rng().gen_range(0..ID_OFFSET_RANGE),
            counter: 0,
            page: PageContent::default(),
            instagram: InstagramContent::default(),
            uploads: HashMap::new(),
            video_processing_reads: DEFAULT_VIDEO_PROCESSING_READS,
        }
    }

    /// Also the creation order of everything: ids and sequence numbers share one counter.
    pub fn next_sequence(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    pub fn next_facebook_id(&mut self) -> String {
        self.next_id(FACEBOOK_OBJECT_ID_BASE)
    }

    pub fn next_container_id(&mut self) -> String {
        self.next_id(CONTAINER_ID_BASE)
    }

    pub fn next_media_id(&mut self) -> String {
        self.next_id(MEDIA_ID_BASE)
    }

    fn next_id(&mut self, base: u64) -> String {
        (base + self.id_offset + self.next_sequence()).to_string()
    }

    pub fn new_shortcode() -> String {
        random_alphanumeric(SHORTCODE_CHARS)
    }

    /// Keeps an uploaded file and returns the sandbox URL that serves it, which stands for it
    /// wherever a URL is expected (`source_url`, `media_urls`, `<img src>`).
    pub fn keep_upload(&mut self, base_url: &str, media: Media) -> String {
        let id = self.next_sequence().to_string();
        self.uploads.insert(id.clone(), media);
        format!("{base_url}/_sandbox/uploads/{id}")
    }

    /// Every Page post (live or not) and every top-level Instagram media, oldest first.
    pub fn views(&self, world: &World, now: DateTime<Utc>) -> Vec<PostView> {
        let page_posts = self
            .page
            .posts
            .iter()
            .map(|post| self.page_post_view(world, post, now));
        let instagram = self
            .instagram
            .media
            .iter()
            .filter(|media| media.is_top_level())
            .map(instagram_view);
        let mut views: Vec<PostView> = page_posts.chain(instagram).collect();
        views.sort_by_key(|view| (view.created_at, view.sequence));
        views
    }

    pub fn page_post_view(&self, world: &World, post: &PagePost, now: DateTime<Utc>) -> PostView {
        let media = self
            .page
            .media_of(post)
            .into_iter()
            .map(|(url, is_video)| ShownMedia { url, is_video })
            .collect();
        PostView {
            network: "facebook",
            account_id: post.page_id.clone(),
            id: post.id(),
            kind: post.kind.label(),
            text: post.message.clone().unwrap_or_default(),
            link: post.link.clone(),
            media,
            permalink: permalinks::facebook_post(&world.base_url, &post.page_id, &post.number),
            created_at: post.shown_time(now),
            live: post.live_since(now).is_some(),
            sequence: post.sequence,
        }
    }
}

pub(super) fn instagram_view(media: &InstagramMedia) -> PostView {
    let shown = media
        .sources
        .iter()
        .map(|(url, is_video)| ShownMedia {
            url: url.clone(),
            is_video: *is_video,
        })
        .collect();
    PostView {
        network: "instagram",
        account_id: media.account_id.clone(),
        id: media.id.clone(),
        kind: media.kind.label(),
        text: media.caption.clone().unwrap_or_default(),
        link: None,
        media: shown,
        permalink: media.permalink.clone(),
        created_at: media.published_at,
        live: true,
        sequence: media.sequence,
    }
}

/// Graph's time format: `2026-01-01T12:00:00+0000` (§0.2).
pub(super) fn graph_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S+0000").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_digit_strings_in_meta_like_ranges_and_never_repeat() {
        let mut publishing = Publishing::new();
        let post = publishing.next_facebook_id();
        let container = publishing.next_container_id();
        let media = publishing.next_media_id();
        assert_eq!(post.len(), 18);
        assert!(container.starts_with("1788") && container.len() == 17);
        assert!(media.starts_with("1790") && media.len() == 17);
        assert_ne!(publishing.next_facebook_id(), post);
        assert!(
            [post, container, media]
                .iter()
                .all(|id| id.chars().all(|c| c.is_ascii_digit()))
        );
    }

    #[test]
    fn times_are_written_the_way_graph_writes_them() {
        let at = DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(graph_time(at), "2026-01-01T12:00:00+0000");
    }
}
