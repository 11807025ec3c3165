//! How long a text is the way a network counts it, and the hashtags, mentions and links in it.
//!
//! Networks do not agree on what a "character" is: Meta's limits are documented in characters
//! without saying which kind, Bluesky counts grapheme clusters, Threads counts UTF-8 bytes. Where
//! the contract is silent Herald counts in UTF-16 code units, the largest of the plausible
//! readings for any text (an emoji is 2, a flag 4, a family 8), so a caption Herald accepts is
//! never refused for its length by a network that counts otherwise.

use unicode_segmentation::UnicodeSegmentation;

/// A unit of text length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Counting {
    /// UTF-16 code units: what JavaScript's `length` and Meta's back end see.
    Utf16Units,
    /// User-perceived characters (extended grapheme clusters).
    Graphemes,
}

pub fn length(text: &str, counting: Counting) -> usize {
    match counting {
        Counting::Utf16Units => text.encode_utf16().count(),
        Counting::Graphemes => text.graphemes(true).count(),
    }
}

/// The hashtags in `text`, each with its `#`.
///
/// A hashtag starts at a `#` (or the full-width `＃`) that does not follow a letter, digit or
/// `_` — so `C#` and `a#b` are not hashtags — and runs over whole grapheme clusters that start
/// with a letter, a digit or `_`; combining marks and vowel signs travel with their letter, so
/// `#café` and `#हिन्दी` are one tag each. A run of digits alone (`#1`) is not a hashtag.
pub fn hashtags(text: &str) -> Vec<&str> {
    tags(text, &['#', '＃'], starts_with_word_char, 0)
        .into_iter()
        .filter(|tag| tag.chars().any(char::is_alphabetic))
        .collect()
}

/// The @-mentions in `text`, each with its `@`: Instagram and Facebook usernames are ASCII
/// letters, digits, `.` and `_`, at most 30 of them; an e-mail address is not a mention.
pub fn mentions(text: &str) -> Vec<&str> {
    tags(
        text,
        &['@'],
        |cluster| {
            cluster.len() == 1
                && cluster
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_')
        },
        30,
    )
    .into_iter()
    .map(|tag| tag.trim_end_matches('.'))
    .filter(|tag| tag.len() > 1)
    .collect()
}

/// The `http://` and `https://` links in `text`, without trailing punctuation.
pub fn links(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let mut rest_start = 0;
    while let Some(offset) = find_scheme(&text[rest_start..]) {
        let start = rest_start + offset;
        let preceded_by_word = text[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric());
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"'))
            .map_or(text.len(), |length| start + length);
        let link = text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
        let has_host = link
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty());
        if !preceded_by_word && has_host {
            found.push(link);
        }
        rest_start = end.max(start + 1);
    }
    found
}

