//! Pieces shared by several pages.

mod app_shell;
mod error_alert;
mod signed_in;

pub use app_shell::{AppShell, EmptyState};
pub use error_alert::{ErrorAlert, error_message};
pub use signed_in::SignedIn;
