//! Sizes the image API accepts, the nearest one to a shape, and cropping the picture it
//! returns to that shape exactly.

use crate::server::media::images::{PictureError, decode_limited};
use std::io::Cursor;

use image::{DynamicImage, ImageFormat};

use crate::domain::picture_shapes::PictureShape;

/// A size as the images API names it (`1024x1536`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl ImageSize {
    pub const fn new(width: u32, height: u32) -> ImageSize {
        ImageSize { width, height }
    }

    pub fn parse(raw: &str) -> Option<ImageSize> {
        let (width, height) = raw.trim().split_once(['x', 'X'])?;
        let size = ImageSize::new(width.trim().parse().ok()?, height.trim().parse().ok()?);
        ((1..=8192).contains(&size.width) && (1..=8192).contains(&size.height)).then_some(size)
    }

    pub fn name(self) -> String {
        format!("{}x{}", self.width, self.height)
    }

    fn ratio(self) -> f64 {
        f64::from(self.width) / f64::from(self.height)
    }
}

/// The sizes each known model accepts; other models are assumed to take gpt-image-1's.
pub fn accepted_sizes(model: &str) -> Vec<ImageSize> {
    match model.trim() {
        "dall-e-3" => vec![
            ImageSize::new(1024, 1024),
            ImageSize::new(1792, 1024),
            ImageSize::new(1024, 1792),
        ],
        "dall-e-2" => vec![
            ImageSize::new(256, 256),
            ImageSize::new(512, 512),
            ImageSize::new(1024, 1024),
        ],
        _ => vec![
            ImageSize::new(1024, 1024),
            ImageSize::new(1536, 1024),
            ImageSize::new(1024, 1536),
        ],
    }
}

/// The accepted size whose shape is nearest `shape`'s (then the largest), so cropping keeps
/// as much of the picture as it can.
pub fn nearest_size(accepted: &[ImageSize], shape: PictureShape) -> Option<ImageSize> {
    let target = shape.ratio_value().ln();
    accepted.iter().copied().min_by(|a, b| {
        let distance = |size: ImageSize| (size.ratio().ln() - target).abs();
        distance(*a).total_cmp(&distance(*b)).then_with(|| {
            (u64::from(b.width) * u64::from(b.height))
                .cmp(&(u64::from(a.width) * u64::from(a.height)))
        })
    })
}

#[derive(Debug, thiserror::Error)]
pub enum NotAPicture {
    #[error("the picture could not be read: {0}")]
    Unreadable(#[from] image::ImageError),
    #[error(transparent)]
    Refused(#[from] PictureError),
}

/// Crops the middle of `bytes` (any format `image` reads) to `shape` and encodes it as PNG.
pub fn crop_to_shape(bytes: &[u8], shape: PictureShape) -> Result<CroppedPicture, NotAPicture> {
    // The endpoint's answer is decoded within the same limits as an upload.
    let (picture, _) = decode_limited(image::ImageReader::new(Cursor::new(bytes)))?;
    let (width, height) = crop_box(picture.width(), picture.height(), shape);
    let x = (picture.width() - width) / 2;
    let y = (picture.height() - height) / 2;
    let cropped: DynamicImage = picture.crop_imm(x, y, width, height);
    let mut png = Vec::new();
    cropped.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)?;
    Ok(CroppedPicture { png, width, height })
}

pub struct CroppedPicture {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// The largest box of `shape`'s ratio inside `width` × `height`.
fn crop_box(width: u32, height: u32, shape: PictureShape) -> (u32, u32) {
    let (ratio_w, ratio_h) = shape.ratio();
    let (ratio_w, ratio_h) = (u64::from(ratio_w), u64::from(ratio_h));
    let (w, h) = (u64::from(width), u64::from(height));
    if w * ratio_h > h * ratio_w {
        // Too wide: keep the height.
        let new_width = (h * ratio_w + ratio_h / 2) / ratio_h;
        (new_width.clamp(1, w) as u32, height)
    } else {
        let new_height = (w * ratio_h + ratio_w / 2) / ratio_w;
        (width, new_height.clamp(1, h) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_as_the_api_names_them() {
        assert_eq!(
            ImageSize::parse("1024x1536"),
            Some(ImageSize::new(1024, 1536))
        );
        assert_eq!(
            ImageSize::parse(" 512X512 "),
            Some(ImageSize::new(512, 512))
        );
        assert_eq!(ImageSize::parse("auto"), None);
        assert_eq!(ImageSize::parse("0x10"), None);
        assert_eq!(ImageSize::new(1536, 1024).name(), "1536x1024");
    }

    #[test]
    fn each_shape_asks_for_the_nearest_accepted_size() {
        let gpt = accepted_sizes("gpt-image-1");
        let pick = |shape| nearest_size(&gpt, shape).unwrap();
        assert_eq!(
            pick(PictureShape::FacebookLandscape),
            ImageSize::new(1536, 1024)
        );
        assert_eq!(
            pick(PictureShape::InstagramSquare),
            ImageSize::new(1024, 1024)
        );
        assert_eq!(
            pick(PictureShape::InstagramPortrait),
            ImageSize::new(1024, 1536)
        );
        assert_eq!(pick(PictureShape::Vertical), ImageSize::new(1024, 1536));
        let dalle3 = accepted_sizes("dall-e-3");
        assert_eq!(
            nearest_size(&dalle3, PictureShape::Vertical),
            Some(ImageSize::new(1024, 1792))
        );
        let dalle2 = accepted_sizes("dall-e-2");
        assert_eq!(
            nearest_size(&dalle2, PictureShape::FacebookLandscape),
            Some(ImageSize::new(1024, 1024))
        );
    }

    #[test]
    fn crops_keep_the_largest_box_of_the_shape() {
        assert_eq!(
            crop_box(1536, 1024, PictureShape::FacebookLandscape),
            (1536, 804)
        );
        assert_eq!(
            crop_box(1024, 1024, PictureShape::InstagramPortrait),
            (819, 1024)
        );
        assert_eq!(crop_box(1024, 1536, PictureShape::Vertical), (864, 1536));
        assert_eq!(
            crop_box(1024, 1024, PictureShape::InstagramSquare),
            (1024, 1024)
        );
    }

    #[test]
    fn a_cropped_picture_has_the_shape_it_was_asked_for() {
        let source = DynamicImage::new_rgb8(300, 200);
        let mut png = Vec::new();
        source
            .write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let cropped = crop_to_shape(&png, PictureShape::Vertical).unwrap();
        let decoded = image::load_from_memory(&cropped.png).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (113, 200));
        assert!(crop_to_shape(b"not a picture", PictureShape::Vertical).is_err());
    }
}
