//! Settings: name, time zone, password, the places you are signed in, and (for the owner)
//! invitations. Every form works without JavaScript; the server redirects back here with
//! `?saved=…` so the page can say what was saved.

use leptos::form::ActionForm;
use leptos::html::Input;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Session;
use crate::api::settings::{
    ChangePassword, RenamePerson, SessionSummary, SetTimeZone, SignOutEverywhere, list_sessions,
};
use crate::domain::TimeZone;
use crate::domain::people::PASSWORD_MIN_CHARS;
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_message};
use crate::ui::device;

#[component]
pub fn SettingsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <SettingsScreen session /> }.into_any() /> }
}

fn saved_message(what: &str) -> Option<&'static str> {
    match what {
        "name" => Some("Your name was saved."),
        "time_zone" => Some("Your time zone was saved."),
        "password" => Some("Your password was changed. Your other sessions were signed out."),
        _ => None,
    }
}

#[component]
fn SettingsScreen(session: Session) -> impl IntoView {
    let query = use_query_map();
    let saved = move || {
        query
            .read()
            .get("saved")
            .and_then(|what| saved_message(&what))
    };
    let zone = TimeZone::from_stored(Some(&session.time_zone));
    view! {
        <Title text="Settings" />
        <AppShell session=session.clone()>
            <h1>"Settings"</h1>
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
            <ProfileSection session=session.clone() />
            <TimeZoneSection zone />
            <PasswordSection />
            <SessionsSection zone />
            {session
                .is_owner
                .then(|| {
                    view! {
                        <section class="card" aria-labelledby="owner-heading">
                            <h2 id="owner-heading">"You own this Herald"</h2>
                            <p>"New people join through invitation links that you make."</p>
                            <A href="/invitations" attr:class="button">
                                "Invite people"
                            </A>
                        </section>
                    }
                })}
        </AppShell>
    }
}

#[component]
fn ProfileSection(session: Session) -> impl IntoView {
    let rename = ServerAction::<RenamePerson>::new();
    view! {
        <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">"Profile"</h2>
            <ActionForm action=rename>
                <div class="stack">
                    <ErrorAlert message=error_message(rename) />
                    <div class="field">
                        <label for="display_name">"Your name"</label>
                        <input
                            id="display_name"
                            name="display_name"
                            value=session.display_name
                            autocomplete="name"
                            required
                        />
                    </div>
                    <p class="muted">"Email: " {session.email}</p>
                    <div>
                        <button type="submit" class="button">
                            "Save name"
                        </button>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn TimeZoneSection(zone: TimeZone) -> impl IntoView {
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
                        "This device is set to " <strong>{device}</strong> ". "
                        <button
                            type="button"
                            class="link-button"
                            on:click=move |_| {
                                if let Some(input) = input.get() {
                                    input.set_value(&chosen);
                                }
                            }
                        >
                            "Use the device’s time zone"
                        </button>
                    </p>
                }
            })
    };
    view! {
        <section class="card" aria-labelledby="zone-heading">
            <h2 id="zone-heading">"Time zone"</h2>
            <p class="muted">
                "Herald shows times in " <strong>{zone.name()}</strong>
                ". Posts keep their exact moment when you change it."
            </p>
            <ActionForm action=set_zone>
                <div class="stack">
                    <ErrorAlert message=error_message(set_zone) />
                    <div class="field">
                        <label for="time_zone">"Time zone"</label>
                        <input
                            id="time_zone"
                            name="time_zone"
                            node_ref=input
                            list="time-zones"
                            value=zone.name()
                            autocomplete="off"
                            spellcheck="false"
                            aria-describedby="time-zone-hint"
                            required
                        />
                        <p id="time-zone-hint" class="hint">
                            "Type to search, like Paris or New_York."
                        </p>
                        <datalist id="time-zones">
                            {TimeZone::all_names()
                                .map(|name| view! { <option value=name></option> })
                                .collect_view()}
                        </datalist>
                    </div>
                    {suggestion}
                    <div>
                        <button type="submit" class="button">
                            "Save time zone"
                        </button>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSection() -> impl IntoView {
    let change = ServerAction::<ChangePassword>::new();
    let hint = format!("At least {PASSWORD_MIN_CHARS} characters.");
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">"Password"</h2>
            <ActionForm action=change>
                <div class="stack">
                    <ErrorAlert message=error_message(change) />
                    <div class="field">
                        <label for="current_password">"Current password"</label>
                        <input
                            id="current_password"
                            name="current_password"
                            type="password"
                            autocomplete="current-password"
                            required
                        />
                    </div>
                    <div class="field">
                        <label for="new_password">"New password"</label>
                        <input
                            id="new_password"
                            name="new_password"
                            type="password"
                            autocomplete="new-password"
                            aria-describedby="new-password-hint"
                            required
                        />
                        <p id="new-password-hint" class="hint">
                            {hint}
                        </p>
                    </div>
                    <div>
                        <button type="submit" class="button">
                            "Change password"
                        </button>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn SessionsSection(zone: TimeZone) -> impl IntoView {
    let everywhere = ServerAction::<SignOutEverywhere>::new();
    let sessions = Resource::new(|| (), |_| list_sessions());
    view! {
        <section class="card" aria-labelledby="sessions-heading">
            <h2 id="sessions-heading">"Where you are signed in"</h2>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match sessions.await {
                        Ok(list) => view! { <SessionList list zone /> }.into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(error.to_string()) /> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=everywhere>
                <div class="stack">
                    <ErrorAlert message=error_message(everywhere) />
                    <p class="muted">
                        "Lost a phone, or signed in on a shared computer? This signs out every session, this one included."
                    </p>
                    <div>
                        <button type="submit" class="button">
                            "Sign out everywhere"
                        </button>
                    </div>
                </div>
            </ActionForm>
        </section>
    }
}

#[component]
fn SessionList(list: Vec<SessionSummary>, zone: TimeZone) -> impl IntoView {
    view! {
        <ul class="session-list">
            {list
                .into_iter()
                .map(|session| {
                    view! {
                        <li>
                            <span class="session-device">{session.device}</span>
                            <span class="muted">
                                "Signed in " {zone.format_minutes(session.created_at)}
                                " · last active " {zone.format_minutes(session.last_seen_at)}
                            </span>
                            {session
                                .current
                                .then(|| view! { <span class="badge">"This device"</span> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
