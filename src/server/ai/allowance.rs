//! The AI calls a workspace may make in an hour (`HERALD_AI_HOURLY_LIMIT`): the operator pays
//! for every call, so one member (or one stolen session) cannot run up the bill. Counted in the
//! database, so every instance shares the count.

use chrono::Duration;

use crate::domain::WorkspaceId;
use crate::error::{AppError, Problem};
use crate::server::db::{self, ai_calls};
use crate::server::state::AppState;

const HOUR: Duration = Duration::hours(1);

/// Counts `calls` about to be made for the workspace, or refuses them all when they would take
/// it past its hourly limit. The calls are written before the count is read, so parallel
/// requests cannot all slip under the limit; a refused request takes its calls back.
pub async fn take(
    state: &AppState,
    workspace_id: &WorkspaceId,
    calls: u32,
) -> Result<(), AppError> {
    let limit = state.settings.ai_hourly_limit;
    let now = state.clock.now();
    let pool = state.db.pool();
    let ids = ai_calls::record(pool, workspace_id, calls, db::millis(now)).await?;
    let (made, oldest) = ai_calls::since(pool, workspace_id, db::millis(now - HOUR)).await?;
    if made <= i64::from(limit) {
        return Ok(());
    }
    ai_calls::take_back(pool, &ids).await?;
    // The oldest call in the hour leaves it first, making room.
    let room_at = oldest.unwrap_or(db::millis(now)) + HOUR.num_milliseconds();
    let minutes = ((room_at - db::millis(now)) as f64 / 60_000.0)
        .ceil()
        .max(1.0) as i64;
    Err(AppError::Refused(Problem::AiHourlyLimit { limit, minutes }))
}

/// Forgets calls that left the hour.
pub async fn forget_old(state: &AppState) -> Result<u64, sqlx::Error> {
    let before = state.clock.now() - HOUR;
    ai_calls::delete_before(state.db.pool(), db::millis(before)).await
}
