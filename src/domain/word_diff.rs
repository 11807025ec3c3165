//! Which words a rewrite changed, so the preview can mark them on both sides: removed words
//! in the original, added words in the proposal. `similar` finds the changes.

use similar::{ChangeTag, TextDiff};

/// A run of text, changed or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub changed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WordDiff {
    /// The original, its removed words marked.
    pub before: Vec<Piece>,
    /// The rewrite, its added words marked.
    pub after: Vec<Piece>,
}

pub fn word_diff(before: &str, after: &str) -> WordDiff {
    let mut diff = WordDiff::default();
    for change in TextDiff::from_words(before, after).iter_all_changes() {
        let text = change.value();
        // Spacing that moved is not worth a mark.
        let changed = !text.trim().is_empty();
        match change.tag() {
            ChangeTag::Equal => {
                push(&mut diff.before, text, false);
                push(&mut diff.after, text, false);
            }
            ChangeTag::Delete => push(&mut diff.before, text, changed),
            ChangeTag::Insert => push(&mut diff.after, text, changed),
        }
    }
    diff
}

/// Adds `text`, joining it to the last run when that is marked the same way.
fn push(pieces: &mut Vec<Piece>, text: &str, changed: bool) {
    match pieces.last_mut() {
        Some(last) if last.changed == changed => last.text.push_str(text),
        _ => pieces.push(Piece {
            text: text.to_owned(),
            changed,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(pieces: &[Piece]) -> String {
        pieces
            .iter()
            .map(|piece| {
                if piece.changed {
                    format!("[{}]", piece.text)
                } else {
                    piece.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn removed_and_added_words_are_marked_on_their_own_side() {
        let diff = word_diff(
            "Our bakery opens on Monday. Come taste!",
            "Our bakery opens Monday. 🎉",
        );
        let before = marked(&diff.before);
        let after = marked(&diff.after);
        assert!(before.starts_with("Our bakery opens [on]"), "{before}");
        assert!(
            before.contains("[Come]") && before.contains("[taste!]"),
            "{before}"
        );
        assert!(after.starts_with("Our bakery opens Monday."), "{after}");
        assert!(after.ends_with("[🎉]"), "{after}");
        // Both sides keep every character of their text.
        let text = |pieces: &[Piece]| pieces.iter().map(|p| p.text.as_str()).collect::<String>();
        assert_eq!(
            text(&diff.before),
            "Our bakery opens on Monday. Come taste!"
        );
        assert_eq!(text(&diff.after), "Our bakery opens Monday. 🎉");
    }

    #[test]
    fn the_same_text_has_no_marks() {
        let diff = word_diff("Same words here", "Same words here");
        assert_eq!(diff.before, diff.after);
        assert!(diff.after.iter().all(|piece| !piece.changed));
    }
}
