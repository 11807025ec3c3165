//! Checks a post against each chosen account's network before anything is sent. The browser
//! runs these as the person types; the server runs the same code when it saves or publishes.
//!
//! A finding either stops the post (it would be refused) or tells the person what Herald will
//! change on the way (a PNG sent to Instagram as JPEG, a panorama cropped). Findings that only
//! matter when publishing (Instagram needs a picture) do not stop a draft from being saved.

use serde::{Deserialize, Serialize};

use super::accounts::Network;
use super::counting::{self, length};
use super::ids::AccountId;
use super::limits::{Limits, limits_for};
use super::media::{Crop, MediaFacts, crop_into};
use super::post::{DraftTarget, PostDraft, PostFormat};

/// One rule a post breaks, or one change Herald makes, for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub account_id: AccountId,
    pub network: Network,
    pub rule: Rule,
}

/// Media positions are counted from 1, as the person sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    CaptionTooLong {
        length: usize,
        max: usize,
    },
    TooManyHashtags {
        count: usize,
        max: usize,
    },
    TooManyMentions {
        count: usize,
        max: usize,
    },
    NothingToPost,
    MediaRequired,
    /// A Story asked of a network that has none (only Instagram does).
    FormatNotOffered,
    /// Not a problem: a Story shows no caption, so the words stay in Herald.
    WordsNotShown,
    TooManyMedia {
        count: usize,
        max: usize,
    },
    /// Facebook posts a video on its own, never beside pictures or another video.
    VideoNotAlone,
    VideoFormat {
        position: usize,
    },
    VideoCodec {
        position: usize,
    },
    VideoTooLarge {
        position: usize,
        bytes: u64,
        max: u64,
    },
    VideoTooShort {
        position: usize,
        seconds: u64,
        min: u64,
    },
    VideoTooLong {
        position: usize,
        seconds: u64,
        max: u64,
    },
    VideoTooWide {
        position: usize,
        width: u32,
        max: u32,
    },
    /// Not a problem: Herald sends this picture as JPEG.
    ConvertedToJpeg {
        position: usize,
    },
    /// Not a problem: Herald sends the part of the picture inside `crop`.
    Cropped {
        position: usize,
        crop: Crop,
    },
    /// Not a problem: Herald scales the picture down to this width.
    ScaledDown {
        position: usize,
        width: u32,
    },
}

impl Rule {
    /// Whether the network would refuse the post as it stands.
    pub fn stops_publishing(&self) -> bool {
        !matches!(
            self,
            Rule::ConvertedToJpeg { .. }
                | Rule::Cropped { .. }
                | Rule::ScaledDown { .. }
                | Rule::WordsNotShown
        )
    }

    /// Whether even a draft may not be kept like this: a limit is exceeded, which only the
    /// person can fix. Something still missing (a picture for Instagram) is fine in a draft.
    pub fn stops_saving(&self) -> bool {
        self.stops_publishing() && !matches!(self, Rule::NothingToPost | Rule::MediaRequired)
    }
}

/// Every finding for every target of `draft`, targets in order.
pub fn check(draft: &PostDraft) -> Vec<Finding> {
    draft
        .targets
        .iter()
        .flat_map(|target| {
            check_target(draft, target).into_iter().map(|rule| Finding {
                account_id: target.account_id.clone(),
                network: target.network,
                rule,
            })
        })
        .collect()
}

fn check_target(draft: &PostDraft, target: &DraftTarget) -> Vec<Rule> {
    if !target.format.is_offered_on(target.network) {
        return vec![Rule::FormatNotOffered];
    }
    let limits = limits_for(target.network, target.format);
    let caption = draft.caption_for(target);
    let words = draft.words_for(target);
    let mut rules = caption_rules(&caption, limits);
    if target.format == PostFormat::Story && !words.trim().is_empty() {
        rules.push(Rule::WordsNotShown);
    }
    rules.extend(media_rules(draft, limits));
    if words.trim().is_empty() && draft.media.is_empty() {
        rules.push(Rule::NothingToPost);
    } else if !limits.text_only && draft.media.is_empty() {
        rules.push(Rule::MediaRequired);
    }
    rules
}

fn caption_rules(caption: &str, limits: &Limits) -> Vec<Rule> {
    let mut rules = Vec::new();
    let caption_length = length(caption, limits.counting);
    if caption_length > limits.caption_max {
        rules.push(Rule::CaptionTooLong {
            length: caption_length,
            max: limits.caption_max,
        });
    }
    if let Some(max) = limits.hashtags_max {
        let count = counting::hashtags(caption).len();
        if count > max {
            rules.push(Rule::TooManyHashtags { count, max });
        }
    }
    if let Some(max) = limits.mentions_max {
        let count = counting::mentions(caption).len();
        if count > max {
            rules.push(Rule::TooManyMentions { count, max });
        }
    }
    rules
}

