//! Pieces shared by several pages.

mod form_alert;
mod signed_in;

pub use form_alert::{FormAlert, error_message};
pub use signed_in::SignedIn;
