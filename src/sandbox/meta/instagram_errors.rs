//! Instagram publishing's refusals (§3.4, §4.3): each with Meta's code and subcode, and words for
//! people as Meta sends them. Messages the contract quotes are used exactly as quoted.

use super::captions::CaptionProblem;
use super::errors::GraphError;
use super::instagram_content::ContainerFailure;

pub(super) fn media_unreachable(url: &str) -> GraphError {
    GraphError::numbered(
        9004,
        format!("The media could not be fetched from this uri: {url}"),
    )
    .with_subcode(2207052)
    .for_people(
        "Media download has failed.",
        "The media could not be fetched from the URI provided. Make sure the URI is \
             publicly reachable and points straight at the file.",
    )
}

/// Verbatim the §4.1 sample.
pub(super) fn image_too_large() -> GraphError {
    GraphError::new(36000, "The image size is too large.")
        .with_subcode(2207004)
        .for_people(
            "Image size too large",
            "The image is too large to download. It should be less than 8 MiB.",
        )
}

pub(super) fn image_format() -> GraphError {
    GraphError::numbered(36001, "The image format is not supported.")
        .with_subcode(2207005)
        .for_people(
            "Unsupported image format",
            "The image format is not supported. Supported formats are: JPEG.",
        )
}

pub(super) fn aspect_ratio(width: u32, height: u32) -> GraphError {
    GraphError::numbered(
        36003,
        format!(
            "The submitted image with aspect ratio ('{width}/{height}') cannot be published. \
             Please submit an image with a valid aspect ratio."
        ),
    )
    .with_subcode(2207009)
    .for_people(
        "Aspect ratio not supported",
        "The aspect ratio is not supported. It must be between 4:5 and 1.91:1.",
    )
}

pub(super) fn caption(problem: CaptionProblem) -> GraphError {
    GraphError::numbered(
        36004,
        "The caption exceeded the maximum length or number of tags.",
    )
    .with_subcode(2207010)
    .for_people("Caption too long", &problem.describe())
}

pub(super) fn carousel(detail: &str) -> GraphError {
    GraphError::numbered(100, format!("Invalid carousel: {detail}"))
        .with_subcode(2207028)
        .for_people(
            "Carousel validation failed",
            "Carousels need between 2 and 10 photos or videos, each a finished carousel item \
             of this account not used in another carousel.",
        )
}

pub(super) fn unknown_media_type(detail: &str) -> GraphError {
    GraphError::numbered(100, detail)
        .with_subcode(2207023)
        .for_people("Unknown media type", detail)
}

/// Verbatim §3.4.
pub(super) fn not_ready() -> GraphError {
    GraphError::new(9007, "Media ID is not available")
        .with_subcode(2207027)
        .for_people(
            "Media is not ready",
            "The media is not ready for publishing, please wait for a moment",
        )
}

pub(super) fn expired() -> GraphError {
    GraphError::new(-2, "The media you are trying to access has expired.")
        .with_subcode(2207020)
        .for_people(
            "Media expired",
            "The media you are trying to access has expired. Please try to upload again.",
        )
}

pub(super) fn quota_reached() -> GraphError {
    GraphError::numbered(9, "Application request limit reached")
        .with_subcode(2207042)
        .for_people(
            "Max requests limit reached",
            "You reached maximum number of posts that is allowed to be published by Content \
             Publishing API.",
        )
}

/// UNCERTAIN (§8 item 7): Meta's code for this is unknown; 100, as the contract says.
pub(super) fn already_published(id: &str) -> GraphError {
    GraphError::numbered(
        100,
        format!("The media container {id} has already been published"),
    )
}

pub(super) fn container_not_found(id: &str) -> GraphError {
    GraphError::numbered(24, format!("The media with id {id} cannot be found"))
        .with_subcode(2207006)
        .for_people(
            "Media not found",
            "The media could not be found. It may have expired or been made by another account.",
        )
}

/// The permission family (§4.2: 10, 200–299); publishing to Instagram answers 10.
pub(super) fn missing_permission(scope: &str) -> GraphError {
    GraphError::numbered(
        10,
        format!("Application does not have permission for this action (needs {scope})"),
    )
}

/// How a video container fails when its `video_url` could not be downloaded.
pub(super) fn video_unreachable() -> ContainerFailure {
    ContainerFailure {
        subcode: 2207052,
        message: "The media could not be fetched from this URI.".to_owned(),
    }
}

/// How a video container fails when the download is not a video.
pub(super) fn video_format() -> ContainerFailure {
    ContainerFailure {
        subcode: 2207026,
        message: "The video format is not supported. Please check spec for supported formats."
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_subcodes_follow_the_table() {
        let pairs = [
            (
                media_unreachable("http://x").code,
                media_unreachable("http://x").subcode,
            ),
            (image_too_large().code, image_too_large().subcode),
            (image_format().code, image_format().subcode),
            (aspect_ratio(1, 3).code, aspect_ratio(1, 3).subcode),
            (not_ready().code, not_ready().subcode),
            (expired().code, expired().subcode),
            (quota_reached().code, quota_reached().subcode),
            (carousel("x").code, carousel("x").subcode),
        ];
        assert_eq!(
            pairs,
            [
                (9004, Some(2207052)),
                (36000, Some(2207004)),
                (36001, Some(2207005)),
                (36003, Some(2207009)),
                (9007, Some(2207027)),
                (-2, Some(2207020)),
                (9, Some(2207042)),
                (100, Some(2207028)),
            ]
        );
    }

    #[test]
    fn not_ready_carries_the_exact_words_of_the_contract() {
        let envelope = not_ready().envelope();
        assert_eq!(envelope["error"]["message"], "Media ID is not available");
        assert_eq!(
            envelope["error"]["error_user_msg"],
            "The media is not ready for publishing, please wait for a moment"
        );
        assert_eq!(envelope["error"]["is_transient"], false);
    }
}
