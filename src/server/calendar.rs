//! The calendar's entries: the posts placed in the period a view shows, each with its time on
//! the person's wall clock and the accounts it goes to.

use chrono::{Datelike, NaiveDate, NaiveTime};

use crate::domain::PostId;
use crate::domain::calendar::CalendarView;
use crate::domain::calendar::{CalendarData, CalendarEntry};
use crate::domain::schedule::local_input;
use crate::error::AppError;
use crate::server::auth::SignedIn;
use crate::server::db::{self, posts as db_posts};
use crate::server::posts::networks_of;
use crate::server::state::AppState;

const DAY: &str = "%Y-%m-%d";

pub async fn period(
    state: &AppState,
    session: &SignedIn,
    view: CalendarView,
    date: &str,
) -> Result<CalendarData, AppError> {
    let zone = session.time_zone;
    let today = zone
        .local(db::millis(state.clock.now()))
        .map(|local| local.date())
        .unwrap_or_default();
    // A day that does not read is taken as today: the address is the person's to edit.
    let anchor = NaiveDate::parse_from_str(date.trim(), DAY)
        .ok()
        .filter(|day| (1900..=9000).contains(&day.year()))
        .unwrap_or(today);
    let (from, until) = view.period(anchor);
    let start = |day: NaiveDate| zone.instant_of(day.and_time(NaiveTime::MIN));
    let rows = db_posts::placed_between(
        state.db.pool(),
        &session.workspace_id,
        start(from),
        start(until),
    )
    .await?;
    let ids: Vec<PostId> = rows.iter().map(|row| row.id.clone()).collect();
    let targets = db_posts::targets_of(state.db.pool(), &ids).await?;
    let entries = rows
        .into_iter()
        .filter_map(|row| {
            let at = row.scheduled_at?;
            let networks = networks_of(&targets, &row.id);
            let mine = targets.iter().filter(|target| target.post_id == row.id);
            Some(CalendarEntry {
                status: row.status,
                text: row.text.chars().take(60).collect(),
                at,
                local: local_input(zone, at),
                networks,
                account_names: mine.map(|target| target.account_name.clone()).collect(),
                id: row.id,
            })
        })
        .collect();
    Ok(CalendarData {
        view,
        anchor: anchor.format(DAY).to_string(),
        from: from.format(DAY).to_string(),
        until: until.format(DAY).to_string(),
        time_zone: zone.name().to_owned(),
        today: today.format(DAY).to_string(),
        entries,
    })
}
