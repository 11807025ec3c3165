//! Pictures: decoded upright (the EXIF orientation applied), a thumbnail for the library, and
//! for each network a variant when the upload does not suit it as it is — converted to JPEG,
//! cropped to the nearest accepted shape around the focal point, scaled to the widest
//! accepted size. Blocking work: callers run it in `spawn_blocking`.

use std::io::Cursor;
use std::path::Path;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, RgbImage};

use crate::domain::accounts::Network;
use crate::domain::limits::limits_for;
use crate::domain::media::{Crop, FocalPoint, ImageFormat, MediaFacts, crop_into, fit_width};
use crate::domain::post::PostFormat;

/// Pictures larger than this on either side are refused before decoding: a small file can
/// claim a huge size and exhaust memory.
pub const MAX_SIDE: u32 = 16_384;
/// Nor more pixels than this in all (any phone's photo; a 2 MB file can claim 268 million).
pub const MAX_MEGAPIXELS: u64 = 50;
/// What one decode may allocate, whatever the file claims (16-bit channels double it).
const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;

/// The `image` crate's limits for every decode Herald makes: checked against what the file
/// declares before its pixels are read.
pub fn decode_limits() -> image::Limits {
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    limits
}

/// Refuses a picture whose declared size is too large to decode.
pub fn check_size(width: u32, height: u32) -> Result<(), PictureError> {
    let pixels = u64::from(width) * u64::from(height);
    if width > MAX_SIDE || height > MAX_SIDE || pixels > MAX_MEGAPIXELS * 1_000_000 {
        return Err(PictureError::TooManyPixels { width, height });
    }
    Ok(())
}

/// Decodes `reader` within [`decode_limits`], after checking its declared size.
pub fn decode_limited<R: std::io::BufRead + std::io::Seek>(
    reader: ImageReader<R>,
) -> Result<(DynamicImage, Orientation), PictureError> {
    let mut reader = reader
        .with_guessed_format()
        .map_err(|error| PictureError::Unreadable(error.to_string()))?;
    // The declared size is judged first (below), so that a picture too large in pixels is
    // told apart from one whose decoding would take too much memory.
    let mut reading = image::Limits::default();
    reading.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(reading);
    let mut decoder = reader.into_decoder().map_err(refused)?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    decoder.set_limits(decode_limits()).map_err(refused)?;
    let image = DynamicImage::from_decoder(decoder).map_err(refused)?;
    Ok((image, orientation))
}

/// A decoding error, with a limit reached told apart from a broken file.
fn refused(error: image::ImageError) -> PictureError {
    match error {
        image::ImageError::Limits(_) => PictureError::OverDecodeLimit,
        other => PictureError::Unreadable(other.to_string()),
    }
}
const THUMBNAIL_SIDE: u32 = 480;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the picture could not be read: {0}")]
    Unreadable(String),
    #[error(
        "the picture is {width}×{height} pixels; the most is {MAX_SIDE} on each side and {MAX_MEGAPIXELS} megapixels"
    )]
    TooManyPixels { width: u32, height: u32 },
    #[error("decoding the picture would take more memory than Herald allows one picture")]
    OverDecodeLimit,
    #[error("the picture could not be written: {0}")]
    Encode(String),
}

/// Picture work (decoding, cropping, encoding) one core at a time each: uploads beyond that
/// wait their turn instead of each holding a decoded picture in memory at once.
#[derive(Clone)]
pub struct PictureWork(std::sync::Arc<tokio::sync::Semaphore>);

impl PictureWork {
    pub fn for_this_machine() -> PictureWork {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        PictureWork(std::sync::Arc::new(tokio::sync::Semaphore::new(cores)))
    }

    /// Runs `work` on a blocking thread once a turn is free.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let _turn = self.0.acquire().await.expect("the turns are never closed");
        tokio::task::spawn_blocking(work).await
    }
}

/// A decoded picture, upright.
pub struct Picture {
    image: DynamicImage,
    format: ImageFormat,
    bytes: u64,
    /// The file stores its pixels turned or mirrored; networks may not apply the EXIF tag.
    turned: bool,
}

/// A JPEG made from a picture, ready to store.
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

impl Picture {
    pub fn open(path: &Path, format: ImageFormat) -> Result<Picture, PictureError> {
        let bytes = std::fs::metadata(path)
            .map_err(|error| PictureError::Unreadable(error.to_string()))?
            .len();
        let reader =
            ImageReader::open(path).map_err(|error| PictureError::Unreadable(error.to_string()))?;
        let (mut image, orientation) = decode_limited(reader)?;
        image.apply_orientation(orientation);
        Ok(Picture {
            image,
            format,
            bytes,
            turned: orientation != Orientation::NoTransforms,
        })
    }

    pub fn facts(&self) -> MediaFacts {
        MediaFacts::Image {
            format: self.format,
            width: self.image.width(),
            height: self.image.height(),
            bytes: self.bytes,
        }
    }

    pub fn thumbnail(&self) -> Result<Encoded, PictureError> {
        encode_jpeg(&self.image.thumbnail(THUMBNAIL_SIDE, THUMBNAIL_SIDE), 80)
    }

