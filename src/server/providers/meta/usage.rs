//! Meta's usage headers (spec §4.4): how much of each rate-limit budget recent calls spent.
//! Every successful answer's headers are noted here; before its next call the publisher asks
//! whether the account (or the whole app) should pause, so Herald slows down before Meta
//! blocks it — calls made while blocked only make the block longer.
//!
//! Refusals are not noted: their wait is already decided from the same headers
//! (`errors::retry_after`), and noting them would make the job wait twice.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::HeaderMap;
use serde_json::Value;

/// From this share of a budget on, Herald stops calling for [`PAUSE`] (Mixpost's figures).
pub const PAUSE_AT_PERCENT: u64 = 90;
pub const PAUSE: Duration = Duration::from_secs(60 * 60);

/// A budget nearly spent: what it reached and how long to leave it alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pressure {
    pub percent: u64,
    pub wait: Duration,
}

/// Whose budget: the app's (`x-app-usage`, and the older unkeyed `x-page-usage`) or one
/// business object's — a Page id or an Instagram user id (`x-business-use-case-usage`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    App,
    Object(String),
}

/// A budget under pressure, and — once a publisher has first asked about it — until when it
/// is left alone. The deadline starts at that first question because the log has no clock of
/// its own; a publisher asks just before its next call, right after the answer that warned.
#[derive(Debug, Clone, Copy)]
struct Held {
    pressure: Pressure,
    until: Option<DateTime<Utc>>,
}

/// The pressure last seen on each budget, until it runs out or a later answer clears it.
#[derive(Debug, Default)]
pub struct UsageLog {
    held: Mutex<HashMap<Scope, Held>>,
}

impl UsageLog {
    /// Notes what an answer's headers say. A budget reported below the threshold clears what
    /// an older answer said about it; one still under pressure starts its wait again; headers
    /// that do not parse are ignored.
    pub fn note(&self, headers: &HeaderMap) {
        let seen = budgets_in(headers);
        if seen.is_empty() {
            return;
        }
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        for (scope, pressure) in seen {
            match pressure {
                Some(pressure) => {
                    let pressure = held
                        .get(&scope)
                        .map_or(pressure, |known| longer(known.pressure, pressure));
                    held.insert(
                        scope,
                        Held {
                            pressure,
                            until: None,
                        },
                    );
                }
                None => {
                    held.remove(&scope);
                }
            }
        }
    }

    /// Whether calls about `objects` (a Page id, an Instagram user id) should wait at `now`,
    /// and how much longer: every job of those accounts waits until the pause runs out, after
    /// which the next call goes ahead and its own answer says whether to pause again.
    pub fn pressure(&self, objects: &[&str], now: DateTime<Utc>) -> Option<Pressure> {
        let mut held = self.held.lock().unwrap_or_else(|e| e.into_inner());
        let scopes = std::iter::once(Scope::App).chain(
            objects
                .iter()
                .map(|object| Scope::Object((*object).to_owned())),
        );
        let mut found: Option<Pressure> = None;
        for scope in scopes {
            let Some(entry) = held.get_mut(&scope) else {
                continue;
            };
            let until = *entry.until.get_or_insert_with(|| {
                now + chrono::Duration::from_std(entry.pressure.wait).unwrap_or_default()
            });
            let Ok(left) = (until - now).to_std() else {
                held.remove(&scope);
                continue;
            };
            if left.is_zero() {
                held.remove(&scope);
                continue;
            }
            let pressure = Pressure {
                percent: entry.pressure.percent,
                wait: left,
            };
            found = Some(found.map_or(pressure, |known| longer(known, pressure)));
        }
        found
    }
}

fn longer(a: Pressure, b: Pressure) -> Pressure {
    if b.wait > a.wait { b } else { a }
}

/// Every budget the headers report, each with its pressure, or None when it is fine.
fn budgets_in(headers: &HeaderMap) -> Vec<(Scope, Option<Pressure>)> {
    let json = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
    };
    let mut budgets: Vec<(Scope, Option<Pressure>)> = Vec::new();
    // One answer may name a budget twice (`x-app-usage` and `x-page-usage` both speak for
    // the app): the worse of the two counts, or the better would clear the worse.
    let mut add = |scope: Scope, pressure: Option<Pressure>| match budgets
        .iter_mut()
        .find(|(known, _)| *known == scope)
    {
        Some((_, known)) => {
            *known = match (*known, pressure) {
                (Some(a), Some(b)) => Some(longer(a, b)),
                (a, b) => a.or(b),
            }
        }
        None => budgets.push((scope, pressure)),
    };
    for name in ["x-app-usage", "x-page-usage"] {
        if let Some(usage) = json(name).filter(Value::is_object) {
            add(Scope::App, pressure_of(&usage));
        }
    }
    if let Some(Value::Object(objects)) = json("x-business-use-case-usage") {
        for (object, entries) in objects {
            let pressure = entries
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(pressure_of)
                .reduce(longer);
            add(Scope::Object(object), pressure);
        }
    }
    budgets
}

