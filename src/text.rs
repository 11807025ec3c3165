//! What Herald says, in the reader's language: the language itself (which one, and how it is
//! chosen), errors in words, and moments in time.

pub mod figures;
pub mod language;
pub mod moments;
pub mod problems;
pub mod publishing;
pub mod rules;

pub use figures::metric_name;
pub use language::{LANGUAGE_COOKIE, Locale, use_locale};
pub use moments::{format_day, format_moment, format_month, weekday_name};

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::Value;

    fn keys(value: &Value, prefix: &str, into: &mut BTreeSet<String>) {
        if let Value::Object(entries) = value {
            for (key, value) in entries {
                keys(value, &format!("{prefix}{key}."), into);
            }
        } else {
            into.insert(prefix.trim_end_matches('.').to_owned());
        }
    }

    fn keys_of(json: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        keys(&serde_json::from_str(json).unwrap(), "", &mut found);
        found
    }

    /// leptos_i18n only warns about a missing translation (and falls back to English); here a
    /// missing one fails the build's tests instead.
    #[test]
    fn french_and_english_have_exactly_the_same_messages() {
        let english = keys_of(include_str!("../locales/en.json"));
        let french = keys_of(include_str!("../locales/fr.json"));
        let only_english: Vec<_> = english.difference(&french).collect();
        let only_french: Vec<_> = french.difference(&english).collect();
        assert!(
            only_english.is_empty(),
            "missing in French: {only_english:?}"
        );
        assert!(
            only_french.is_empty(),
            "missing in English: {only_french:?}"
        );
    }
}
