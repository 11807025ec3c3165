//! The publishing calls of the Graph API: Facebook Page posts, photos and videos (spec §2),
//! Instagram containers, their status, `media_publish` and the quota (spec §3), and the reads
//! Herald uses to find out whether an interrupted call posted anything.
//!
//! Each function is one HTTP call. Which of them publish (and so must never be repeated
//! blindly) is the caller's business: the providers call them through `server::publishing::steps`,
//! which keeps the ledger.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use url::Url;

use super::{MetaClient, MetaError};
use crate::domain::accounts::Connection;
use crate::server::crypto::Secret;

/// Which Graph host an account is reached through: Facebook Login accounts (Pages, and
/// Instagram accounts linked to them) use graph.facebook.com, Instagram Login accounts use
/// graph.instagram.com (spec §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphHost {
    Facebook,
    Instagram,
}

impl GraphHost {
    pub fn of(connection: Connection) -> GraphHost {
        match connection {
            Connection::InstagramLogin => GraphHost::Instagram,
            Connection::FacebookLogin | Connection::Environment => GraphHost::Facebook,
        }
    }
}

/// A post created on a Page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePost {
    /// `{page_id}_{post_id}`.
    pub id: String,
    pub permalink: Option<String>,
}

/// A photo uploaded to a Page: published (a post of its own) or not (to attach to a post).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PagePhoto {
    pub id: String,
    /// Present when the photo was published as a post.
    pub post_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VideoState {
    Processing,
    Ready,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VideoStatus {
    pub state: VideoState,
    /// Absolute: Meta answers with a path, which is joined to facebook.com (spec §2.5).
    pub permalink: Option<String>,
}

/// A post as a Page's feed lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentPost {
    pub id: String,
    pub message: String,
    pub created_at: Option<DateTime<Utc>>,
    pub permalink: Option<String>,
}

/// What an Instagram container is made of (spec §3.1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerRequest {
    Image {
        image_url: String,
        caption: String,
        alt_text: Option<String>,
    },
    CarouselImage {
        image_url: String,
    },
    CarouselVideo {
        video_url: String,
    },
    Carousel {
        children: Vec<String>,
        caption: String,
    },
    /// Every single feed video is a Reel since 2023 (spec §3.1).
    Reel {
        video_url: String,
        caption: String,
    },
    StoryImage {
        image_url: String,
    },
    StoryVideo {
        video_url: String,
    },
}

impl ContainerRequest {
    fn params(&self) -> Vec<(&'static str, String)> {
        let text = |value: &str| value.to_owned();
        match self {
            ContainerRequest::Image {
                image_url,
                caption,
                alt_text,
            } => {
                let mut params = vec![("image_url", text(image_url)), ("caption", text(caption))];
                if let Some(alt_text) = alt_text.as_deref().filter(|alt| !alt.is_empty()) {
                    params.push(("alt_text", text(alt_text)));
                }
                params
            }
            ContainerRequest::CarouselImage { image_url } => vec![
                ("is_carousel_item", text("true")),
                ("image_url", text(image_url)),
            ],
            ContainerRequest::CarouselVideo { video_url } => vec![
                ("is_carousel_item", text("true")),
                ("media_type", text("VIDEO")),
                ("video_url", text(video_url)),
            ],
            ContainerRequest::Carousel { children, caption } => vec![
                ("media_type", text("CAROUSEL")),
                ("children", children.join(",")),
                ("caption", text(caption)),
            ],
            ContainerRequest::Reel { video_url, caption } => vec![
                ("media_type", text("REELS")),
                ("video_url", text(video_url)),
                ("caption", text(caption)),
                ("share_to_feed", text("true")),
            ],
            ContainerRequest::StoryImage { image_url } => vec![
                ("media_type", text("STORIES")),
                ("image_url", text(image_url)),
            ],
            ContainerRequest::StoryVideo { video_url } => vec![
                ("media_type", text("STORIES")),
                ("video_url", text(video_url)),
            ],
        }
    }
}

