//! What each network accepts in a post, from the contracts in `shared/specs/META_GRAPH_API.md`
//! (§2 for Facebook Pages, §3.1 and §3.7 for Instagram). Where the contract gives two figures
//! the stricter one is used, and the comment says so.

use super::accounts::Network;
use super::counting::Counting;
use super::media::{Aspect, ImageFormat, VideoCodec, VideoContainer};
use super::post::PostFormat;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub caption_max: usize,
    pub counting: Counting,
    pub hashtags_max: Option<usize>,
    pub mentions_max: Option<usize>,
    /// False when a post must carry at least one picture or video (Instagram).
    pub text_only: bool,
    pub media_max: usize,
    /// True when pictures and videos may share a post (an Instagram carousel).
    pub mixes_media: bool,
    pub images: ImageLimits,
    pub videos: VideoLimits,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ImageLimits {
    /// Formats the network takes as they are; others are converted to JPEG.
    pub formats: &'static [ImageFormat],
    pub max_bytes: u64,
    /// Accepted shapes; pictures outside are cropped to the nearest.
    pub shapes: Option<(Aspect, Aspect)>,
    /// Wider pictures are scaled down to this width.
    pub max_width: u32,
    pub min_width: u32,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VideoLimits {
    pub containers: &'static [VideoContainer],
    pub codecs: &'static [VideoCodec],
    pub max_bytes: u64,
    pub min_duration_ms: u64,
    pub max_duration_ms: u64,
    pub max_width: u32,
}

const MB: u64 = 1024 * 1024;

const FACEBOOK: Limits = Limits {
    // The Page feed's documented message limit (§2.1).
    caption_max: 63_206,
    counting: Counting::Utf16Units,
    hashtags_max: None,
    mentions_max: None,
    text_only: true,
    // Multi-photo posts: the count is undocumented; 10 is what working tools use (§2.3).
    media_max: 10,
    // `attached_media` takes photos only; a video is its own post (§2.4).
    mixes_media: false,
    images: ImageLimits {
        formats: &[
            ImageFormat::Jpeg,
            ImageFormat::Png,
            ImageFormat::Gif,
            ImageFormat::Bmp,
            ImageFormat::Tiff,
        ],
        // The docs say 10 MB; error 1366046 says 4 MB (§2.2): the stricter.
        max_bytes: 4 * MB,
        shapes: None,
        max_width: 4096,
        min_width: 1,
    },
    videos: VideoLimits {
        containers: &[VideoContainer::Mp4, VideoContainer::QuickTime],
        codecs: &[VideoCodec::H264, VideoCodec::Hevc],
        max_bytes: 1024 * MB,
        min_duration_ms: 1_000,
        max_duration_ms: 4 * 60 * 60 * 1000,
        max_width: 4096,
    },
};

const INSTAGRAM: Limits = Limits {
    caption_max: 2_200,
    counting: Counting::Utf16Units,
    hashtags_max: Some(30),
    mentions_max: Some(20),
    text_only: false,
    // Carousels: 2–10 children (§3.1); one item is a single post.
    media_max: 10,
    mixes_media: true,
    images: ImageLimits {
        formats: &[ImageFormat::Jpeg],
        max_bytes: 8 * MB,
        shapes: Some((Aspect::new(4, 5), Aspect::new(191, 100))),
        max_width: 1440,
        min_width: 320,
    },
    videos: VideoLimits {
        containers: &[VideoContainer::Mp4, VideoContainer::QuickTime],
        codecs: &[VideoCodec::H264, VideoCodec::Hevc],
        // 1 GB in the 2024 reference, 300 MB in newer revisions (§3.7): the stricter.
        max_bytes: 300 * MB,
        min_duration_ms: 3_000,
        max_duration_ms: 15 * 60 * 1000,
        max_width: 1920,
    },
};

/// A Story (§3.1, §3.7): one picture or video and no caption. Pictures are not cropped: 9:16
/// is only recommended, and Instagram fits other shapes on the screen itself.
const INSTAGRAM_STORY: Limits = Limits {
    caption_max: 0,
    hashtags_max: None,
    mentions_max: None,
    media_max: 1,
    mixes_media: false,
    images: ImageLimits {
        shapes: None,
        ..INSTAGRAM.images
    },
    videos: VideoLimits {
        max_bytes: 100 * MB,
        min_duration_ms: 3_000,
        max_duration_ms: 60 * 1000,
        ..INSTAGRAM.videos
    },
    ..INSTAGRAM
};

/// What a feed post on `network` may hold.
pub fn limits(network: Network) -> &'static Limits {
    limits_for(network, PostFormat::Feed)
}

/// What a post of `format` on `network` may hold. A format the network does not have is
/// refused before limits matter (`Rule::FormatNotOffered`); its feed limits stand in.
pub fn limits_for(network: Network, format: PostFormat) -> &'static Limits {
    match (network, format) {
        (Network::Facebook, _) => &FACEBOOK,
        (Network::Instagram, PostFormat::Feed) => &INSTAGRAM,
        (Network::Instagram, PostFormat::Story) => &INSTAGRAM_STORY,
    }
}

impl ImageLimits {
    pub fn takes_as_is(&self, format: ImageFormat) -> bool {
        self.formats.contains(&format)
    }
}
