//! The media library's service: taking a received upload in (facts, thumbnail, the variants
//! each network needs), listing it, describing a file, deleting one. Files go to the media
//! store first and rows are written after, in one transaction; if the rows fail, the files are
//! removed again, so the library never lists a file that is not there.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;

use super::images::{Encoded, Picture, PictureError};
use super::probe::{NotMedia, Sniffed, video_facts};
use super::upload::{Received, UploadError, temp_path};
use crate::domain::accounts::Network;
use crate::domain::library::{MEDIA_PAGE_SIZE, MediaItem, MediaPage, MediaVariant};
use crate::domain::media::{AltText, FocalPoint, ImageFormat, MediaFacts, VideoContainer};
use crate::domain::post::PostFormat;
use crate::domain::{MediaId, UserId, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::db::media::{self, FileRow, MediaRow, NewMedia};
use crate::server::db::{self, new_id};
use crate::server::error::internal;
use crate::server::state::AppState;

/// Every kind of post a picture may need its own file for.
const PLACES: [(Network, PostFormat); 3] = [
    (Network::Facebook, PostFormat::Feed),
    (Network::Instagram, PostFormat::Feed),
    (Network::Instagram, PostFormat::Story),
];

/// The role a variant's file is stored under: the network's name for its feed
/// (`instagram`), with the format after it for the others (`instagram_story`).
fn role_of((network, format): (Network, PostFormat)) -> String {
    match format {
        PostFormat::Feed => network.as_str().to_owned(),
        PostFormat::Story => format!("{}_{}", network.as_str(), format.as_str()),
    }
}

fn place_of(role: &str) -> Option<(Network, PostFormat)> {
    PLACES.into_iter().find(|place| role_of(*place) == role)
}

const ORIGINAL: &str = "original";
const THUMBNAIL: &str = "thumbnail";

/// Takes a received upload into the library.
pub async fn add(
    state: &AppState,
    workspace_id: &WorkspaceId,
    uploaded_by: &UserId,
    received: Received,
    original_name: &str,
    alt_text: &AltText,
) -> Result<MediaItem, AppError> {
    let id: MediaId = new_id();
    let path = received.file.path().to_owned();
    let made = match received.sniffed {
        Sniffed::Image(format) => state
            .pictures
            .run(move || make_picture_files(&path, format, FocalPoint::CENTRE))
            .await
            .map_err(internal)??,
        Sniffed::Video(container) => {
            let facts = tokio::task::spawn_blocking(move || video_facts(&path, container))
                .await
                .map_err(internal)?
                .map_err(|error| refused(UploadError::NotMedia(error)))?;
            Made {
                facts,
                thumbnail: None,
                variants: Vec::new(),
            }
        }
    };
    let (width, height) = made.facts.size();
    let mut stored: Vec<FileRow> = Vec::new();
    let original = new_file(
        &id,
        ORIGINAL,
        content_type(&made.facts),
        width,
        height,
        received.bytes,
    );
    state
        .media
        .put(&original.storage_key, received.file.path())
        .await
        .map_err(internal)?;
    stored.push(original);
    let saved = async {
        if let Some(thumbnail) = made.thumbnail {
            stored.push(store_encoded(state, &id, THUMBNAIL, thumbnail).await?);
        }
        for (place, variant) in made.variants {
            stored.push(store_encoded(state, &id, &role_of(place), variant).await?);
        }
        let facts = serde_json::to_string(&made.facts).map_err(internal)?;
        let mut tx = state.db.pool().begin().await?;
        media::insert(
            &mut tx,
            NewMedia {
                id: &id,
                workspace_id,
                uploaded_by,
                is_video: made.facts.is_video(),
                facts: &facts,
                original_name: &clean_name(original_name),
                alt_text: alt_text.as_str(),
                now: db::millis(state.clock.now()),
            },
        )
        .await?;
        for file in &stored {
            media::put_file(&mut tx, file).await?;
        }
        tx.commit().await?;
        Ok::<(), AppError>(())
    }
    .await;
    if let Err(error) = saved {
        let keys = stored.into_iter().map(|file| file.storage_key).collect();
        remove_stored(state, keys).await;
        return Err(error);
    }
    find(state, workspace_id, &id).await
}

struct Made {
    facts: MediaFacts,
    thumbnail: Option<Encoded>,
    variants: Vec<((Network, PostFormat), Encoded)>,
}

fn make_picture_files(
    path: &std::path::Path,
    format: ImageFormat,
    focus: FocalPoint,
) -> Result<Made, AppError> {
    let picture = Picture::open(path, format).map_err(picture_refused)?;
    let mut variants = Vec::new();
    for (network, format) in PLACES {
        if let Some(variant) = picture
            .variant_for(network, format, focus)
            .map_err(picture_refused)?
        {
            variants.push(((network, format), variant));
        }
    }
    Ok(Made {
        facts: picture.facts(),
        thumbnail: Some(picture.thumbnail().map_err(picture_refused)?),
        variants,
    })
}

fn picture_refused(error: PictureError) -> AppError {
    match error {
        PictureError::Unreadable(detail) => {
            tracing::info!(detail, "an uploaded picture could not be decoded");
            AppError::invalid("file", Problem::MediaUnreadable)
        }
        PictureError::TooManyPixels { .. } | PictureError::OverDecodeLimit => AppError::invalid(
            "file",
            Problem::MediaTooManyPixels {
                max: super::images::MAX_SIDE,
                max_megapixels: super::images::MAX_MEGAPIXELS,
            },
        ),
        PictureError::Encode(detail) => internal(detail),
    }
}

/// The person's words for what went wrong with an upload.
pub fn refused(error: UploadError) -> AppError {
    let problem = match error {
        UploadError::NotMedia(NotMedia::Empty) => Problem::MediaEmpty,
        UploadError::NotMedia(NotMedia::Unsupported(kind)) => Problem::MediaUnsupported { kind },
        UploadError::NotMedia(NotMedia::Unknown) => Problem::MediaNotRecognised,
        UploadError::NotMedia(NotMedia::UnreadableVideo(detail)) => {
            tracing::info!(detail, "an uploaded video could not be read");
            Problem::MediaUnreadable
        }
        UploadError::NotMedia(NotMedia::NoVideoTrack) => Problem::MediaUnreadable,
        UploadError::TooLarge { max } => Problem::MediaTooLarge {
            max_mb: max.div_ceil(1024 * 1024),
        },
        UploadError::Incomplete(detail) => {
            tracing::info!(detail, "an upload stopped half-way");
            Problem::MediaIncomplete
        }
        UploadError::Io(error) => return internal(format_args!("writing an upload: {error}")),
    };
    AppError::invalid("file", problem)
}

/// A file name as shown in the library: no folders, no control characters, not too long.
fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(200).collect();
    if cleaned.trim().is_empty() {
        "upload".to_owned()
    } else {
        cleaned.trim().to_owned()
    }
}