    /// The picture a `format` post on `network` should carry, or None when the upload suits
    /// it as it is.
    pub fn variant_for(
        &self,
        network: Network,
        format: PostFormat,
        focus: FocalPoint,
    ) -> Result<Option<Encoded>, PictureError> {
        let rules = &limits_for(network, format).images;
        let (width, height) = (self.image.width(), self.image.height());
        let crop = match rules.shapes {
            Some((narrowest, widest)) => crop_into(width, height, narrowest, widest, focus),
            None => Crop::whole(width, height),
        };
        let fits = !self.turned
            && rules.takes_as_is(self.format)
            && self.bytes <= rules.max_bytes
            && width <= rules.max_width
            && crop == Crop::whole(width, height);
        if fits {
            return Ok(None);
        }
        let cropped = self.image.crop_imm(crop.x, crop.y, crop.width, crop.height);
        let (target_width, target_height) = fit_width(crop.width, crop.height, rules.max_width);
        let mut sized = if target_width < crop.width {
            cropped.resize_exact(target_width, target_height, FilterType::CatmullRom)
        } else {
            cropped
        };
        // Re-encode, then step down quality and size until the network's byte limit is met.
        let mut quality = 90;
        loop {
            let encoded = encode_jpeg(&sized, quality)?;
            if encoded.bytes.len() as u64 <= rules.max_bytes || sized.width() < 64 {
                return Ok(Some(encoded));
            }
            if quality > 60 {
                quality -= 15;
            } else {
                let (w, h) = (sized.width() * 4 / 5, sized.height() * 4 / 5);
                sized = sized.resize_exact(w.max(1), h.max(1), FilterType::CatmullRom);
            }
        }
    }
}

/// JPEG has no transparency: transparent parts are laid on white, as a viewer would show them.
fn encode_jpeg(image: &DynamicImage, quality: u8) -> Result<Encoded, PictureError> {
    let rgb = if image.color().has_alpha() {
        flatten_on_white(image)
    } else {
        image.to_rgb8()
    };
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(Cursor::new(&mut bytes), quality)
        .encode_image(&rgb)
        .map_err(|error| PictureError::Encode(error.to_string()))?;
    Ok(Encoded {
        bytes,
        width: rgb.width(),
        height: rgb.height(),
    })
}

fn flatten_on_white(image: &DynamicImage) -> RgbImage {
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let blend = |channel: u8| {
            ((u16::from(channel) * u16::from(a) + 255 * u16::from(255 - a)) / 255) as u8
        };
        image::Rgb([blend(r), blend(g), blend(b)])
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{ImageFormat as Codec, Rgba, RgbaImage};

    fn write(image: &DynamicImage, codec: Codec) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().unwrap();
        image.save_with_format(file.path(), codec).unwrap();
        file
    }

    #[test]
    fn a_png_is_sent_to_instagram_as_jpeg_and_to_facebook_as_it_is() {
        let file = write(&DynamicImage::new_rgb8(1080, 1080), Codec::Png);
        let picture = Picture::open(file.path(), ImageFormat::Png).unwrap();
        let instagram = picture
            .variant_for(Network::Instagram, PostFormat::Feed, FocalPoint::CENTRE)
            .unwrap()
            .unwrap();
        assert_eq!(image::guess_format(&instagram.bytes).unwrap(), Codec::Jpeg);
        assert!(
            picture
                .variant_for(Network::Facebook, PostFormat::Feed, FocalPoint::CENTRE)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_tall_jpeg_is_cropped_for_the_instagram_feed_but_a_story_takes_it_whole() {
        let file = write(&DynamicImage::new_rgb8(540, 960), Codec::Jpeg);
        let picture = Picture::open(file.path(), ImageFormat::Jpeg).unwrap();
        let feed = picture
            .variant_for(Network::Instagram, PostFormat::Feed, FocalPoint::CENTRE)
            .unwrap()
            .unwrap();
        let feed = image::load_from_memory(&feed.bytes).unwrap();
        assert_eq!((feed.width(), feed.height()), (540, 675));
        assert!(
            picture
                .variant_for(Network::Instagram, PostFormat::Story, FocalPoint::CENTRE)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn transparency_becomes_white_not_black() {
        let image = DynamicImage::ImageRgba8(RgbaImage::from_pixel(400, 400, Rgba([0, 0, 0, 0])));
        let file = write(&image, Codec::Png);
        let picture = Picture::open(file.path(), ImageFormat::Png).unwrap();
        let jpeg = picture
            .variant_for(Network::Instagram, PostFormat::Feed, FocalPoint::CENTRE)
            .unwrap()
            .unwrap();
        let decoded = image::load_from_memory(&jpeg.bytes).unwrap().to_rgb8();
        assert!(decoded.get_pixel(200, 200).0.iter().all(|&c| c > 245));
    }

    #[test]
    fn pictures_too_large_in_pixels_are_refused_before_decoding() {
        let file = write(&DynamicImage::new_luma8(MAX_SIDE + 1, 1), Codec::Png);
        assert!(matches!(
            Picture::open(file.path(), ImageFormat::Png),
            Err(PictureError::TooManyPixels { .. })
        ));
    }
}
