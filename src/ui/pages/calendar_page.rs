//! The calendar page: `/calendar?view=month|week|list&date=YYYY-MM-DD`. The period and its
//! posts come from the server (which alone knows today in the person's zone, from its
//! clock); the links to the other views and periods are plain links, so everything but
//! carrying a post works without JavaScript.

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::Session;
use crate::api::calendar::{CalendarData, CancelPost, calendar};
use crate::domain::TimeZone;
use crate::domain::calendar::{CalendarView, days};
use crate::error::AppError;
use crate::text::{Locale, format_day, format_month, use_locale};
use crate::ui::calendar::{Agenda, Carrier, Grain, MOVE_HINT_ID, MonthGrid, WeekGrid};
use crate::ui::components::{AppShell, ErrorAlert, SignedIn, error_message, error_text};

#[component]
pub fn CalendarPage() -> impl IntoView {
    let query = use_query_map();
    let cancel = ServerAction::<CancelPost>::new();
    let data = Resource::new_blocking(
        move || {
            let query = query.read();
            (
                query.get("view").unwrap_or_default(),
                query.get("date").unwrap_or_default(),
                cancel.version().get(),
            )
        },
        |(view, date, _)| calendar(view, date),
    );
    view! {
        <SignedIn render=move |session| view! { <CalendarScreen session data cancel /> }.into_any() />
    }
}

#[component]
fn CalendarScreen(
    session: Session,
    data: Resource<Result<CalendarData, AppError>>,
    cancel: ServerAction<CancelPost>,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let zone = session.time_zone;
    let refusal = RwSignal::new(None::<String>);
    let announcement = RwSignal::new(String::new());
    let cancel_failure = error_message(cancel);
    view! {
        <Title text=td_string!(locale, calendar.title) />
        <AppShell session>
            <div class="page-head">
                <h1>{td_string!(locale, calendar.title)}</h1>
                <a class="button button-primary" href="/compose">{td_string!(locale, posts.new_post)}</a>
            </div>
            <p id=MOVE_HINT_ID class="hint">{td_string!(locale, calendar.move_hint)}</p>
            <p class="visually-hidden" role="status" aria-live="polite">{move || announcement.get()}</p>
            <ErrorAlert message=Signal::derive(move || refusal.get().or_else(|| cancel_failure.get())) />
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(data) => view! { <Period data cancel refusal announcement zone locale /> }.into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}

fn day(raw: &str) -> NaiveDate {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").unwrap_or_default()
}

fn href(view: CalendarView, anchor: NaiveDate) -> String {
    format!(
        "/calendar?view={}&date={}",
        view.as_str(),
        anchor.format("%Y-%m-%d")
    )
}

#[component]
fn Period(
    data: CalendarData,
    cancel: ServerAction<CancelPost>,
    refusal: RwSignal<Option<String>>,
    announcement: RwSignal<String>,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    let view = data.view;
    let anchor = day(&data.anchor);
    let shown = days(day(&data.from), day(&data.until));
    let grain = if view == CalendarView::Week {
        Grain::Hour
    } else {
        Grain::Day
    };
    let carrier = Carrier::new(data.entries, grain, refusal, announcement, zone, locale);
    let title = match view {
        CalendarView::Month => format_month(anchor, locale),
        CalendarView::Week | CalendarView::List => format!(
            "{} – {}",
            format_day(shown[0], locale),
            format_day(shown[shown.len() - 1], locale)
        ),
    };
    let (previous_label, next_label) = match view {
        CalendarView::Month => (
            td_string!(locale, calendar.previous_month),
            td_string!(locale, calendar.next_month),
        ),
        CalendarView::Week => (
            td_string!(locale, calendar.previous_week),
            td_string!(locale, calendar.next_week),
        ),
        CalendarView::List => (
            td_string!(locale, calendar.previous_days),
            td_string!(locale, calendar.next_days),
        ),
    };
    let view_name = |each: CalendarView| match each {
        CalendarView::Month => td_string!(locale, calendar.view_month),
        CalendarView::Week => td_string!(locale, calendar.view_week),
        CalendarView::List => td_string!(locale, calendar.view_list),
    };
    let body = match view {
        CalendarView::Month => view! {
            <MonthGrid days=shown month=anchor.month() today=data.today.clone() carrier locale label=title.clone() />
        }
        .into_any(),
        CalendarView::Week => view! {
            <WeekGrid days=shown today=data.today.clone() carrier locale label=title.clone() />
        }
        .into_any(),
        CalendarView::List => view! { <Agenda days=shown carrier cancel locale /> }.into_any(),
    };
    view! {
        <div class="calendar-bar">
            <nav class="calendar-views" aria-label=td_string!(locale, calendar.views)>
                {CalendarView::ALL
                    .into_iter()
                    .map(|each| {
                        view! {
                            <a class="button" href=href(each, anchor) aria-current=(each == view).then_some("page")>
                                {view_name(each)}
                            </a>
                        }
                    })
                    .collect_view()}
            </nav>
            <nav class="calendar-periods" aria-label=td_string!(locale, calendar.periods)>
                <a class="button" href=href(view, view.neighbour(anchor, false)) aria-label=previous_label>"‹"</a>
                <a class="button" href=format!("/calendar?view={}", view.as_str())>{td_string!(locale, calendar.today)}</a>
                <a class="button" href=href(view, view.neighbour(anchor, true)) aria-label=next_label>"›"</a>
            </nav>
        </div>
        <h2 class="calendar-title">{title}</h2>
        <p class="muted">{td_string!(locale, calendar.times_in, zone = data.time_zone.clone())}</p>
        {body}
    }
}
