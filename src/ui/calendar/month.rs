//! The month view: six weeks from a Monday, each day a cell its posts sit in and a carried
//! post can be put down in.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use super::{Carrier, EntryLink, entries_in};
use crate::text::{Locale, format_day, weekday_name};

#[component]
pub fn MonthGrid(
    days: Vec<NaiveDate>,
    /// The month shown: days outside it are dimmed.
    month: u32,
    today: String,
    carrier: Carrier,
    locale: Locale,
    #[prop(into)] label: String,
) -> impl IntoView {
    view! {
        <div class="month-view">
            <ol class="weekdays" aria-hidden="true">
                {(0..7).map(|n| view! { <li>{weekday_name(n, locale)}</li> }).collect_view()}
            </ol>
            <ol class="month-grid" aria-label=label>
                {days
                    .into_iter()
                    .map(|day| {
                        let key = day.format("%Y-%m-%d").to_string();
                        let is_today = key == today;
                        let (lands, cell) = (key.clone(), key.clone());
                        view! {
                            <li
                                class="day-cell"
                                class:other-month=day.month() != month
                                class:today=is_today
                                class:drop-target=move || carrier.lands_in(&lands, None)
                                data-day=cell
                            >
                                <h3 class="day-number" aria-label=format_day(day, locale)>{day.day()}</h3>
                                <ul class="day-entries">
                                    <For
                                        each=entries_in(carrier, key, None)
                                        key=|entry| (entry.id.clone(), entry.local.clone())
                                        children=move |entry| view! { <li><EntryLink entry carrier locale /></li> }
                                    />
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </div>
    }
}
