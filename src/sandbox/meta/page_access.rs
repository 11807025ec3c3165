//! Who may publish to, and read back from, a Page: a Page token of that Page, or a user token
//! of its manager (the seeded user manages every seeded Page, with every task).

use super::dispatch::Call;
use super::errors::GraphError;
use super::tokens::{self, Network, TokenKind, TokenRecord};
use super::world::{SandboxPage, World};

/// §1.8: creating posts, photos and videos.
pub(super) const PUBLISH_SCOPE: &str = "pages_manage_posts";

pub(super) fn authenticate(call: &Call<'_>) -> Result<TokenRecord, GraphError> {
    tokens::authenticate(
        &call.state.tokens,
        call.request.presented_token.as_deref(),
        Network::Facebook,
        call.now,
    )
}

pub(super) fn may_manage(token: &TokenRecord, page_id: &str) -> bool {
    token.kind.is_facebook_user() || token.page_id.as_deref() == Some(page_id)
}

/// The Page `id` names (`me` for a Page token's own), once the token may act for it.
pub(super) fn caller_for_page<'w>(
    call: &Call<'w>,
    id: &str,
) -> Result<(TokenRecord, &'w SandboxPage), GraphError> {
    let world: &'w World = call.world;
    let token = authenticate(call)?;
    let page_id = if id == "me" {
        token.page_id.as_deref().unwrap_or(id)
    } else {
        id
    };
    let page = world
        .page(page_id)
        .filter(|page| may_manage(&token, &page.id))
        .ok_or_else(|| GraphError::unsupported_request(&call.request.method, id))?;
    Ok((token, page))
}

/// Whether `me` means a Page here: only when a Page token is presented.
pub(super) fn me_is_a_page(call: &Call<'_>) -> bool {
    call.request
        .presented_token
        .as_deref()
        .and_then(|token| call.state.tokens.get(token))
        .is_some_and(|record| record.kind == TokenKind::Page)
}

pub(super) fn require_publishing(token: &TokenRecord) -> Result<(), GraphError> {
    if token.has_scope(PUBLISH_SCOPE) {
        Ok(())
    } else {
        Err(GraphError::numbered(
            200,
            "If posting to a page, requires both pages_read_engagement and pages_manage_posts \
             as an admin with sufficient administrative permission",
        ))
    }
}
