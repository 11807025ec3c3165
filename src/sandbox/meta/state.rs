//! What changes while the emulator runs: redirect URIs, codes, tokens, queued faults, the log,
//! and everything published.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::codes::AuthorizationCode;
use super::faults::Fault;
use super::publishing::Publishing;
use super::tokens::{TokenKind, TokenRecord, TokenStatus};
use super::{InstagramExchangeShape, ReceivedRequest};

/// "If you used a short-lived User access token, the Page access token is valid for 1 hour."
const PAGE_TOKEN_FROM_SHORT_LIVED_HOURS: i64 = 1;

pub(super) struct State {
    pub redirect_uris: Vec<String>,
    pub codes: HashMap<String, AuthorizationCode>,
    pub tokens: HashMap<String, TokenRecord>,
    /// Token values in the order they were issued.
    pub issued: Vec<String>,
    /// The Page token minted for each (user token, page id), so listing twice hands out the same one.
    pub page_tokens: HashMap<(String, String), String>,
    pub faults: Vec<Fault>,
    pub requests: Vec<ReceivedRequest>,
    pub instagram_exchange_shape: InstagramExchangeShape,
    pub instagram_account_type: String,
    /// Successful token-authenticated calls so far, feeding the usage headers.
    pub calls: u64,
    /// The percentage every usage header reports instead, once a test has set one.
    pub usage_percent: Option<u64>,
    pub publishing: Publishing,
}

impl State {
    pub fn new(redirect_uris: Vec<String>) -> State {
        State {
            redirect_uris,
            codes: HashMap::new(),
            tokens: HashMap::new(),
            issued: Vec::new(),
            page_tokens: HashMap::new(),
            faults: Vec::new(),
            requests: Vec::new(),
            instagram_exchange_shape: InstagramExchangeShape::default(),
            instagram_account_type: "BUSINESS".to_owned(),
            calls: 0,
            usage_percent: None,
            publishing: Publishing::new(),
        }
    }

    /// Meta compares redirect URIs as exact strings: no prefix match, no normalisation.
    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris.iter().any(|allowed| allowed == uri)
    }

    pub fn issue(&mut self, record: TokenRecord) -> String {
        let value = record.value.clone();
        self.issued.push(value.clone());
        self.tokens.insert(value.clone(), record);
        value
    }

    /// The Page token for `page_id` as seen through `user_token`. It never expires when the user
    /// token is long-lived and lasts an hour otherwise (§1.5), so a client that skips the
    /// long-lived exchange ends up with Page tokens that die.
    pub fn page_token_for(
        &mut self,
        user_token: &TokenRecord,
        page_id: &str,
        now: DateTime<Utc>,
    ) -> String {
        let key = (user_token.value.clone(), page_id.to_owned());
        if let Some(existing) = self.page_tokens.get(&key) {
            let still_valid = self
                .tokens
                .get(existing)
                .is_some_and(|record| record.status(now) == TokenStatus::Valid);
            if still_valid {
                return existing.clone();
            }
        }
        let lifetime = match user_token.kind {
            TokenKind::LongLivedUser => None,
            _ => Some(Duration::hours(PAGE_TOKEN_FROM_SHORT_LIVED_HOURS)),
        };
        let record = TokenRecord::mint(
            TokenKind::Page,
            &user_token.user_id,
            Some(page_id),
            user_token.scopes.clone(),
            now,
            lifetime,
        );
        let value = self.issue(record);
        self.page_tokens.insert(key, value.clone());
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user_token(state: &mut State, kind: TokenKind, now: DateTime<Utc>) -> TokenRecord {
        let record = TokenRecord::mint(
            kind,
            "100090000000001",
            None,
            vec!["pages_show_list".to_owned()],
            now,
            Some(Duration::hours(2)),
        );
        let value = state.issue(record);
        state.tokens[&value].clone()
    }

    #[test]
    fn page_tokens_from_long_lived_user_tokens_never_expire_and_are_reused() {
        let now = Utc::now();
        let mut state = State::new(Vec::new());
        let user = user_token(&mut state, TokenKind::LongLivedUser, now);
        let first = state.page_token_for(&user, "1000000000000001", now);
        let second = state.page_token_for(&user, "1000000000000001", now);
        assert_eq!(first, second);
        assert_eq!(state.tokens[&first].expires_at, None);
        assert_eq!(state.tokens[&first].kind, TokenKind::Page);
        assert_eq!(state.issued.len(), 2);
    }

    #[test]
    fn page_tokens_from_short_lived_user_tokens_last_an_hour() {
        let now = Utc::now();
        let mut state = State::new(Vec::new());
        let user = user_token(&mut state, TokenKind::ShortLivedUser, now);
        let page = state.page_token_for(&user, "1000000000000001", now);
        assert_eq!(
            state.tokens[&page].expires_at,
            Some(now + Duration::hours(1))
        );
    }

    #[test]
    fn redirect_uris_match_exactly() {
        let state = State::new(vec!["http://127.0.0.1:3000/callback".to_owned()]);
        assert!(state.allows_redirect("http://127.0.0.1:3000/callback"));
        assert!(!state.allows_redirect("http://127.0.0.1:3000/callback/"));
        assert!(!state.allows_redirect("http://127.0.0.1:3000/callback?x=1"));
    }
}
