//! `POST /media/upload` takes one file (multipart field `file`, optional `alt_text`), streamed;
//! `GET /media/<token>.<ext>` serves a stored file to anyone holding its address — the networks
//! fetch media from there. The upload answers JSON to scripts (`Accept: application/json`) and
//! redirects a plain form back to the library with the outcome, so it works without JavaScript.

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use tokio_util::io::ReaderStream;

use super::library;
use super::upload::{self, Received, UploadError};
use crate::domain::media::AltText;
use crate::error::AppError;
use crate::server::auth::sessions::signed_in;
use crate::server::db::media;
use crate::server::error::redirect_with_problem;
use crate::server::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/media/upload",
            // The limit is enforced per kind while streaming (`upload::receive`).
            post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/media/{file}", get(serve))
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"));
    let Some(session) = signed_in(&state, &headers).await else {
        return if wants_json {
            error_response(AppError::Unauthorized)
        } else {
            Redirect::to("/sign-in").into_response()
        };
    };
    let outcome = receive_form(&state, &session, multipart).await;
    match (outcome, wants_json) {
        (Ok(item), true) => (StatusCode::CREATED, axum::Json(item)).into_response(),
        (Ok(_), false) => Redirect::to("/media?done=uploaded").into_response(),
        (Err(error), true) => error_response(error),
        (Err(error), false) => redirect_with_problem("/media", &error, &[]).into_response(),
    }
}

async fn receive_form(
    state: &AppState,
    session: &crate::server::auth::SignedIn,
    mut multipart: Multipart,
) -> Result<crate::domain::library::MediaItem, AppError> {
    let malformed = |detail: String| AppError::Invalid {
        field: None,
        problem: crate::error::Problem::MalformedForm { detail },
    };
    let mut alt_text = String::new();
    let mut file: Option<(Received, String)> = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            // The body ended before its closing boundary: the connection was cut.
            Err(error) if file.is_none() => {
                return Err(library::refused(UploadError::Incomplete(error.body_text())));
            }
            Err(error) => return Err(malformed(error.body_text())),
        };
        match field.name() {
            Some("file") if file.is_none() => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let folder = state.settings.data_dir.join("uploads");
                let received = upload::receive(&folder, field, state.settings.upload_limits)
                    .await
                    .map_err(library::refused)?;
                file = Some((received, name));
            }
            Some("alt_text") => {
                alt_text = capped_text(field, AltText::MAX_CHARS)
                    .await
                    .map_err(|problem| match problem {
                        Capped::TooLong => AppError::invalid(
                            "alt_text",
                            crate::error::Problem::AltTextFarTooLong {
                                max: AltText::MAX_CHARS,
                            },
                        ),
                        Capped::Broken(detail) => malformed(detail),
                    })?;
            }
            // Read (to reach the next field) but never kept, and never more than a short text.
            _ => {
                capped_text(field, AltText::MAX_CHARS)
                    .await
                    .map_err(|_| malformed("an unexpected or overlong field".to_owned()))?;
            }
        }
    }
    let alt_text = AltText::parse(&alt_text)?;
    let (received, name) =
        file.ok_or(AppError::invalid("file", crate::error::Problem::MediaEmpty))?;
    library::add(
        state,
        &session.workspace_id,
        &session.user_id,
        received,
        &name,
        &alt_text,
    )
    .await
}

fn error_response(error: AppError) -> Response {
    let status = StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::BAD_REQUEST);
    (status, axum::Json(error)).into_response()
}

async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let token = file
        .split_once('.')
        .map_or(file.as_str(), |(token, _)| token);
    let row = match media::file_by_token(state.db.pool(), token).await {
        Ok(Some(row)) => row,
        Ok(None) => return StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            let _ = crate::server::error::internal(format_args!("reading a media file: {error}"));
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let stored = match state.media.get(&row.storage_key).await {
        Ok(stored) => stored,
        Err(error) => {
            tracing::error!(key = row.storage_key, error = %error, "a listed media file is missing");
            return StatusCode::NOT_FOUND.into_response();
        }
    };
    let mut response = Body::from_stream(ReaderStream::new(stored.reader)).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&row.content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(stored.bytes));
    // A token names one file forever: a new crop gets a new token.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    response
}

/// Why a text field was not read.
enum Capped {
    /// Longer than allowed: refused as soon as that was clear, the rest left unread.
    TooLong,
    /// Not valid UTF-8, or the body broke off.
    Broken(String),
}

/// A multipart text field of at most `max_chars` characters, read as it streams: a longer one
/// is refused at the first chunk past what those characters can take, never held whole.
async fn capped_text(
    mut field: axum::extract::multipart::Field<'_>,
    max_chars: usize,
) -> Result<String, Capped> {
    // A character is at most four bytes in UTF-8.
    let max_bytes = max_chars * 4;
    let mut bytes = Vec::new();
    while let Some(chunk) = field
        .chunk()
        .await
        .map_err(|error| Capped::Broken(error.body_text()))?
    {
        if bytes.len() + chunk.len() > max_bytes {
            return Err(Capped::TooLong);
        }
        bytes.extend_from_slice(&chunk);
    }
    // Up to `max_bytes`, the exact count is `AltText::parse`'s to say.
    String::from_utf8(bytes)
        .map_err(|_| Capped::Broken("a text field that is not UTF-8".to_owned()))
}
