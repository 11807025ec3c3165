//! The Graph API's figures (spec §6): `/insights` of Page posts, Pages, Instagram media and
//! Instagram accounts, and the cheap counters every post carries (§6.3, §2.5). Each function is
//! one HTTP call and asks only for metrics Meta still serves: the deprecated ones are refused
//! with code 100 on every version.

use serde::Deserialize;
use serde_json::Value;

use super::publishing_calls::GraphHost;
use super::{MetaClient, MetaError};
use crate::server::crypto::Secret;

/// One metric of an `/insights` answer, its values reduced to numbers: an object-valued metric
/// (reactions by type, clicks by type) is summed, as the spec says to when a scalar is needed.
#[derive(Debug, Clone, PartialEq)]
pub struct Insight {
    pub name: String,
    /// Oldest first; one per period (a day), or one for `lifetime`.
    pub values: Vec<i64>,
}

impl Insight {
    /// The newest value (a lifetime metric, or a running total such as followers).
    pub fn latest(&self) -> Option<i64> {
        self.values.last().copied()
    }
}

/// A Page post's counters, readable without the insights permission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostCounters {
    pub reactions: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
}

/// An Instagram media's counters, readable without the insights permission.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MediaCounters {
    pub likes: Option<i64>,
    pub comments: Option<i64>,
}

impl MetaClient {
    /// `GET /{object-id}/insights?metric=…` on `host`: a Page post's or an Instagram media's
    /// lifetime figures. Empty when Meta has none (yet) for it.
    pub async fn object_insights(
        &self,
        host: GraphHost,
        object_id: &str,
        token: &Secret,
        metrics: &[&str],
    ) -> Result<Vec<Insight>, MetaError> {
        let mut url = self.graph_url(host, &format!("{object_id}/insights"));
        url.query_pairs_mut()
            .append_pair("metric", &metrics.join(","));
        let answer: InsightsAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer.insights())
    }

    /// `GET /{account-id}/insights?metric=…&period=day&since&until` on `host`: a Page's or an
    /// Instagram account's daily figures between two Unix times.
    pub async fn daily_insights(
        &self,
        host: GraphHost,
        account_id: &str,
        token: &Secret,
        metrics: &[&str],
        (since, until): (i64, i64),
    ) -> Result<Vec<Insight>, MetaError> {
        let mut url = self.graph_url(host, &format!("{account_id}/insights"));
        url.query_pairs_mut()
            .append_pair("metric", &metrics.join(","))
            .append_pair("period", "day")
            .append_pair("since", &since.to_string())
            .append_pair("until", &until.to_string());
        let answer: InsightsAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer.insights())
    }

    /// `GET /{post-id}?fields=shares,reactions.summary(total_count).limit(0),comments…`
    /// (spec §2.5): a Page post's counters; `with_shares` false for an object that has none
    /// (a video).
    pub async fn page_post_counters(
        &self,
        post_id: &str,
        token: &Secret,
        with_shares: bool,
    ) -> Result<PostCounters, MetaError> {
        let mut url = self.graph_url(GraphHost::Facebook, post_id);
        let counted = "reactions.summary(total_count).limit(0),\
                       comments.summary(total_count).limit(0)";
        let fields = if with_shares {
            format!("id,shares,{counted}")
        } else {
            format!("id,{counted}")
        };
        url.query_pairs_mut().append_pair("fields", &fields);
        let answer: PostCountersAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(PostCounters {
            reactions: answer.reactions.and_then(|edge| edge.summary?.total_count),
            comments: answer.comments.and_then(|edge| edge.summary?.total_count),
            // A post nobody shared has no `shares` field at all: that is a zero, not unknown.
            shares: with_shares.then(|| answer.shares.map_or(0, |shares| shares.count)),
        })
    }

    /// `GET /{ig-media-id}?fields=like_count,comments_count` (spec §6.3).
    pub async fn instagram_media_counters(
        &self,
        host: GraphHost,
        media_id: &str,
        token: &Secret,
    ) -> Result<MediaCounters, MetaError> {
        let mut url = self.graph_url(host, media_id);
        url.query_pairs_mut()
            .append_pair("fields", "id,like_count,comments_count");
        let answer: MediaCountersAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(MediaCounters {
            likes: answer.like_count,
            comments: answer.comments_count,
        })
    }

    /// `GET /{account-id}?fields=followers_count`: a Page's or an Instagram account's followers
    /// now; None when Meta leaves the field out.
    pub async fn followers(
        &self,
        host: GraphHost,
        account_id: &str,
        token: &Secret,
    ) -> Result<Option<i64>, MetaError> {
        let mut url = self.graph_url(host, account_id);
        url.query_pairs_mut()
            .append_pair("fields", "id,followers_count");
        let answer: FollowersAnswer = self
            .send(self.get(url)?.bearer_auth(token.expose()))
            .await?;
        Ok(answer.followers_count)
    }
}

