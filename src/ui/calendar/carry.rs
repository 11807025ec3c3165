//! Moving a post on the calendar. With a mouse it is picked up by pressing and moving; by
//! touch, by holding a finger on it for a moment (a quick swipe still scrolls the page); with
//! the keyboard, by Space — then the arrow keys move it by a day (and in the week view by an
//! hour), Enter puts it down and Escape puts it back. Put down, it shows at its new time at
//! once; if the server refuses (publishing has started, the time has passed) it goes back
//! where it was and the reason is shown.

use chrono::{Duration, NaiveDateTime, Timelike};
use leptos::ev::{KeyboardEvent, MouseEvent, PointerEvent};
use leptos::prelude::*;
use leptos_i18n::td_string;

use super::pointer::{self, Cell};
use crate::api::calendar::{CalendarEntry, ReschedulePost};
use crate::domain::schedule::{LOCAL_INPUT, local_input};
use crate::domain::{PostId, TimeZone};
use crate::text::Locale;
use crate::text::problems::describe;

/// How long a finger rests on a post before it is picked up.
const LONG_PRESS_MS: u64 = 450;
/// How far a mouse moves (CSS pixels) before a press becomes a carry, and a finger before a
/// press becomes a scroll.
const MOUSE_SLOP: f64 = 4.0;
const TOUCH_SLOP: f64 = 10.0;

/// How the view lays time out: the month by days, the week by hours of each day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grain {
    Day,
    Hour,
}

/// The post being carried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Carried {
    pub id: PostId,
    /// Where it was, and where it would go if put down now (`YYYY-MM-DDTHH:MM`).
    pub from: String,
    pub to: String,
    pub by_keyboard: bool,
}

/// A pointer pressed on a post that has not been picked up yet.
#[derive(Debug, Clone)]
struct Press {
    id: PostId,
    from: String,
    pointer_id: i32,
    touch: bool,
    x: f64,
    y: f64,
}

#[derive(Clone, Copy)]
pub struct Carrier {
    pub entries: RwSignal<Vec<CalendarEntry>>,
    pub carried: RwSignal<Option<Carried>>,
    press: StoredValue<Option<Press>>,
    /// A move sent and not yet answered: the post and where it was before.
    sent: StoredValue<Option<(PostId, String)>>,
    /// The click that ends a carry must not open the post.
    swallow_click: StoredValue<bool>,
    refusal: RwSignal<Option<String>>,
    announcement: RwSignal<String>,
    reschedule: ServerAction<ReschedulePost>,
    grain: Grain,
    locale: Locale,
}

impl Carrier {
    pub fn new(
        entries: Vec<CalendarEntry>,
        grain: Grain,
        refusal: RwSignal<Option<String>>,
        announcement: RwSignal<String>,
        zone: TimeZone,
        locale: Locale,
    ) -> Carrier {
        let carrier = Carrier {
            entries: RwSignal::new(entries),
            carried: RwSignal::new(None),
            press: StoredValue::new(None),
            sent: StoredValue::new(None),
            swallow_click: StoredValue::new(false),
            refusal,
            announcement,
            reschedule: ServerAction::new(),
            grain,
            locale,
        };
        Effect::new(move |_| {
            let Some(answer) = carrier.reschedule.value().get() else {
                return;
            };
            let Some((id, before)) = carrier.sent.get_value() else {
                return;
            };
            carrier.sent.set_value(None);
            match answer {
                Ok(post) => {
                    // The server's word on the time, in case it differs (a time the clocks skip).
                    if let Some(at) = post.scheduled_at {
                        carrier.place(&id, &local_input(zone, at), Some(at));
                    }
                    carrier.refusal.set(None);
                }
                Err(error) => {
                    carrier.place(&id, &before, None);
                    let reason = describe(&error, locale);
                    carrier.refusal.set(Some(
                        td_string!(locale, calendar.move_refused, reason).to_string(),
                    ));
                }
            }
        });
        // Pointer moves and releases are followed on the whole window: the pointer leaves the
        // post it pressed as soon as it carries it somewhere.
        let moves = window_event_listener(leptos::ev::pointermove, move |event| {
            carrier.pointer_moved(&event)
        });
        let ups = window_event_listener(leptos::ev::pointerup, move |event| {
            carrier.pointer_released(&event)
        });
        let cancels = window_event_listener(leptos::ev::pointercancel, move |_| {
            carrier.press.set_value(None);
            if carrier
                .carried
                .with_untracked(|carried| carried.as_ref().is_some_and(|c| !c.by_keyboard))
            {
                carrier.put_back();
            }
        });
        on_cleanup(move || {
            moves.remove();
            ups.remove();
            cancels.remove();
            pointer::hold_page(false);
        });
        carrier
    }

