//! Facebook Login for Business, the Pages a person manages and the Instagram professional
//! accounts linked to them (spec §1.1–§1.7).

use serde::Deserialize;
use url::Url;

use super::{MetaApp, MetaClient, MetaError};
use crate::server::crypto::Secret;

/// What Herald asks for when no Login for Business configuration is set (spec §1.8): list and
/// publish to Pages, read what it needs, and the same for Instagram accounts linked to them.
pub const SCOPES: &[&str] = &[
    "pages_show_list",
    "pages_read_engagement",
    "pages_manage_posts",
    "business_management",
    "instagram_basic",
    "instagram_content_publish",
    "read_insights",
    "instagram_manage_insights",
];

/// Pages listed per request; Meta's default is 25 (spec §0.3).
const PAGE_LIMIT: u32 = 100;

#[derive(Debug, Clone)]
pub struct UserToken {
    pub token: Secret,
    /// Seconds, when Meta said.
    pub expires_in: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FacebookUser {
    pub id: String,
    pub name: String,
    pub picture_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub name: String,
    pub username: Option<String>,
    pub picture_url: Option<String>,
    pub tasks: Vec<String>,
    /// Never expires when minted from a long-lived user token (spec §1.5).
    pub access_token: Secret,
}

impl Page {
    /// Publishing needs the CREATE_CONTENT (or MANAGE) task on the Page (spec §1.5).
    pub fn can_publish(&self) -> bool {
        self.tasks
            .iter()
            .any(|task| task == "CREATE_CONTENT" || task == "MANAGE")
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstagramAccount {
    pub id: String,
    pub username: String,
    pub name: Option<String>,
    pub profile_picture_url: Option<String>,
}

/// What `debug_token` says about a token (spec §1.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    pub is_valid: bool,
    /// `USER`, `PAGE`, `APP`.
    pub kind: Option<String>,
    pub expiry: Expiry,
    pub scopes: Vec<String>,
    pub user_id: Option<String>,
    /// The Page a Page token speaks for.
    pub profile_id: Option<String>,
    /// Why the token is not valid, as Meta put it (code, subcode).
    pub problem: Option<(i64, Option<i64>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    Never,
    /// Unix seconds.
    At(i64),
    Unknown,
}

impl Expiry {
    /// Meta's `expires_at`: 0 means never (spec §1.7, UNCERTAIN), absent means not said.
    fn from_meta(expires_at: Option<i64>) -> Self {
        match expires_at {
            Some(0) => Expiry::Never,
            Some(at) => Expiry::At(at),
            None => Expiry::Unknown,
        }
    }
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    expires_in: Option<i64>,
}

#[derive(Deserialize)]
struct Picture {
    data: PictureData,
}

#[derive(Deserialize)]
struct PictureData {
    url: Option<String>,
}

#[derive(Deserialize)]
struct MeAnswer {
    id: String,
    #[serde(default)]
    name: String,
    picture: Option<Picture>,
}

#[derive(Deserialize)]
struct ListAnswer<T> {
    #[serde(default = "Vec::new")]
    data: Vec<T>,
    paging: Option<Paging>,
}

#[derive(Deserialize)]
struct Paging {
    next: Option<String>,
}

#[derive(Deserialize)]
struct PermissionEntry {
    permission: String,
    status: String,
}

#[derive(Deserialize)]
struct PageEntry {
    id: String,
    #[serde(default)]
    name: String,
    username: Option<String>,
    access_token: Option<String>,
    #[serde(default)]
    tasks: Vec<String>,
    picture: Option<Picture>,
}

#[derive(Deserialize)]
struct PageName {
    #[serde(default)]
    name: String,
}

#[derive(Deserialize)]
struct PageWithInstagram {
    instagram_business_account: Option<InstagramEntry>,
}

#[derive(Deserialize)]
struct InstagramEntry {
    id: String,
    #[serde(default)]
    username: String,
    name: Option<String>,
    profile_picture_url: Option<String>,
}

#[derive(Deserialize)]
struct DebugAnswer {
    data: DebugData,
}

#[derive(Deserialize)]
struct DebugData {
    #[serde(default)]
    is_valid: bool,
    #[serde(rename = "type")]
    kind: Option<String>,
    expires_at: Option<i64>,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(
        default,
        deserialize_with = "super::instagram_login_calls::id_as_string"
    )]
    user_id: Option<String>,
    #[serde(
        default,
        deserialize_with = "super::instagram_login_calls::id_as_string"
    )]
    profile_id: Option<String>,
    error: Option<DebugError>,
}