/// A container's `status_code` (spec §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContainerState {
    InProgress,
    Finished,
    Published,
    /// The free-text `status`, which may carry a `2207…` subcode.
    Error(String),
    Expired,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub used: u32,
    pub total: u32,
}

impl Quota {
    pub fn is_reached(&self) -> bool {
        self.used >= self.total
    }
}

/// A published Instagram medium, as the account's media list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecentMedia {
    pub id: String,
    pub caption: String,
    pub created_at: Option<DateTime<Utc>>,
    pub permalink: Option<String>,
}

#[derive(Deserialize)]
struct IdAnswer {
    id: String,
    permalink_url: Option<String>,
    post_id: Option<String>,
}

#[derive(Deserialize)]
struct VideoAnswer {
    status: Option<VideoStatusEntry>,
    permalink_url: Option<String>,
}

#[derive(Deserialize)]
struct VideoStatusEntry {
    video_status: Option<String>,
}

#[derive(Deserialize)]
struct FeedAnswer {
    #[serde(default)]
    data: Vec<FeedEntry>,
}

#[derive(Deserialize)]
struct FeedEntry {
    id: String,
    #[serde(default)]
    message: String,
    created_time: Option<String>,
    permalink_url: Option<String>,
}

#[derive(Deserialize)]
struct ContainerAnswer {
    status_code: Option<String>,
    #[serde(default)]
    status: String,
}

#[derive(Deserialize)]
struct QuotaAnswer {
    #[serde(default)]
    data: Vec<QuotaEntry>,
}

#[derive(Deserialize)]
struct QuotaEntry {
    #[serde(default)]
    quota_usage: u32,
    config: Option<QuotaConfig>,
}

#[derive(Deserialize)]
struct QuotaConfig {
    quota_total: Option<u32>,
}

#[derive(Deserialize)]
struct PermalinkAnswer {
    permalink: Option<String>,
}

#[derive(Deserialize)]
struct MediaListAnswer {
    #[serde(default)]
    data: Vec<MediaEntry>,
}

#[derive(Deserialize)]
struct MediaEntry {
    id: String,
    #[serde(default)]
    caption: String,
    timestamp: Option<String>,
    permalink: Option<String>,
}

/// The quota Meta documents when its answer leaves the total out (spec §3.5: 50 in the
/// references, 100 in the guide; the smaller is the safe reading).
const DOCUMENTED_QUOTA_TOTAL: u32 = 50;

impl MetaClient {
    fn graph_base(&self, host: GraphHost) -> &Url {
        match host {
            GraphHost::Facebook => &self.config.urls.facebook_graph,
            GraphHost::Instagram => &self.config.urls.instagram_graph,
        }
    }

    pub(super) fn graph_url(&self, host: GraphHost, path: &str) -> Url {
        self.versioned(self.graph_base(host), path)
    }

    /// `POST /{page-id}/feed` (spec §2.1, §2.3): a text post, a link post, or a post made of
    /// photos uploaded unpublished. Publishes.
    pub async fn create_page_post(
        &self,
        page_id: &str,
        token: &Secret,
        message: &str,
        link: Option<&str>,
        attached_photos: &[String],
    ) -> Result<PagePost, MetaError> {
        let url = self.graph_url(GraphHost::Facebook, &format!("{page_id}/feed"));
        let mut form: Vec<(String, String)> = vec![
            ("message".into(), message.into()),
            ("published".into(), "true".into()),
            ("fields".into(), "id,permalink_url".into()),
        ];
        if let Some(link) = link {
            form.push(("link".into(), link.into()));
        }
        for (index, photo_id) in attached_photos.iter().enumerate() {
            form.push((
                format!("attached_media[{index}]"),
                serde_json::json!({ "media_fbid": photo_id }).to_string(),
            ));
        }
        let answer: IdAnswer = self
            .send(self.post(url)?.bearer_auth(token.expose()).form(&form))
            .await?;
        Ok(PagePost {
            id: answer.id,
            permalink: answer
                .permalink_url
                .map(|link| absolute_facebook_link(&self.config.urls.facebook_www, &link)),
        })
    }