#[derive(Debug, Deserialize)]
struct InsightsAnswer {
    #[serde(default)]
    data: Vec<InsightEntry>,
}

#[derive(Debug, Deserialize)]
struct InsightEntry {
    name: String,
    #[serde(default)]
    values: Vec<InsightValue>,
    /// The `metric_type=total_value` form (spec §6.2, account level).
    total_value: Option<InsightValue>,
}

#[derive(Debug, Deserialize)]
struct InsightValue {
    #[serde(default)]
    value: Value,
}

impl InsightsAnswer {
    fn insights(self) -> Vec<Insight> {
        self.data
            .into_iter()
            .filter_map(|entry| {
                let values: Vec<i64> = entry
                    .values
                    .iter()
                    .chain(entry.total_value.as_ref())
                    .filter_map(|value| number(&value.value))
                    .collect();
                // A metric listed without a value is one Meta has nothing for: absent.
                (!values.is_empty()).then_some(Insight {
                    name: entry.name,
                    values,
                })
            })
            .collect()
    }
}

/// A number, or the sum of an object's numbers (`{"like": 12, "love": 3}`); Meta reports
/// counts below its threshold as −1, which is no count at all.
fn number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(number) => number
            .as_i64()
            .or_else(|| number.as_f64().map(|float| float.round() as i64))
            .filter(|count| *count >= 0),
        Value::Object(map) => {
            let parts: Vec<i64> = map.values().filter_map(number).collect();
            (!parts.is_empty()).then(|| parts.iter().sum())
        }
        Value::String(text) => text.trim().parse::<i64>().ok().filter(|count| *count >= 0),
        _ => None,
    }
}

#[derive(Debug, Deserialize)]
struct Summary {
    total_count: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct SummaryEdge {
    summary: Option<Summary>,
}

#[derive(Debug, Deserialize)]
struct SharesCount {
    count: i64,
}

#[derive(Debug, Deserialize)]
struct PostCountersAnswer {
    shares: Option<SharesCount>,
    reactions: Option<SummaryEdge>,
    comments: Option<SummaryEdge>,
}

#[derive(Debug, Deserialize)]
struct MediaCountersAnswer {
    like_count: Option<i64>,
    comments_count: Option<i64>,
}

#[derive(Debug, Deserialize)]
struct FollowersAnswer {
    followers_count: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> Vec<Insight> {
        serde_json::from_str::<InsightsAnswer>(body)
            .unwrap()
            .insights()
    }

    #[test]
    fn object_valued_metrics_are_summed() {
        let insights = read(
            r#"{"data":[{"name":"post_reactions_by_type_total","period":"lifetime",
                "values":[{"value":{"like":12,"love":3,"wow":1}}],"title":"t","description":"d",
                "id":"1_2/insights/post_reactions_by_type_total/lifetime"}]}"#,
        );
        assert_eq!(insights[0].latest(), Some(16));
    }

    #[test]
    fn daily_values_are_kept_oldest_first_and_the_newest_is_last() {
        let insights = read(
            r#"{"data":[{"name":"page_follows","period":"day","values":[
                {"value":100,"end_time":"2026-01-01T08:00:00+0000"},
                {"value":103,"end_time":"2026-01-02T08:00:00+0000"}]}],
              "paging":{"previous":"p","next":"n"}}"#,
        );
        assert_eq!(insights[0].values, vec![100, 103]);
        assert_eq!(insights[0].latest(), Some(103));
    }

    #[test]
    fn nothing_reported_is_absent_not_zero() {
        assert!(read(r#"{"data":[]}"#).is_empty());
        let below_threshold = read(r#"{"data":[{"name":"reach","values":[{"value":-1}]}]}"#);
        assert!(below_threshold.is_empty());
        let total_value = read(r#"{"data":[{"name":"views","total_value":{"value":42}}]}"#);
        assert_eq!(total_value[0].latest(), Some(42));
    }
}