    /// Whether `id` is the post being carried.
    pub fn is_carried(&self, id: &PostId) -> bool {
        self.carried
            .with(|carried| carried.as_ref().is_some_and(|carried| &carried.id == id))
    }

    /// Whether the carried post would land in `cell` if put down now.
    pub fn lands_in(&self, day: &str, hour: Option<u32>) -> bool {
        self.carried.with(|carried| {
            carried.as_ref().is_some_and(|carried| {
                carried.to.get(..10) == Some(day)
                    && hour.is_none_or(|hour| hour_of(&carried.to) == Some(hour))
            })
        })
    }

    pub fn pressed(&self, entry: &CalendarEntry, event: &PointerEvent) {
        // A carry that ended off a post left no click to swallow: this press starts afresh.
        self.swallow_click.set_value(false);
        if !entry.can_move()
            || event.button() != 0
            || self.carried.with_untracked(Option::is_some)
            || self.awaiting_answer()
        {
            return;
        }
        let touch = event.pointer_type() == "touch";
        let press = Press {
            id: entry.id.clone(),
            from: entry.local.clone(),
            pointer_id: event.pointer_id(),
            touch,
            x: f64::from(event.client_x()),
            y: f64::from(event.client_y()),
        };
        self.press.set_value(Some(press));
        if touch {
            let carrier = *self;
            let pointer_id = event.pointer_id();
            set_timeout(
                move || {
                    // The calendar may be gone by now (the tap opened a post): then nothing.
                    let still = carrier.press.try_with_value(|press| {
                        press.as_ref().is_some_and(|p| p.pointer_id == pointer_id)
                    });
                    if still == Some(true) {
                        carrier.pick_up_pressed();
                    }
                },
                std::time::Duration::from_millis(LONG_PRESS_MS),
            );
        }
    }

    fn pick_up_pressed(&self) {
        let Some(press) = self.press.get_value() else {
            return;
        };
        self.press.set_value(None);
        pointer::hold_page(press.touch);
        self.pick_up(press.id, press.from, false);
    }

    /// A move was sent and its answer has not come: one at a time, so each answer is matched
    /// with the move it answers.
    fn awaiting_answer(&self) -> bool {
        self.sent.with_value(Option::is_some)
    }

    fn pick_up(&self, id: PostId, from: String, by_keyboard: bool) {
        let locale = self.locale;
        self.announcement.set(if by_keyboard {
            td_string!(locale, calendar.picked_up_keys).to_owned()
        } else {
            td_string!(locale, calendar.picked_up).to_owned()
        });
        self.refusal.set(None);
        self.carried.set(Some(Carried {
            id,
            to: from.clone(),
            from,
            by_keyboard,
        }));
    }

