//! Access tokens the emulator hands out, and the checks Graph runs on a presented one.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use rand::distributions::Alphanumeric;

use super::errors::GraphError;

const TOKEN_RANDOM_CHARS: usize = 48;

/// What a person grants Herald when connecting Pages (and Instagram through them) to publish:
/// the practice sets of §1.8, which also cover reading back, insights and comments.
pub(super) const FACEBOOK_PUBLISHING_CONSENT: [&str; 13] = [
    "public_profile",
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "pages_manage_engagement",
    "pages_manage_metadata",
    "read_insights",
    "business_management",
    "publish_video",
    "instagram_basic",
    "instagram_content_publish",
    "instagram_manage_comments",
    "instagram_manage_insights",
];

/// The same with Instagram Login (§1.8, §1.10).
pub(super) const INSTAGRAM_LOGIN_PUBLISHING_CONSENT: [&str; 4] = [
    "instagram_business_basic",
    "instagram_business_content_publish",
    "instagram_business_manage_comments",
    "instagram_business_manage_insights",
];

/// Exactly 60 days, as graph.instagram.com reports a long-lived token's `expires_in`.
pub(super) const INSTAGRAM_LONG_LIVED_SECONDS: i64 = 5_184_000;

pub(super) fn owned(scopes: &[&str]) -> Vec<String> {
    scopes.iter().map(|scope| (*scope).to_owned()).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Network {
    Facebook,
    Instagram,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenKind {
    ShortLivedUser,
    LongLivedUser,
    Page,
    ShortLivedInstagram,
    LongLivedInstagram,
}

impl TokenKind {
    pub fn network(self) -> Network {
        match self {
            TokenKind::ShortLivedUser | TokenKind::LongLivedUser | TokenKind::Page => {
                Network::Facebook
            }
            TokenKind::ShortLivedInstagram | TokenKind::LongLivedInstagram => Network::Instagram,
        }
    }

    pub fn is_facebook_user(self) -> bool {
        matches!(self, TokenKind::ShortLivedUser | TokenKind::LongLivedUser)
    }

    /// The `type` debug_token reports.
    pub fn debug_type(self) -> &'static str {
        match self {
            TokenKind::Page => "PAGE",
            _ => "USER",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TokenStatus {
    Valid,
    Revoked { subcode: i64 },
    Expired { at: DateTime<Utc> },
}

#[derive(Debug, Clone)]
pub(super) struct TokenRecord {
    pub value: String,
    pub kind: TokenKind,
    /// The Facebook user id, or the Instagram user id for Instagram-Login tokens.
    pub user_id: String,
    /// Set on Page tokens.
    pub page_id: Option<String>,
    pub scopes: Vec<String>,
    pub issued_at: DateTime<Utc>,
    /// `None` means the token never expires.
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_subcode: Option<i64>,
}

impl TokenRecord {
    pub fn mint(
        kind: TokenKind,
        user_id: &str,
        page_id: Option<&str>,
        scopes: Vec<String>,
        now: DateTime<Utc>,
        lifetime: Option<Duration>,
    ) -> TokenRecord {
        // Real tokens carry these prefixes, and clients have been known to sniff them.
        let prefix = match kind.network() {
            Network::Facebook => "EAAB",
            Network::Instagram => "IGAA",
        };
        TokenRecord {
            value: format!("{prefix}{}", random_alphanumeric(TOKEN_RANDOM_CHARS)),
            kind,
            user_id: user_id.to_owned(),
            page_id: page_id.map(str::to_owned),
            scopes,
            issued_at: now,
            expires_at: lifetime.map(|lifetime| now + lifetime),
            revoked_subcode: None,
        }
    }

    pub fn status(&self, now: DateTime<Utc>) -> TokenStatus {
        if let Some(subcode) = self.revoked_subcode {
            return TokenStatus::Revoked { subcode };
        }
        match self.expires_at {
            Some(at) if at <= now => TokenStatus::Expired { at },
            _ => TokenStatus::Valid,
        }
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| granted == scope)
    }
}

/// The token a call presents, checked the way Graph does before anything else: present,
/// issued by this network, not revoked, not expired.
pub(super) fn authenticate(
    tokens: &HashMap<String, TokenRecord>,
    presented: Option<&str>,
    network: Network,
    now: DateTime<Utc>,
) -> Result<TokenRecord, GraphError> {
    let presented = presented.ok_or_else(GraphError::missing_token)?;
    let record = tokens
        .get(presented)
        .filter(|record| record.kind.network() == network)
        .ok_or_else(GraphError::unparsable_token)?;
    match record.status(now) {
        TokenStatus::Valid => Ok(record.clone()),
        TokenStatus::Revoked { subcode } => Err(GraphError::revoked_token(subcode)),
        TokenStatus::Expired { at } => Err(GraphError::expired_token(at, now)),
    }
}

pub(super) fn random_alphanumeric(length: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(length)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issue(tokens: &mut HashMap<String, TokenRecord>, record: TokenRecord) -> String {
        let value = record.value.clone();
        tokens.insert(value.clone(), record);
        value
    }

    #[test]
    fn tokens_carry_their_network_prefix_and_enough_randomness() {
        let now = Utc::now();
        let facebook = TokenRecord::mint(TokenKind::Page, "1", Some("2"), Vec::new(), now, None);
        let instagram = TokenRecord::mint(
            TokenKind::ShortLivedInstagram,
            "1",
            None,
            Vec::new(),
            now,
            None,
        );
        assert!(facebook.value.starts_with("EAAB"));
        assert!(instagram.value.starts_with("IGAA"));
        assert!(facebook.value.len() >= 36);
        assert!(facebook.value.chars().all(|c| c.is_ascii_alphanumeric()));
    }

    #[test]
    fn a_token_is_refused_on_the_other_network() {
        let now = Utc::now();
        let mut tokens = HashMap::new();
        let value = issue(
            &mut tokens,
            TokenRecord::mint(
                TokenKind::LongLivedInstagram,
                "1",
                None,
                Vec::new(),
                now,
                None,
            ),
        );
        let error =
            authenticate(&tokens, Some(value.as_str()), Network::Facebook, now).unwrap_err();
        assert_eq!((error.code, error.subcode), (190, Some(467)));
        assert!(authenticate(&tokens, Some(value.as_str()), Network::Instagram, now).is_ok());
    }

    #[test]
    fn revoked_and_expired_tokens_answer_190_with_their_subcode() {
        let now = Utc::now();
        let mut tokens = HashMap::new();
        let mut revoked =
            TokenRecord::mint(TokenKind::LongLivedUser, "1", None, Vec::new(), now, None);
        revoked.revoked_subcode = Some(460);
        let revoked = issue(&mut tokens, revoked);
        let expired = issue(
            &mut tokens,
            TokenRecord::mint(
                TokenKind::ShortLivedUser,
                "1",
                None,
                Vec::new(),
                now - Duration::hours(3),
                Some(Duration::hours(2)),
            ),
        );
        let error =
            authenticate(&tokens, Some(revoked.as_str()), Network::Facebook, now).unwrap_err();
        assert_eq!((error.code, error.subcode), (190, Some(460)));
        let error =
            authenticate(&tokens, Some(expired.as_str()), Network::Facebook, now).unwrap_err();
        assert_eq!((error.code, error.subcode), (190, Some(463)));
        let error = authenticate(&tokens, None, Network::Facebook, now).unwrap_err();
        assert_eq!(error.code, 104);
    }
}
