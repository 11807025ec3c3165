//! The files a publish request brings — downloaded from its URLs or uploaded in its body — and
//! what their bytes say they are, judged the way Meta judges them: by content, never by name.

use std::collections::HashMap;
use std::io::Cursor;

use bytes::Bytes;

/// Image formats a Page photo may be (§2.2), as `infer` names them.
const PAGE_PHOTO_TYPES: [&str; 7] = [
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/bmp",
    "image/tiff",
    "image/webp",
    "image/heif",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Media {
    /// The file, or its first part when it was too large to keep (see `size`).
    pub bytes: Bytes,
    /// Bytes received. Larger than `bytes.len()` never; reading stops past the fetch limit, so
    /// a huge file reports "at least this much", which every size rule here still refuses.
    pub size: u64,
}

impl Media {
    pub fn whole(bytes: Bytes) -> Media {
        let size = bytes.len() as u64;
        Media { bytes, size }
    }

    /// The MIME type the magic bytes announce.
    pub fn sniffed_type(&self) -> Option<&'static str> {
        infer::get(&self.bytes).map(|kind| kind.mime_type())
    }

    pub fn is_jpeg(&self) -> bool {
        self.sniffed_type() == Some("image/jpeg")
    }

    pub fn is_page_photo(&self) -> bool {
        self.sniffed_type()
            .is_some_and(|mime| PAGE_PHOTO_TYPES.contains(&mime))
    }

    pub fn is_video(&self) -> bool {
        self.sniffed_type()
            .is_some_and(|mime| mime.starts_with("video/"))
    }

    /// Width and height from the image header, without decoding the pixels.
    pub fn dimensions(&self) -> Option<(u32, u32)> {
        image::ImageReader::new(Cursor::new(&self.bytes[..]))
            .with_guessed_format()
            .ok()?
            .into_dimensions()
            .ok()
    }
}

/// What became of one URL the emulator tried to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Fetched {
    Received(Media),
    /// Not a usable http(s) URL, no answer, a timeout, or a non-2xx status.
    Failed {
        reason: String,
    },
}

/// The files of one request, gathered before the state lock is taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Attachments {
    /// By URL, exactly as the request gave it.
    pub fetched: HashMap<String, Fetched>,
    /// Multipart file parts by field name (`source`).
    pub uploads: HashMap<String, Media>,
}

impl Attachments {
    pub fn fetched(&self, url: &str) -> Option<&Fetched> {
        self.fetched.get(url)
    }

    pub fn upload(&self, field: &str) -> Option<&Media> {
        self.uploads.get(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Media {
        let picture = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 40]));
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, format).unwrap();
        Media::whole(Bytes::from(out.into_inner()))
    }

    #[test]
    fn jpeg_and_png_are_told_apart_by_their_bytes() {
        let jpeg = encoded(40, 30, image::ImageFormat::Jpeg);
        let png = encoded(40, 30, image::ImageFormat::Png);
        assert!(jpeg.is_jpeg() && jpeg.is_page_photo());
        assert!(!png.is_jpeg() && png.is_page_photo());
        assert_eq!(jpeg.dimensions(), Some((40, 30)));
        assert_eq!(png.dimensions(), Some((40, 30)));
    }

    #[test]
    fn an_mp4_header_is_a_video_and_text_is_nothing() {
        let mp4 = Media::whole(Bytes::from_static(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2"));
        assert!(mp4.is_video());
        assert!(!mp4.is_page_photo());
        let text = Media::whole(Bytes::from_static(b"<html>not found</html>"));
        assert!(!text.is_video() && !text.is_page_photo());
        assert_eq!(text.dimensions(), None);
    }
}
