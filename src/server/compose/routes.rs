//! `POST /compose/save`: the composer's form as a browser without JavaScript sends it —
//! checkboxes `account` and hidden fields `media` repeated in order, one `variant:<account id>`
//! and one `format:<account id>` (`feed` or `story`) per account. It hands the draft to
//! `compose::submit` — save, then publish (`intent=publish`) or schedule (`intent=schedule`, with
//! `at` the wall-clock time picked) through the services the server functions call — and
//! answers with a redirect: the post's page, the saved draft, or the composer with the problem.

use std::collections::{HashMap, HashSet};

use axum::Router;
use axum::extract::{RawForm, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;

use super::{Intent, Submitted};
use crate::domain::post::PostFormat;
use crate::domain::post_record::{DraftInput, TargetInput};
use crate::domain::{AccountId, MediaId, PostId};
use crate::error::{AppError, Problem};
use crate::server::auth::sessions::signed_in;
use crate::server::error::redirect_with_problem;
use crate::server::state::AppState;

/// A refused draft travels back in the redirect's address; beyond this (a very long text)
/// it would make the address too long for servers and proxies, and only the problem goes back.
const RETURNED_DRAFT_MAX_BYTES: usize = 24 * 1024;

pub fn router() -> Router<AppState> {
    Router::new().route("/compose/save", post(save))
}

/// More fields than the composer sends for hundreds of accounts and every picture a post may
/// carry: a form over this is refused before it is parsed.
pub const MAX_FORM_FIELDS: usize = 4_000;

/// The draft a plain form describes, read in one pass. Unknown fields are ignored; a variant
/// or format only counts for an account that is ticked. Over [`MAX_FORM_FIELDS`] fields, the
/// form is refused unread.
pub fn form_of(body: &[u8]) -> Result<(DraftInput, Intent), AppError> {
    let fields = body.split(|byte| *byte == b'&').count();
    if fields > MAX_FORM_FIELDS {
        return Err(AppError::invalid(
            "form",
            Problem::FormTooLarge {
                max_fields: MAX_FORM_FIELDS,
            },
        ));
    }
    let mut single: HashMap<String, String> = HashMap::new();
    let mut per_account: HashMap<String, String> = HashMap::new();
    let mut accounts: Vec<String> = Vec::new();
    let mut media: Vec<MediaId> = Vec::new();
    let mut seen_media: HashSet<String> = HashSet::new();
    for (name, value) in url::form_urlencoded::parse(body).into_owned() {
        match name.as_str() {
            "account" if !value.is_empty() => accounts.push(value),
            "media" if !value.is_empty() => {
                if seen_media.insert(value.clone()) {
                    media.push(MediaId::from(value));
                }
            }
            _ if name.starts_with("variant:") || name.starts_with("format:") => {
                per_account.entry(name).or_insert(value);
            }
            _ => {
                single.entry(name).or_insert(value);
            }
        }
    }
    let mut take = |name: &str| single.remove(name).unwrap_or_default();
    let intent = match take("intent").as_str() {
        "publish" => Intent::Publish,
        "schedule" => Intent::Schedule { at: take("at") },
        _ => Intent::Save,
    };
    let id = take("id");
    let targets = accounts
        .into_iter()
        .map(|account| TargetInput {
            variant: per_account
                .get(&format!("variant:{account}"))
                .filter(|variant| !variant.trim().is_empty())
                .cloned(),
            format: per_account
                .get(&format!("format:{account}"))
                .and_then(|format| PostFormat::parse(format))
                .unwrap_or_default(),
            account_id: AccountId::from(account),
        })
        .collect();
    let draft = DraftInput {
        id: (!id.is_empty()).then(|| PostId::from(id)),
        revision: take("revision").parse().ok(),
        text: take("text"),
        hashtags: take("hashtags"),
        call_to_action: take("call_to_action"),
        targets,
        media,
    };
    Ok((draft, intent))
}

async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawForm(body): RawForm,
) -> Response {
    let Some(session) = signed_in(&state, &headers).await else {
        return Redirect::to("/sign-in").into_response();
    };
    // Reading a large form is work for a thread of its own, not the executor's.
    let read = tokio::task::spawn_blocking(move || form_of(&body)).await;
    let (draft, intent) = match read {
        Ok(Ok(read)) => read,
        Ok(Err(refused)) => {
            return redirect_with_problem("/compose", &refused, &[]).into_response();
        }
        Err(panicked) => {
            let error = crate::server::error::internal(panicked);
            return redirect_with_problem("/compose", &error, &[]).into_response();
        }
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
        let (draft, intent) = form_of(
            b"id=&revision=&text=Hello%21&hashtags=a+b&call_to_action=&account=fb&account=ig\
              &variant%3Aig=Salut&variant%3Axx=ignored&format%3Aig=story&media=m2&media=m1&media=m2\
              &intent=schedule&at=2026-12-24T09%3A00",
        )
        .unwrap();
        assert!(matches!(intent, Intent::Schedule { at } if at == "2026-12-24T09:00"));
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

    #[test]
    fn a_form_over_the_field_cap_is_refused_before_it_is_read() {
        let body = "media=m&".repeat(MAX_FORM_FIELDS + 1);
        let refused = form_of(body.as_bytes()).err().expect("refused");
        assert_eq!(
            refused,
            AppError::invalid(
                "form",
                Problem::FormTooLarge {
                    max_fields: MAX_FORM_FIELDS
                }
            )
        );
        let at_the_cap = "media=m&".repeat(MAX_FORM_FIELDS - 1);
        assert!(form_of(at_the_cap.as_bytes()).is_ok());
    }
}
