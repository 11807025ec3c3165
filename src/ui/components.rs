//! Pieces shared by several pages.

mod app_shell;
mod card;
mod error_alert;
mod field;
mod full_load;
mod network_mark;
mod signed_in;

pub use app_shell::{AppShell, EmptyState};
pub use card::{Card, SubmitButton};
pub use error_alert::{ErrorAlert, error_message, error_text};
pub use field::Field;
pub use full_load::load_page_after;
pub use network_mark::NetworkMark;
pub use signed_in::SignedIn;
