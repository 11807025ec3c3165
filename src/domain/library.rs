//! The media library's records: an upload with its facts, description, public addresses and
//! the per-network pictures made from it.

use serde::{Deserialize, Serialize};

use crate::domain::MediaId;
use crate::domain::accounts::Network;
use crate::domain::media::{FocalPoint, MediaFacts};
use crate::domain::post::PostFormat;

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