fn media_rules(draft: &PostDraft, limits: &Limits) -> Vec<Rule> {
    let mut rules = Vec::new();
    let count = draft.media.len();
    if count > limits.media_max {
        rules.push(Rule::TooManyMedia {
            count,
            max: limits.media_max,
        });
    }
    let videos = draft.media.iter().filter(|m| m.facts.is_video()).count();
    if !limits.mixes_media && videos > 0 && count > 1 {
        rules.push(Rule::VideoNotAlone);
    }
    for (index, media) in draft.media.iter().enumerate() {
        let position = index + 1;
        match media.facts {
            MediaFacts::Image {
                format,
                width,
                height,
                bytes,
            } => {
                let images = &limits.images;
                if !images.takes_as_is(format) || bytes > images.max_bytes {
                    rules.push(Rule::ConvertedToJpeg { position });
                }
                if let Some((narrowest, widest)) = images.shapes {
                    let crop = crop_into(width, height, narrowest, widest, media.focus);
                    if crop != Crop::whole(width, height) {
                        rules.push(Rule::Cropped { position, crop });
                    }
                }
                if width > images.max_width {
                    rules.push(Rule::ScaledDown {
                        position,
                        width: images.max_width,
                    });
                }
            }
            MediaFacts::Video {
                container,
                codec,
                width,
                duration_ms,
                bytes,
                ..
            } => {
                let videos = &limits.videos;
                if !videos.containers.contains(&container) {
                    rules.push(Rule::VideoFormat { position });
                }
                if !videos.codecs.contains(&codec) {
                    rules.push(Rule::VideoCodec { position });
                }
                if bytes > videos.max_bytes {
                    rules.push(Rule::VideoTooLarge {
                        position,
                        bytes,
                        max: videos.max_bytes,
                    });
                }
                if duration_ms < videos.min_duration_ms {
                    rules.push(Rule::VideoTooShort {
                        position,
                        seconds: duration_ms / 1000,
                        min: videos.min_duration_ms / 1000,
                    });
                }
                if duration_ms > videos.max_duration_ms {
                    rules.push(Rule::VideoTooLong {
                        position,
                        seconds: duration_ms.div_ceil(1000),
                        max: videos.max_duration_ms / 1000,
                    });
                }
                if width > videos.max_width {
                    rules.push(Rule::VideoTooWide {
                        position,
                        width,
                        max: videos.max_width,
                    });
                }
            }
        }
    }
    rules
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ids::MediaId;
    use crate::domain::media::{FocalPoint, ImageFormat, VideoCodec, VideoContainer};
    use crate::domain::post::DraftMedia;

    fn target(id: &str, network: Network) -> DraftTarget {
        DraftTarget {
            account_id: AccountId::from(id.to_owned()),
            network,
            variant: None,
            format: PostFormat::Feed,
        }
    }

    fn image(format: ImageFormat, width: u32, height: u32) -> DraftMedia {
        DraftMedia {
            id: MediaId::from(format!("m{width}x{height}")),
            facts: MediaFacts::Image {
                format,
                width,
                height,
                bytes: 200_000,
            },
            focus: FocalPoint::CENTRE,
        }
    }

    fn video(seconds: u64) -> DraftMedia {
        DraftMedia {
            id: MediaId::from("v".to_owned()),
            facts: MediaFacts::Video {
                container: VideoContainer::Mp4,
                codec: VideoCodec::H264,
                width: 1080,
                height: 1920,
                duration_ms: seconds * 1000,
                bytes: 5_000_000,
            },
            focus: FocalPoint::CENTRE,
        }
    }

    fn both(text: &str, media: Vec<DraftMedia>) -> PostDraft {
        PostDraft {
            text: text.into(),
            targets: vec![
                target("fb", Network::Facebook),
                target("ig", Network::Instagram),
            ],
            media,
            ..PostDraft::default()
        }
    }

    fn rules_for(findings: &[Finding], account: &str) -> Vec<Rule> {
        findings
            .iter()
            .filter(|f| f.account_id.as_str() == account)
            .map(|f| f.rule.clone())
            .collect()
    }

    #[test]
    fn a_long_caption_concerns_instagram_only() {
        let findings = check(&both(
            &"a".repeat(3000),
            vec![image(ImageFormat::Jpeg, 1080, 1080)],
        ));
        assert!(rules_for(&findings, "fb").is_empty());
        assert_eq!(
            rules_for(&findings, "ig"),
            [Rule::CaptionTooLong {
                length: 3000,
                max: 2200
            }]
        );
        assert!(findings[0].rule.stops_saving());
    }

    #[test]
    fn emoji_count_double_towards_instagrams_limit() {
        let draft = both(
            &"🙂".repeat(1101),
            vec![image(ImageFormat::Jpeg, 1080, 1080)],
        );
        assert_eq!(
            rules_for(&check(&draft), "ig"),
            [Rule::CaptionTooLong {
                length: 2202,
                max: 2200
            }]
        );
    }

    #[test]
    fn hashtags_and_mentions_are_counted_in_the_assembled_caption() {
        let mut draft = both("Hello", vec![image(ImageFormat::Jpeg, 1080, 1080)]);
        draft.hashtags = (1..=31)
            .map(|n| format!("tag{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        draft.text = (1..=21)
            .map(|n| format!("@user{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(
            rules_for(&check(&draft), "ig"),
            [
                Rule::TooManyHashtags { count: 31, max: 30 },
                Rule::TooManyMentions { count: 21, max: 20 }
            ]
        );
    }

    #[test]
    fn eleven_items_are_too_many_for_both() {
        let media = (0..11)
            .map(|n| image(ImageFormat::Jpeg, 1000 + n, 1000))
            .collect();
        let findings = check(&both("Eleven", media));
        for account in ["fb", "ig"] {
            assert_eq!(
                rules_for(&findings, account),
                [Rule::TooManyMedia { count: 11, max: 10 }]
            );
        }
    }

    #[test]
    fn instagram_needs_a_picture_but_a_draft_may_wait_for_one() {
        let findings = check(&both("Text only", vec![]));
        assert!(rules_for(&findings, "fb").is_empty());
        assert_eq!(rules_for(&findings, "ig"), [Rule::MediaRequired]);
        assert!(!Rule::MediaRequired.stops_saving());
        assert!(Rule::MediaRequired.stops_publishing());
    }

    #[test]
    fn pictures_are_fitted_to_instagram_and_only_reported() {
        let findings = check(&both(
            "Pictures",
            vec![
                image(ImageFormat::Png, 3000, 1000),
                image(ImageFormat::Jpeg, 1000, 2000),
            ],
        ));
        assert!(rules_for(&findings, "fb").is_empty());
        let instagram = rules_for(&findings, "ig");
        assert_eq!(
            instagram,
            [
                Rule::ConvertedToJpeg { position: 1 },
                Rule::Cropped {
                    position: 1,
                    crop: Crop {
                        x: 545,
                        y: 0,
                        width: 1910,
                        height: 1000
                    }
                },
                Rule::ScaledDown {
                    position: 1,
                    width: 1440
                },
                Rule::Cropped {
                    position: 2,
                    crop: Crop {
                        x: 0,
                        y: 375,
                        width: 1000,
                        height: 1250
                    }
                },
            ]
        );
        assert!(instagram.iter().all(|rule| !rule.stops_publishing()));
    }

    #[test]
    fn facebook_posts_a_video_alone_and_instagram_checks_its_length() {
        let findings = check(&both(
            "Clip",
            vec![video(2), image(ImageFormat::Jpeg, 1080, 1080)],
        ));
        assert_eq!(rules_for(&findings, "fb"), [Rule::VideoNotAlone]);
        assert_eq!(
            rules_for(&findings, "ig"),
            [Rule::VideoTooShort {
                position: 1,
                seconds: 2,
                min: 3
            }]
        );
    }

    #[test]
    fn an_empty_post_has_nothing_to_post() {
        let findings = check(&both("   ", vec![]));
        assert_eq!(rules_for(&findings, "fb"), [Rule::NothingToPost]);
        assert_eq!(rules_for(&findings, "ig"), [Rule::NothingToPost]);
    }

    fn story(text: &str, media: Vec<DraftMedia>) -> PostDraft {
        PostDraft {
            text: text.into(),
            targets: vec![DraftTarget {
                format: PostFormat::Story,
                ..target("ig", Network::Instagram)
            }],
            media,
            ..PostDraft::default()
        }
    }

    #[test]
    fn a_story_takes_one_uncropped_picture_and_says_its_words_are_not_shown() {
        let tall = image(ImageFormat::Jpeg, 1080, 1920);
        assert_eq!(rules_for(&check(&story("", vec![tall.clone()])), "ig"), []);
        let findings = check(&story("Tonight only", vec![tall.clone(), tall]));
        assert_eq!(
            rules_for(&findings, "ig"),
            [Rule::WordsNotShown, Rule::TooManyMedia { count: 2, max: 1 }]
        );
        assert!(!Rule::WordsNotShown.stops_publishing());
        assert_eq!(
            rules_for(&check(&story("Words only", vec![])), "ig"),
            [Rule::WordsNotShown, Rule::MediaRequired]
        );
    }

    #[test]
    fn a_story_video_lasts_three_to_sixty_seconds() {
        assert_eq!(
            rules_for(&check(&story("", vec![video(61)])), "ig"),
            [Rule::VideoTooLong {
                position: 1,
                seconds: 61,
                max: 60
            }]
        );
        assert_eq!(rules_for(&check(&story("", vec![video(60)])), "ig"), []);
    }

    #[test]
    fn only_instagram_has_stories() {
        let draft = PostDraft {
            text: "Hello".into(),
            targets: vec![DraftTarget {
                format: PostFormat::Story,
                ..target("fb", Network::Facebook)
            }],
            ..PostDraft::default()
        };
        let findings = check(&draft);
        assert_eq!(rules_for(&findings, "fb"), [Rule::FormatNotOffered]);
        assert!(findings[0].rule.stops_saving());
    }
}