fn content_type(facts: &MediaFacts) -> &'static str {
    match *facts {
        MediaFacts::Image { format, .. } => match format {
            ImageFormat::Jpeg => "image/jpeg",
            ImageFormat::Png => "image/png",
            ImageFormat::Gif => "image/gif",
            ImageFormat::Webp => "image/webp",
            ImageFormat::Bmp => "image/bmp",
            ImageFormat::Tiff => "image/tiff",
        },
        MediaFacts::Video { container, .. } => match container {
            VideoContainer::Mp4 => "video/mp4",
            VideoContainer::QuickTime => "video/quicktime",
        },
    }
}

pub fn extension(content_type: &str) -> &'static str {
    match content_type {
        "image/jpeg" => "jpg",
        "image/png" => "png",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/bmp" => "bmp",
        "image/tiff" => "tiff",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        _ => "bin",
    }
}

/// 256 random bits: the address of a file is its only protection.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn new_file(
    id: &MediaId,
    role: &str,
    content_type: &str,
    width: u32,
    height: u32,
    bytes: u64,
) -> FileRow {
    let token = new_token();
    FileRow {
        storage_key: format!("{id}/{role}-{}.{}", &token[..12], extension(content_type)),
        token,
        media_id: id.clone(),
        role: role.to_owned(),
        content_type: content_type.to_owned(),
        width: i64::from(width),
        height: i64::from(height),
        bytes: bytes as i64,
    }
}

async fn store_encoded(
    state: &AppState,
    id: &MediaId,
    role: &str,
    encoded: Encoded,
) -> Result<FileRow, AppError> {
    let file = new_file(
        id,
        role,
        "image/jpeg",
        encoded.width,
        encoded.height,
        encoded.bytes.len() as u64,
    );
    let folder = state.settings.data_dir.join("uploads");
    tokio::fs::create_dir_all(&folder).await.map_err(internal)?;
    let path = temp_path(&folder);
    tokio::fs::write(&path, &encoded.bytes)
        .await
        .map_err(internal)?;
    let put = state.media.put(&file.storage_key, &path).await;
    let _ = tokio::fs::remove_file(&path).await;
    put.map_err(internal)?;
    Ok(file)
}

async fn remove_stored(state: &AppState, keys: Vec<String>) {
    for key in keys {
        if let Err(error) = state.media.delete(&key).await {
            tracing::warn!(key, error = %error, "a media file could not be removed");
        }
    }
}

pub async fn list(
    state: &AppState,
    workspace_id: &WorkspaceId,
    search: &str,
    page: u32,
) -> Result<MediaPage, AppError> {
    let offset = i64::from(page) * MEDIA_PAGE_SIZE;
    let mut rows = media::list(
        state.db.pool(),
        workspace_id,
        search,
        MEDIA_PAGE_SIZE + 1,
        offset,
    )
    .await?;
    let has_more = rows.len() as i64 > MEDIA_PAGE_SIZE;
    rows.truncate(MEDIA_PAGE_SIZE as usize);
    Ok(MediaPage {
        items: items_of(state, rows).await?,
        has_more,
    })
}

pub async fn find(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &MediaId,
) -> Result<MediaItem, AppError> {
    let row = media::find(state.db.pool(), workspace_id, id)
        .await?
        .ok_or(AppError::invalid("media", Problem::MediaNotFound))?;
    items_of(state, vec![row])
        .await?
        .pop()
        .ok_or_else(|| AppError::invalid("media", Problem::MediaMissingFile))
}

