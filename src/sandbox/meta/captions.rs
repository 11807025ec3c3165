//! Instagram's caption limits (§3.1): at most 2 200 characters, 30 hashtags and 20 @-tags.

const MAX_CHARACTERS: usize = 2_200;
const MAX_HASHTAGS: usize = 30;
const MAX_MENTIONS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// Which limit a caption is over, and by how much.
pub(super) enum CaptionProblem {
    Characters { characters: usize },
    Hashtags { hashtags: usize },
    Mentions { mentions: usize },
}

impl CaptionProblem {
    pub fn describe(self) -> String {
        match self {
            CaptionProblem::Characters { characters } => format!(
                "The caption has {characters} characters; at most {MAX_CHARACTERS} are allowed."
            ),
            CaptionProblem::Hashtags { hashtags } => {
                format!("The caption has {hashtags} hashtags; at most {MAX_HASHTAGS} are allowed.")
            }
            CaptionProblem::Mentions { mentions } => {
                format!("The caption has {mentions} @ tags; at most {MAX_MENTIONS} are allowed.")
            }
        }
    }
}

pub(super) fn check(caption: &str) -> Result<(), CaptionProblem> {
    let characters = caption.chars().count();
    if characters > MAX_CHARACTERS {
        return Err(CaptionProblem::Characters { characters });
    }
    let hashtags = tags(caption, '#');
    if hashtags > MAX_HASHTAGS {
        return Err(CaptionProblem::Hashtags { hashtags });
    }
    let mentions = tags(caption, '@');
    if mentions > MAX_MENTIONS {
        return Err(CaptionProblem::Mentions { mentions });
    }
    Ok(())
}

/// `marker` starting a word and followed by one: "#tag", "@name", but not "a@b.com" or "# ".
fn tags(caption: &str, marker: char) -> usize {
    let characters: Vec<char> = caption.chars().collect();
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    characters
        .iter()
        .enumerate()
        .filter(|(index, character)| {
            **character == marker
                && (*index == 0 || !is_word(characters[index - 1]))
                && characters.get(index + 1).is_some_and(|next| is_word(*next))
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_are_counted_not_bytes() {
        assert!(check(&"é".repeat(2_200)).is_ok());
        assert_eq!(
            check(&"a".repeat(2_201)),
            Err(CaptionProblem::Characters { characters: 2_201 })
        );
    }

    #[test]
    fn hashtags_and_mentions_are_counted_as_tags_only() {
        let thirty: String = (0..30).map(|n| format!("#t{n} ")).collect();
        assert!(check(&thirty).is_ok());
        assert_eq!(
            check(&format!("{thirty}#one_more")),
            Err(CaptionProblem::Hashtags { hashtags: 31 })
        );
        let mentions: String = (0..21).map(|n| format!("@u{n} ")).collect();
        assert_eq!(
            check(&mentions),
            Err(CaptionProblem::Mentions { mentions: 21 })
        );
        assert_eq!(tags("mail a@b.com, # alone, ##x", '#'), 1);
        assert_eq!(tags("mail a@b.com", '@'), 0);
    }
}
