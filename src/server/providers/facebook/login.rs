//! Facebook Login for Business (spec §1.1–§1.5): the code becomes a long-lived user token, and
//! every Page the login reaches is offered with its Page token, with the Instagram
//! professional account linked to it, if any.

use crate::domain::accounts::{Connection, Network, Profile};
use crate::server::providers::Candidate;
use crate::server::providers::meta::{MetaClient, MetaError};

/// Facebook Login: a long-lived user token, every Page with its (non-expiring) Page token,
/// and the Instagram professional account of each Page that has one.
pub(super) async fn accounts_reached(
    meta: &MetaClient,
    code: &str,
    redirect: &str,
) -> Result<Vec<Candidate>, MetaError> {
    let short = meta.exchange_facebook_code(code, redirect).await?;
    let user = meta.long_lived_user_token(&short.token).await?;
    let scopes = meta.granted_permissions(&user.token).await?.join(",");
    let mut candidates = Vec::new();
    for page in meta.pages(&user.token).await? {
        // One Page's Instagram lookup failing (a permission the login did not grant, a
        // throttle) must not lose every other Page: that Page is offered without it.
        let instagram = match meta
            .instagram_account_of_page(&page.id, &page.access_token)
            .await
        {
            Ok(instagram) => instagram,
            Err(error) => {
                tracing::warn!(page_id = %page.id, error = %error, "Instagram account of a Page unreadable");
                None
            }
        };
        let refusal = (!page.can_publish()).then(|| "no_publish_task".to_owned());
        if let Some(instagram) = instagram {
            candidates.push(Candidate {
                profile: Profile {
                    network: Network::Instagram,
                    connection: Connection::FacebookLogin,
                    remote_id: instagram.id,
                    name: instagram.name.unwrap_or_else(|| instagram.username.clone()),
                    username: Some(instagram.username),
                    avatar_url: instagram.profile_picture_url,
                    page_id: Some(page.id.clone()),
                },
                access_token: page.access_token.clone(),
                user_token: Some(user.token.clone()),
                // The Page token it publishes with does not expire (spec §1.5).
                token_expires_at: None,
                scopes: scopes.clone(),
                refusal: refusal.clone(),
            });
        }
        candidates.push(Candidate {
            profile: Profile {
                network: Network::Facebook,
                connection: Connection::FacebookLogin,
                remote_id: page.id,
                name: page.name,
                username: page.username,
                avatar_url: page.picture_url,
                page_id: None,
            },
            access_token: page.access_token,
            user_token: Some(user.token.clone()),
            token_expires_at: None,
            scopes: scopes.clone(),
            refusal,
        });
    }
    Ok(candidates)
}
