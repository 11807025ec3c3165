//! The week view: seven days from a Monday by the hours of the day, each hour of each day a
//! slot a carried post can be put down in.

use chrono::NaiveDate;
use leptos::prelude::*;

use super::{Carrier, EntryLink, entries_in};
use crate::text::{Locale, format_day};

#[component]
pub fn WeekGrid(
    days: Vec<NaiveDate>,
    today: String,
    carrier: Carrier,
    locale: Locale,
    #[prop(into)] label: String,
) -> impl IntoView {
    let keys: Vec<(String, String)> = days
        .iter()
        .map(|day| (day.format("%Y-%m-%d").to_string(), format_day(*day, locale)))
        .collect();
    let head = keys.clone();
    view! {
        <div class="table-scroll week-view">
            <table class="week-grid">
                <caption class="visually-hidden">{label}</caption>
                <thead>
                    <tr>
                        <td></td>
                        {head
                            .into_iter()
                            .map(|(key, name)| view! { <th scope="col" class:today=key == today>{name}</th> })
                            .collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {(0..24_u32)
                        .map(|hour| {
                            let keys = keys.clone();
                            view! {
                                <tr>
                                    <th scope="row" class="hour">{format!("{hour:02}:00")}</th>
                                    {keys
                                        .into_iter()
                                        .map(|(key, _)| {
                                            let (lands, cell) = (key.clone(), key.clone());
                                            view! {
                                                <td
                                                    class="slot"
                                                    class:drop-target=move || carrier.lands_in(&lands, Some(hour))
                                                    data-day=cell
                                                    data-hour=hour
                                                >
                                                    <For
                                                        each=entries_in(carrier, key, Some(hour))
                                                        key=|entry| (entry.id.clone(), entry.local.clone())
                                                        children=move |entry| view! { <EntryLink entry carrier locale /> }
                                                    />
                                                </td>
                                            }
                                        })
                                        .collect_view()}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}
