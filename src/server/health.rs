//! Probes for process supervisors and load balancers.

use axum::extract::State;
use axum::http::StatusCode;

use super::state::AppState;

/// The process is up and serving HTTP.
pub async fn healthz() -> &'static str {
    "ok"
}

/// The database answers and its schema is current: safe to send traffic here.
pub async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.db.is_ready().await {
        Ok(true) => (StatusCode::OK, "ready"),
        Ok(false) => (
            StatusCode::SERVICE_UNAVAILABLE,
            "database migrations are pending",
        ),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
