//! The media library: list and search it, describe a file (alt text, focal point), delete one.
//! Uploads go through `POST /media/upload` (a streamed multipart body, not a server function).

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::MediaId;
use crate::domain::accounts::Network;
use crate::domain::media::{FocalPoint, MediaFacts};
use crate::domain::post::PostFormat;
use crate::error::AppError;

/// How many media one page of the library shows.
pub const MEDIA_PAGE_SIZE: i64 = 24;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaItem {
    pub id: MediaId,
    pub facts: MediaFacts,
    pub original_name: String,
    pub alt_text: String,
    pub focus: FocalPoint,
    /// Addresses on this Herald (`/media/<token>.<ext>`).
    pub url: String,
    pub thumbnail_url: Option<String>,
    /// The picture a network receives when it is not the upload itself.
    pub variants: Vec<MediaVariant>,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaVariant {
    pub network: Network,
    #[serde(default)]
    pub format: PostFormat,
    pub url: String,
    pub width: u32,
    pub height: u32,
}

impl MediaItem {
    /// What a `format` post on `network` carries: its variant, or the upload as it is.
    pub fn url_for(&self, network: Network, format: PostFormat) -> &str {
        self.variants
            .iter()
            .find(|variant| variant.network == network && variant.format == format)
            .map_or(&self.url, |variant| &variant.url)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MediaPage {
    pub items: Vec<MediaItem>,
    pub has_more: bool,
}

#[server(prefix = "/api", endpoint = "list_media")]
pub async fn list_media(search: String, page: u32) -> Result<MediaPage, AppError> {
    use crate::server::auth::request;
    use crate::server::media::library;
    let session = request::require_session().await?;
    let state = request::state()?;
    library::list(&state, &session.workspace_id, search.trim(), page).await
}

/// `focus_x` and `focus_y` in percent of the picture's width and height (50, 50: the centre).
#[server(prefix = "/api", endpoint = "describe_media")]
pub async fn describe_media(
    id: MediaId,
    alt_text: String,
    focus_x: u16,
    focus_y: u16,
) -> Result<MediaItem, AppError> {
    use crate::server::auth::request;
    use crate::server::media::library;
    let session = request::require_session().await?;
    let state = request::state()?;
    let alt_text = crate::domain::media::AltText::parse(&alt_text)?;
    library::describe(
        &state,
        &session.workspace_id,
        &id,
        &alt_text,
        FocalPoint::new(focus_x.saturating_mul(10), focus_y.saturating_mul(10)),
    )
    .await
}

#[server(prefix = "/api", endpoint = "delete_media")]
pub async fn delete_media(id: MediaId) -> Result<(), AppError> {
    use crate::server::auth::request;
    use crate::server::media::library;
    let session = request::require_session().await?;
    let state = request::state()?;
    library::delete(&state, &session.workspace_id, &id).await
}
