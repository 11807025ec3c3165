//! Publishing in words: where each account stands, why it failed and what to do, and the
//! ledger's steps and outcomes. The server stores stable keys; only the UI words them.

use leptos_i18n::td_string;

use super::rules::network_name;
use crate::domain::accounts::Network;
use crate::domain::jobs::AttemptOutcome;
use crate::domain::post_state::TargetStatus;
use crate::i18n::Locale;

pub fn target_status(status: TargetStatus, locale: Locale) -> &'static str {
    match status {
        TargetStatus::Draft => td_string!(locale, publishing.target_draft),
        TargetStatus::Scheduled => td_string!(locale, publishing.target_scheduled),
        TargetStatus::Canceled => td_string!(locale, publishing.target_canceled),
        TargetStatus::Publishing => td_string!(locale, publishing.target_publishing),
        TargetStatus::Published => td_string!(locale, publishing.target_published),
        TargetStatus::Failed => td_string!(locale, publishing.target_failed),
        TargetStatus::OutcomeUnknown => td_string!(locale, publishing.target_outcome_unknown),
    }
}

/// Why an account failed or is in doubt, and what to do about it.
pub fn reason(reason: &str, network: Network, locale: Locale) -> String {
    let network = network_name(network);
    match reason {
        "reconnect" => td_string!(locale, publishing.reason_reconnect, network).to_string(),
        "permission_missing" => td_string!(locale, publishing.reason_permission_missing).to_owned(),
        "media_refused" => td_string!(locale, publishing.reason_media_refused, network).to_string(),
        "content_refused" => {
            td_string!(locale, publishing.reason_content_refused, network).to_string()
        }
        "account_restricted" => td_string!(locale, publishing.reason_account_restricted).to_owned(),
        "rate_limited" => td_string!(locale, publishing.reason_rate_limited, network).to_string(),
        "quota_reached" => td_string!(locale, publishing.reason_quota_reached).to_owned(),
        "network_unavailable" => {
            td_string!(locale, publishing.reason_network_unavailable, network).to_string()
        }
        "container_error" => td_string!(locale, publishing.reason_container_error).to_owned(),
        "container_expired" => td_string!(locale, publishing.reason_container_expired).to_owned(),
        "video_failed" => td_string!(locale, publishing.reason_video_failed).to_owned(),
        "outcome_unknown" => {
            td_string!(locale, publishing.reason_outcome_unknown, network).to_string()
        }
        "account_unavailable" => {
            td_string!(locale, publishing.reason_account_unavailable).to_owned()
        }
        "media_missing" => td_string!(locale, publishing.reason_media_missing).to_owned(),
        "not_ready" => td_string!(locale, publishing.reason_not_ready).to_owned(),
        _ => td_string!(locale, publishing.reason_other, network).to_string(),
    }
}

pub fn step(step: &str, locale: Locale) -> String {
    match step {
        "prepare" => td_string!(locale, publishing.step_prepare),
        "create_post" => td_string!(locale, publishing.step_create_post),
        "publish_photo" => td_string!(locale, publishing.step_publish_photo),
        "publish_video" => td_string!(locale, publishing.step_publish_video),
        "upload_photo" => td_string!(locale, publishing.step_upload_photo),
        "check_video" => td_string!(locale, publishing.step_check_video),
        "create_container" => td_string!(locale, publishing.step_create_container),
        "create_item_container" => td_string!(locale, publishing.step_create_item_container),
        "check_container" => td_string!(locale, publishing.step_check_container),
        "check_quota" => td_string!(locale, publishing.step_check_quota),
        "publish_container" => td_string!(locale, publishing.step_publish_container),
        "reconcile" => td_string!(locale, publishing.step_reconcile),
        other => return other.to_owned(),
    }
    .to_owned()
}

pub fn outcome(outcome: AttemptOutcome, locale: Locale) -> &'static str {
    match outcome {
        AttemptOutcome::Sending => td_string!(locale, publishing.outcome_sending),
        AttemptOutcome::Succeeded => td_string!(locale, publishing.outcome_succeeded),
        AttemptOutcome::Failed => td_string!(locale, publishing.outcome_failed),
        AttemptOutcome::WillRetry => td_string!(locale, publishing.outcome_will_retry),
        AttemptOutcome::Waiting => td_string!(locale, publishing.outcome_waiting),
        AttemptOutcome::OutcomeUnknown => td_string!(locale, publishing.outcome_outcome_unknown),
        AttemptOutcome::FoundPosted => td_string!(locale, publishing.outcome_found_posted),
        AttemptOutcome::FoundAbsent => td_string!(locale, publishing.outcome_found_absent),
    }
}
