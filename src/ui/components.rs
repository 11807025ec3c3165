//! Pieces shared by several pages.

mod app_shell;
mod error_alert;
mod field;
mod signed_in;

pub use app_shell::{AppShell, EmptyState};
pub use error_alert::{ErrorAlert, error_message, error_text};
pub use field::Field;
pub use signed_in::SignedIn;
