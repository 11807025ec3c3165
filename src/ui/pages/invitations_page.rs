//! The owner's invitation links: make one (its link is shown once), see which were used.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::Session;
use crate::api::invitations::{CreateInvitation, InvitationView, Invitations, list_invitations};
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_message};

#[component]
pub fn InvitationsPage() -> impl IntoView {
    view! { <SignedIn render=|session| view! { <InvitationsScreen session /> }.into_any() /> }
}

#[component]
fn InvitationsScreen(session: Session) -> impl IntoView {
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
                                <InvitationList list />
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
fn InvitationList(list: Vec<InvitationView>) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">"No invitations yet."</p> }.into_any();
    }
    view! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">"Made"</th>
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
                                <td>{format_date(invitation.created_at)}</td>
                                <td>{format_date(invitation.expires_at)}</td>
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

/// UTC for now; dates in the person's own time zone arrive with the settings page.
fn format_date(millis: i64) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|at| at.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}
