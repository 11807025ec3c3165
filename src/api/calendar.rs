//! The calendar and the schedule: the posts placed between two days, and moving, unscheduling
//! and cancelling a scheduled post. Times travel as wall-clock times in the person's zone
//! (`2026-11-23T09:00`); the server alone turns them into instants, so the browser needs no
//! time-zone rules and a move by a day keeps its hour across a daylight-saving change.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::posts::{PostStatus, PostView};
use crate::domain::PostId;
use crate::domain::accounts::Network;
use crate::domain::calendar::CalendarView;
use crate::error::AppError;

/// One post on the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub id: PostId,
    pub status: PostStatus,
    /// The start of the text, for the entry's label.
    pub text: String,
    /// When it goes (or went) out, Unix milliseconds.
    pub at: i64,
    /// The same moment on the person's wall clock, `YYYY-MM-DDTHH:MM`.
    pub local: String,
    pub networks: Vec<Network>,
    pub account_names: Vec<String>,
}

impl CalendarEntry {
    /// The day part of [`CalendarEntry::local`], `YYYY-MM-DD`.
    pub fn day(&self) -> &str {
        self.local.get(..10).unwrap_or_default()
    }

    /// The time part of [`CalendarEntry::local`], `HH:MM`.
    pub fn time(&self) -> &str {
        self.local.get(11..16).unwrap_or_default()
    }

    /// Only a scheduled post can be moved, and only until publishing starts.
    pub fn can_move(&self) -> bool {
        self.status == PostStatus::Scheduled
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarData {
    pub view: CalendarView,
    /// The day the period was asked around, `YYYY-MM-DD`: the previous and next periods are
    /// found from it.
    pub anchor: String,
    /// The first day shown and the day after the last.
    pub from: String,
    pub until: String,
    /// The IANA zone every time here is in.
    pub time_zone: String,
    /// Today in that zone, `YYYY-MM-DD`.
    pub today: String,
    pub entries: Vec<CalendarEntry>,
}

/// The posts of the period `view` shows around `date` (`YYYY-MM-DD` in the person's zone;
/// empty: today).
#[server(prefix = "/api", endpoint = "calendar")]
pub async fn calendar(view: String, date: String) -> Result<CalendarData, AppError> {
    use crate::server::auth::request;
    use crate::server::calendar;
    let session = request::require_session().await?;
    let state = request::state()?;
    calendar::period(&state, &session, CalendarView::parse(&view), &date).await
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