    /// `POST /{page-id}/photos` with the picture's public address (spec §2.2). Publishes when
    /// `published`; unpublished photos are invisible until attached to a post.
    pub async fn upload_page_photo(
        &self,
        page_id: &str,
        token: &Secret,
        image_url: &str,
        caption: Option<&str>,
        published: bool,
    ) -> Result<PagePhoto, MetaError> {
        let url = self.graph_url(GraphHost::Facebook, &format!("{page_id}/photos"));
        let mut form = vec![
            ("url", image_url.to_owned()),
            ("published", published.to_string()),
        ];
        if let Some(caption) = caption {
            form.push(("caption", caption.to_owned()));
        }
        let answer: IdAnswer = self
            .send(self.post(url)?.bearer_auth(token.expose()).form(&form))
            .await?;
        Ok(PagePhoto {
            id: answer.id,
            post_id: answer.post_id,
        })
    }

    /// `POST /{page-id}/videos` with the video's public address (spec §2.4). Publishes.
    pub async fn create_page_video(
        &self,
        page_id: &str,
        token: &Secret,
        video_url: &str,
        description: &str,
    ) -> Result<String, MetaError> {
        let url = self.graph_url(GraphHost::Facebook, &format!("{page_id}/videos"));
        let form = [
            ("file_url", video_url),
            ("description", description),
            ("published", "true"),
        ];
        let answer: IdAnswer = self
            .send(self.post(url)?.bearer_auth(token.expose()).form(&form))
            .await?;
        Ok(answer.id)
    }

    /// `GET /{video-id}?fields=status,permalink_url` (spec §2.4): `upload_complete` and
    /// `ready` count as done, `error` as failed.
    pub async fn page_video_status(
        &self,
        video_id: &str,
        token: &Secret,
    ) -> Result<VideoStatus, MetaError> {
        let mut url = self.graph_url(GraphHost::Facebook, video_id);
        url.query_pairs_mut()
            .append_pair("fields", "status,permalink_url");
        let answer: VideoAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        let state = match answer
            .status
            .and_then(|status| status.video_status)
            .as_deref()
        {
            Some("ready" | "upload_complete") => VideoState::Ready,
            Some("error") => VideoState::Failed,
            _ => VideoState::Processing,
        };
        Ok(VideoStatus {
            state,
            permalink: answer
                .permalink_url
                .map(|link| absolute_facebook_link(&self.config.urls.facebook_www, &link)),
        })
    }

