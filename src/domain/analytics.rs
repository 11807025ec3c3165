//! What the analytics pages show, as the server sends it: a post's figures per account with
//! their history, and the dashboard of a date range. Charts arrive drawn (SVG text made on the
//! server), each with the table that says the same in words.

use serde::{Deserialize, Serialize};

use super::accounts::Network;
use super::figures::{Figures, Metric};
use super::{AccountId, PostId};

/// The ranges the dashboard offers; `Custom` reads its own two days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeChoice {
    Days7,
    #[default]
    Days30,
    Days90,
    Custom,
}

text_forms!(RangeChoice {
    Days7 => "7",
    Days30 => "30",
    Days90 => "90",
    Custom => "custom",
});

impl RangeChoice {
    /// Days in the range, for the fixed ones.
    pub fn days(self) -> Option<i64> {
        match self {
            RangeChoice::Days7 => Some(7),
            RangeChoice::Days30 => Some(30),
            RangeChoice::Days90 => Some(90),
            RangeChoice::Custom => None,
        }
    }
}

/// An account as the analytics pages name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountName {
    pub id: AccountId,
    pub name: String,
    pub network: Network,
}

/// An account whose figures Herald cannot read in full, and the permission to grant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FiguresProblem {
    pub account: AccountName,
    pub permission: String,
    /// Where connecting it again starts (None: it comes from the environment).
    pub reconnect_href: Option<String>,
}

/// One snapshot of one account's figures of a post, its time on the person's wall clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TakenFigures {
    /// Unix milliseconds.
    pub taken_at: i64,
    /// "2026-12-07 14:05", in the person's zone.
    pub taken_local: String,
    pub figures: Figures,
}

/// A post's figures on one account: every snapshot, newest last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFigures {
    pub account: AccountName,
    pub snapshots: Vec<TakenFigures>,
    /// The growth of its figures, drawn; empty with fewer than one snapshot.
    pub chart_svg: String,
}

/// Everything the post's page shows about how the post did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostFigures {
    pub post_id: PostId,
    pub accounts: Vec<AccountFigures>,
    pub problems: Vec<FiguresProblem>,
    /// Herald runs its sandbox networks: the page offers to age the post.
    pub sandbox: bool,
}

/// A metric's total over the range, and over the range before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Total {
    pub metric: Metric,
    /// None: no post in the range has it.
    pub value: Option<i64>,
    pub previous: Option<i64>,
}

/// A post target among the best of the range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BestPost {
    pub post_id: PostId,
    pub account: AccountName,
    /// The start of its words.
    pub text: String,
    pub published_local: String,
    /// Engagement per person reached, as a fraction.
    pub rate: f64,
    pub engagement: i64,
    pub reached: i64,
    pub url: Option<String>,
}

/// One hour of one weekday in the "best time to post" grid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TimeCell {
    /// 0 = Monday.
    pub weekday: u8,
    pub hour: u8,
    pub posts: i64,
    /// The mean engagement rate of those posts.
    pub rate: f64,
}

/// Engagement by weekday and hour in the person's zone, from Herald's own history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BestTime {
    /// Only the cells with posts, busiest first.
    pub cells: Vec<TimeCell>,
    /// How many posts (with a known rate) it rests on.
    pub posts: i64,
    /// The best cell, when there are enough posts to say.
    pub suggestion: Option<TimeCell>,
    pub chart_svg: String,
}

/// One day's value, for a chart's table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayValue {
    /// "2026-12-07".
    pub day: String,
    pub value: i64,
}

/// The dashboard of one range.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub range: RangeChoice,
    /// First and last day shown, inclusive, in the person's zone ("2026-12-07").
    pub from: String,
    pub to: String,
    pub days: i64,
    /// None: every account.
    pub account: Option<AccountId>,
    pub accounts: Vec<AccountName>,
    pub problems: Vec<FiguresProblem>,
    pub time_zone: String,
    /// Posts published in the range (one per account it went to), and in the range before.
    pub published: (i64, i64),
    pub totals: Vec<Total>,
    /// Followers of the accounts shown, summed, by day (the last snapshot of each day).
    pub followers: Vec<DayValue>,
    pub followers_svg: String,
    pub posts_per_day: Vec<DayValue>,
    pub posts_per_day_svg: String,
    pub best_posts: Vec<BestPost>,
    pub best_time: BestTime,
}

/// The fewest posts with figures before a best time is suggested, and the fewest in the
/// suggested hour itself: fewer say more about chance than about the audience.
pub const BEST_TIME_MIN_POSTS: i64 = 10;
pub const BEST_TIME_MIN_IN_CELL: i64 = 2;
