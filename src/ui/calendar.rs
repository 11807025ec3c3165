//! The calendar: posts at their time in the person's zone, by month, by week or as a list.
//! Each post is a link to its page (where it can be moved with a form, unscheduled or
//! cancelled without JavaScript); hydrated, scheduled posts can also be carried to another day
//! or hour (`carry`).

mod agenda;
mod carry;
mod month;
mod pointer;
mod week;

use leptos::prelude::*;
use leptos_i18n::td_string;

pub use self::agenda::Agenda;
pub use self::carry::{Carrier, Grain};
pub use self::month::MonthGrid;
pub use self::week::WeekGrid;
use crate::api::calendar::CalendarEntry;
use crate::text::Locale;
use crate::ui::components::NetworkMark;
use crate::ui::pages::posts_page::status_label;

/// The id of the hint every movable post points to with `aria-describedby`.
pub const MOVE_HINT_ID: &str = "calendar-move-hint";

/// One post on the calendar: its time, network marks and the start of its text.
#[component]
pub fn EntryLink(entry: CalendarEntry, carrier: Carrier, locale: Locale) -> impl IntoView {
    let text = if entry.text.trim().is_empty() {
        td_string!(locale, posts.no_text).to_owned()
    } else {
        entry.text.clone()
    };
    let label = format!(
        "{} {} · {}",
        entry.time(),
        text,
        status_label(entry.status, locale)
    );
    let movable = entry.can_move();
    let id = entry.id.clone();
    let (pressed, keyed, menu, left) = (entry.clone(), entry.clone(), entry.clone(), entry.clone());
    view! {
        <a
            class=format!("entry entry-{}", entry.status.as_str())
            class:movable=movable
            class:carried=move || carrier.is_carried(&id)
            href=format!("/posts/{}", entry.id)
            data-post=entry.id.to_string()
            draggable="false"
            aria-label=label
            aria-describedby=movable.then_some(MOVE_HINT_ID)
            on:pointerdown=move |event| carrier.pressed(&pressed, &event)
            on:keydown=move |event| carrier.key(&keyed, &event)
            on:click=move |event| carrier.clicked(&event)
            on:contextmenu=move |event| carrier.context_menu(&menu, &event)
            on:focusout=move |_| carrier.blurred(&left)
        >
            <span class="entry-time">{entry.time().to_owned()}</span>
            {entry.networks.iter().map(|network| view! { <NetworkMark network=*network /> }).collect_view()}
            <span class="entry-text">{text}</span>
        </a>
    }
}

/// The entries of one day (and hour, in the week view), earliest first.
pub fn entries_in(
    carrier: Carrier,
    day: String,
    hour: Option<u32>,
) -> impl Fn() -> Vec<CalendarEntry> + Send + Sync + 'static {
    move || {
        let mut found: Vec<CalendarEntry> = carrier.entries.with(|entries| {
            entries
                .iter()
                .filter(|entry| {
                    entry.day() == day
                        && hour.is_none_or(|hour| {
                            entry.time().get(..2).and_then(|h| h.parse::<u32>().ok()) == Some(hour)
                        })
                })
                .cloned()
                .collect()
        });
        found.sort_by(|a, b| a.local.cmp(&b.local).then_with(|| a.id.cmp(&b.id)));
        found
    }
}
