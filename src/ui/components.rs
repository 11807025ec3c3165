//! Pieces shared by several pages.

mod error_alert;
mod signed_in;

pub use error_alert::{ErrorAlert, error_message};
pub use signed_in::SignedIn;