#[derive(Deserialize)]
struct DebugError {
    code: i64,
    subcode: Option<i64>,
}

impl MetaClient {
    fn facebook_app(&self) -> Result<&MetaApp, MetaError> {
        self.config.facebook.as_ref().ok_or_else(|| {
            MetaError::invalid(
                "Facebook is not set up: HERALD_FACEBOOK_APP_ID and _SECRET are missing",
            )
        })
    }

    /// Where to send the person to log in (spec §1.1): with the Login for Business
    /// configuration when there is one, else with Herald's scopes.
    pub fn facebook_authorize_url(
        &self,
        state: &str,
        redirect_uri: &str,
    ) -> Result<Url, MetaError> {
        let app = self.facebook_app()?;
        let mut url = self.versioned(&self.config.urls.facebook_www, "dialog/oauth");
        {
            let mut query = url.query_pairs_mut();
            query
                .append_pair("client_id", &app.app_id)
                .append_pair("redirect_uri", redirect_uri)
                .append_pair("state", state)
                .append_pair("response_type", "code");
            match &self.config.facebook_config_id {
                Some(config_id) => query.append_pair("config_id", config_id),
                None => query.append_pair("scope", &SCOPES.join(",")),
            };
        }
        Ok(url)
    }

    /// Code → user token (spec §1.2), as a form POST so the secret stays out of URLs.
    pub async fn exchange_facebook_code(
        &self,
        code: &str,
        redirect_uri: &str,
    ) -> Result<UserToken, MetaError> {
        let app = self.facebook_app()?;
        let url = self.versioned(&self.config.urls.facebook_graph, "oauth/access_token");
        let answer: TokenAnswer = self
            .send(self.post(url)?.form(&[
                ("client_id", app.app_id.as_str()),
                ("client_secret", app.app_secret.expose()),
                ("redirect_uri", redirect_uri),
                ("code", code),
                ("grant_type", "authorization_code"),
            ]))
            .await?;
        Ok(answer.into())
    }

    /// Short-lived → long-lived user token (spec §1.3): Page tokens minted from it never expire.
    pub async fn long_lived_user_token(&self, short: &Secret) -> Result<UserToken, MetaError> {
        let app = self.facebook_app()?;
        let url = self.versioned(&self.config.urls.facebook_graph, "oauth/access_token");
        let answer: TokenAnswer = self
            .send(self.post(url)?.form(&[
                ("grant_type", "fb_exchange_token"),
                ("client_id", app.app_id.as_str()),
                ("client_secret", app.app_secret.expose()),
                ("fb_exchange_token", short.expose()),
            ]))
            .await?;
        Ok(answer.into())
    }

    pub async fn facebook_user(&self, token: &Secret) -> Result<FacebookUser, MetaError> {
        let mut url = self.versioned(&self.config.urls.facebook_graph, "me");
        url.query_pairs_mut()
            .append_pair("fields", "id,name,picture");
        let me: MeAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(FacebookUser {
            id: me.id,
            name: me.name,
            picture_url: me.picture.and_then(|picture| picture.data.url),
        })
    }

    /// The permissions the person granted (spec §1.4).
    pub async fn granted_permissions(&self, token: &Secret) -> Result<Vec<String>, MetaError> {
        let url = self.versioned(&self.config.urls.facebook_graph, "me/permissions");
        let entries: Vec<PermissionEntry> = self.every_page(url, token).await?;
        Ok(entries
            .into_iter()
            .filter(|entry| entry.status == "granted")
            .map(|entry| entry.permission)
            .collect())
    }

