//! An [`AppError`] in words, in a given language.

use leptos_i18n::td_string;

use crate::error::{AppError, Problem};
use crate::i18n::Locale;

pub fn describe(error: &AppError, locale: Locale) -> String {
    match error {
        AppError::Invalid { problem, .. }
        | AppError::Refused(problem)
        | AppError::Conflict(problem) => describe_problem(problem, locale),
        AppError::Unauthorized => td_string!(locale, errors.unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, errors.forbidden).to_string(),
        AppError::TooManyAttempts { minutes } => {
            td_string!(locale, errors.too_many_attempts, count = *minutes).to_string()
        }
        AppError::Internal { reference } => {
            td_string!(locale, errors.internal, reference).to_string()
        }
        AppError::Transport(detail) => td_string!(locale, errors.transport, detail).to_string(),
    }
}

fn describe_problem(problem: &Problem, locale: Locale) -> String {
    match problem {
        Problem::MalformedForm { detail } => {
            td_string!(locale, errors.malformed_form, detail).to_string()
        }
        Problem::EmailMissing => td_string!(locale, errors.email_missing).to_string(),
        Problem::EmailInvalid => td_string!(locale, errors.email_invalid).to_string(),
        Problem::EmailTaken => td_string!(locale, errors.email_taken).to_string(),
        Problem::PasswordMissing => td_string!(locale, errors.password_missing).to_string(),
        Problem::PasswordTooShort { min } => {
            td_string!(locale, errors.password_too_short, min).to_string()
        }
        Problem::PasswordTooLong { max } => {
            td_string!(locale, errors.password_too_long, max).to_string()
        }
        Problem::PasswordOverLimit { max } => {
            td_string!(locale, errors.password_over_limit, max).to_string()
        }
        Problem::NameMissing => td_string!(locale, errors.name_missing).to_string(),
        Problem::NameTooLong { max } => td_string!(locale, errors.name_too_long, max).to_string(),
        Problem::NameControlCharacters => {
            td_string!(locale, errors.name_control_characters).to_string()
        }
        Problem::TimeZoneMissing => td_string!(locale, errors.time_zone_missing).to_string(),
        Problem::TimeZoneUnknown { name } => {
            td_string!(locale, errors.time_zone_unknown, name).to_string()
        }
        Problem::LanguageUnknown => td_string!(locale, errors.language_unknown).to_string(),
        Problem::DateRangeInvalid => td_string!(locale, errors.date_range_invalid).to_string(),
        Problem::DateRangeTooLong { max_days } => {
            td_string!(locale, errors.date_range_too_long, max_days = *max_days).to_string()
        }
        Problem::InviteOnly => td_string!(locale, errors.invite_only).to_string(),
        Problem::OwnerEmailOnly => td_string!(locale, errors.owner_email_only).to_string(),
        Problem::SetupLinkNeeded => td_string!(locale, errors.setup_link_needed).to_string(),
        Problem::InvitationUnusable => td_string!(locale, errors.invitation_unusable).to_string(),
        Problem::WrongCredentials => td_string!(locale, errors.wrong_credentials).to_string(),
        Problem::WrongCurrentPassword => {
            td_string!(locale, errors.wrong_current_password).to_string()
        }
        Problem::AltTextTooLong { max, length } => {
            td_string!(locale, errors.alt_text_too_long, max, length).to_string()
        }
        Problem::AltTextFarTooLong { max } => {
            td_string!(locale, errors.alt_text_far_too_long, max).to_string()
        }
        Problem::MediaNotFound => td_string!(locale, errors.media_not_found).to_string(),
        Problem::MediaInUse { .. } => td_string!(locale, errors.media_in_use).to_string(),
        Problem::MediaMissingFile => td_string!(locale, errors.media_missing_file).to_string(),
        Problem::MediaEmpty => td_string!(locale, errors.media_empty).to_string(),
        Problem::MediaUnsupported { kind } => {
            td_string!(locale, errors.media_unsupported, kind).to_string()
        }
        Problem::MediaNotRecognised => td_string!(locale, errors.media_not_recognised).to_string(),
        Problem::MediaTooLarge { max_mb } => {
            td_string!(locale, errors.media_too_large, max_mb).to_string()
        }
        Problem::MediaIncomplete => td_string!(locale, errors.media_incomplete).to_string(),
        Problem::MediaUnreadable => td_string!(locale, errors.media_unreadable).to_string(),
        Problem::MediaTooManyPixels {
            max,
            max_megapixels,
        } => td_string!(locale, errors.media_too_many_pixels, max, max_megapixels).to_string(),
        Problem::PostEmpty => td_string!(locale, errors.post_empty).to_string(),
        Problem::PostNotFound => td_string!(locale, errors.post_not_found).to_string(),
        Problem::PostNotDraft => td_string!(locale, errors.post_not_draft).to_string(),
        Problem::PostChangedElsewhere => {
            td_string!(locale, errors.post_changed_elsewhere).to_string()
        }
        Problem::PostAccountUnavailable => {
            td_string!(locale, errors.post_account_unavailable).to_string()
        }
        Problem::PostTooLong { max_kb } => {
            td_string!(locale, errors.post_too_long, max_kb).to_string()
        }
        Problem::FormTooLarge { max_fields } => {
            td_string!(locale, errors.form_too_large, max_fields).to_string()
        }
        Problem::PostBreaksRule { network, rule } => {
            super::rules::describe_rule(*network, rule, locale)
        }
        Problem::PostHasNoAccounts => td_string!(locale, errors.post_has_no_accounts).to_string(),
        Problem::PostNotInDoubt => td_string!(locale, errors.post_not_in_doubt).to_string(),
        Problem::ScheduleTimeMissing => {
            td_string!(locale, errors.schedule_time_missing).to_string()
        }
        Problem::ScheduleTimeInvalid => {
            td_string!(locale, errors.schedule_time_invalid).to_string()
        }
        Problem::ScheduleInPast => td_string!(locale, errors.schedule_in_past).to_string(),
        Problem::ScheduleTooFar { days } => {
            td_string!(locale, errors.schedule_too_far, days = *days).to_string()
        }
        Problem::PostNotScheduled => td_string!(locale, errors.post_not_scheduled).to_string(),
        Problem::PublishingStarted => td_string!(locale, errors.publishing_started).to_string(),
        Problem::AiInstructionMissing => {
            td_string!(locale, errors.ai_instruction_missing).to_string()
        }
        Problem::AiInstructionTooLong { max } => {
            td_string!(locale, errors.ai_instruction_too_long, max = *max).to_string()
        }
        Problem::AiBriefMissing => td_string!(locale, errors.ai_brief_missing).to_string(),
        Problem::AiBriefTooLong { max } => {
            td_string!(locale, errors.ai_brief_too_long, max = *max).to_string()
        }
        Problem::AiHourlyLimit { limit, minutes } => td_string!(
            locale,
            errors.ai_hourly_limit,
            limit = *limit,
            count = *minutes
        )
        .to_string(),
        Problem::AiNoShapes => td_string!(locale, errors.ai_no_shapes).to_string(),
        Problem::AiProposalOpen => td_string!(locale, errors.ai_proposal_open).to_string(),
        Problem::AiProposalClosed => td_string!(locale, errors.ai_proposal_closed).to_string(),
        Problem::AiProposalNotFound => td_string!(locale, errors.ai_proposal_not_found).to_string(),
        Problem::AiProposalStreaming => {
            td_string!(locale, errors.ai_proposal_streaming).to_string()
        }
        Problem::AiNotConfigured => td_string!(locale, errors.ai_not_configured).to_string(),
        Problem::AiImagesNotConfigured => {
            td_string!(locale, errors.ai_images_not_configured).to_string()
        }
        Problem::AiWrongKey => td_string!(locale, errors.ai_wrong_key).to_string(),
        Problem::AiNoAccess => td_string!(locale, errors.ai_no_access).to_string(),
        Problem::AiUnknownModel { model } => {
            td_string!(locale, errors.ai_unknown_model, model).to_string()
        }
        Problem::AiNoSuchRoute => td_string!(locale, errors.ai_no_such_route).to_string(),
        Problem::AiTooLarge => td_string!(locale, errors.ai_too_large).to_string(),
        Problem::AiRateLimited {
            seconds: Some(seconds),
        } => td_string!(locale, errors.ai_rate_limited_wait, seconds = *seconds).to_string(),
        Problem::AiRateLimited { seconds: None } => {
            td_string!(locale, errors.ai_rate_limited).to_string()
        }
        Problem::AiRefused { message } => {
            td_string!(locale, errors.ai_refused, message).to_string()
        }
        Problem::AiUnavailable { status } => {
            td_string!(locale, errors.ai_unavailable, status = *status).to_string()
        }
        Problem::AiUnreachable => td_string!(locale, errors.ai_unreachable).to_string(),
        Problem::AiTimeout => td_string!(locale, errors.ai_timeout).to_string(),
        Problem::AiMalformed { detail } => {
            td_string!(locale, errors.ai_malformed, detail).to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_put_into_the_sentence_in_each_language() {
        let error = AppError::invalid("password", Problem::PasswordTooShort { min: 10 });
        assert_eq!(
            describe(&error, Locale::en),
            "Use a password of at least 10 characters."
        );
        assert_eq!(
            describe(&error, Locale::fr),
            "Choisissez un mot de passe d’au moins 10 caractères."
        );
    }

    #[test]
    fn minutes_follow_each_language_plural_rules() {
        let one = AppError::TooManyAttempts { minutes: 1 };
        let many = AppError::TooManyAttempts { minutes: 15 };
        assert!(describe(&one, Locale::en).contains("Wait 1 minute and"));
        assert!(describe(&many, Locale::en).contains("Wait 15 minutes and"));
        assert!(describe(&one, Locale::fr).contains("Attendez 1 minute et"));
        assert!(describe(&many, Locale::fr).contains("Attendez 15 minutes et"));
    }

    #[test]
    fn display_is_english_for_logs() {
        assert_eq!(
            AppError::Unauthorized.to_string(),
            "Please sign in to continue."
        );
    }
}
