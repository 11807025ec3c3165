//! Connected network accounts as both sides see them: which network, how Herald reaches it,
//! and whether it works.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Network {
    Facebook,
    Instagram,
}

/// How Herald reaches the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Connection {
    FacebookLogin,
    InstagramLogin,
    /// Given by the operator in `HERALD_FACEBOOK_PAGE_TOKEN`; not disconnectable from the app.
    Environment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    Active,
    NeedsReconnect,
    Disconnected,
}

/// The logins a person can start from the Accounts page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Login {
    Facebook,
    Instagram,
}

/// Who an account is at its network, and how Herald reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub network: Network,
    pub connection: Connection,
    /// The network's id for it: a Page id, an Instagram user id.
    pub remote_id: String,
    pub name: String,
    pub username: Option<String>,
    pub avatar_url: Option<String>,
    /// The account it is reached through, when it is (an Instagram account's Page).
    pub page_id: Option<String>,
}

/// A connected account as Herald holds it, without its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: super::AccountId,
    pub profile: Profile,
    pub status: AccountStatus,
    /// Why it needs reconnecting: `token_rejected` or `permission_missing`.
    pub status_reason: Option<String>,
    /// Unix milliseconds; None when the token does not expire.
    pub token_expires_at: Option<i64>,
    pub updated_at: i64,
}

/// One account a finished login reaches, before the person picks it. `Token` is how its
/// tokens are held: open on the server while connecting, sealed while it waits as an offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<Token> {
    pub profile: Profile,
    pub access_token: Token,
    /// The login's own token, when the account's token was derived from it.
    pub user_token: Option<Token>,
    /// Unix milliseconds; None when the token does not expire.
    pub token_expires_at: Option<i64>,
    pub scopes: String,
    /// Why it cannot be added (`personal_instagram`, `no_publish_task`), shown beside it.
    pub refusal: Option<String>,
}

impl<Token> Candidate<Token> {
    /// The same account with its tokens turned into `Other` (sealed, or opened).
    pub fn with_tokens<Other, Error>(
        self,
        turn: impl Fn(&Token) -> Result<Other, Error>,
    ) -> Result<Candidate<Other>, Error> {
        Ok(Candidate {
            access_token: turn(&self.access_token)?,
            user_token: self.user_token.as_ref().map(&turn).transpose()?,
            profile: self.profile,
            token_expires_at: self.token_expires_at,
            scopes: self.scopes,
            refusal: self.refusal,
        })
    }
}

text_forms!(Network { Facebook => "facebook", Instagram => "instagram" });
text_forms!(Connection {
    FacebookLogin => "facebook_login",
    InstagramLogin => "instagram_login",
    Environment => "environment",
});
text_forms!(AccountStatus {
    Active => "active",
    NeedsReconnect => "needs_reconnect",
    Disconnected => "disconnected",
});
text_forms!(Login { Facebook => "facebook", Instagram => "instagram" });

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_round_trip() {
        for network in [Network::Facebook, Network::Instagram] {
            assert_eq!(Network::parse(network.as_str()), Some(network));
        }
        assert_eq!(
            Connection::parse("environment"),
            Some(Connection::Environment)
        );
        assert_eq!(
            AccountStatus::parse("needs_reconnect"),
            Some(AccountStatus::NeedsReconnect)
        );
        assert_eq!(Login::parse("twitter"), None);
    }
}
