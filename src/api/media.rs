//! The media library: list and search it, describe a file (alt text, focal point), delete one.
//! Uploads go through `POST /media/upload` (a streamed multipart body, not a server function).

use leptos::prelude::*;

use crate::domain::MediaId;
pub use crate::domain::library::{MEDIA_PAGE_SIZE, MediaItem, MediaPage, MediaVariant};
use crate::error::AppError;

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
        crate::domain::media::FocalPoint::new(
            focus_x.saturating_mul(10),
            focus_y.saturating_mul(10),
        ),
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
