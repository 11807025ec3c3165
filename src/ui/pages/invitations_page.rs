//! The owner's invitation links: make one (its link is shown once), see which were used.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::Session;
use crate::api::invitations::{CreateInvitation, InvitationView, Invitations, list_invitations};
use crate::domain::TimeZone;
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_message};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <InvitationsScreen session /> }.into_any() /> }
}

#[component]
fn InvitationsScreen(session: Session) -> impl IntoView {
    let zone = TimeZone::from_stored(Some(&session.time_zone));
    let create = ServerAction::<CreateInvitation>::new();
    let invitations = Resource::new(move || create.version().get(), |_| list_invitations());
    view! {
        <Title text="Invitations" />
        <AppShell session>
            <h1>"Invitations"</h1>
            <p class="muted">
                "Each link lets one person create an account. Links expire after seven days."
            </p>
            <ActionForm action=create>
                <div class="stack">
                    <ErrorAlert message=error_message(create) />
                    <button type="submit" class="button button-primary">
                        "Make an invitation link"
                    </button>
                </div>
            </ActionForm>
            <Transition fallback=|| view! { <p class="loading">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match invitations.await {
                        Ok(Invitations { new_link, invitations: list }) => {
                            view! {
                                {new_link
                                    .map(|link| {
                                        view! {
                                            <div class="card stack">
                                                <label for="new-link">
                                                    "New invitation link (copy it now: it is shown only once)"
                                                </label>
                                                <input id="new-link" readonly value=link />
                                            </div>
                                        }
                                    })}
                                <h2>"Sent so far"</h2>
                                <InvitationList list zone />
                            }
                                .into_any()
                        }
                        Err(error) => view! { <ErrorAlert message=Some(error.to_string()) /> }.into_any()
                    }
                })}
            </Transition>
        </AppShell>
    }
}

#[component]
fn InvitationList(list: Vec<InvitationView>, zone: TimeZone) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No invitations yet."</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{format!("Made ({})", zone.name())}</th>
                    <th scope="col">"Expires"</th>
                    <th scope="col">"Used by"</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|invitation| {
                        view! {
                            <tr>
                                <td>{zone.format_minutes(invitation.created_at)}</td>
                                <td>{zone.format_minutes(invitation.expires_at)}</td>
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