    /// `GET /{post-id}?fields=permalink_url` (spec §2.5).
    pub async fn page_post_permalink(
        &self,
        post_id: &str,
        token: &Secret,
    ) -> Result<Option<String>, MetaError> {
        let mut url = self.graph_url(GraphHost::Facebook, post_id);
        url.query_pairs_mut()
            .append_pair("fields", "id,permalink_url");
        let answer: IdAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer
            .permalink_url
            .map(|link| absolute_facebook_link(&self.config.urls.facebook_www, &link)))
    }

    /// The Page's most recent posts, newest first: how Herald finds out whether a post whose
    /// answer never came was made.
    pub async fn recent_page_posts(
        &self,
        page_id: &str,
        token: &Secret,
        limit: u32,
    ) -> Result<Vec<RecentPost>, MetaError> {
        let mut url = self.graph_url(GraphHost::Facebook, &format!("{page_id}/feed"));
        url.query_pairs_mut()
            .append_pair("fields", "id,message,created_time,permalink_url")
            .append_pair("limit", &limit.to_string());
        let answer: FeedAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer
            .data
            .into_iter()
            .map(|entry| RecentPost {
                id: entry.id,
                message: entry.message,
                created_at: entry.created_time.as_deref().and_then(graph_time),
                permalink: entry
                    .permalink_url
                    .map(|link| absolute_facebook_link(&self.config.urls.facebook_www, &link)),
            })
            .collect())
    }

    /// `POST /{ig-user-id}/media` (spec §3.1): a container, invisible until published.
    pub async fn create_container(
        &self,
        host: GraphHost,
        instagram_id: &str,
        token: &Secret,
        request: &ContainerRequest,
    ) -> Result<String, MetaError> {
        let url = self.graph_url(host, &format!("{instagram_id}/media"));
        let answer: IdAnswer = self
            .send(
                self.post(url)?
                    .bearer_auth(token.expose())
                    .form(&request.params()),
            )
            .await?;
        Ok(answer.id)
    }

    /// `GET /{container-id}?fields=status_code,status` (spec §3.2).
    pub async fn container_state(
        &self,
        host: GraphHost,
        container_id: &str,
        token: &Secret,
    ) -> Result<ContainerState, MetaError> {
        let mut url = self.graph_url(host, container_id);
        url.query_pairs_mut()
            .append_pair("fields", "status_code,status");
        let answer: ContainerAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(match answer.status_code.as_deref() {
            Some("FINISHED") => ContainerState::Finished,
            Some("PUBLISHED") => ContainerState::Published,
            Some("ERROR") => ContainerState::Error(answer.status),
            Some("EXPIRED") => ContainerState::Expired,
            _ => ContainerState::InProgress,
        })
    }

    /// `POST /{ig-user-id}/media_publish` (spec §3.4). Publishes.
    pub async fn publish_container(
        &self,
        host: GraphHost,
        instagram_id: &str,
        token: &Secret,
        container_id: &str,
    ) -> Result<String, MetaError> {
        let url = self.graph_url(host, &format!("{instagram_id}/media_publish"));
        let answer: IdAnswer = self
            .send(
                self.post(url)?
                    .bearer_auth(token.expose())
                    .form(&[("creation_id", container_id)]),
            )
            .await?;
        Ok(answer.id)
    }

    /// `GET /{ig-user-id}/content_publishing_limit` (spec §3.5): never assumed, always read.
    pub async fn publishing_quota(
        &self,
        host: GraphHost,
        instagram_id: &str,
        token: &Secret,
    ) -> Result<Quota, MetaError> {
        let mut url = self.graph_url(host, &format!("{instagram_id}/content_publishing_limit"));
        url.query_pairs_mut()
            .append_pair("fields", "config,quota_usage");
        let answer: QuotaAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        let entry = answer.data.into_iter().next();
        Ok(Quota {
            used: entry.as_ref().map_or(0, |entry| entry.quota_usage),
            total: entry
                .and_then(|entry| entry.config)
                .and_then(|config| config.quota_total)
                .unwrap_or(DOCUMENTED_QUOTA_TOTAL),
        })
    }

    /// `GET /{ig-media-id}?fields=permalink` (spec §3.6).
    pub async fn instagram_permalink(
        &self,
        host: GraphHost,
        media_id: &str,
        token: &Secret,
    ) -> Result<Option<String>, MetaError> {
        let mut url = self.graph_url(host, media_id);
        url.query_pairs_mut().append_pair("fields", "id,permalink");
        let answer: PermalinkAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer.permalink)
    }

    /// The account's most recent media, newest first (spec §3.6; stories are not listed).
    pub async fn recent_instagram_media(
        &self,
        host: GraphHost,
        instagram_id: &str,
        token: &Secret,
        limit: u32,
    ) -> Result<Vec<RecentMedia>, MetaError> {
        self.instagram_listing(host, instagram_id, "media", token, limit)
            .await
    }

    /// The account's live Stories (the last 24 hours), newest first: Stories are never in
    /// the feed's listing (spec §3.6).
    pub async fn recent_instagram_stories(
        &self,
        host: GraphHost,
        instagram_id: &str,
        token: &Secret,
    ) -> Result<Vec<RecentMedia>, MetaError> {
        self.instagram_listing(host, instagram_id, "stories", token, 25)
            .await
    }

    async fn instagram_listing(
        &self,
        host: GraphHost,
        instagram_id: &str,
        edge: &str,
        token: &Secret,
        limit: u32,
    ) -> Result<Vec<RecentMedia>, MetaError> {
        let mut url = self.graph_url(host, &format!("{instagram_id}/{edge}"));
        url.query_pairs_mut()
            .append_pair("fields", "id,caption,timestamp,permalink")
            .append_pair("limit", &limit.to_string());
        let answer: MediaListAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer
            .data
            .into_iter()
            .map(|entry| RecentMedia {
                id: entry.id,
                caption: entry.caption,
                created_at: entry.timestamp.as_deref().and_then(graph_time),
                permalink: entry.permalink,
            })
            .collect())
    }
}

