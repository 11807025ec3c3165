//! After a login: every Page and Instagram account it reaches, all ticked, to add in one go.
//! A plain form to `POST /accounts/pick`, so it works the same without JavaScript.

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::accounts::{OfferView, list_offers};
use crate::api::auth::Session;
use crate::domain::accounts::Network;
use crate::error::AppError;
use crate::text::{Locale, use_locale};
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_text};

#[component]
pub fn PickAccountsPage() -> impl IntoView {
    let query = use_query_map();
    let offers = Resource::new_blocking(
        move || query.read().get("batch").unwrap_or_default(),
        list_offers,
    );
    view! { <SignedIn render=move |session| view! { <PickScreen session offers /> }.into_any() /> }
}

#[component]
fn PickScreen(
    session: Session,
    offers: Resource<Result<Vec<OfferView>, AppError>>,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let query = use_query_map();
    let batch = move || query.read().get("batch").unwrap_or_default();
    view! {
        <Title text=td_string!(locale, pick.title) />
        <AppShell session>
            <h1>{td_string!(locale, pick.title)}</h1>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match offers.await {
                        Ok(list) if list.is_empty() => {
                            view! {
                                <p class="alert alert-warning" role="alert">{td_string!(locale, pick.expired)}</p>
                                <a href="/accounts" class="button">{td_string!(locale, pick.back)}</a>
                            }
                                .into_any()
                        }
                        Ok(list) => view! { <PickForm list batch=batch() locale /> }.into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}

fn refusal_text(code: &str, locale: Locale) -> &'static str {
    match code {
        "personal_instagram" => td_string!(locale, pick.refused_personal_instagram),
        "no_publish_task" => td_string!(locale, pick.refused_no_publish_task),
        _ => td_string!(locale, pick.refused_other),
    }
}

#[component]
fn PickForm(list: Vec<OfferView>, batch: String, locale: Locale) -> impl IntoView {
    view! {
        <p class="muted">{td_string!(locale, pick.intro)}</p>
        <form method="post" action="/accounts/pick" class="stack">
            <input type="hidden" name="batch" value=batch />
            <fieldset class="card stack">
                <legend>{td_string!(locale, pick.legend)}</legend>
                {list
                    .into_iter()
                    .map(|offer| {
                        let input_id = format!("offer-{}", offer.id);
                        let refused = offer.refusal.clone();
                        let network = match offer.network {
                            Network::Facebook => td_string!(locale, accounts.network_facebook),
                            Network::Instagram => td_string!(locale, accounts.network_instagram),
                        };
                        view! {
                            <div class="offer">
                                <input
                                    type="checkbox"
                                    id=input_id.clone()
                                    name="offer"
                                    value=offer.id.to_string()
                                    checked=refused.is_none()
                                    disabled=refused.is_some()
                                />
                                {offer
                                    .avatar_url
                                    .clone()
                                    .map(|url| view! { <img class="avatar" src=url alt="" width="40" height="40" /> })}
                                <label for=input_id>
                                    {offer.name.clone()}
                                    <span class="muted">
                                        {format!(" · {network}")}
                                        {offer.username.clone().map(|username| format!(" · @{username}"))}
                                    </span>
                                </label>
                                {refused
                                    .map(|code| view! { <p class="hint">{refusal_text(&code, locale)}</p> })}
                            </div>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div>
                <button type="submit" class="button button-primary">
                    {td_string!(locale, pick.add)}
                </button>
            </div>
        </form>
    }
}
