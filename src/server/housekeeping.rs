//! Clean-up of rows that only matter for a while: expired sessions, sign-in counters whose
//! window and lock have passed, browsers unused for a year, and OAuth round trips and account
//! offers (which hold sealed tokens) nobody finished. Runs at start and then every hour.

use std::time::Duration;

use super::auth::{devices, throttle};
use super::db::{self, known_devices, oauth, sessions};
use super::state::AppState;

const EVERY: Duration = Duration::from_secs(60 * 60);

pub async fn run_once(state: &AppState) -> Result<(), sqlx::Error> {
    let now = state.clock.now();
    let sessions = sessions::delete_expired(state.db.pool(), db::millis(now)).await?;
    let counters = throttle::forget_stale(&state.db, now).await?;
    let logins = oauth::delete_expired_states(state.db.pool(), db::millis(now)).await?;
    let devices =
        known_devices::delete_unused(state.db.pool(), db::millis(now - devices::FORGOTTEN_AFTER))
            .await?;
    if sessions + counters + logins + devices > 0 {
        tracing::info!(sessions, counters, logins, devices, "removed expired rows");
    }
    crate::server::ai::allowance::forget_old(state).await?;
    let proposals = crate::server::ai::revisions::fail_abandoned(state).await?;
    if proposals > 0 {
        tracing::info!(
            proposals,
            "AI proposals left unfinished by a stopped process failed"
        );
    }
    Ok(())
}

pub async fn run_forever(state: AppState) {
    let mut ticks = tokio::time::interval(EVERY);
    loop {
        ticks.tick().await;
        if let Err(error) = run_once(&state).await {
            tracing::warn!(%error, "housekeeping failed; will try again in an hour");
        }
    }
}
