//! Media files as both sides see them: what a file is (read from its bytes by the server), and
//! the geometry of fitting a picture to a network's accepted shapes.

use serde::{Deserialize, Serialize};

use super::ValidationError;
use crate::error::Problem;

/// Kinds of picture Herald accepts. The type is always read from the file's first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ImageFormat {
    Jpeg,
    Png,
    Gif,
    Webp,
    Bmp,
    Tiff,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoContainer {
    Mp4,
    QuickTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VideoCodec {
    H264,
    Hevc,
    /// Anything else (VP9, AV1, MPEG-4 Part 2…): no network Herald serves takes it.
    Other,
}

/// What a stored file is: the facts validation needs, never taken from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MediaFacts {
    Image {
        format: ImageFormat,
        /// Upright size, after the EXIF orientation is applied.
        width: u32,
        height: u32,
        bytes: u64,
    },
    Video {
        container: VideoContainer,
        codec: VideoCodec,
        width: u32,
        height: u32,
        duration_ms: u64,
        bytes: u64,
    },
}

impl MediaFacts {
    pub fn is_video(&self) -> bool {
        matches!(self, MediaFacts::Video { .. })
    }

    pub fn size(&self) -> (u32, u32) {
        match *self {
            MediaFacts::Image { width, height, .. } | MediaFacts::Video { width, height, .. } => {
                (width, height)
            }
        }
    }

    pub fn bytes(&self) -> u64 {
        match *self {
            MediaFacts::Image { bytes, .. } | MediaFacts::Video { bytes, .. } => bytes,
        }
    }
}

/// A description of a picture for people who cannot see it, sent to the networks that take one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AltText(String);

impl AltText {
    /// Instagram's `alt_text` is short; 1,000 characters leaves room for any network's.
    pub const MAX_CHARS: usize = 1_000;

    pub fn parse(raw: &str) -> Result<AltText, ValidationError> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(ValidationError::new(
                "alt_text",
                Problem::AltTextTooLong {
                    max: Self::MAX_CHARS,
                    length: chars,
                },
            ));
        }
        Ok(AltText(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An aspect ratio, width over height, as a fraction so that 4:5 stays exactly 4:5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Aspect {
    pub width: u32,
    pub height: u32,
}

impl Aspect {
    pub const fn new(width: u32, height: u32) -> Aspect {
        Aspect { width, height }
    }

    pub fn value(self) -> f64 {
        f64::from(self.width) / f64::from(self.height)
    }

    fn of(width: u32, height: u32) -> f64 {
        f64::from(width) / f64::from(height.max(1))
    }
}

/// The point of a picture to keep in view when it is cropped, as fractions of its width and
/// height in thousandths (500, 500 is the centre), so that it compares exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FocalPoint {
    pub x: u16,
    pub y: u16,
}

impl FocalPoint {
    pub const CENTRE: FocalPoint = FocalPoint { x: 500, y: 500 };

    /// Clamped into the picture.
    pub fn new(x: u16, y: u16) -> FocalPoint {
        FocalPoint {
            x: x.min(1000),
            y: y.min(1000),
        }
    }
}

impl Default for FocalPoint {
    fn default() -> Self {
        FocalPoint::CENTRE
    }
}

/// A rectangle inside a picture, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Crop {
    pub fn whole(width: u32, height: u32) -> Crop {
        Crop {
            x: 0,
            y: 0,
            width,
            height,
        }
    }
}

/// The largest part of a `width` × `height` picture whose shape lies between `narrowest` and
/// `widest`, placed as close to centring `focus` as the picture allows. A picture already in
/// range is kept whole; one outside is cut to the nearest accepted shape.
pub fn crop_into(
    width: u32,
    height: u32,
    narrowest: Aspect,
    widest: Aspect,
    focus: FocalPoint,
) -> Crop {
    let aspect = Aspect::of(width, height);
    if aspect > widest.value() {
        // Too wide: keep the full height, cut the sides.
        let kept =
            ((u64::from(height) * u64::from(widest.width)) / u64::from(widest.height)) as u32;
        let kept = kept.clamp(1, width);
        let x = place(width, kept, focus.x);
        Crop {
            x,
            y: 0,
            width: kept,
            height,
        }
    } else if aspect < narrowest.value() {
        // Too tall: keep the full width, cut the top and bottom.
        let kept =
            ((u64::from(width) * u64::from(narrowest.height)) / u64::from(narrowest.width)) as u32;
        let kept = kept.clamp(1, height);
        let y = place(height, kept, focus.y);
        Crop {
            x: 0,
            y,
            width,
            height: kept,
        }
    } else {
        Crop::whole(width, height)
    }
}

