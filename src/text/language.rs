//! Which language a page is in. The `herald_lang` cookie decides; without it, the browser's
//! `Accept-Language`. A signed-in person's choice is kept on their account and put back into
//! the cookie each time they sign in, so it follows them from device to device.

use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_i18n::Locale as _;

use crate::domain::ValidationError;
use crate::error::Problem;
pub use crate::i18n::Locale;

/// Not HttpOnly and not secret: it only says which language to speak.
pub const LANGUAGE_COOKIE: &str = "herald_lang";

/// A language code from a form or the database (`en`, `fr`).
pub fn parse(raw: &str) -> Result<Locale, ValidationError> {
    raw.trim()
        .parse::<Locale>()
        .map_err(|_| ValidationError::new("language", Problem::LanguageUnknown))
}

/// The language for a request: its cookie if it names one Herald speaks, else the best match
/// for `Accept-Language` (in the order the browser lists them), else English.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Locale {
    if let Some(locale) = cookie.and_then(|value| parse(value).ok()) {
        return locale;
    }
    let accepted: Vec<&str> = accept_language
        .unwrap_or_default()
        .split(',')
        .map(|entry| entry.split(';').next().unwrap_or_default().trim())
        .filter(|tag| !tag.is_empty() && *tag != "*")
        .collect();
    Locale::find_locale(&accepted)
}

/// The language the page was rendered in: on the server, the request's; in the browser, the
/// one the server wrote on `<html lang>`, so hydration renders exactly what the server did.
pub fn initial() -> Locale {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .map(|parts| crate::server::language::of_request(&parts))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|lang| parse(&lang).ok())
            .unwrap_or_default()
    }
}

/// Sets up the page's language context; call once, at the top of the app.
pub fn provide_locale() -> I18nContext<Locale> {
    let context = leptos_i18n::context::init_i18n_subcontext_with_options::<Locale>(
        Some(Signal::stored(initial())),
        None,
        None,
        None,
    );
    provide_context(context);
    context
}

/// The page's language context, for `t!` and friends.
pub fn use_locale() -> I18nContext<Locale> {
    leptos_i18n::use_i18n_context()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(choose(Some("fr"), Some("en-US,en;q=0.9")), Locale::fr);
        assert_eq!(choose(Some("en"), Some("fr-FR")), Locale::en);
    }

    #[test]
    fn the_browser_decides_without_a_cookie() {
        assert_eq!(choose(None, Some("fr-CA,fr;q=0.9,en;q=0.8")), Locale::fr);
        assert_eq!(choose(None, Some("de-DE,fr;q=0.5")), Locale::fr);
        assert_eq!(choose(Some("klingon"), Some("en-GB")), Locale::en);
    }

    #[test]
    fn english_when_nothing_matches() {
        assert_eq!(choose(None, None), Locale::en);
        assert_eq!(choose(None, Some("de-DE,ja")), Locale::en);
        assert_eq!(choose(None, Some("*")), Locale::en);
    }

    #[test]
    fn unknown_codes_are_refused_with_a_reason() {
        assert_eq!(parse(" fr ").unwrap(), Locale::fr);
        assert_eq!(parse("xx").unwrap_err().problem, Problem::LanguageUnknown);
    }
}
