//! Figures in words: each metric's name, the same on every network.

use leptos_i18n::td_string;

use crate::domain::figures::Metric;
use crate::i18n::Locale;

pub fn metric_name(metric: Metric, locale: Locale) -> &'static str {
    match metric {
        Metric::Views => td_string!(locale, metrics.views),
        Metric::Reach => td_string!(locale, metrics.reach),
        Metric::Likes => td_string!(locale, metrics.likes),
        Metric::Comments => td_string!(locale, metrics.comments),
        Metric::Shares => td_string!(locale, metrics.shares),
        Metric::Saves => td_string!(locale, metrics.saves),
        Metric::Clicks => td_string!(locale, metrics.clicks),
        Metric::Interactions => td_string!(locale, metrics.interactions),
        Metric::Followers => td_string!(locale, metrics.followers),
        Metric::NewFollowers => td_string!(locale, metrics.new_followers),
    }
}
