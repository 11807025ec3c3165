//! Insights' refusals (§6, §4.2): no metric, retired or unknown metrics, periods and ranges
//! Graph does not serve, and missing permissions. Words the contract gives are used as given;
//! the rest are Graph's style, and clients must go by the codes.

use super::errors::GraphError;

/// §6.1: Page or post insights without a `metric` parameter.
pub(super) fn no_metric() -> GraphError {
    GraphError::new(3001, "Invalid query")
        .with_subcode(1504028)
        .for_people(
            "No Metric Specified",
            "No metric was specified to be fetched. Please specify one or more metrics to be \
             fetched and try again.",
        )
}

/// §6.1: what Page and post insights answer for a retired metric, as for an unknown one.
pub(super) fn invalid_metric() -> GraphError {
    GraphError::numbered(100, "The value must be a valid insights metric")
}

pub(super) fn invalid_period(period: &str) -> GraphError {
    GraphError::numbered(
        100,
        format!("The value must be a valid insights period (got \"{period}\")"),
    )
}

pub(super) fn range_too_long(max_days: i64) -> GraphError {
    GraphError::numbered(
        100,
        format!(
            "There cannot be more than {max_days} days ({} s) between since and until",
            max_days * 86_400
        ),
    )
}

pub(super) fn unreadable_time(name: &str) -> GraphError {
    GraphError::numbered(
        100,
        format!("Param {name} must be a unix timestamp or a date (YYYY-MM-DD)"),
    )
}

/// Page insights are read with a Page token, not the user token it came from.
pub(super) fn page_token_required() -> GraphError {
    GraphError::numbered(190, "This method must be called with a Page Access Token")
}

pub(super) fn read_insights_missing() -> GraphError {
    GraphError::numbered(10, "This endpoint requires the 'read_insights' permission")
}

/// Instagram insights without `instagram_manage_insights` (Facebook Login) or
/// `instagram_business_manage_insights` (Instagram Login).
pub(super) fn instagram_insights_missing() -> GraphError {
    GraphError::numbered(10, "Application does not have permission for this action")
}

/// §6.2: a retired Instagram metric, and what replaced it.
pub(super) fn retired_instagram_metric(name: &str, replacement: &str) -> GraphError {
    GraphError::numbered(
        100,
        format!(
            "The {name} metric is no longer supported in this or any later version of the \
             API; use {replacement} instead"
        ),
    )
}

/// A metric Instagram knows nowhere; `position` counts from 0, as Graph's `metric[0]` does.
pub(super) fn unknown_instagram_metric(position: usize, offered: &[&str]) -> GraphError {
    GraphError::numbered(
        100,
        format!(
            "metric[{position}] must be one of the following values: {}",
            offered.join(", ")
        ),
    )
}

/// UNCERTAIN (§6.2): a metric of another media product type; the code is the contract's.
pub(super) fn metric_not_for_media(name: &str, product_type: &str) -> GraphError {
    GraphError::numbered(
        100,
        format!(
            "The Media Insights API does not support the {name} metric for this media \
             product type ({product_type})"
        ),
    )
}

/// Account metrics other than `follower_count` and `reach` come as totals only.
pub(super) fn total_value_required(names: &[&str]) -> GraphError {
    GraphError::numbered(
        100,
        format!(
            "The following metrics ({}) should be specified with parameter \
             metric_type=total_value",
            names.join(", ")
        ),
    )
}

pub(super) fn invalid_metric_type() -> GraphError {
    GraphError::numbered(
        100,
        "metric_type must be one of the following values: time_series, total_value",
    )
}

/// §6.2, verbatim: a story seen by too few people.
pub(super) fn not_enough_viewers() -> GraphError {
    GraphError::numbered(10, "Not enough viewers for the media to show insights")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_metric_is_code_3001_with_its_subcode() {
        let error = no_metric();
        assert_eq!((error.code, error.subcode), (3001, Some(1504028)));
    }

    #[test]
    fn the_contracts_words_are_used_as_given() {
        assert_eq!(
            invalid_metric().message,
            "(#100) The value must be a valid insights metric"
        );
        assert_eq!(
            read_insights_missing().message,
            "(#10) This endpoint requires the 'read_insights' permission"
        );
        assert_eq!(
            instagram_insights_missing().message,
            "(#10) Application does not have permission for this action"
        );
        assert_eq!(
            not_enough_viewers().message,
            "(#10) Not enough viewers for the media to show insights"
        );
        let retired = retired_instagram_metric("impressions", "views");
        assert_eq!(retired.code, 100);
        assert!(
            retired
                .message
                .contains("impressions metric is no longer supported")
        );
    }
}
