//! The shapes a generated picture can be made in, one per way a network shows pictures: the
//! browser lists them, the server crops to them.

use serde::{Deserialize, Serialize};

use super::accounts::Network;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PictureShape {
    /// A Facebook link or photo post, 1.91:1.
    FacebookLandscape,
    /// An Instagram feed post, 1:1.
    InstagramSquare,
    /// An Instagram feed post, 4:5 (the tallest the feed shows uncropped).
    InstagramPortrait,
    /// A Story or a Reel, 9:16.
    Vertical,
}

impl PictureShape {
    pub const ALL: [PictureShape; 4] = [
        PictureShape::FacebookLandscape,
        PictureShape::InstagramSquare,
        PictureShape::InstagramPortrait,
        PictureShape::Vertical,
    ];

    /// Width to height, as whole numbers.
    pub fn ratio(self) -> (u32, u32) {
        match self {
            PictureShape::FacebookLandscape => (191, 100),
            PictureShape::InstagramSquare => (1, 1),
            PictureShape::InstagramPortrait => (4, 5),
            PictureShape::Vertical => (9, 16),
        }
    }

    pub fn ratio_value(self) -> f64 {
        let (width, height) = self.ratio();
        f64::from(width) / f64::from(height)
    }

    /// The shapes a network's posts use, the usual one first.
    pub fn for_network(network: Network) -> &'static [PictureShape] {
        match network {
            Network::Facebook => &[PictureShape::FacebookLandscape],
            Network::Instagram => &[
                PictureShape::InstagramSquare,
                PictureShape::InstagramPortrait,
                PictureShape::Vertical,
            ],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PictureShape::FacebookLandscape => "facebook_landscape",
            PictureShape::InstagramSquare => "instagram_square",
            PictureShape::InstagramPortrait => "instagram_portrait",
            PictureShape::Vertical => "vertical",
        }
    }

    pub fn parse(raw: &str) -> Option<PictureShape> {
        PictureShape::ALL
            .into_iter()
            .find(|shape| shape.as_str() == raw.trim())
    }
}

/// What became of one shape asked for: the picture added to the library, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PictureOutcome {
    pub shape: PictureShape,
    pub result: Result<crate::domain::library::MediaItem, crate::error::AppError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_reads_back_from_its_name() {
        for shape in PictureShape::ALL {
            assert_eq!(PictureShape::parse(shape.as_str()), Some(shape));
        }
        assert_eq!(PictureShape::parse("banner"), None);
    }

    #[test]
    fn each_network_offers_its_own_shapes() {
        assert_eq!(
            PictureShape::for_network(Network::Facebook),
            &[PictureShape::FacebookLandscape]
        );
        assert!(PictureShape::for_network(Network::Instagram).contains(&PictureShape::Vertical));
        assert!((PictureShape::FacebookLandscape.ratio_value() - 1.91).abs() < 1e-9);
    }
}
