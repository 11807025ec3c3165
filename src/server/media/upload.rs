//! Receiving one uploaded file: streamed chunk by chunk into a temporary file under the data
//! directory, its type read from its first bytes, its size limit enforced as the bytes arrive
//! (a 2 GB upload is cut off at the limit, not stored then measured). Whatever goes wrong, the
//! temporary file is removed: nothing half-written stays behind.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;

use super::probe::{NotMedia, SNIFF_BYTES, Sniffed, sniff};

/// The largest upload of each kind (`HERALD_MEDIA_MAX_IMAGE_MB`, `HERALD_MEDIA_MAX_VIDEO_MB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    pub image_bytes: u64,
    pub video_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            image_bytes: 30 * 1024 * 1024,
            // Facebook takes up to 1 GB; Instagram's lower limit is checked per post.
            video_bytes: 1024 * 1024 * 1024,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error(transparent)]
    NotMedia(#[from] NotMedia),
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: u64 },
    #[error("the upload stopped before the end of the file: {0}")]
    Incomplete(String),
    #[error("the upload could not be written: {0}")]
    Io(#[from] std::io::Error),
}

/// A file being received or received, removed when dropped unless taken into the store.
pub struct TempUpload {
    path: PathBuf,
}

impl TempUpload {
    /// Takes charge of `path`: it is removed when this is dropped.
    pub fn at(path: PathBuf) -> TempUpload {
        TempUpload { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempUpload {
    fn drop(&mut self) {
        // Best effort: the store's `put` has usually moved it away already.
        let _ = std::fs::remove_file(&self.path);
    }
}

/// A fresh temporary path in `folder`, for an upload or a picture made from one.
pub fn temp_path(folder: &Path) -> PathBuf {
    folder.join(format!("{}.part", uuid::Uuid::new_v4()))
}

pub struct Received {
    pub file: TempUpload,
    pub sniffed: Sniffed,
    pub bytes: u64,
}

/// Streams `body` into a temporary file in `folder`, refusing it as soon as its first bytes
/// show it is not a medium or its size passes the limit for its kind.
pub async fn receive<E: std::fmt::Display>(
    folder: &Path,
    body: impl Stream<Item = Result<Bytes, E>>,
    limits: UploadLimits,
) -> Result<Received, UploadError> {
    tokio::fs::create_dir_all(folder).await?;
    let file = TempUpload::at(temp_path(folder));
    let mut output = tokio::fs::File::create(file.path()).await?;
    let mut body = std::pin::pin!(body);
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_BYTES);
    let mut sniffed: Option<(Sniffed, u64)> = None;
    let mut written: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|error| UploadError::Incomplete(error.to_string()))?;
        if sniffed.is_none() {
            let wanted = SNIFF_BYTES - head.len();
            head.extend_from_slice(&chunk[..chunk.len().min(wanted)]);
            if head.len() == SNIFF_BYTES {
                sniffed = Some(kind_and_limit(&head, limits)?);
            }
        }
        written += chunk.len() as u64;
        if let Some((_, max)) = sniffed
            && written > max
        {
            return Err(UploadError::TooLarge { max });
        }
        output.write_all(&chunk).await?;
    }
    let (sniffed, max) = match sniffed {
        Some(found) => found,
        // Shorter than the sniffing window: judge it by what there is.
        None => kind_and_limit(&head, limits)?,
    };
    if written > max {
        return Err(UploadError::TooLarge { max });
    }
    output.flush().await?;
    output.sync_all().await?;
    Ok(Received {
        file,
        sniffed,
        bytes: written,
    })
}

fn kind_and_limit(head: &[u8], limits: UploadLimits) -> Result<(Sniffed, u64), UploadError> {
    let sniffed = sniff(head)?;
    let max = match sniffed {
        Sniffed::Image(_) => limits.image_bytes,
        Sniffed::Video(_) => limits.video_bytes,
    };
    Ok((sniffed, max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::media::ImageFormat;

    const PNG_HEAD: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    fn chunks(
        parts: Vec<Result<Vec<u8>, &'static str>>,
    ) -> impl Stream<Item = Result<Bytes, &'static str>> {
        futures_util::stream::iter(parts.into_iter().map(|part| part.map(Bytes::from)))
    }

    fn leftovers(folder: &Path) -> usize {
        std::fs::read_dir(folder).map_or(0, |entries| entries.count())
    }

    #[tokio::test]
    async fn a_file_arriving_in_small_pieces_is_sniffed_and_kept() {
        let folder = tempfile::tempdir().unwrap();
        let mut body: Vec<u8> = PNG_HEAD.to_vec();
        body.resize(200, 7);
        let pieces = body.chunks(5).map(|piece| Ok(piece.to_vec())).collect();
        let received = receive(folder.path(), chunks(pieces), UploadLimits::default())
            .await
            .unwrap();
        assert_eq!(received.sniffed, Sniffed::Image(ImageFormat::Png));
        assert_eq!(received.bytes, 200);
        assert_eq!(std::fs::read(received.file.path()).unwrap(), body);
        drop(received);
        assert_eq!(leftovers(folder.path()), 0);
    }

    #[tokio::test]
    async fn an_upload_over_the_limit_stops_at_the_limit_and_leaves_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let limits = UploadLimits {
            image_bytes: 100,
            video_bytes: 100,
        };
        let mut first = PNG_HEAD.to_vec();
        first.resize(80, 0);
        let body = chunks(vec![Ok(first), Ok(vec![0; 80]), Err("never read")]);
        let error = receive(folder.path(), body, limits).await.err().unwrap();
        assert!(matches!(error, UploadError::TooLarge { max: 100 }));
        assert_eq!(leftovers(folder.path()), 0);
    }

    #[tokio::test]
    async fn a_cut_off_upload_leaves_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let mut first = PNG_HEAD.to_vec();
        first.resize(100, 0);
        let body = chunks(vec![Ok(first), Err("connection reset")]);
        let error = receive(folder.path(), body, UploadLimits::default())
            .await
            .err()
            .unwrap();
        assert!(matches!(error, UploadError::Incomplete(_)));
        assert_eq!(leftovers(folder.path()), 0);
    }

    #[tokio::test]
    async fn empty_and_unknown_files_are_refused() {
        let folder = tempfile::tempdir().unwrap();
        let empty = receive(folder.path(), chunks(vec![]), UploadLimits::default()).await;
        assert!(matches!(empty, Err(UploadError::NotMedia(NotMedia::Empty))));
        let text = chunks(vec![Ok(b"just some words, named cat.jpg".repeat(5))]);
        let unknown = receive(folder.path(), text, UploadLimits::default()).await;
        assert!(matches!(
            unknown,
            Err(UploadError::NotMedia(NotMedia::Unknown))
        ));
        assert_eq!(leftovers(folder.path()), 0);
    }
}
