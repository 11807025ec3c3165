//! The calendar and the schedule: the posts placed between two days, and moving, unscheduling
//! and cancelling a scheduled post. Times travel as wall-clock times in the person's zone
//! (`2026-11-23T09:00`); the server alone turns them into instants, so the browser needs no
//! time-zone rules and a move by a day keeps its hour across a daylight-saving change.

use leptos::prelude::*;

use crate::domain::PostId;
pub use crate::domain::calendar::{CalendarData, CalendarEntry};
use crate::domain::post_record::PostView;
use crate::error::AppError;

#[server(prefix = "/api", endpoint = "calendar")]
pub async fn calendar(view: String, date: String) -> Result<CalendarData, AppError> {
    use crate::server::auth::request;
    use crate::server::calendar;
    let session = request::require_session().await?;
    let state = request::state()?;
    calendar::period(
        &state,
        &session,
        crate::domain::calendar::CalendarView::parse(&view),
        &date,
    )
    .await
}

/// Schedules the saved draft at `revision` for `at`, a wall-clock time in the person's zone.
#[server(prefix = "/api", endpoint = "schedule_post")]
pub async fn schedule_post(id: PostId, revision: i64, at: String) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::scheduling;
    let session = request::require_session().await?;
    let state = request::state()?;
    scheduling::schedule(&state, &session, &id, revision, &at).await
}

/// Moves a scheduled post to `at`; refused once publishing has started.
#[server(prefix = "/api", endpoint = "reschedule_post")]
pub async fn reschedule_post(id: PostId, at: String) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::scheduling;
    let session = request::require_session().await?;
    let state = request::state()?;
    scheduling::reschedule(&state, &session, &id, &at).await
}

/// A scheduled post back to an editable draft with no time.
#[server(prefix = "/api", endpoint = "unschedule_post")]
pub async fn unschedule_post(id: PostId) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::scheduling;
    let session = request::require_session().await?;
    let state = request::state()?;
    scheduling::unschedule(&state, &session, &id, false).await
}

/// A scheduled post cancelled: nothing will be sent.
#[server(prefix = "/api", endpoint = "cancel_post")]
pub async fn cancel_post(id: PostId) -> Result<PostView, AppError> {
    use crate::server::auth::request;
    use crate::server::scheduling;
    let session = request::require_session().await?;
    let state = request::state()?;
    scheduling::unschedule(&state, &session, &id, true).await
}