/// Where a window of `kept` pixels starts along a side of `full` pixels so that the focus, in
/// thousandths of the side, is as near its middle as the edges allow.
fn place(full: u32, kept: u32, focus: u16) -> u32 {
    let centre = u64::from(full) * u64::from(focus) / 1000;
    let start = centre.saturating_sub(u64::from(kept) / 2);
    start.min(u64::from(full - kept)) as u32
}

/// The size a picture is scaled to so its width is at most `max_width`, keeping its shape.
pub fn fit_width(width: u32, height: u32, max_width: u32) -> (u32, u32) {
    if width <= max_width {
        return (width, height);
    }
    let scaled = (u64::from(height) * u64::from(max_width) / u64::from(width)).max(1);
    (max_width, scaled as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const FOUR_FIVE: Aspect = Aspect::new(4, 5);
    const WIDE: Aspect = Aspect::new(191, 100);

    #[test]
    fn a_three_to_one_picture_is_cut_to_the_widest_accepted_shape() {
        let crop = crop_into(3000, 1000, FOUR_FIVE, WIDE, FocalPoint::CENTRE);
        assert_eq!((crop.width, crop.height), (1910, 1000));
        assert_eq!(crop.x, 545);
    }

    #[test]
    fn a_tall_portrait_is_cut_to_four_by_five() {
        let crop = crop_into(1000, 2000, FOUR_FIVE, WIDE, FocalPoint::CENTRE);
        assert_eq!((crop.width, crop.height), (1000, 1250));
        assert_eq!(crop.y, 375);
    }

    #[test]
    fn the_focal_point_moves_the_window_but_never_past_an_edge() {
        let top = crop_into(1000, 2000, FOUR_FIVE, WIDE, FocalPoint::new(500, 0));
        assert_eq!(top.y, 0);
        let bottom = crop_into(1000, 2000, FOUR_FIVE, WIDE, FocalPoint::new(500, 1000));
        assert_eq!(bottom.y, 750);
        let face = crop_into(1000, 2000, FOUR_FIVE, WIDE, FocalPoint::new(500, 300));
        assert_eq!(face.y, 0);
    }

    #[test]
    fn a_picture_already_in_range_is_kept_whole() {
        assert_eq!(
            crop_into(1080, 1080, FOUR_FIVE, WIDE, FocalPoint::CENTRE),
            Crop::whole(1080, 1080)
        );
    }

    proptest! {
        #[test]
        fn every_crop_fits_inside_and_lands_in_range(
            width in 1u32..6000, height in 1u32..6000, x in 0u16..=1000, y in 0u16..=1000
        ) {
            let crop = crop_into(width, height, FOUR_FIVE, WIDE, FocalPoint::new(x, y));
            prop_assert!(crop.x + crop.width <= width);
            prop_assert!(crop.y + crop.height <= height);
            prop_assert!(crop.width >= 1 && crop.height >= 1);
            let aspect = Aspect::of(crop.width, crop.height);
            prop_assert!(aspect >= FOUR_FIVE.value() - 1e-9 && aspect <= WIDE.value() + 1e-9);
        }

        #[test]
        fn scaling_keeps_the_shape(width in 1u32..10000, height in 1u32..10000) {
            let (w, h) = fit_width(width, height, 1440);
            prop_assert!(w <= 1440 && h >= 1);
            if width > 1440 {
                let before = Aspect::of(width, height);
                let after = Aspect::of(w, h);
                prop_assert!((before - after).abs() / before < 0.01 || h < 100);
            }
        }
    }
}
