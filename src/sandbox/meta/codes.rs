//! Authorization codes from the dialogs: single use, ten minutes, bound to the app and the
//! redirect URI that asked for them.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::tokens::{Network, random_alphanumeric};

const CODE_LIFETIME_MINUTES: i64 = 10;
const CODE_RANDOM_CHARS: usize = 64;

#[derive(Debug, Clone)]
pub(super) struct AuthorizationCode {
    pub network: Network,
    pub client_id: String,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub issued_at: DateTime<Utc>,
    pub used: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CodeRejection {
    /// Never issued to this app, or already exchanged: Meta does not tell the two apart.
    UnknownOrUsed,
    Expired,
    RedirectMismatch,
}

pub(super) fn new_code_value() -> String {
    format!("AQ{}", random_alphanumeric(CODE_RANDOM_CHARS))
}

/// Exchanges `presented` once, returning the scopes the dialog granted.
pub(super) fn redeem(
    codes: &mut HashMap<String, AuthorizationCode>,
    presented: &str,
    network: Network,
    client_id: &str,
    redirect_uri: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, CodeRejection> {
    let code = codes
        .get_mut(presented)
        .filter(|code| code.network == network && code.client_id == client_id && !code.used)
        .ok_or(CodeRejection::UnknownOrUsed)?;
    if now - code.issued_at >= Duration::minutes(CODE_LIFETIME_MINUTES) {
        return Err(CodeRejection::Expired);
    }
    if redirect_uri != Some(code.redirect_uri.as_str()) {
        return Err(CodeRejection::RedirectMismatch);
    }
    code.used = true;
    Ok(code.scopes.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    const REDIRECT: &str = "http://127.0.0.1:3000/connect/facebook/callback";

    fn codes_with_one(issued_at: DateTime<Utc>) -> HashMap<String, AuthorizationCode> {
        let code = AuthorizationCode {
            network: Network::Facebook,
            client_id: "app".to_owned(),
            redirect_uri: REDIRECT.to_owned(),
            scopes: vec!["pages_show_list".to_owned()],
            issued_at,
            used: false,
        };
        HashMap::from([("AQcode".to_owned(), code)])
    }

    #[test]
    fn a_code_is_exchanged_once() {
        let now = Utc::now();
        let mut codes = codes_with_one(now);
        let scopes = redeem(
            &mut codes,
            "AQcode",
            Network::Facebook,
            "app",
            Some(REDIRECT),
            now,
        );
        assert_eq!(scopes, Ok(vec!["pages_show_list".to_owned()]));
        let again = redeem(
            &mut codes,
            "AQcode",
            Network::Facebook,
            "app",
            Some(REDIRECT),
            now,
        );
        assert_eq!(again, Err(CodeRejection::UnknownOrUsed));
    }

    #[test]
    fn a_code_expires_after_ten_minutes() {
        let now = Utc::now();
        let mut codes = codes_with_one(now - Duration::minutes(11));
        let result = redeem(
            &mut codes,
            "AQcode",
            Network::Facebook,
            "app",
            Some(REDIRECT),
            now,
        );
        assert_eq!(result, Err(CodeRejection::Expired));
    }

    #[test]
    fn the_redirect_uri_must_be_the_dialogs_exactly() {
        let now = Utc::now();
        let mut codes = codes_with_one(now);
        let trailing_slash = format!("{REDIRECT}/");
        let result = redeem(
            &mut codes,
            "AQcode",
            Network::Facebook,
            "app",
            Some(trailing_slash.as_str()),
            now,
        );
        assert_eq!(result, Err(CodeRejection::RedirectMismatch));
        let missing = redeem(&mut codes, "AQcode", Network::Facebook, "app", None, now);
        assert_eq!(missing, Err(CodeRejection::RedirectMismatch));
        // A refused exchange leaves the code usable.
        assert!(
            redeem(
                &mut codes,
                "AQcode",
                Network::Facebook,
                "app",
                Some(REDIRECT),
                now
            )
            .is_ok()
        );
    }

    #[test]
    fn a_code_is_bound_to_its_app_and_network() {
        let now = Utc::now();
        let mut codes = codes_with_one(now);
        let other_app = redeem(
            &mut codes,
            "AQcode",
            Network::Facebook,
            "other",
            Some(REDIRECT),
            now,
        );
        assert_eq!(other_app, Err(CodeRejection::UnknownOrUsed));
        let other_network = redeem(
            &mut codes,
            "AQcode",
            Network::Instagram,
            "app",
            Some(REDIRECT),
            now,
        );
        assert_eq!(other_network, Err(CodeRejection::UnknownOrUsed));
    }
}