/// One usage entry's pressure: Meta's own estimate of when access returns when it gives one,
/// otherwise a pause once the largest of its percentages reaches the threshold.
fn pressure_of(entry: &Value) -> Option<Pressure> {
    let number = |key: &str| entry.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    let percent = ["call_count", "total_time", "total_cputime"]
        .into_iter()
        .map(number)
        .fold(0.0_f64, f64::max)
        .max(0.0) as u64;
    let regain_minutes = number("estimated_time_to_regain_access");
    if regain_minutes > 0.0 {
        return Some(Pressure {
            percent,
            wait: Duration::from_secs_f64(regain_minutes * 60.0),
        });
    }
    (percent >= PAUSE_AT_PERCENT).then_some(Pressure {
        percent,
        wait: PAUSE,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            // Header values are one line; the JSON here is spread out to be read.
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            headers.insert(*name, HeaderValue::from_str(&value).unwrap());
        }
        headers
    }

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_795_000_000, 0).unwrap() + chrono::Duration::minutes(minutes)
    }

    #[test]
    fn a_page_near_its_budget_pauses_every_job_for_an_hour_and_only_that_page() {
        let log = UsageLog::default();
        log.note(&headers(&[(
            "x-business-use-case-usage",
            r#"{"111":[{"type":"pages","call_count":93,"total_cputime":4,"total_time":12,"estimated_time_to_regain_access":0}],
                "222":[{"type":"instagram","call_count":12,"total_cputime":3,"total_time":4,"estimated_time_to_regain_access":0}]}"#,
        )]));
        assert_eq!(log.pressure(&["222"], at(0)), None);
        assert_eq!(
            log.pressure(&["111"], at(0)),
            Some(Pressure {
                percent: 93,
                wait: PAUSE
            })
        );
        // A second job of that Page, twenty minutes later, waits out the rest.
        assert_eq!(
            log.pressure(&["111"], at(20)).unwrap().wait,
            Duration::from_secs(40 * 60)
        );
        // Once the hour has passed the next call goes ahead; its answer decides again.
        assert_eq!(log.pressure(&["111"], at(60)), None);
    }

    #[test]
    fn metas_estimate_wins_and_the_app_budget_concerns_every_account() {
        let log = UsageLog::default();
        log.note(&headers(&[
            ("x-app-usage", r#"{"call_count":95,"total_time":25,"total_cputime":25}"#),
            (
                "x-business-use-case-usage",
                r#"{"111":[{"type":"pages","call_count":100,"estimated_time_to_regain_access":90}]}"#,
            ),
        ]));
        assert_eq!(
            log.pressure(&["111"], at(0)).unwrap().wait,
            Duration::from_secs(90 * 60)
        );
        assert_eq!(log.pressure(&["333"], at(0)).unwrap().wait, PAUSE);
    }

    #[test]
    fn a_later_answer_below_the_threshold_clears_the_pause_and_garbage_is_ignored() {
        let log = UsageLog::default();
        log.note(&headers(&[("x-page-usage", r#"{"call_count":91}"#)]));
        log.note(&headers(&[("x-app-usage", r#"{"call_count":40}"#)]));
        assert_eq!(log.pressure(&["111"], at(0)), None);
        log.note(&headers(&[
            ("x-app-usage", "not json"),
            ("x-business-use-case-usage", "[1,2]"),
        ]));
        assert_eq!(log.pressure(&["111"], at(0)), None);
    }

    #[test]
    fn two_headers_for_the_app_in_one_answer_do_not_cancel_each_other() {
        let log = UsageLog::default();
        log.note(&headers(&[
            ("x-app-usage", r#"{"call_count":95}"#),
            ("x-page-usage", r#"{"call_count":10}"#),
        ]));
        assert_eq!(log.pressure(&[], at(0)).unwrap().percent, 95);
    }
}