/// Graph's times: `2026-01-01T12:00:00+0000` (spec §0.2), or RFC 3339.
fn graph_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .ok()
        .map(|time| time.with_timezone(&Utc))
}

/// Video permalinks come back as paths (`/reel/123/`): they live on the www host Herald is
/// configured with (www.facebook.com, or the sandbox's).
fn absolute_facebook_link(www: &Url, link: &str) -> String {
    if link.starts_with('/') {
        super::joined(www, link).to_string()
    } else {
        link.to_owned()
    }
}

/// The `2207…` subcode inside a container's free-text `status` (spec §3.2), if there is one.
pub fn subcode_in_status(status: &str) -> Option<i64> {
    status
        .split(|c: char| !c.is_ascii_digit())
        .find(|digits| digits.len() == 7 && digits.starts_with("2207"))
        .and_then(|digits| digits.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graph_times_are_read_in_both_forms() {
        let expected = DateTime::parse_from_rfc3339("2026-01-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(graph_time("2026-01-01T12:00:00+0000"), Some(expected));
        assert_eq!(graph_time("2026-01-01T13:00:00+01:00"), Some(expected));
        assert_eq!(graph_time("yesterday"), None);
    }

    #[test]
    fn relative_video_permalinks_are_joined_to_facebook() {
        let www = Url::parse("https://www.facebook.com").unwrap();
        assert_eq!(
            absolute_facebook_link(&www, "/reel/123/"),
            "https://www.facebook.com/reel/123/"
        );
        assert_eq!(
            absolute_facebook_link(&www, "https://www.facebook.com/1/posts/2"),
            "https://www.facebook.com/1/posts/2"
        );
        let sandbox = Url::parse("http://127.0.0.1:9000/www.facebook.com").unwrap();
        assert_eq!(
            absolute_facebook_link(&sandbox, "/page/videos/7/"),
            "http://127.0.0.1:9000/www.facebook.com/page/videos/7/"
        );
    }

    #[test]
    fn the_subcode_is_found_in_a_container_status() {
        assert_eq!(
            subcode_in_status("Error: 2207001 Instagram server error"),
            Some(2207001)
        );
        assert_eq!(subcode_in_status("Error: something failed"), None);
        assert_eq!(subcode_in_status("Error 22070011"), None);
    }

    #[test]
    fn containers_send_only_what_their_kind_allows() {
        let image = ContainerRequest::Image {
            image_url: "https://h/a.jpg".into(),
            caption: "#sale".into(),
            alt_text: Some(String::new()),
        };
        let names: Vec<&str> = image.params().iter().map(|(name, _)| *name).collect();
        assert_eq!(names, ["image_url", "caption"]);
        let story = ContainerRequest::StoryImage {
            image_url: "https://h/a.jpg".into(),
        };
        assert!(!story.params().iter().any(|(name, _)| *name == "caption"));
        let carousel = ContainerRequest::Carousel {
            children: vec!["1".into(), "2".into()],
            caption: String::new(),
        };
        assert!(carousel.params().contains(&("children", "1,2".to_owned())));
    }
}
