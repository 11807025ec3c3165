//! Instagram API with Instagram Login (spec §1.10): the code becomes a 60-day token for one
//! Instagram account, offered only if it is a professional one.

use crate::domain::accounts::{Connection, Network, Profile};
use crate::server::db;
use crate::server::providers::Candidate;
use crate::server::providers::meta::{MetaClient, MetaError};

/// Instagram Login: a 60-day token for one Instagram account, which must be professional.
pub(super) async fn accounts_reached(
    meta: &MetaClient,
    code: &str,
    redirect: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<Candidate>, MetaError> {
    let login = meta.exchange_instagram_code(code, redirect).await?;
    let long = meta.long_lived_instagram_token(&login.token).await?;
    let profile = meta.instagram_profile(&long.token).await?;
    let refusal = (!profile.is_professional()).then(|| "personal_instagram".to_owned());
    Ok(vec![Candidate {
        profile: Profile {
            network: Network::Instagram,
            connection: Connection::InstagramLogin,
            remote_id: profile.user_id,
            name: profile.name.unwrap_or_else(|| profile.username.clone()),
            username: Some(profile.username),
            avatar_url: profile.profile_picture_url,
            page_id: None,
        },
        access_token: long.token,
        user_token: None,
        token_expires_at: long
            .expires_in
            .map(|seconds| db::millis(now + chrono::Duration::seconds(seconds))),
        scopes: login.permissions.join(","),
        refusal,
    }])
}
