//! One module per page, and the parts two pages share.

mod accounts_page;
mod analytics_page;
mod calendar_page;
mod compose_page;
mod invitations_page;
mod make_pictures;
mod media_page;
mod not_found_page;
mod pick_accounts_page;
mod post_figures;
mod post_page;
mod post_schedule;
pub(crate) mod posts_page;
mod settings_page;
mod sign_in_page;
mod sign_up_page;

pub use accounts_page::AccountsPage;
pub use analytics_page::AnalyticsPage;
pub use calendar_page::CalendarPage;
pub use compose_page::ComposePage;
pub use invitations_page::InvitationsPage;
pub use media_page::MediaPage;
pub use not_found_page::{NotFoundPage, OfflinePage};
pub use pick_accounts_page::PickAccountsPage;
pub use post_page::PostPage;
pub use posts_page::PostsPage;
pub use settings_page::SettingsPage;
pub use sign_in_page::SignInPage;
pub use sign_up_page::SignUpPage;
