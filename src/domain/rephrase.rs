//! The ready-made rephrasing instructions the composer offers, and the limits on what a person
//! may ask of the model, and the proposals a model writes. Shared so the browser words the
//! buttons and the server the prompts.

use serde::{Deserialize, Serialize};

use crate::error::Problem;

use super::ValidationError;
use super::{PostId, RevisionId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    Shorter,
    Friendlier,
    MoreProfessional,
    AddEmojis,
    AddHashtags,
    ToFrench,
    ToEnglish,
}

impl Preset {
    pub const ALL: [Preset; 7] = [
        Preset::Shorter,
        Preset::Friendlier,
        Preset::MoreProfessional,
        Preset::AddEmojis,
        Preset::AddHashtags,
        Preset::ToFrench,
        Preset::ToEnglish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Preset::Shorter => "shorter",
            Preset::Friendlier => "friendlier",
            Preset::MoreProfessional => "more_professional",
            Preset::AddEmojis => "add_emojis",
            Preset::AddHashtags => "add_hashtags",
            Preset::ToFrench => "to_french",
            Preset::ToEnglish => "to_english",
        }
    }

    pub fn parse(raw: &str) -> Option<Preset> {
        Preset::ALL
            .into_iter()
            .find(|preset| preset.as_str() == raw.trim())
    }

    /// The instruction the model is given (in English, which every model follows best).
    pub fn instruction(self) -> &'static str {
        match self {
            Preset::Shorter => "Make it shorter. Keep the meaning and the language.",
            Preset::Friendlier => "Make it friendlier and warmer. Keep the language.",
            Preset::MoreProfessional => {
                "Make it more professional and polished. Keep the language."
            }
            Preset::AddEmojis => "Add a few fitting emojis. Change nothing else.",
            Preset::AddHashtags => {
                "Add three to five relevant hashtags at the end. Change nothing else."
            }
            Preset::ToFrench => "Translate it to French.",
            Preset::ToEnglish => "Translate it to English.",
        }
    }
}

/// What the person asked: a preset, or their own words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Instruction {
    Preset(Preset),
    Own(String),
}

impl Instruction {
    /// The longest instruction of one's own, in characters.
    pub const MAX_CHARS: usize = 500;

    /// A preset by name, else the person's own words, which must say something.
    pub fn parse(preset: Option<&str>, own: &str) -> Result<Instruction, ValidationError> {
        if let Some(preset) = preset.filter(|raw| !raw.trim().is_empty()) {
            return Preset::parse(preset)
                .map(Instruction::Preset)
                .ok_or_else(|| ValidationError::new("instruction", Problem::AiInstructionMissing));
        }
        let own = own.trim();
        if own.is_empty() {
            return Err(ValidationError::new(
                "instruction",
                Problem::AiInstructionMissing,
            ));
        }
        if own.chars().count() > Instruction::MAX_CHARS {
            return Err(ValidationError::new(
                "instruction",
                Problem::AiInstructionTooLong {
                    max: Instruction::MAX_CHARS,
                },
            ));
        }
        Ok(Instruction::Own(own.to_owned()))
    }

    /// What the model is told.
    pub fn for_model(&self) -> &str {
        match self {
            Instruction::Preset(preset) => preset.instruction(),
            Instruction::Own(words) => words,
        }
    }

    /// What is kept and listed: the preset's name, or the words.
    pub fn to_text(&self) -> String {
        match self {
            Instruction::Preset(preset) => format!("preset:{}", preset.as_str()),
            Instruction::Own(words) => words.clone(),
        }
    }

    pub fn from_text(text: &str) -> Instruction {
        text.strip_prefix("preset:")
            .and_then(Preset::parse)
            .map(Instruction::Preset)
            .unwrap_or_else(|| Instruction::Own(text.to_owned()))
    }
}

/// What the AI controls may offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiStatus {
    /// False: the controls explain how to set AI up instead.
    pub configured: bool,
    pub images: bool,
    pub model: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevisionStatus {
    /// The model is still writing it.
    Writing,
    /// Written, waiting for Confirm, Cancel or Modify again.
    Open,
    Accepted,
    Cancelled,
    /// "Modify again" made a newer proposal from it.
    Replaced,
    Failed,
}

text_forms!(RevisionStatus {
    Writing => "writing",
    Open => "open",
    Accepted => "accepted",
    Cancelled => "cancelled",
    Replaced => "replaced",
    Failed => "failed",
});

impl RevisionStatus {
    /// Writing or waiting for an answer: the post's own controls wait.
    pub fn is_pending(self) -> bool {
        matches!(self, RevisionStatus::Writing | RevisionStatus::Open)
    }
}

/// One proposal, as the preview and the post's list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionView {
    pub id: RevisionId,
    pub post_id: PostId,
    pub parent_id: Option<RevisionId>,
    pub instruction: Instruction,
    pub input: String,
    pub output: String,
    pub model: String,
    pub status: RevisionStatus,
    /// `length`: the model stopped at its limit, and the text may be cut short.
    pub finish_reason: Option<String>,
    pub problem: Option<Problem>,
    pub created_at: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_read_back_from_their_names() {
        for preset in Preset::ALL {
            assert_eq!(Preset::parse(preset.as_str()), Some(preset));
            let instruction = Instruction::Preset(preset);
            assert_eq!(Instruction::from_text(&instruction.to_text()), instruction);
        }
    }

    #[test]
    fn an_instruction_must_say_something_and_not_too_much() {
        assert_eq!(
            Instruction::parse(None, "  make it rhyme "),
            Ok(Instruction::Own("make it rhyme".to_owned()))
        );
        assert_eq!(
            Instruction::parse(Some("shorter"), "ignored"),
            Ok(Instruction::Preset(Preset::Shorter))
        );
        assert!(Instruction::parse(None, "   ").is_err());
        assert!(Instruction::parse(Some("louder"), "").is_err());
        let long = "a".repeat(Instruction::MAX_CHARS + 1);
        assert!(Instruction::parse(None, &long).is_err());
    }
}
