//! How server-side failures become an `AppError`: the cause is logged with a short reference,
//! and only the reference reaches the person.

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use rand::Rng;

use crate::error::AppError;

/// Server functions answer every error with 500; this gives each its real status (400 for bad
/// input, 401, 403, 409, 429…) from the `AppError` in the body. Plain HTML form posts are
/// redirects back to the form, not errors, so they pass untouched.
pub async fn status_from_app_error(response: Response) -> Response {
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return Response::from_parts(parts, Body::empty());
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes)
        && let Ok(status) = StatusCode::from_u16(error.status_code())
    {
        parts.status = status;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Logs `what` with a fresh reference and returns the error the person sees.
pub fn internal(what: impl std::fmt::Display) -> AppError {
    let reference = reference();
    tracing::error!(reference = %reference, error = %what, "internal error");
    AppError::Internal { reference }
}

/// A redirect back to a page with `error` (and any `extra` pairs) in its query, as plain
/// forms get it: the page reads `problem` and words it in the reader's language.
pub fn redirect_with_problem(
    path: &str,
    error: &AppError,
    extra: &[(&str, &str)],
) -> axum::response::Redirect {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    query.append_pair("problem", &serde_json::to_string(error).unwrap_or_default());
    for (name, value) in extra {
        query.append_pair(name, value);
    }
    axum::response::Redirect::to(&format!("{path}?{}", query.finish()))
}

fn reference() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        internal(format_args!("database: {error}"))
    }
}

impl From<crate::server::auth::passwords::PasswordError> for AppError {
    fn from(error: crate::server::auth::passwords::PasswordError) -> Self {
        internal(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_show_a_reference_not_the_cause() {
        let error = internal("secret connection string postgres://u:p@h/db");
        let shown = error.to_string();
        assert!(!shown.contains("postgres://"));
        let AppError::Internal { reference } = error else {
            panic!("expected an internal error");
        };
        assert_eq!(reference.len(), 8);
        assert!(shown.contains(&reference));
    }
}
