//! Structured logs. Each request gets an id (echoed in `x-request-id`) that every line it
//! causes carries. Only the path is logged, never the query string, headers or body, which
//! can hold invitation tokens, cookies or passwords.

use std::io::IsTerminal;

use axum::http::Request;
use tracing::Span;
use tracing_subscriber::EnvFilter;

use super::config::LogFormat;

/// Installs the global subscriber; `HERALD_LOG` takes `tracing` filter directives.
pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_env("HERALD_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        // Colour codes only help a person at a terminal; in files and journals they are noise.
        .with_ansi(std::io::stdout().is_terminal());
    let installed = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
    // A second init (tests spawning several servers) keeps the first subscriber.
    drop(installed);
}

/// The span every request's log lines belong to.
pub fn request_span<B>(request: &Request<B>) -> Span {
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!(
        "request",
        id = %request_id,
        method = %request.method(),
        path = %logged_path(request.uri().path()),
    )
}

/// The path as logs may show it: a media file's address is a capability (whoever holds it may
/// fetch the file), so its token is left out.
fn logged_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/media/") {
        Some(file) if file != "upload" => {
            let extension = file.rsplit_once('.').map_or("", |(_, extension)| extension);
            format!("/media/[token].{extension}").into()
        }
        _ => path.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_tokens_are_left_out_of_logged_paths() {
        assert_eq!(
            logged_path("/media/Zx81kq0pAbCdEf.jpg"),
            "/media/[token].jpg"
        );
        assert_eq!(logged_path("/media/upload"), "/media/upload");
        assert_eq!(logged_path("/posts/123"), "/posts/123");
    }
}
