//! Instagram API with Instagram Login (spec §1.10): no Facebook Page needed, a separate app id
//! and secret, and long-lived tokens that must be refreshed within 60 days.

use serde::{Deserialize, Deserializer};
use url::Url;

use super::{MetaApp, MetaClient, MetaError, joined};
use crate::server::crypto::Secret;

pub const SCOPES: &[&str] = &[
    "instagram_business_basic",
    "instagram_business_content_publish",
    "instagram_business_manage_insights",
];

/// What the code exchange gives: a short-lived token and whose it is.
#[derive(Debug, Clone)]
pub struct InstagramLogin {
    pub token: Secret,
    /// The Instagram user id to publish as; may exceed 2^53, so kept as text.
    pub user_id: String,
    pub permissions: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct InstagramToken {
    pub token: Secret,
    pub expires_in: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstagramProfile {
    pub user_id: String,
    pub username: String,
    pub name: Option<String>,
    /// `BUSINESS`, `MEDIA_CREATOR` or `PERSONAL`.
    pub account_type: Option<String>,
    pub profile_picture_url: Option<String>,
}

impl InstagramProfile {
    /// Only Business and Creator accounts can publish through the API (spec §7).
    pub fn is_professional(&self) -> bool {
        matches!(
            self.account_type.as_deref(),
            Some("BUSINESS" | "MEDIA_CREATOR" | "CREATOR")
        )
    }
}

/// The code exchange answers flat (seen live) or wrapped in `data` (documented); both are read.
#[derive(Deserialize)]
#[serde(untagged)]
enum ExchangeAnswer {
    Wrapped { data: Vec<LoginEntry> },
    Flat(LoginEntry),
}

#[derive(Deserialize)]
struct LoginEntry {
    access_token: String,
    #[serde(deserialize_with = "required_id")]
    user_id: String,
    #[serde(default)]
    permissions: Permissions,
}

/// A comma-separated string (documented) or a list (seen live).
#[derive(Deserialize, Default)]
#[serde(untagged)]
enum Permissions {
    List(Vec<String>),
    Csv(String),
    #[default]
    Unsaid,
}

impl Permissions {
    fn into_list(self) -> Vec<String> {
        match self {
            Permissions::List(list) => list,
            Permissions::Csv(csv) => csv
                .split(',')
                .map(str::trim)
                .filter(|permission| !permission.is_empty())
                .map(str::to_owned)
                .collect(),
            Permissions::Unsaid => Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct ProfileAnswer {
    #[serde(deserialize_with = "required_id")]
    user_id: String,
    #[serde(default)]
    username: String,
    name: Option<String>,
    account_type: Option<String>,
    profile_picture_url: Option<String>,
}

/// An id Meta may send as a JSON number (beyond f64's exact range) or as a string.
#[derive(Deserialize)]
#[serde(untagged)]
enum IdValue {
    Number(u64),
    Text(String),
}

impl From<IdValue> for String {
    fn from(value: IdValue) -> String {
        match value {
            IdValue::Number(number) => number.to_string(),
            IdValue::Text(text) => text,
        }
    }
}

fn required_id<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    IdValue::deserialize(deserializer).map(String::from)
}

/// For optional ids (used by `debug_token` too).
pub(super) fn id_as_string<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Option::<IdValue>::deserialize(deserializer).map(|value| value.map(String::from))
}

impl MetaClient {
    fn instagram_app(&self) -> Result<&MetaApp, MetaError> {
        self.config.instagram.as_ref().ok_or_else(|| {
            MetaError::invalid(
                "Instagram Login is not set up: HERALD_INSTAGRAM_APP_ID and _SECRET are missing",
            )
        })
    }

    pub fn instagram_authorize_url(
        &self,
        state: &str,
        redirect_uri: &str,
    ) -> Result<Url, MetaError> {
        let app = self.instagram_app()?;
        let mut url = joined(&self.config.urls.instagram_www, "oauth/authorize");
        url.query_pairs_mut()
            .append_pair("client_id", &app.app_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("response_type", "code")
            .append_pair("scope", &SCOPES.join(","))
            .append_pair("state", state);
        Ok(url)
    }

    /// Code → short-lived token and Instagram user id (spec §1.10 step 2).
    pub async fn exchange_instagram_code(
        &self,
        code: &str,
        redirect_uri: &str,
    ) -> Result<InstagramLogin, MetaError> {
        let app = self.instagram_app()?;
        let url = joined(&self.config.urls.instagram_api, "oauth/access_token");
        let answer: ExchangeAnswer = self
            .send(self.post(url)?.form(&[
                ("client_id", app.app_id.as_str()),
                ("client_secret", app.app_secret.expose()),
                ("grant_type", "authorization_code"),
                ("redirect_uri", redirect_uri),
                ("code", code),
            ]))
            .await?;
        let entry = match answer {
            ExchangeAnswer::Flat(entry) => entry,
            ExchangeAnswer::Wrapped { data } => data
                .into_iter()
                .next()
                .ok_or_else(|| MetaError::invalid("Instagram answered the code with no token"))?,
        };
        Ok(InstagramLogin {
            token: Secret::new(entry.access_token),
            user_id: entry.user_id,
            permissions: entry.permissions.into_list(),
        })
    }

    /// Short-lived → 60-day token (spec §1.10 step 3).
    pub async fn long_lived_instagram_token(
        &self,
        short: &Secret,
    ) -> Result<InstagramToken, MetaError> {
        let app = self.instagram_app()?;
        let mut url = joined(&self.config.urls.instagram_graph, "access_token");
        url.query_pairs_mut()
            .append_pair("grant_type", "ig_exchange_token")
            .append_pair("client_secret", app.app_secret.expose())
            .append_pair("access_token", short.expose());
        let answer: TokenAnswer = self.send(self.get(url)?).await?;
        Ok(answer.into())
    }

    /// A fresh 60-day token for one at least a day old and not yet expired (spec §1.10 step 4).
    pub async fn refresh_instagram_token(
        &self,
        long: &Secret,
    ) -> Result<InstagramToken, MetaError> {
        let mut url = joined(&self.config.urls.instagram_graph, "refresh_access_token");
        url.query_pairs_mut()
            .append_pair("grant_type", "ig_refresh_token")
            .append_pair("access_token", long.expose());
        let answer: TokenAnswer = self.send(self.get(url)?).await?;
        Ok(answer.into())
    }

    /// Who the token belongs to (spec §1.10 step 5); `user_id` is the id to publish as.
    pub async fn instagram_profile(&self, token: &Secret) -> Result<InstagramProfile, MetaError> {
        let mut url = self.versioned(&self.config.urls.instagram_graph, "me");
        url.query_pairs_mut().append_pair(
            "fields",
            "user_id,username,name,account_type,profile_picture_url",
        );
        let profile: ProfileAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(InstagramProfile {
            user_id: profile.user_id,
            username: profile.username,
            name: profile.name,
            account_type: profile.account_type,
            profile_picture_url: profile.profile_picture_url,
        })
    }
}

impl From<TokenAnswer> for InstagramToken {
    fn from(answer: TokenAnswer) -> Self {
        InstagramToken {
            token: Secret::new(answer.access_token),
            expires_in: answer.expires_in,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_exchange_shapes_are_read() {
        let flat = r#"{"access_token":"IGAA1","user_id":17841400000000009,"permissions":["instagram_business_basic","instagram_business_content_publish"]}"#;
        let wrapped = r#"{"data":[{"access_token":"IGAA2","user_id":"17841400000000009","permissions":"instagram_business_basic,instagram_business_content_publish"}]}"#;
        for body in [flat, wrapped] {
            let entry = match serde_json::from_str::<ExchangeAnswer>(body).unwrap() {
                ExchangeAnswer::Flat(entry) => entry,
                ExchangeAnswer::Wrapped { mut data } => data.remove(0),
            };
            assert_eq!(entry.user_id, "17841400000000009", "{body}");
            assert_eq!(
                entry.permissions.into_list(),
                [
                    "instagram_business_basic",
                    "instagram_business_content_publish"
                ]
            );
        }
    }

    #[test]
    fn ids_beyond_two_to_the_53_keep_every_digit() {
        let body = r#"{"user_id":17841400000000009,"username":"acme"}"#;
        let profile: ProfileAnswer = serde_json::from_str(body).unwrap();
        assert_eq!(profile.user_id, "17841400000000009");
    }

    #[test]
    fn only_business_and_creator_accounts_are_professional() {
        let profile = |account_type: &str| InstagramProfile {
            user_id: "1".into(),
            username: "acme".into(),
            name: None,
            account_type: Some(account_type.into()),
            profile_picture_url: None,
        };
        assert!(profile("BUSINESS").is_professional());
        assert!(profile("MEDIA_CREATOR").is_professional());
        assert!(!profile("PERSONAL").is_professional());
    }
}