    /// Every Page the person manages, with its Page token (spec §1.5), across all result pages.
    pub async fn pages(&self, user_token: &Secret) -> Result<Vec<Page>, MetaError> {
        let mut url = self.versioned(&self.config.urls.facebook_graph, "me/accounts");
        url.query_pairs_mut()
            .append_pair(
                "fields",
                "id,name,username,access_token,category,tasks,picture.type(large)",
            )
            .append_pair("limit", &PAGE_LIMIT.to_string());
        let entries: Vec<PageEntry> = self.every_page(url, user_token).await?;
        entries
            .into_iter()
            .map(|entry| {
                let access_token = entry.access_token.ok_or_else(|| {
                    MetaError::invalid(format!("Page {} came without a Page token", entry.id))
                })?;
                Ok(Page {
                    id: entry.id,
                    name: entry.name,
                    username: entry.username,
                    picture_url: entry.picture.and_then(|picture| picture.data.url),
                    tasks: entry.tasks,
                    access_token: Secret::new(access_token),
                })
            })
            .collect()
    }

    /// A Page's name, read with its token: the lightest call that proves the token works.
    pub async fn page_name(&self, page_id: &str, token: &Secret) -> Result<String, MetaError> {
        let mut url = self.versioned(&self.config.urls.facebook_graph, page_id);
        url.query_pairs_mut().append_pair("fields", "id,name");
        let page: PageName = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(page.name)
    }

    /// The Instagram professional account linked to a Page, if any (spec §1.6).
    pub async fn instagram_account_of_page(
        &self,
        page_id: &str,
        token: &Secret,
    ) -> Result<Option<InstagramAccount>, MetaError> {
        let mut url = self.versioned(&self.config.urls.facebook_graph, page_id);
        url.query_pairs_mut().append_pair(
            "fields",
            "instagram_business_account{id,username,name,profile_picture_url}",
        );
        let page: PageWithInstagram = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(page
            .instagram_business_account
            .map(|entry| InstagramAccount {
                id: entry.id,
                username: entry.username,
                name: entry.name,
                profile_picture_url: entry.profile_picture_url,
            }))
    }

    /// What Meta knows about a token (spec §1.7), asked with the app's own token.
    pub async fn debug_token(&self, token: &Secret) -> Result<TokenInfo, MetaError> {
        let app = self.facebook_app()?;
        let mut url = self.versioned(&self.config.urls.facebook_graph, "debug_token");
        url.query_pairs_mut()
            .append_pair("input_token", token.expose());
        let app_token = format!("{}|{}", app.app_id, app.app_secret.expose());
        let answer: DebugAnswer = self.send(self.get(url)?.bearer_auth(app_token)).await?;
        let data = answer.data;
        Ok(TokenInfo {
            is_valid: data.is_valid,
            kind: data.kind,
            expiry: Expiry::from_meta(data.expires_at),
            scopes: data.scopes,
            user_id: data.user_id,
            profile_id: data.profile_id,
            problem: data.error.map(|error| (error.code, error.subcode)),
        })
    }

    /// Reads a list edge to its end, following `paging.next` (spec §0.3). The `next` link is
    /// a full URL that already carries the token; it is only followed to the host it came from.
    async fn every_page<T: serde::de::DeserializeOwned>(
        &self,
        first: Url,
        token: &Secret,
    ) -> Result<Vec<T>, MetaError> {
        let origin = first.origin();
        let mut items = Vec::new();
        let mut answer: ListAnswer<T> = self
            .send(self.get(first)?.bearer_auth(token.expose()))
            .await?;
        // A bound, in case an answer ever links back to itself.
        for _ in 0..1_000 {
            items.append(&mut answer.data);
            let Some(next) = answer.paging.and_then(|paging| paging.next) else {
                return Ok(items);
            };
            let next = Url::parse(&next)
                .map_err(|_| MetaError::invalid("Meta sent an unreadable next-page link"))?;
            if next.origin() != origin {
                return Err(MetaError::invalid(
                    "Meta's next-page link pointed to another server",
                ));
            }
            answer = self.send(self.get(next)?).await?;
        }
        Err(MetaError::invalid(
            "Meta's list did not end after 1000 pages",
        ))
    }
}

impl From<TokenAnswer> for UserToken {
    fn from(answer: TokenAnswer) -> Self {
        UserToken {
            token: Secret::new(answer.access_token),
            expires_in: answer.expires_in,
        }
    }
}
