//! The dashboard's range as CSV files: `/analytics/posts.csv` (each post target published in
//! the range with its newest figures) and `/analytics/snapshots.csv` (every snapshot taken in
//! the range). Same address parameters as the page, so a download holds what the page shows;
//! an absent figure is an empty cell, never 0.

use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use super::dashboard::{Asked, Viewer, percent, range_of};
use super::names::account_names;
use crate::domain::analytics::AccountName;
use crate::domain::figures::{Figures, Metric};
use crate::domain::{AccountId, PostId, TimeZone};
use crate::error::AppError;
use crate::server::auth::SignedIn;
use crate::server::auth::sessions::signed_in;
use crate::server::db::figures;
use crate::server::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/analytics/posts.csv", get(posts_csv))
        .route("/analytics/snapshots.csv", get(snapshots_csv))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RangeQuery {
    range: String,
    from: String,
    to: String,
    account: String,
}

impl RangeQuery {
    fn asked(&self) -> Asked<'_> {
        Asked {
            range: &self.range,
            from: &self.from,
            to: &self.to,
            account: &self.account,
        }
    }
}

async fn posts_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<RangeQuery>,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    answer("herald-posts.csv", posts(&state, &session, &query).await)
}

async fn snapshots_csv(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<RangeQuery>,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    answer(
        "herald-snapshots.csv",
        snapshots(&state, &session, &query).await,
    )
}

fn answer(file_name: &str, body: Result<Vec<u8>, AppError>) -> Response {
    match body {
        Ok(body) => {
            let disposition = format!("attachment; filename=\"{file_name}\"");
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_str(&disposition).expect("a plain file name"),
                    ),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                ],
                body,
            )
                .into_response()
        }
        Err(AppError::Invalid { problem, .. }) => (
            StatusCode::BAD_REQUEST,
            crate::text::problems::describe(
                &AppError::Invalid {
                    field: None,
                    problem,
                },
                crate::text::Locale::en,
            ),
        )
            .into_response(),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "The export could not be made; try again.",
        )
            .into_response(),
    }
}

/// What an export covers: the range's instants, and the accounts it shows (one, when the
/// address names one of the workspace's; else all).
struct Scope {
    from: i64,
    to: i64,
    accounts: Vec<AccountName>,
}

impl Scope {
    async fn of(
        state: &AppState,
        session: &SignedIn,
        query: &RangeQuery,
    ) -> Result<Scope, AppError> {
        let range = range_of(&Viewer::of(state, session), &query.asked())?;
        let mut accounts = account_names(state.db.pool(), &session.workspace_id).await?;
        let only = AccountId::from(query.account.trim().to_owned());
        if accounts.iter().any(|account| account.id == only) {
            accounts.retain(|account| account.id == only);
        }
        Ok(Scope {
            from: range.from,
            to: range.to,
            accounts,
        })
    }

    fn account(&self, id: &AccountId) -> Option<&AccountName> {
        self.accounts.iter().find(|account| &account.id == id)
    }
}

fn local(zone: TimeZone, millis: i64) -> String {
    zone.local(millis)
        .map(|local| local.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// Words as a spreadsheet shows them, never as a formula it runs: a cell starting with `=`,
/// `+`, `-`, `@` or a control character gets a leading apostrophe (OWASP's CSV injection
/// advice).
fn words(text: &str) -> String {
    let first_seen = text.trim_start().chars().next();
    let starts_blank = text.starts_with(['\t', '\r', '\n']);
    if starts_blank || matches!(first_seen, Some('=' | '+' | '-' | '@')) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn cell(value: Option<i64>) -> String {
    value.map(|value| value.to_string()).unwrap_or_default()
}

async fn posts(
    state: &AppState,
    session: &SignedIn,
    query: &RangeQuery,
) -> Result<Vec<u8>, AppError> {
    let scope = Scope::of(state, session, query).await?;
    let pool = state.db.pool();
    let window = (scope.from, scope.to);
    let published = figures::published_between(pool, &session.workspace_id, window).await?;
    let figures_of = figures::latest_between(pool, &session.workspace_id, window).await?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    let mut heading = vec![
        "published_at",
        "time_zone",
        "account",
        "network",
        "post_id",
        "url",
        "text",
    ];
    heading.extend(Metric::OF_POSTS.iter().map(|metric| metric.as_str()));
    heading.push("engagement_rate");
    csv.write_record(&heading).map_err(internal)?;
    let empty = Figures::default();
    for row in published {
        let Some(account) = scope.account(&row.account_id) else {
            continue;
        };
        let figures = figures_of
            .get(&(row.post_id.clone(), row.account_id.clone()))
            .unwrap_or(&empty);
        let mut record = vec![
            local(session.time_zone, row.published_at),
            session.time_zone.name().to_owned(),
            words(&account.name),
            account.network.as_str().to_owned(),
            row.post_id.to_string(),
            row.remote_url.clone().unwrap_or_default(),
            words(&row.body),
        ];
        record.extend(
            Metric::OF_POSTS
                .iter()
                .map(|metric| cell(figures.get(*metric))),
        );
        record.push(figures.engagement_rate().map(percent).unwrap_or_default());
        csv.write_record(&record).map_err(internal)?;
    }
    csv.into_inner()
        .map_err(|error| internal(error.into_error()))
}

async fn snapshots(
    state: &AppState,
    session: &SignedIn,
    query: &RangeQuery,
) -> Result<Vec<u8>, AppError> {
    let scope = Scope::of(state, session, query).await?;
    let window = (scope.from, scope.to);
    let rows = figures::taken_between(state.db.pool(), &session.workspace_id, window).await?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "taken_at",
        "time_zone",
        "account",
        "network",
        "post_id",
        "metric",
        "value",
    ])
    .map_err(internal)?;
    for row in rows {
        let Some(account) = scope.account(&row.account_id) else {
            continue;
        };
        csv.write_record([
            local(session.time_zone, row.taken_at),
            session.time_zone.name().to_owned(),
            words(&account.name),
            account.network.as_str().to_owned(),
            row.post_id
                .as_ref()
                .map(PostId::to_string)
                .unwrap_or_default(),
            row.metric.clone(),
            row.value.to_string(),
        ])
        .map_err(internal)?;
    }
    csv.into_inner()
        .map_err(|error| internal(error.into_error()))
}

fn internal(error: impl std::fmt::Display) -> AppError {
    crate::server::error::internal(format!("csv export: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_that_look_like_formulas_stay_words() {
        assert_eq!(words("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(words("-5 % today"), "'-5 % today");
        assert_eq!(words("Hello = world"), "Hello = world");
        assert_eq!(words("  =1+1"), "'  =1+1");
        assert_eq!(words("\n=1+1"), "'\n=1+1");
        assert_eq!(cell(None), "");
        assert_eq!(cell(Some(0)), "0");
    }
}
