//! The owner's invitation links: make one (its link is shown once), see which were used.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;

use crate::api::auth::Session;
use crate::api::invitations::{CreateInvitation, InvitationView, Invitations, list_invitations};
use crate::domain::TimeZone;
use crate::error::AppError;
use crate::text::{Locale, format_moment, use_locale};
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_message, error_text};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    let create = ServerAction::<CreateInvitation>::new();
    let invitations =
        Resource::new_blocking(move || create.version().get(), |_| list_invitations());
    view! {
        <SignedIn render=move |session| {
            view! { <InvitationsScreen session create invitations /> }.into_any()
        } />
    }
}

#[component]
fn InvitationsScreen(
    session: Session,
    create: ServerAction<CreateInvitation>,
    invitations: Resource<Result<Invitations, AppError>>,
) -> impl IntoView {
    let zone = session.time_zone;
    let locale = use_locale().get_locale_untracked();
    view! {
        <Title text=td_string!(locale, invitations.title) />
        <AppShell session>
            <h1>{td_string!(locale, invitations.title)}</h1>
            <p class="muted">{td_string!(locale, invitations.intro)}</p>
            <ActionForm action=create>
                <div class="stack">
                    <ErrorAlert message=error_message(create) />
                    <button type="submit" class="button button-primary">
                        {td_string!(locale, invitations.make)}
                    </button>
                </div>
            </ActionForm>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match invitations.await {
                        Ok(Invitations { new_link, invitations: list }) => {
                            view! {
                                {new_link
                                    .map(|link| {
                                        view! {
                                            <div class="card stack">
                                                <label for="new-link">
                                                    {td_string!(locale, invitations.new_link)}
                                                </label>
                                                <input id="new-link" readonly value=link />
                                            </div>
                                        }
                                    })}
                                <h2>{td_string!(locale, invitations.sent)}</h2>
                                <InvitationList list zone locale />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any()
                    }
                })}
            </Transition>
        </AppShell>
    }
}

#[component]
fn InvitationList(list: Vec<InvitationView>, zone: TimeZone, locale: Locale) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">{td_string!(locale, invitations.none)}</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{td_string!(locale, invitations.made, zone = zone.name()).to_string()}</th>
                    <th scope="col">{td_string!(locale, invitations.expires)}</th>
                    <th scope="col">{td_string!(locale, invitations.used_by)}</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|invitation| {
                        view! {
                            <tr>
                                <td>{format_moment(invitation.created_at, zone, locale)}</td>
                                <td>{format_moment(invitation.expires_at, zone, locale)}</td>
                                <td>{invitation.accepted_by.unwrap_or_else(|| "—".to_owned())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}
