//! The composer's page: `/compose` for a new post, `/compose/{id}` for a draft. A save sent
//! without JavaScript that the server refused comes back as `?problem=…&draft=…`: the problem
//! is shown, and the words as sent are put back in the form to be fixed.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::auth::Session;
use crate::api::posts::{ComposerData, DraftInput, open_composer};
use crate::error::AppError;
use crate::text::use_locale;
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_text};
use crate::ui::composer::ComposerForm;

#[component]
pub fn ComposePage() -> impl IntoView {
    let params = use_params_map();
    let data = Resource::new_blocking(
        move || params.read().get("id").unwrap_or_default(),
        open_composer,
    );
    view! { <SignedIn render=move |session| view! { <ComposeScreen session data /> }.into_any() /> }
}

#[component]
fn ComposeScreen(
    session: Session,
    data: Resource<Result<ComposerData, AppError>>,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let zone = session.time_zone;
    let person = StoredValue::new(session.user_id.clone());
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let refused = move || {
        query
            .read_untracked()
            .get("problem")
            .and_then(|json| AppError::from_link(&json))
    };
    let returned = move || {
        query
            .read_untracked()
            .get("draft")
            .and_then(|json| serde_json::from_str::<DraftInput>(&json).ok())
    };
    let saved = move || query.read().get("done").is_some_and(|done| done == "saved");
    let title = move || {
        if id().is_empty() {
            td_string!(locale, compose.title_new)
        } else {
            td_string!(locale, compose.title_edit)
        }
    };
    view! {
        <Title text=title() />
        <AppShell session>
            <h1>{title()}</h1>
            {move || {
                saved()
                    .then(|| view! { <p class="alert alert-success" role="status">{td_string!(locale, compose.saved)}</p> })
            }}
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        // Sent posts are history: their results, not the editor.
                        Ok(data) if data.post.as_ref().is_some_and(|post| !post.status.is_editable()) => {
                            let id = data.post.map(|post| post.id.to_string()).unwrap_or_default();
                            view! {
                                <p class="alert alert-info" role="status">{td_string!(locale, publishing.read_only)}</p>
                                <p><a class="button button-primary" href=format!("/posts/{id}")>{td_string!(locale, publishing.open_results)}</a></p>
                            }
                            .into_any()
                        }
                        Ok(data) => view! {
                            <ComposerForm
                                person=person.get_value()
                                post=data.post
                                accounts=data.accounts
                                library=data.library
                                zone
                                locale
                                refused=refused()
                                returned=returned()
                                next_slot=data.next_slot
                                now_local=data.now_local
                                ai=data.ai
                                revisions=data.revisions
                            />
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}
