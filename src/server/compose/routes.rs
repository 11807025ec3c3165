//! `POST /compose/save`: the composer's form as a browser without JavaScript sends it —
//! checkboxes `account` and hidden fields `media` repeated in order, one `variant:<account id>`
//! and one `format:<account id>` (`feed` or `story`) per account. It hands the draft to
//! `compose::submit` — save, then publish (`intent=publish`) or schedule (`intent=schedule`, with
//! `at` the wall-clock time picked) through the services the server functions call — and
//! answers with a redirect: the post's page, the saved draft, or the composer with the problem.

use axum::Router;
use axum::extract::{RawForm, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use super::{Intent, Submitted};
use crate::domain::post::PostFormat;
use crate::domain::post_record::{DraftInput, TargetInput};
use crate::domain::{AccountId, MediaId, PostId};
use crate::server::auth::sessions::signed_in;
use crate::server::error::redirect_with_problem;
use crate::server::state::AppState;

/// A refused draft travels back in the redirect's address; beyond this (a very long text)
/// it would make the address too long for servers and proxies, and only the problem goes back.
const RETURNED_DRAFT_MAX_BYTES: usize = 24 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/compose/save", post(save))
}

/// The draft a plain form describes. Unknown fields are ignored; a variant only counts for an
/// account that is ticked.
pub fn draft_from_form(body: &[u8]) -> DraftInput {
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let value = |name: &str| {
        fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let mut media: Vec<MediaId> = Vec::new();
    for (_, id) in fields.iter().filter(|(name, _)| name == "media") {
        let id = MediaId::from(id.clone());
        if !id.as_str().is_empty() && !media.contains(&id) {
            media.push(id);
        }
    }
    let targets = fields
        .iter()
        .filter(|(name, value)| name == "account" && !value.is_empty())
        .map(|(_, account)| TargetInput {
            account_id: AccountId::from(account.clone()),
            variant: Some(value(&format!("variant:{account}"))).filter(|v| !v.trim().is_empty()),
            format: PostFormat::parse(&value(&format!("format:{account}"))).unwrap_or_default(),
        })
        .collect();
    let id = value("id");
    DraftInput {
        id: (!id.is_empty()).then(|| PostId::from(id)),
        revision: value("revision").parse().ok(),
        text: value("text"),
        hashtags: value("hashtags"),
        call_to_action: value("call_to_action"),
        targets,
        media,
    }
}

async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    let draft = draft_from_form(&body);
    let field = |wanted: &str| {
        url::form_urlencoded::parse(&body)
            .find(|(name, _)| name == wanted)
            .map(|(_, value)| value.into_owned())
            .unwrap_or_default()
    };
    let intent = match field("intent").as_str() {
        "publish" => Intent::Publish,
        "schedule" => Intent::Schedule { at: field("at") },
        _ => Intent::Save,
    };
    let back = match &draft.id {
        Some(id) => format!("/compose/{id}"),
        None => "/compose".to_owned(),
    };
    // What was sent goes back with the problem, so the composer shows it again to be fixed.
    let sent = serde_json::to_string(&draft).unwrap_or_default();
    match super::submit(&state, &session, draft, intent).await {
        Ok(Submitted::Sent(post)) => Redirect::to(&format!("/posts/{}", post.id)).into_response(),
        // Saved, not sent: back to the saved draft with the reason.
        Ok(Submitted::NotSent { saved, error }) => {
            redirect_with_problem(&format!("/compose/{}", saved.id), &error, &[]).into_response()
        }
        Ok(Submitted::Saved(post)) => {
            Redirect::to(&format!("/compose/{}?done=saved", post.id)).into_response()
        }
        Err(error) => {
            let returned: &[(&str, &str)] = if sent.len() <= RETURNED_DRAFT_MAX_BYTES {
                &[("draft", &sent)]
            } else {
                &[]
            };
            redirect_with_problem(&back, &error, returned).into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_form_becomes_a_draft_in_the_order_sent() {
        let draft = draft_from_form(
            b"id=&revision=&text=Hello%21&hashtags=a+b&call_to_action=&account=fb&account=ig\
              &variant%3Aig=Salut&variant%3Axx=ignored&format%3Aig=story&media=m2&media=m1&media=m2",
        );
        assert_eq!(draft.id, None);
        assert_eq!(draft.text, "Hello!");
        assert_eq!(draft.hashtags, "a b");
        let targets: Vec<_> = draft
            .targets
            .iter()
            .map(|t| {
                (
                    t.account_id.as_str().to_owned(),
                    t.variant.clone(),
                    t.format,
                )
            })
            .collect();
        assert_eq!(
            targets,
            [
                ("fb".into(), None, PostFormat::Feed),
                ("ig".into(), Some("Salut".into()), PostFormat::Story)
            ]
        );
        let media: Vec<_> = draft.media.iter().map(|m| m.as_str().to_owned()).collect();
        assert_eq!(media, ["m2", "m1"]);
    }
}
