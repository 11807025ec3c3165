//! A scheduled post's time and what can still be done about it: move it (a plain form with a
//! date-and-time field, so it works without JavaScript), unschedule it back to a draft, or
//! cancel it. The server refuses all three once publishing has started.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::api::calendar::{CancelPost, ReschedulePost, UnschedulePost};
use crate::api::posts::PostView;
use crate::domain::TimeZone;
use crate::domain::schedule::local_input;
use crate::text::{Locale, format_moment};
use crate::ui::components::{ErrorAlert, error_message};

/// The actions a scheduled post offers, shared with the page so their answers refresh it.
#[derive(Clone, Copy)]
pub struct ScheduleActions {
    pub reschedule: ServerAction<ReschedulePost>,
    pub unschedule: ServerAction<UnschedulePost>,
    pub cancel: ServerAction<CancelPost>,
}

impl ScheduleActions {
    pub fn new() -> Self {
        Self {
            reschedule: ServerAction::new(),
            unschedule: ServerAction::new(),
            cancel: ServerAction::new(),
        }
    }

    /// Changes every time one of them answers.
    pub fn version(&self) -> usize {
        self.reschedule.version().get()
            + self.unschedule.version().get()
            + self.cancel.version().get()
    }
}

#[component]
pub fn ScheduleControls(
    post: PostView,
    actions: ScheduleActions,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    let Some(at) = post.scheduled_at else {
        return ().into_any();
    };
    let (move_id, unschedule_id, cancel_id) = (
        post.id.to_string(),
        post.id.to_string(),
        post.id.to_string(),
    );
    let failure = Signal::derive(move || {
        error_message(actions.reschedule)
            .get()
            .or_else(|| error_message(actions.unschedule).get())
            .or_else(|| error_message(actions.cancel).get())
    });
    let when = format_moment(at, zone, locale);
    // An account found dead by its token check: there is still time to reconnect it.
    let to_reconnect: Vec<String> = post
        .targets
        .iter()
        .filter(|target| target.account_needs_reconnect)
        .map(|target| target.account_name.clone())
        .collect();
    let reconnect_warning = (!to_reconnect.is_empty()).then(|| {
        let accounts = to_reconnect.join(", ");
        view! {
            <div class="alert alert-warning" role="alert">
                <p>{td_string!(locale, schedule.reconnect_before, accounts, when = when.clone())}</p>
                <p><a class="button" href="/accounts">{td_string!(locale, schedule.open_accounts)}</a></p>
            </div>
        }
    });
    view! {
        <section class="card schedule-card" aria-labelledby="schedule-heading">
            <h2 id="schedule-heading">{td_string!(locale, schedule.heading)}</h2>
            <p class="schedule-when">
                {td_string!(locale, schedule.goes_out, when, zone = zone.name())}
            </p>
            {reconnect_warning}
            <ErrorAlert message=failure />
            <ActionForm action=actions.reschedule attr:class="schedule-form">
                <input type="hidden" name="id" value=move_id />
                <div class="field">
                    <label for="reschedule-at">
                        {td_string!(locale, schedule.new_time, zone = zone.name())}
                    </label>
                    <input id="reschedule-at" type="datetime-local" name="at" required value=local_input(zone, at) />
                </div>
                <button type="submit" class="button button-primary">{td_string!(locale, schedule.reschedule)}</button>
            </ActionForm>
            <div class="button-row">
                <ActionForm action=actions.unschedule>
                    <input type="hidden" name="id" value=unschedule_id />
                    <button type="submit" class="button">{td_string!(locale, schedule.unschedule)}</button>
                </ActionForm>
                <ActionForm action=actions.cancel>
                    <input type="hidden" name="id" value=cancel_id />
                    <button type="submit" class="button button-danger">{td_string!(locale, schedule.cancel)}</button>
                </ActionForm>
            </div>
            <p class="hint">{td_string!(locale, schedule.until_started)}</p>
        </section>
    }
    .into_any()
}
