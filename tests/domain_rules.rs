//! The counting and validation rules give the same answers in the browser (wasm32) as on the
//! server: this file runs on both targets (`scripts/test` runs it under
//! `wasm-bindgen-test-runner` too) against the same fixed expectations.

use herald::domain::AccountId;
use herald::domain::accounts::Network;
use herald::domain::counting::{self, Counting, length};
use herald::domain::post::{DraftTarget, PostDraft, PostFormat};
use herald::domain::post_rules::{Rule, check};

#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

/// Text, UTF-16 units, graphemes, hashtags, mentions, links.
const CORPUS: &[(&str, usize, usize, usize, usize, usize)] = &[
    ("", 0, 0, 0, 0, 0),
    ("plain ascii", 11, 11, 0, 0, 0),
    ("👨‍👩‍👧‍👦", 11, 1, 0, 0, 0),
    ("🇫🇷🇩🇪", 8, 2, 0, 0, 0),
    ("🏳️‍🌈 pride", 12, 7, 0, 0, 0),
    ("e\u{301}te\u{301}", 5, 3, 0, 0, 0),
    ("नमस्ते", 6, 3, 0, 0, 0),
    ("#café #東京 #हिन्दी #Привет #مرحبا", 32, 28, 5, 0, 0),
    ("C# a#b #1 ## #ok", 16, 16, 1, 0, 0),
    ("@acme.shop @jane_doe. jo@example.com", 36, 36, 0, 2, 0),
    (
        "see https://example.com/a?b=1, (http://x.org/y).",
        48,
        48,
        0,
        0,
        2,
    ),
    ("#love❤️ #party🎉 @you", 21, 19, 2, 1, 0),
    ("ｆｕｌｌ ＃全角 tag", 12, 12, 1, 0, 0),
];

#[test]
fn the_corpus_counts_the_same_everywhere() {
    for &(text, units, graphemes, tags, mentions, links) in CORPUS {
        assert_eq!(
            length(text, Counting::Utf16Units),
            units,
            "units of {text:?}"
        );
        assert_eq!(
            length(text, Counting::Graphemes),
            graphemes,
            "graphemes of {text:?}"
        );
        assert_eq!(counting::hashtags(text).len(), tags, "hashtags of {text:?}");
        assert_eq!(
            counting::mentions(text).len(),
            mentions,
            "mentions of {text:?}"
        );
        assert_eq!(counting::links(text).len(), links, "links of {text:?}");
    }
}

/// Pieces the generated texts are made of: the awkward cases, mixed at random.
const PIECES: &[&str] = &[
    "a",
    "Z",
    " ",
    "\n",
    "#",
    "＃",
    "@",
    ".",
    "_",
    "1",
    "é",
    "e\u{301}",
    "東",
    "ไ",
    "न",
    "्",
    "🙂",
    "👨‍👩‍👧",
    "🇫🇷",
    "‍",
    "️",
    "https://",
    "example.com",
    "/",
    ",",
    "(",
    ")",
    "tag",
    "user",
];

/// A tiny deterministic generator (xorshift64*), so both targets see the same texts.
struct Texts(u64);

impl Iterator for Texts {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        let mut pick = || {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let pieces = (pick() % 40) as usize;
        Some(
            (0..pieces)
                .map(|_| PIECES[(pick() % PIECES.len() as u64) as usize])
                .collect(),
        )
    }
}

/// FNV-1a over every answer for 5,000 generated texts. The figure was taken from the server
/// build; the browser build must reach the same one.
#[test]
fn generated_texts_count_the_same_everywhere() {
    let mut digest: u64 = 0xcbf2_9ce4_8422_2325;
    let mut mix = |value: usize| {
        for byte in (value as u64).to_le_bytes() {
            digest ^= u64::from(byte);
            digest = digest.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for text in Texts(0x9e37_79b9_7f4a_7c15).take(5_000) {
        mix(length(&text, Counting::Utf16Units));
        mix(length(&text, Counting::Graphemes));
        for tag in counting::hashtags(&text) {
            mix(tag.len());
        }
        for mention in counting::mentions(&text) {
            mix(mention.len());
        }
        for link in counting::links(&text) {
            mix(link.len());
        }
    }
    assert_eq!(digest, EXPECTED_DIGEST, "digest {digest:#x}");
}

const EXPECTED_DIGEST: u64 = 0x8629_dc00_8a96_40f7;

#[test]
fn a_too_long_instagram_caption_is_found_on_both_targets() {
    let draft = PostDraft {
        text: "🙂".repeat(1_500),
        targets: vec![
            DraftTarget {
                account_id: AccountId::from("page".to_owned()),
                network: Network::Facebook,
                variant: None,
                format: PostFormat::Feed,
            },
            DraftTarget {
                account_id: AccountId::from("insta".to_owned()),
                network: Network::Instagram,
                variant: None,
                format: PostFormat::Feed,
            },
        ],
        ..PostDraft::default()
    };
    let findings = check(&draft);
    let long: Vec<_> = findings
        .iter()
        .filter(|finding| matches!(finding.rule, Rule::CaptionTooLong { .. }))
        .collect();
    assert_eq!(long.len(), 1);
    assert_eq!(long[0].account_id.as_str(), "insta");
    assert_eq!(
        long[0].rule,
        Rule::CaptionTooLong {
            length: 3_000,
            max: 2_200
        }
    );
}
