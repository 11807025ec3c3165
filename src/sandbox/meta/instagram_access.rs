//! Who may publish to, and read back from, an Instagram account: on graph.facebook.com a user
//! token of the linked Page's manager or a Page token of that Page (§1.6), on
//! graph.instagram.com the Instagram-Login account's own token (§1.10).

use super::dispatch::Call;
use super::errors::GraphError;
use super::instagram::names_creator;
use super::instagram_errors;
use super::page_access;
use super::tokens::{self, Network, TokenRecord};
use super::usage::Caller;

/// The host's publishing permission (§1.8).
fn publish_scope(network: Network) -> &'static str {
    match network {
        Network::Facebook => "instagram_content_publish",
        Network::Instagram => "instagram_business_content_publish",
    }
}

pub(super) struct InstagramCaller {
    pub token: TokenRecord,
    pub network: Network,
    /// The Instagram user id, whatever alias (`me`, the app-scoped id) named it.
    pub account_id: String,
}

impl InstagramCaller {
    /// Every Instagram Platform call spends the account's business use case budget (§4.4).
    pub fn usage(&self) -> Caller<'_> {
        Caller::Instagram(&self.account_id)
    }

    pub fn require_publishing(&self) -> Result<(), GraphError> {
        let scope = publish_scope(self.network);
        if self.token.has_scope(scope) {
            Ok(())
        } else {
            Err(instagram_errors::missing_permission(scope))
        }
    }
}

/// The caller for the account `id` names on this host: an error for a bad token, `None` when
/// the token may not act for that account (the caller answers "Unsupported request").
pub(super) fn caller_for(
    call: &Call<'_>,
    network: Network,
    id: &str,
) -> Result<Option<InstagramCaller>, GraphError> {
    let token = tokens::authenticate(
        &call.state.tokens,
        call.request.presented_token.as_deref(),
        network,
        call.now,
    )?;
    let world = call.world;
    let account_id = match network {
        Network::Facebook => world
            .instagram_account(id)
            .filter(|(page, _)| page_access::may_manage(&token, &page.id))
            .map(|(_, account)| account.id.clone()),
        Network::Instagram => {
            names_creator(&world.creator, id).then(|| world.creator.user_id_text())
        }
    };
    Ok(account_id.map(|account_id| InstagramCaller {
        token,
        network,
        account_id,
    }))
}

/// `caller_for`, with "Unsupported request" naming `id` when the token may not act for it.
pub(super) fn required_caller(
    call: &Call<'_>,
    network: Network,
    account_id: &str,
    id: &str,
) -> Result<InstagramCaller, GraphError> {
    caller_for(call, network, account_id)?
        .ok_or_else(|| GraphError::unsupported_request(&call.request.method, id))
}
