//! Settings: name, language, time zone, password, the places you are signed in, and (for the
//! owner) invitations. Every form works without JavaScript; the server redirects back here with
//! `?saved=…` so the page can say what was saved.

use leptos::form::ActionForm;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Session;
use crate::api::settings::{
    ChangePassword, RenamePerson, SessionSummary, SetLanguage, SetTimeZone, SignOutEverywhere,
    list_sessions,
};
use crate::domain::TimeZone;
use crate::domain::people::PASSWORD_MIN_CHARS;
use crate::error::AppError;
use crate::text::{Locale, format_moment, use_locale};
use crate::ui::components::{
    AppShell, Card, ErrorAlert, Field, SignedIn, SubmitButton, error_message, error_text,
    load_page_after,
};
use crate::ui::composer::offline;
use crate::ui::device;

#[component]
pub fn SettingsPage() -> impl IntoView {
    let sessions = Resource::new_blocking(|| (), |_| list_sessions());
    view! { <SignedIn render=move |session| view! { <SettingsScreen session sessions /> }.into_any() /> }
}

fn saved_message(what: &str, locale: Locale) -> Option<&'static str> {
    match what {
        "name" => Some(td_string!(locale, settings.saved_name)),
        "language" => Some(td_string!(locale, settings.saved_language)),
        "time_zone" => Some(td_string!(locale, settings.saved_time_zone)),
        "password" => Some(td_string!(locale, settings.saved_password)),
        _ => None,
    }
}

#[component]
fn SettingsScreen(
    session: Session,
    sessions: Resource<Result<Vec<SessionSummary>, AppError>>,
) -> impl IntoView {
    let query = use_query_map();
    let locale = use_locale().get_locale_untracked();
    let saved = move || {
        query
            .read()
            .get("saved")
            .and_then(|what| saved_message(&what, locale))
    };
    let zone = session.time_zone;
    view! {
        <Title text=td_string!(locale, settings.title) />
        <AppShell session=session.clone()>
            <h1>{td_string!(locale, settings.title)}</h1>
            {move || {
                saved()
                    .map(|message| {
                        view! {
                            <p class="alert alert-success" role="status">
                                {message}
                            </p>
                        }
                    })
            }}
            <ProfileSection session=session.clone() locale />
            <LanguageSection locale />
            <TimeZoneSection zone locale />
            <PasswordSection locale />
            <SessionsSection sessions zone locale />
            {session
                .is_owner
                .then(|| {
                    view! {
                        <Card id="owner" heading=td_string!(locale, settings.owner_heading)>
                            <p>{td_string!(locale, settings.owner_body)}</p>
                            <A href="/invitations" attr:class="button">
                                {td_string!(locale, settings.invite)}
                            </A>
                            <RedirectUris uris=session.oauth_redirect_uris.clone() locale />
                        </Card>
                    }
                })}
        </AppShell>
    }
}

/// What the owner registers with Meta so logins can come back to this Herald.
#[component]
fn RedirectUris(uris: Vec<String>, locale: Locale) -> impl IntoView {
    view! {
        <h3>{td_string!(locale, settings.redirect_heading)}</h3>
        <p class="muted">{td_string!(locale, settings.redirect_body)}</p>
        <ul>
            {uris.into_iter().map(|uri| view! { <li><code>{uri}</code></li> }).collect_view()}
        </ul>
    }
}

