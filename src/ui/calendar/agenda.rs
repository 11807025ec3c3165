//! The list view: the days of the period that have posts, each post with its accounts and, while
//! it is scheduled, a button to cancel it (a plain form, so it works without JavaScript).

use chrono::NaiveDate;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;

use super::{Carrier, EntryLink};
use crate::api::calendar::{CalendarEntry, CancelPost};
use crate::text::{Locale, format_day};

#[component]
pub fn Agenda(
    days: Vec<NaiveDate>,
    carrier: Carrier,
    cancel: ServerAction<CancelPost>,
    locale: Locale,
) -> impl IntoView {
    let by_day = move || {
        let entries = carrier.entries.get();
        days.iter()
            .filter_map(|day| {
                let key = day.format("%Y-%m-%d").to_string();
                let mut mine: Vec<CalendarEntry> = entries
                    .iter()
                    .filter(|entry| entry.day() == key)
                    .cloned()
                    .collect();
                mine.sort_by(|a, b| a.local.cmp(&b.local));
                (!mine.is_empty()).then_some((*day, mine))
            })
            .collect::<Vec<_>>()
    };
    view! {
        {move || {
            let days = by_day();
            if days.is_empty() {
                return view! { <p class="muted">{td_string!(locale, calendar.list_empty)}</p> }.into_any();
            }
            days.into_iter()
                .map(|(day, entries)| {
                    view! {
                        <section class="agenda-day" data-day=day.format("%Y-%m-%d").to_string()>
                            <h3>{format_day(day, locale)}</h3>
                            <ul class="agenda-entries">
                                {entries
                                    .into_iter()
                                    .map(|entry| view! { <AgendaEntry entry carrier cancel locale /> })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()
                .into_any()
        }}
    }
}

#[component]
fn AgendaEntry(
    entry: CalendarEntry,
    carrier: Carrier,
    cancel: ServerAction<CancelPost>,
    locale: Locale,
) -> impl IntoView {
    let cancel_label = td_string!(
        locale,
        calendar.cancel_named,
        text = entry.text.chars().take(40).collect::<String>()
    )
    .to_string();
    let accounts = entry.account_names.join(", ");
    let movable = entry.can_move();
    let id = entry.id.to_string();
    view! {
        <li class="agenda-entry">
            <EntryLink entry carrier locale />
            <span class="muted">{accounts}</span>
            {movable
                .then(|| {
                    view! {
                        <ActionForm action=cancel attr:class="inline-form">
                            <input type="hidden" name="id" value=id />
                            <button type="submit" class="button button-small" aria-label=cancel_label>
                                {td_string!(locale, schedule.cancel)}
                            </button>
                        </ActionForm>
                    }
                })}
        </li>
    }
}
