//! What a file is, read from its bytes: the type from its first bytes (never its name or the
//! browser's word), and for a video its container, codec, size and duration from its boxes.

use std::io::BufReader;
use std::path::Path;

use crate::domain::media::{ImageFormat, MediaFacts, VideoCodec, VideoContainer};

/// How many leading bytes [`sniff`] needs to recognise every accepted type.
pub const SNIFF_BYTES: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    Image(ImageFormat),
    Video(VideoContainer),
}

/// Why a file is not a medium Herald takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotMedia {
    #[error("the file is empty")]
    Empty,
    /// A known type Herald cannot send anywhere (HEIC, AVI, PDF…), by its MIME type.
    #[error("{0} files are not accepted")]
    Unsupported(String),
    #[error("the file is not a picture or a video")]
    Unknown,
    #[error("the video could not be read: {0}")]
    UnreadableVideo(String),
    #[error("the video has no picture track")]
    NoVideoTrack,
}

pub fn sniff(head: &[u8]) -> Result<Sniffed, NotMedia> {
    if head.is_empty() {
        return Err(NotMedia::Empty);
    }
    let Some(kind) = infer::get(head) else {
        return Err(NotMedia::Unknown);
    };
    let sniffed = match kind.mime_type() {
        "image/jpeg" => Sniffed::Image(ImageFormat::Jpeg),
        "image/png" => Sniffed::Image(ImageFormat::Png),
        "image/gif" => Sniffed::Image(ImageFormat::Gif),
        "image/webp" => Sniffed::Image(ImageFormat::Webp),
        "image/bmp" => Sniffed::Image(ImageFormat::Bmp),
        "image/tiff" => Sniffed::Image(ImageFormat::Tiff),
        "video/mp4" | "video/x-m4v" => Sniffed::Video(VideoContainer::Mp4),
        "video/quicktime" => Sniffed::Video(VideoContainer::QuickTime),
        other => return Err(NotMedia::Unsupported(other.to_owned())),
    };
    Ok(sniffed)
}

/// Reads a video's facts from its `moov` box. Blocking: call from `spawn_blocking`.
pub fn video_facts(path: &Path, container: VideoContainer) -> Result<MediaFacts, NotMedia> {
    let unreadable = |error: &dyn std::fmt::Display| NotMedia::UnreadableVideo(error.to_string());
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let bytes = file.metadata().map_err(|e| unreadable(&e))?.len();
    let reader =
        mp4::Mp4Reader::read_header(BufReader::new(file), bytes).map_err(|e| unreadable(&e))?;
    let track = reader
        .tracks()
        .values()
        .find(|track| matches!(track.track_type(), Ok(mp4::TrackType::Video)))
        .ok_or(NotMedia::NoVideoTrack)?;
    let codec = match track.media_type() {
        Ok(mp4::MediaType::H264) => VideoCodec::H264,
        Ok(mp4::MediaType::H265) => VideoCodec::Hevc,
        _ => VideoCodec::Other,
    };
    let duration = reader.duration().max(track.duration());
    Ok(MediaFacts::Video {
        container,
        codec,
        width: u32::from(track.width()),
        height: u32::from(track.height()),
        duration_ms: u64::try_from(duration.as_millis()).unwrap_or(u64::MAX),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_come_from_the_bytes() {
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Ok(Sniffed::Image(ImageFormat::Png))
        );
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']),
            Ok(Sniffed::Image(ImageFormat::Jpeg))
        );
        assert_eq!(
            sniff(b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom"),
            Ok(Sniffed::Video(VideoContainer::Mp4))
        );
        assert_eq!(
            sniff(b"\0\0\0\x14ftypqt  \0\0\0\0qt  "),
            Ok(Sniffed::Video(VideoContainer::QuickTime))
        );
    }

    #[test]
    fn anything_else_is_refused_with_its_reason() {
        assert_eq!(sniff(b""), Err(NotMedia::Empty));
        assert_eq!(
            sniff(b"hello, I am a text file named photo.jpg"),
            Err(NotMedia::Unknown)
        );
        assert_eq!(
            sniff(b"%PDF-1.7\n"),
            Err(NotMedia::Unsupported("application/pdf".into()))
        );
    }
}