#[component]
fn ProfileSection(session: Session, locale: Locale) -> impl IntoView {
    let rename = ServerAction::<RenamePerson>::new();
    view! {
        <Card id="profile" heading=td_string!(locale, settings.profile_heading)>
            <ActionForm action=rename>
                <div class="stack">
                    <ErrorAlert message=error_message(rename) />
                    <Field input_id="display_name" label=td_string!(locale, settings.name)>
                        <input
                            id="display_name"
                            name="display_name"
                            value=session.display_name
                            autocomplete="name"
                            required
                        />
                    </Field>
                    <p class="muted">
                        {td_string!(locale, settings.email, email = session.email).to_string()}
                    </p>
                    <SubmitButton label=td_string!(locale, settings.save_name) />
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn LanguageSection(locale: Locale) -> impl IntoView {
    let set_language = ServerAction::<SetLanguage>::new();
    load_page_after(set_language, "/settings?saved=language");
    view! {
        <Card id="language" heading=td_string!(locale, settings.language_heading)>
            <ActionForm action=set_language>
                <div class="stack">
                    <ErrorAlert message=error_message(set_language) />
                    <Field
                        input_id="language"
                        label=td_string!(locale, settings.language)
                        hint=td_string!(locale, settings.language_hint)
                    >
                        <select id="language" name="language" aria-describedby="language-hint">
                            {Locale::get_all()
                                .iter()
                                .map(|&option| {
                                    view! {
                                        <option value=option.as_str() selected=option == locale lang=option.as_str()>
                                            {td_string!(option, language_name)}
                                        </option>
                                    }
                                })
                                .collect_view()}
                        </select>
                    </Field>
                    <SubmitButton label=td_string!(locale, settings.save_language) />
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn TimeZoneSection(zone: TimeZone, locale: Locale) -> impl IntoView {
    let set_zone = ServerAction::<SetTimeZone>::new();
    let input = NodeRef::<Input>::new();
    let device_zone = RwSignal::new(None::<String>);
    Effect::new(move || device_zone.set(device::time_zone()));
    let suggestion = move || {
        device_zone
            .get()
            .filter(|device| device != zone.name())
            .map(|device| {
                let chosen = device.clone();
                view! {
                    <p class="hint">
                        {td_string!(locale, settings.zone_device, zone = device).to_string()} " "
                        <button
                            type="button"
                            class="link-button"
                            on:click=move |_| {
                                if let Some(input) = input.get() {
                                    input.set_value(&chosen);
                                }
                            }
                        >
                            {td_string!(locale, settings.zone_use_device)}
                        </button>
                    </p>
                }
            })
    };
    view! {
        <Card id="zone" heading=td_string!(locale, settings.zone_heading)>
            <p class="muted">
                {td_string!(locale, settings.zone_current, zone = zone.name()).to_string()}
            </p>
            <ActionForm action=set_zone>
                <div class="stack">
                    <ErrorAlert message=error_message(set_zone) />
                    <Field
                        input_id="time_zone"
                        label=td_string!(locale, settings.zone)
                        hint=td_string!(locale, settings.zone_hint)
                    >
                        <input
                            id="time_zone"
                            name="time_zone"
                            node_ref=input
                            list="time-zones"
                            value=zone.name()
                            autocomplete="off"
                            spellcheck="false"
                            aria-describedby="time_zone-hint"
                            required
                        />
                        <datalist id="time-zones">
                            {TimeZone::all_names()
                                .map(|name| view! { <option value=name></option> })
                                .collect_view()}
                        </datalist>
                    </Field>
                    {suggestion}
                    <SubmitButton label=td_string!(locale, settings.save_zone) />
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn PasswordSection(locale: Locale) -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let hint = td_string!(locale, settings.password_hint, min = PASSWORD_MIN_CHARS).to_string();
    view! {
        <Card id="password" heading=td_string!(locale, settings.password_heading)>
            <ActionForm action=change>
                <div class="stack">
                    <ErrorAlert message=error_message(change) />
                    <Field input_id="current_password" label=td_string!(locale, settings.current_password)>
                        <input
                            id="current_password"
                            name="current_password"
                            type="password"
                            autocomplete="current-password"
                            required
                        />
                    </Field>
                    <Field input_id="new_password" label=td_string!(locale, settings.new_password) hint>
                        <input
                            id="new_password"
                            name="new_password"
                            type="password"
                            autocomplete="new-password"
                            aria-describedby="new_password-hint"
                            required
                        />
                    </Field>
                    <SubmitButton label=td_string!(locale, settings.change_password) />
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn SessionsSection(
    sessions: Resource<Result<Vec<SessionSummary>, AppError>>,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    view! {
        <Card id="sessions" heading=td_string!(locale, settings.sessions_heading)>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <SessionList list zone locale /> }.into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=everywhere on:submit=move |_| offline::forget_everything()>
                <div class="stack">
                    <ErrorAlert message=error_message(everywhere) />
                    <p class="muted">{td_string!(locale, settings.everywhere_note)}</p>
                    <SubmitButton label=td_string!(locale, settings.everywhere) />
                </div>
            </ActionForm>
        </Card>
    }
}

#[component]
fn SessionList(list: Vec<SessionSummary>, zone: TimeZone, locale: Locale) -> impl IntoView {
    view! {
        <ul class="session-list">
            {list
                .into_iter()
                .map(|session| {
                    let times = td_string!(
                        locale,
                        settings.session_times,
                        signed_in = format_moment(session.created_at, zone, locale),
                        last_active = format_moment(session.last_seen_at, zone, locale)
                    )
                    .to_string();
                    view! {
                        <li>
                            <span class="session-device">{session.device}</span>
                            <span class="muted">{times}</span>
                            {session
                                .current
                                .then(|| view! { <span class="badge">{td_string!(locale, settings.this_device)}</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