    fn pointer_moved(&self, event: &PointerEvent) {
        let (x, y) = (f64::from(event.client_x()), f64::from(event.client_y()));
        if let Some(press) = self.press.get_value() {
            if press.pointer_id != event.pointer_id() {
                return;
            }
            let distance = (x - press.x).hypot(y - press.y);
            if press.touch && distance > TOUCH_SLOP {
                // A swipe, not a hold: the page scrolls, nothing is carried.
                self.press.set_value(None);
                return;
            }
            if !press.touch && distance > MOUSE_SLOP {
                self.pick_up_pressed();
            }
        }
        let carried_by_pointer = self
            .carried
            .with_untracked(|carried| carried.as_ref().is_some_and(|c| !c.by_keyboard));
        if !carried_by_pointer {
            return;
        }
        if event.pointer_type() == "mouse" && event.buttons() == 0 {
            // The button was let go outside the window: nothing to put down on.
            self.put_back();
            return;
        }
        pointer::scroll_near_edge(y);
        if let Some(cell) = pointer::cell_at(x, y) {
            self.carried.update(|carried| {
                if let Some(carried) = carried {
                    carried.to = landing(&carried.from, &cell, self.grain);
                }
            });
        }
    }

    fn pointer_released(&self, event: &PointerEvent) {
        self.press.set_value(None);
        let carried_by_pointer = self
            .carried
            .with_untracked(|carried| carried.as_ref().is_some_and(|c| !c.by_keyboard));
        if carried_by_pointer {
            if let Some(cell) =
                pointer::cell_at(f64::from(event.client_x()), f64::from(event.client_y()))
            {
                self.carried.update(|carried| {
                    if let Some(carried) = carried {
                        carried.to = landing(&carried.from, &cell, self.grain);
                    }
                });
            }
            self.swallow_click.set_value(true);
            // The click that follows the release, if any, comes before this runs.
            let swallow = self.swallow_click;
            set_timeout(
                move || {
                    let _ = swallow.try_set_value(false);
                },
                std::time::Duration::ZERO,
            );
            self.put_down();
        }
    }

    /// Focus left a post carried by the keyboard: it goes back where it was.
    pub fn blurred(&self, entry: &CalendarEntry) {
        let carrying_this = self.carried.with_untracked(|carried| {
            carried
                .as_ref()
                .is_some_and(|c| c.by_keyboard && c.id == entry.id)
        });
        if carrying_this {
            self.put_back();
        }
    }

    /// A click on a post opens it, unless it ends a carry.
    pub fn clicked(&self, event: &MouseEvent) {
        if self.swallow_click.get_value() || self.carried.with_untracked(Option::is_some) {
            self.swallow_click.set_value(false);
            event.prevent_default();
        }
    }

    /// A long press on a link would open the browser's menu instead of carrying the post.
    pub fn context_menu(&self, entry: &CalendarEntry, event: &MouseEvent) {
        if entry.can_move() {
            event.prevent_default();
        }
    }

    pub fn key(&self, entry: &CalendarEntry, event: &KeyboardEvent) {
        let carrying_this = self.carried.with_untracked(|carried| {
            carried
                .as_ref()
                .is_some_and(|c| c.by_keyboard && c.id == entry.id)
        });
        if !carrying_this {
            if event.key() == " "
                && entry.can_move()
                && !self.awaiting_answer()
                && self.carried.with_untracked(Option::is_none)
            {
                event.prevent_default();
                self.pick_up(entry.id.clone(), entry.local.clone(), true);
            }
            return;
        }
        let (days, hours) = match (event.key().as_str(), self.grain) {
            ("ArrowLeft", _) => (-1, 0),
            ("ArrowRight", _) => (1, 0),
            ("ArrowUp", Grain::Day) => (-7, 0),
            ("ArrowDown", Grain::Day) => (7, 0),
            ("ArrowUp", Grain::Hour) => (0, -1),
            ("ArrowDown", Grain::Hour) => (0, 1),
            ("Enter" | " ", _) => {
                event.prevent_default();
                self.put_down();
                return;
            }
            ("Escape", _) => {
                event.prevent_default();
                self.put_back();
                return;
            }
            _ => return,
        };
        event.prevent_default();
        self.carried.update(|carried| {
            if let Some(carried) = carried {
                carried.to = shifted(&carried.to, days, hours);
            }
        });
        if let Some(to) = self
            .carried
            .with_untracked(|c| c.as_ref().map(|c| c.to.clone()))
        {
            self.announcement.set(spoken(&to));
        }
    }

