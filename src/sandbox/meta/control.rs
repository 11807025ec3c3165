//! The emulator's own HTTP API under `/_sandbox/` — faults, revocations, the log — plus the avatar
//! images its profiles point at and an index page for people who open the base URL.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{Html, IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::html;
use super::{Fault, InstagramExchangeShape, MetaSandbox, ReceivedRequest, SandboxPage};

#[derive(Debug, Serialize)]
pub(super) struct Log {
    issued_tokens: Vec<String>,
    requests: Vec<ReceivedRequest>,
}

#[derive(Debug, Deserialize)]
pub(super) struct RedirectUri {
    uri: String,
}

#[derive(Debug, Deserialize)]
pub(super) struct Revocation {
    token: String,
    subcode: i64,
}

#[derive(Debug, Deserialize)]
pub(super) struct Ageing {
    token: String,
    seconds: i64,
}

#[derive(Debug, Deserialize)]
pub(super) struct ExchangeShape {
    shape: InstagramExchangeShape,
}

#[derive(Debug, Deserialize)]
pub(super) struct AccountType {
    account_type: String,
}

pub(super) async fn add_fault(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(fault): Json<Fault>,
) -> StatusCode {
    sandbox.inject(fault);
    StatusCode::NO_CONTENT
}

pub(super) async fn log(State(sandbox): State<Arc<MetaSandbox>>) -> Json<Log> {
    Json(Log {
        issued_tokens: sandbox.issued_tokens(),
        requests: sandbox.requests(),
    })
}

pub(super) async fn pages(State(sandbox): State<Arc<MetaSandbox>>) -> Json<Vec<SandboxPage>> {
    Json(sandbox.pages())
}

pub(super) async fn add_redirect_uri(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<RedirectUri>,
) -> StatusCode {
    sandbox.register_redirect_uri(&body.uri);
    StatusCode::NO_CONTENT
}

pub(super) async fn revoke(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<Revocation>,
) -> StatusCode {
    sandbox.revoke_token(&body.token, body.subcode);
    StatusCode::NO_CONTENT
}

pub(super) async fn age(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<Ageing>,
) -> StatusCode {
    sandbox.age_token(&body.token, chrono::Duration::seconds(body.seconds));
    StatusCode::NO_CONTENT
}

pub(super) async fn set_instagram_exchange_shape(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<ExchangeShape>,
) -> StatusCode {
    sandbox.set_instagram_exchange_shape(body.shape);
    StatusCode::NO_CONTENT
}

pub(super) async fn set_instagram_account_type(
    State(sandbox): State<Arc<MetaSandbox>>,
    Json(body): Json<AccountType>,
) -> StatusCode {
    sandbox.set_instagram_account_type(&body.account_type);
    StatusCode::NO_CONTENT
}

pub(super) async fn avatar(
    State(sandbox): State<Arc<MetaSandbox>>,
    Path(file): Path<String>,
) -> Response {
    let label = file
        .strip_suffix(".svg")
        .and_then(|id| sandbox.world.avatar_label(id));
    match label {
        Some(label) => {
            ([(CONTENT_TYPE, "image/svg+xml")], avatar_svg(&file, &label)).into_response()
        }
        None => (StatusCode::NOT_FOUND, "no such sandbox avatar").into_response(),
    }
}

/// A coloured square with initials; the colour follows the id so profiles tell apart at a glance.
fn avatar_svg(seed: &str, label: &str) -> String {
    let hue = seed.bytes().map(u32::from).sum::<u32>() * 37 % 360;
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"200\" \
         viewBox=\"0 0 200 200\"><rect width=\"200\" height=\"200\" \
         fill=\"hsl({hue},55%,42%)\"/><text x=\"100\" y=\"124\" font-family=\"sans-serif\" \
         font-size=\"72\" text-anchor=\"middle\" fill=\"#ffffff\">{}</text></svg>",
        html::escape(label)
    )
}

pub(super) async fn index(State(sandbox): State<Arc<MetaSandbox>>) -> Html<String> {
    let urls = sandbox.urls();
    let hosts: String = [
        ("Facebook Graph API", &urls.facebook_graph),
        ("Facebook Login dialog", &urls.facebook_www),
        ("Instagram Graph API", &urls.instagram_graph),
        ("Instagram token exchange", &urls.instagram_api),
        ("Instagram Login dialog", &urls.instagram_www),
    ]
    .iter()
    .map(|(purpose, url)| {
        format!(
            "<li>{}: <code>{}</code></li>\n",
            html::escape(purpose),
            html::escape(url)
        )
    })
    .collect();
    let body = format!(
        "<h1>Herald's Meta sandbox</h1>\n\
         <p>A stand-in for Meta's servers on this computer. Point Herald at these base URLs:</p>\n\
         <ul>\n{hosts}</ul>\n\
         <p><a href=\"/_sandbox/feed\">See everything published</a>, per Page and \
         Instagram account.</p>\n\
         <p>Control API: <code>POST /_sandbox/faults</code>, <code>GET /_sandbox/log</code>, \
         <code>POST /_sandbox/redirect-uris</code>, <code>POST /_sandbox/revoke</code>, \
         <code>GET /_sandbox/published</code>, <code>POST /_sandbox/page-token</code>, \
         <code>POST /_sandbox/instagram-login-token</code>, \
         <code>POST /_sandbox/instagram-quota-total</code>, \
         <code>POST /_sandbox/instagram-quota-use</code>, <code>POST /_sandbox/video-polls</code>, \
         <code>POST /_sandbox/fail-next-container</code>, \
         <code>POST /_sandbox/age-container</code>, \
         <code>POST /_sandbox/age_published</code>.</p>\n\
         <p>Insights and counters grow with a post's age, the same on every run. To see a week \
         pass, <code>POST /_sandbox/age_published</code> with \
         <code>{{\"ids\":[\"&lt;post, photo, video, media or container id&gt;\"],\
         \"seconds\":604800}}</code> (204; unknown ids are ignored).</p>"
    );
    Html(html::page("Herald's Meta sandbox", &body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatars_are_svg_with_escaped_labels() {
        let svg = avatar_svg("1000000000000001.svg", "P<1>");
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("P&lt;1&gt;"));
        assert!(svg.ends_with("</svg>"));
    }
}
