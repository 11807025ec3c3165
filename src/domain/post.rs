//! A post as written: one text, optional hashtags and call to action, the accounts it goes to
//! (each may have its own text), and its media in order. The caption each account receives is
//! assembled here, so the browser's preview and the server's publisher send the same words.

use serde::{Deserialize, Serialize};

use super::accounts::Network;
use super::ids::{AccountId, MediaId};
use super::media::{FocalPoint, MediaFacts};

/// The longest text Herald keeps for a post or a variant, whatever the networks allow: a
/// bound on what a request may make the server store, well above every network's limit.
pub const TEXT_MAX_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PostDraft {
    pub text: String,
    /// Hashtags as typed (`summer, #sale`); [`normalized_hashtags`] gives the caption's form.
    pub hashtags: String,
    pub call_to_action: String,
    pub targets: Vec<DraftTarget>,
    pub media: Vec<DraftMedia>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftTarget {
    pub account_id: AccountId,
    pub network: Network,
    /// This account's own text, used instead of the post's text when present.
    pub variant: Option<String>,
    #[serde(default)]
    pub format: PostFormat,
}

/// Where on the account the post appears: in its feed, or as a Story that shows for 24 hours
/// (Instagram only; a Story carries one picture or video and no caption, spec §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostFormat {
    #[default]
    Feed,
    Story,
}

text_forms!(PostFormat {
    Feed => "feed",
    Story => "story",
});

impl PostFormat {
    /// Whether `network` has this kind of post.
    pub fn is_offered_on(self, network: Network) -> bool {
        self == PostFormat::Feed || network == Network::Instagram
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftMedia {
    pub id: MediaId,
    pub facts: MediaFacts,
    pub focus: FocalPoint,
}

impl PostDraft {
    /// The caption `target` receives: nothing for a Story, which has none; otherwise
    /// [`PostDraft::words_for`].
    pub fn caption_for(&self, target: &DraftTarget) -> String {
        match target.format {
            PostFormat::Feed => self.words_for(target),
            PostFormat::Story => String::new(),
        }
    }

    /// What the person wrote for `target`: its own text or the post's, then the call to
    /// action, then the hashtags, each separated by a blank line.
    pub fn words_for(&self, target: &DraftTarget) -> String {
        let body = target
            .variant
            .as_deref()
            .filter(|variant| !variant.trim().is_empty())
            .unwrap_or(&self.text);
        let tags = normalized_hashtags(&self.hashtags).join(" ");
        [body.trim(), self.call_to_action.trim(), tags.as_str()]
            .into_iter()
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    pub fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.media.is_empty()
            && self.targets.iter().all(|target| {
                target
                    .variant
                    .as_deref()
                    .is_none_or(|v| v.trim().is_empty())
            })
    }
}

/// Hashtags typed as a list (`summer, #sale  été`) in caption form (`#summer #sale #été`),
/// each once, in the order typed.
pub fn normalized_hashtags(typed: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for word in typed.split(|c: char| c.is_whitespace() || c == ',') {
        let word = word.trim_start_matches(['#', '＃']);
        if word.is_empty() {
            continue;
        }
        let tag = format!("#{word}");
        if !tags
            .iter()
            .any(|known| known.to_lowercase() == tag.to_lowercase())
        {
            tags.push(tag);
        }
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(variant: Option<&str>) -> DraftTarget {
        DraftTarget {
            account_id: AccountId::from("a1".to_owned()),
            network: Network::Instagram,
            variant: variant.map(str::to_owned),
            format: PostFormat::Feed,
        }
    }

    #[test]
    fn the_caption_is_text_then_call_to_action_then_hashtags() {
        let draft = PostDraft {
            text: "New menu today.\n".into(),
            hashtags: "food, #lunch  food".into(),
            call_to_action: "Book a table at the link in bio.".into(),
            ..PostDraft::default()
        };
        assert_eq!(
            draft.caption_for(&target(None)),
            "New menu today.\n\nBook a table at the link in bio.\n\n#food #lunch"
        );
        assert_eq!(
            draft
                .caption_for(&target(Some("Nouveau menu")))
                .lines()
                .next(),
            Some("Nouveau menu")
        );
        assert_eq!(
            draft.caption_for(&target(Some("  "))).lines().next(),
            Some("New menu today.")
        );
    }

    #[test]
    fn a_story_has_no_caption_though_its_words_are_kept() {
        let draft = PostDraft {
            text: "Open late tonight".into(),
            ..PostDraft::default()
        };
        let story = DraftTarget {
            format: PostFormat::Story,
            ..target(None)
        };
        assert_eq!(draft.caption_for(&story), "");
        assert_eq!(draft.words_for(&story), "Open late tonight");
        assert!(!PostFormat::Story.is_offered_on(Network::Facebook));
        assert!(PostFormat::Story.is_offered_on(Network::Instagram));
        assert_eq!(PostFormat::parse("story"), Some(PostFormat::Story));
    }

    #[test]
    fn a_draft_with_nothing_written_is_empty() {
        assert!(PostDraft::default().is_empty());
        assert!(
            !PostDraft {
                targets: vec![target(Some("only here"))],
                ..PostDraft::default()
            }
            .is_empty()
        );
    }
}
