//! One module per page.

mod home_page;
mod invitations_page;
mod not_found_page;
mod sign_in_page;
mod sign_up_page;

pub use home_page::HomePage;
pub use invitations_page::InvitationsPage;
pub use not_found_page::NotFoundPage;
pub use sign_in_page::SignInPage;
pub use sign_up_page::SignUpPage;