fn find_scheme(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    match (lower.find("http://"), lower.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

fn starts_with_word_char(cluster: &str) -> bool {
    cluster
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || c == '_')
}

/// Spans that start with one of `markers` not preceded by a word character and continue over
/// grapheme clusters accepted by `continues` (at most `max_clusters` of them when non-zero).
fn tags<'a>(
    text: &'a str,
    markers: &[char],
    continues: impl Fn(&str) -> bool,
    max_clusters: usize,
) -> Vec<&'a str> {
    let mut found = Vec::new();
    let clusters: Vec<(usize, &str)> = text.grapheme_indices(true).collect();
    let mut index = 0;
    while index < clusters.len() {
        let (start, cluster) = clusters[index];
        let is_marker = cluster.chars().count() == 1
            && cluster.chars().next().is_some_and(|c| markers.contains(&c));
        let after_word = index > 0 && {
            let previous = clusters[index - 1].1;
            // A cluster ending in a space is a space, whatever starts it: a "prepended" mark
            // (Masaram Gondi's repha, say) joins the space after it into one cluster.
            let ends_in_space = previous
                .chars()
                .next_back()
                .is_some_and(char::is_whitespace);
            !ends_in_space
                && (starts_with_word_char(previous)
                    || markers.iter().any(|m| previous.starts_with(*m)))
        };
        if !is_marker || after_word {
            index += 1;
            continue;
        }
        let mut next = index + 1;
        while next < clusters.len()
            && continues(clusters[next].1)
            && (max_clusters == 0 || next - index <= max_clusters)
        {
            next += 1;
        }
        if next > index + 1 {
            let end = clusters.get(next).map_or(text.len(), |(offset, _)| *offset);
            found.push(&text[start..end]);
        }
        index = next.max(index + 1);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn emoji_count_by_their_code_units_and_as_one_grapheme() {
        let family = "👨‍👩‍👧‍👦";
        assert_eq!(length(family, Counting::Utf16Units), 11);
        assert_eq!(length(family, Counting::Graphemes), 1);
        assert_eq!(length("🇫🇷", Counting::Utf16Units), 4);
        assert_eq!(length("🇫🇷", Counting::Graphemes), 1);
        assert_eq!(length("e\u{301}", Counting::Utf16Units), 2);
        assert_eq!(length("e\u{301}", Counting::Graphemes), 1);
    }

    #[test]
    fn hashtags_in_several_scripts_are_found_whole() {
        let text = "Fresh #café #東京 #हिन्दी #Привет_мир #مرحبا and #ไทย!";
        assert_eq!(
            hashtags(text),
            ["#café", "#東京", "#हिन्दी", "#Привет_мир", "#مرحبا", "#ไทย"]
        );
    }

    #[test]
    fn things_that_look_like_hashtags_are_not() {
        assert!(hashtags("C# and a#b and #1 and # alone and ##").is_empty());
        assert_eq!(hashtags("#2024goals"), ["#2024goals"]);
        assert_eq!(hashtags("#one#two"), ["#one"]);
        assert_eq!(hashtags("＃全角"), ["＃全角"]);
        assert_eq!(hashtags("#love❤️ and #party🎉"), ["#love", "#party"]);
        // A prepended mark before a space does not make the tag after it "inside a word".
        assert_eq!(hashtags("\u{11d46} #a"), ["#a"]);
    }

    #[test]
    fn mentions_are_usernames_and_emails_are_not() {
        assert_eq!(
            mentions("Thanks @acme.shop and @jane_doe. Mail me at jo@example.com"),
            ["@acme.shop", "@jane_doe"]
        );
        assert!(mentions("@ alone, and @@double").is_empty());
    }

    #[test]
    fn links_lose_trailing_punctuation() {
        assert_eq!(
            links("See https://example.com/a?b=1, (http://x.org/y). Not ftp://z nor xhttp://q"),
            ["https://example.com/a?b=1", "http://x.org/y"]
        );
        assert!(links("https:// is not a link").is_empty());
    }

    proptest! {
        #[test]
        fn graphemes_never_outnumber_code_units(text in "\\PC{0,80}") {
            prop_assert!(length(&text, Counting::Graphemes) <= length(&text, Counting::Utf16Units));
            prop_assert!(length(&text, Counting::Utf16Units) <= text.len());
        }

        #[test]
        fn lengths_add_up_over_a_space(a in "\\PC{0,40}", b in "\\PC{0,40}") {
            let joined = format!("{a} {b}");
            prop_assert_eq!(
                length(&joined, Counting::Utf16Units),
                length(&a, Counting::Utf16Units) + 1 + length(&b, Counting::Utf16Units)
            );
        }

        #[test]
        fn every_hashtag_starts_with_its_mark_and_has_a_letter(text in "[#＃a-zé東 _1\u{301}]{0,60}") {
            for tag in hashtags(&text) {
                prop_assert!(tag.starts_with('#') || tag.starts_with('＃'));
                prop_assert!(tag.chars().any(char::is_alphabetic));
                prop_assert!(!tag.contains(' '));
                prop_assert!(text.contains(tag));
            }
        }

        #[test]
        fn a_hashtag_written_after_a_space_is_always_found(word in "[a-zA-Zé東ไ][a-z0-9_é]{0,20}", before in "\\PC{0,20}") {
            let text = format!("{before} #{word}");
            let tags = hashtags(&text);
            let expected = format!("#{word}");
            prop_assert_eq!(tags.last().copied(), Some(expected.as_str()));
        }

        #[test]
        fn links_are_found_whatever_surrounds_them(path in "[a-z0-9/]{0,20}", before in "[^a-zA-Z0-9]{0,10}") {
            let link = format!("https://example.com/{path}");
            let text = format!("{before} {link} end");
            prop_assert_eq!(links(&text), vec![link.as_str()]);
        }
    }
}