    fn put_down(&self) {
        pointer::hold_page(false);
        let Some(carried) = self.carried.get_untracked() else {
            return;
        };
        self.carried.set(None);
        let locale = self.locale;
        if carried.to == carried.from {
            self.announcement
                .set(td_string!(locale, calendar.not_moved).to_owned());
            return;
        }
        self.place(&carried.id, &carried.to, None);
        self.sent
            .set_value(Some((carried.id.clone(), carried.from.clone())));
        self.announcement
            .set(td_string!(locale, calendar.moved_to, when = spoken(&carried.to)).to_string());
        self.reschedule.dispatch(ReschedulePost {
            id: carried.id.clone(),
            at: carried.to,
        });
        if carried.by_keyboard {
            let id = carried.id.to_string();
            request_animation_frame(move || pointer::focus_post(&id));
        }
    }

    fn put_back(&self) {
        pointer::hold_page(false);
        self.carried.set(None);
        let locale = self.locale;
        self.announcement
            .set(td_string!(locale, calendar.put_back).to_owned());
    }

    /// Shows `id` at `local` (and `at`, when known).
    fn place(&self, id: &PostId, local: &str, at: Option<i64>) {
        self.entries.update(|entries| {
            if let Some(entry) = entries.iter_mut().find(|entry| &entry.id == id) {
                entry.local = local.to_owned();
                if let Some(at) = at {
                    entry.at = at;
                }
            }
        });
    }
}

fn parse(local: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(local, LOCAL_INPUT).ok()
}

fn hour_of(local: &str) -> Option<u32> {
    parse(local).map(|at| at.hour())
}

/// Where a post from `from` lands in `cell`: the cell's day at the same time, or in the week
/// view the cell's hour at the same minute.
pub fn landing(from: &str, cell: &Cell, grain: Grain) -> String {
    let Some(from) = parse(from) else {
        return String::new();
    };
    let hour = match (grain, cell.hour) {
        (Grain::Hour, Some(hour)) => hour,
        _ => from.hour(),
    };
    format!("{}T{hour:02}:{:02}", cell.day, from.minute())
}

/// `local` moved on the wall clock by whole days and hours.
pub fn shifted(local: &str, days: i64, hours: i64) -> String {
    parse(local)
        .map(|at| {
            (at + Duration::days(days) + Duration::hours(hours))
                .format(LOCAL_INPUT)
                .to_string()
        })
        .unwrap_or_else(|| local.to_owned())
}

/// A wall-clock time as a screen reader reads it best: `2026-11-24 09:00`.
fn spoken(local: &str) -> String {
    local.replacen('T', " ", 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_lands_on_the_cells_day_keeping_its_time_or_on_the_cells_hour() {
        let day = Cell {
            day: "2026-11-26".into(),
            hour: None,
        };
        assert_eq!(
            landing("2026-11-23T09:30", &day, Grain::Day),
            "2026-11-26T09:30"
        );
        let slot = Cell {
            day: "2026-11-24".into(),
            hour: Some(14),
        };
        assert_eq!(
            landing("2026-11-23T09:30", &slot, Grain::Hour),
            "2026-11-24T14:30"
        );
        assert_eq!(
            landing("2026-11-23T09:30", &slot, Grain::Day),
            "2026-11-24T09:30"
        );
    }

    #[test]
    fn keys_move_on_the_wall_clock_across_months_and_midnight() {
        assert_eq!(shifted("2026-11-30T09:00", 1, 0), "2026-12-01T09:00");
        assert_eq!(shifted("2026-11-23T23:00", 0, 1), "2026-11-24T00:00");
        assert_eq!(shifted("2026-03-28T09:00", 1, 0), "2026-03-29T09:00");
    }
}
