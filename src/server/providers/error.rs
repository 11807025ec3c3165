//! A failed call to a network, classified the same way for every network (DESIGN §6) so the
//! publishing engine and token upkeep decide without knowing which network it was.

use std::time::Duration;

/// What the caller should do about a failed call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// The token no longer works (revoked, expired, password changed…): the person must
    /// connect the account again.
    Reconnect,
    /// A permission Herald needs was not granted (or was removed).
    PermissionMissing,
    /// The network is throttling. Wait `retry_after` when it said how long, and never less
    /// than `at_least` (calls while throttled may extend the block). `reason` is the key the
    /// UI words (`rate_limited`, `quota_reached`).
    RateLimited {
        retry_after: Option<Duration>,
        at_least: Duration,
        reason: &'static str,
    },
    /// What is to be published is still being prepared by the network: read it again, then
    /// publish.
    NotReady,
    /// The network or the way to it failed in passing; the same call may work later.
    Temporary,
    /// The request itself was refused. `reason` is the key the UI words (`media_refused`,
    /// `content_refused`, `account_restricted`…). `worth_retrying`: the refusal is known to
    /// pass sometimes (a media fetch from a cold CDN), so a couple more tries are made.
    Refused {
        reason: &'static str,
        worth_retrying: bool,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} ({kind:?})")]
pub struct ProviderError {
    pub kind: ErrorKind,
    /// The network's own words, for logs and the ledger: ids perhaps, never tokens.
    pub message: String,
    /// The call may have been carried out although it failed (a timeout after the request
    /// left, a server error without the network's envelope). Harmless for a read; for a call
    /// that publishes, Herald must find out before trying again.
    pub maybe_done: bool,
}

impl ProviderError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> ProviderError {
        ProviderError {
            kind,
            message: message.into(),
            maybe_done: false,
        }
    }

    pub fn temporary(message: impl Into<String>) -> ProviderError {
        ProviderError::new(ErrorKind::Temporary, message)
    }

    /// Why the account must be reconnected, as the account keeps it (`token_rejected`,
    /// `permission_missing`); None when it need not be.
    pub fn account_reason(&self) -> Option<&'static str> {
        match self.kind {
            ErrorKind::Reconnect => Some("token_rejected"),
            ErrorKind::PermissionMissing => Some("permission_missing"),
            _ => None,
        }
    }
}