/// The given media with their files' addresses, in the given order.
pub async fn items_of(state: &AppState, rows: Vec<MediaRow>) -> Result<Vec<MediaItem>, AppError> {
    let ids: Vec<MediaId> = rows.iter().map(|row| row.id.clone()).collect();
    let files = media::files_of(state.db.pool(), &ids).await?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let Ok(facts) = serde_json::from_str::<MediaFacts>(&row.facts) else {
            tracing::error!(media = %row.id, "stored media facts do not parse");
            continue;
        };
        let mine: Vec<&FileRow> = files
            .iter()
            .filter(|file| file.media_id == row.id)
            .collect();
        let Some(original) = mine.iter().find(|file| file.role == ORIGINAL) else {
            continue;
        };
        items.push(MediaItem {
            url: address(original),
            thumbnail_url: mine
                .iter()
                .find(|file| file.role == THUMBNAIL)
                .map(|file| address(file)),
            variants: mine
                .iter()
                .filter_map(|file| {
                    let (network, format) = place_of(&file.role)?;
                    Some(MediaVariant {
                        network,
                        format,
                        url: address(file),
                        width: file.width as u32,
                        height: file.height as u32,
                    })
                })
                .collect(),
            focus: FocalPoint::new(row.focus_x as u16, row.focus_y as u16),
            id: row.id,
            facts,
            original_name: row.original_name,
            alt_text: row.alt_text,
            created_at: row.created_at,
        });
    }
    Ok(items)
}

/// Where a stored file is served, relative to Herald's public address.
pub fn address(file: &FileRow) -> String {
    format!("/media/{}.{}", file.token, extension(&file.content_type))
}

/// Sets the alt text and focal point; a new focal point re-makes the cropped variants.
pub async fn describe(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &MediaId,
    alt_text: &AltText,
    focus: FocalPoint,
) -> Result<MediaItem, AppError> {
    let before = find(state, workspace_id, id).await?;
    media::update_details(
        state.db.pool(),
        workspace_id,
        id,
        alt_text.as_str(),
        (i64::from(focus.x), i64::from(focus.y)),
    )
    .await?;
    if let MediaFacts::Image { format, .. } = before.facts
        && before.focus != focus
    {
        remake_variants(state, id, format, focus).await?;
    }
    find(state, workspace_id, id).await
}

async fn remake_variants(
    state: &AppState,
    id: &MediaId,
    format: ImageFormat,
    focus: FocalPoint,
) -> Result<(), AppError> {
    let files = media::files_of(state.db.pool(), std::slice::from_ref(id)).await?;
    let original = files
        .iter()
        .find(|file| file.role == ORIGINAL)
        .ok_or_else(|| internal("a medium without its original"))?;
    let folder = state.settings.data_dir.join("uploads");
    tokio::fs::create_dir_all(&folder).await.map_err(internal)?;
    let local = super::upload::TempUpload::at(temp_path(&folder));
    let mut stored = state
        .media
        .get(&original.storage_key)
        .await
        .map_err(internal)?;
    let mut output = tokio::fs::File::create(local.path())
        .await
        .map_err(internal)?;
    tokio::io::copy(&mut stored.reader, &mut output)
        .await
        .map_err(internal)?;
    let path = local.path().to_owned();
    let made = state
        .pictures
        .run(move || make_picture_files(&path, format, focus))
        .await
        .map_err(internal)??;
    let mut new_files = Vec::new();
    for (place, encoded) in made.variants {
        new_files.push(store_encoded(state, id, &role_of(place), encoded).await?);
    }
    let saved = async {
        let mut tx = state.db.pool().begin().await?;
        for place in PLACES {
            let role = role_of(place);
            match new_files.iter().find(|file| file.role == role) {
                Some(file) => media::put_file(&mut tx, file).await?,
                None => media::remove_file(&mut tx, id, &role).await?,
            }
        }
        tx.commit().await
    }
    .await;
    if let Err(error) = saved {
        let keys = new_files.into_iter().map(|file| file.storage_key).collect();
        remove_stored(state, keys).await;
        return Err(error.into());
    }
    let replaced = files
        .into_iter()
        .filter(|file| place_of(&file.role).is_some())
        .map(|file| file.storage_key)
        .collect();
    remove_stored(state, replaced).await;
    Ok(())
}

/// Deletes a medium, unless a scheduled post (or one being published) uses it; drafts that
/// use it simply lose it.
pub async fn delete(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &MediaId,
) -> Result<(), AppError> {
    let mut tx = state.db.begin_write().await?;
    let posts = media::scheduled_uses(&mut tx, id).await?;
    if posts > 0 {
        return Err(AppError::Conflict(Problem::MediaInUse { posts }));
    }
    let keys = media::delete(&mut tx, workspace_id, id)
        .await?
        .ok_or(AppError::invalid("media", Problem::MediaNotFound))?;
    tx.commit().await?;
    remove_stored(state, keys).await;
    Ok(())
}
