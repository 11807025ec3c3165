//! The language of a request, and the cookie that remembers it (see `text::language`).

use axum::http::header;
use axum::http::request::Parts;
use cookie::{Cookie, SameSite};

use crate::server::auth::sessions::cookie_from_header;
use crate::text::language::{self, LANGUAGE_COOKIE, Locale};

/// A year: the choice should outlive any session.
const COOKIE_LIFETIME: cookie::time::Duration = cookie::time::Duration::days(365);

pub fn of_request(parts: &Parts) -> Locale {
    let cookie = parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|header| cookie_from_header(header, LANGUAGE_COOKIE));
    let accept_language = parts
        .headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    language::choose(cookie.as_deref(), accept_language)
}

/// The `Set-Cookie` value that makes `locale` this browser's language.
pub fn cookie(locale: Locale, secure: bool) -> String {
    Cookie::build((LANGUAGE_COOKIE, locale.to_string()))
        .path("/")
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(COOKIE_LIFETIME)
        .build()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(headers: &[(&str, &str)]) -> Parts {
        let mut request = Request::builder();
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        request.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_language_cookie_is_read_among_others() {
        let request = parts(&[
            ("cookie", "herald_session=x; herald_lang=fr"),
            ("accept-language", "en-US"),
        ]);
        assert_eq!(of_request(&request), Locale::fr);
        assert_eq!(
            of_request(&parts(&[("accept-language", "fr-BE")])),
            Locale::fr
        );
        assert_eq!(of_request(&parts(&[])), Locale::en);
    }

    #[test]
    fn the_cookie_is_readable_by_the_page_and_lasts() {
        let value = cookie(Locale::fr, true);
        assert!(value.starts_with("herald_lang=fr;"), "{value}");
        assert!(value.contains("Max-Age=31536000"));
        assert!(value.contains("Secure"));
        assert!(!value.contains("HttpOnly"));
    }
}
