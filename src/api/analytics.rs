//! Analytics: the dashboard of a date range, a post's figures, and the sandbox's control that
//! makes a post older. Everything is read from Herald's own snapshots; no call reaches a network
//! while a page is shown.

use leptos::prelude::*;

use crate::domain::PostId;
pub use crate::domain::analytics::{
    AccountFigures, BestPost, BestTime, Dashboard, DayValue, FiguresProblem, PostFigures,
    RangeChoice, TakenFigures, TimeCell, Total,
};
use crate::error::AppError;

/// The dashboard: `range` is 7, 30, 90 or custom (then `from` and `to`, `YYYY-MM-DD`);
/// `account` empty for every account.
#[server(prefix = "/api", endpoint = "get_dashboard")]
pub async fn get_dashboard(
    range: String,
    from: String,
    to: String,
    account: String,
) -> Result<Dashboard, AppError> {
    use crate::server::analytics::dashboard::{Asked, Viewer, dashboard};
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    let asked = Asked {
        range: &range,
        from: &from,
        to: &to,
        account: &account,
    };
    let viewer = Viewer::of(&state, &session);
    dashboard(state.db.pool(), &viewer, asked, request::language()).await
}

#[server(prefix = "/api", endpoint = "get_post_figures")]
pub async fn get_post_figures(id: PostId) -> Result<PostFigures, AppError> {
    use crate::server::analytics::post_figures;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    post_figures::of_post(&state, &session, &id, request::language()).await
}

/// Sandbox only: the post counts as published `days` earlier, at the sandbox networks and in
/// Herald, and its figures' next snapshot is taken now.
#[server(prefix = "/api", endpoint = "age_post")]
pub async fn age_post(id: PostId, days: i64) -> Result<(), AppError> {
    use crate::server::analytics::post_figures;
    use crate::server::auth::request;
    let session = request::require_session().await?;
    let state = request::state()?;
    post_figures::age_in_sandbox(&state, &session, &id, days).await
}
