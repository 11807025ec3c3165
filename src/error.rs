//! The one error type that crosses the wire between server functions and the browser.
//!
//! Errors travel as codes, not sentences: the browser words them in the reader's language
//! (`text::problems`). Internal failures never travel as text either: the server logs them with
//! a reference and the person sees only that reference (see `server::error`).

use std::fmt;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::ValidationError;
use crate::domain::accounts::Network;
use crate::domain::post_rules::Rule;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum AppError {
    /// The input was refused; `field` names the form field it concerns, when there is one.
    Invalid {
        field: Option<String>,
        problem: Problem,
    },
    Unauthorized,
    Forbidden,
    /// Refused by a rule of this Herald (e.g. invite-only sign-up); the problem says which.
    Refused(Problem),
    Conflict(Problem),
    /// Sign-in is locked for this many more minutes.
    TooManyAttempts {
        minutes: i64,
    },
    Internal {
        reference: String,
    },
    /// The request never got a proper answer (network down, server restarting…).
    Transport(String),
}

/// What exactly was wrong, with the figures the message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    MalformedForm {
        detail: String,
    },
    EmailMissing,
    EmailInvalid,
    EmailTaken,
    PasswordMissing,
    PasswordTooShort {
        min: usize,
    },
    PasswordTooLong {
        max: usize,
    },
    /// A password typed at sign-in that no account could have.
    PasswordOverLimit {
        max: usize,
    },
    NameMissing,
    NameTooLong {
        max: usize,
    },
    NameControlCharacters,
    TimeZoneMissing,
    TimeZoneUnknown {
        name: String,
    },
    LanguageUnknown,
    /// A custom date range whose days do not read, or whose last day comes before its first.
    DateRangeInvalid,
    /// A custom date range longer than the dashboard shows.
    DateRangeTooLong {
        max_days: i64,
    },
    InviteOnly,
    /// The first account, which owns this Herald, is reserved for `HERALD_OWNER_EMAIL`.
    OwnerEmailOnly,
    /// The first account needs the setup link `herald serve` printed.
    SetupLinkNeeded,
    InvitationUnusable,
    WrongCredentials,
    WrongCurrentPassword,
    AltTextTooLong {
        max: usize,
        length: usize,
    },
    /// So long that it was refused before it was read whole.
    AltTextFarTooLong {
        max: usize,
    },
    MediaNotFound,
    /// A scheduled post (or one being published) uses the file.
    MediaInUse {
        posts: i64,
    },
    MediaMissingFile,
    MediaEmpty,
    /// A known type Herald does not take, by its MIME type.
    MediaUnsupported {
        kind: String,
    },
    MediaNotRecognised,
    MediaTooLarge {
        max_mb: u64,
    },
    /// The upload stopped before the whole file arrived.
    MediaIncomplete,
    MediaUnreadable,
    MediaTooManyPixels {
        max: u32,
        #[serde(default)]
        max_megapixels: u64,
    },
    /// Nothing written, no media: nothing to keep.
    PostEmpty,
    PostNotFound,
    /// Only drafts can be edited; this one was scheduled or published meanwhile.
    PostNotDraft,
    /// Someone (another tab, another device) saved the draft since it was opened here.
    PostChangedElsewhere,
    /// An account chosen for the post is not connected to this workspace (any more).
    PostAccountUnavailable,
    PostTooLong {
        max_kb: usize,
    },
    /// A form with more fields than any real composer sends: refused before it is read.
    FormTooLarge {
        max_fields: usize,
    },
    PostBreaksRule {
        network: Network,
        rule: Rule,
    },
    /// Publishing needs at least one account.
    PostHasNoAccounts,
    /// "Check again" is for an account whose result is in doubt; this one's is known.
    PostNotInDoubt,
    /// No date and time was given for a scheduled post.
    ScheduleTimeMissing,
    /// The date and time could not be read.
    ScheduleTimeInvalid,
    /// The chosen time has already passed.
    ScheduleInPast,
    ScheduleTooFar {
        days: i64,
    },
    /// Only a scheduled post can be moved, unscheduled or cancelled.
    PostNotScheduled,
    /// Publishing has begun for at least one account: the post can no longer be moved,
    /// unscheduled or cancelled.
    PublishingStarted,
    /// An instruction to the model said nothing (or named no preset Herald has).
    AiInstructionMissing,
    AiInstructionTooLong {
        max: usize,
    },
    /// A brief to write from said nothing.
    AiBriefMissing,
    AiBriefTooLong {
        max: usize,
    },
    /// No picture shape was chosen.
    AiNoShapes,
    /// Another proposal for this post is still open: confirm or cancel it first.
    AiProposalOpen,
    /// The proposal was confirmed, cancelled or replaced meanwhile.
    AiProposalClosed,
    AiProposalNotFound,
    /// The proposal is still being written.
    AiProposalStreaming,
    AiNotConfigured,
    AiImagesNotConfigured,
    /// The workspace used its AI calls for this hour (`HERALD_AI_HOURLY_LIMIT`).
    AiHourlyLimit {
        limit: u32,
        minutes: i64,
    },
    AiWrongKey,
    AiNoAccess,
    AiUnknownModel {
        model: String,
    },
    /// The endpoint has no such route: its base URL likely lacks `/v1`.
    AiNoSuchRoute,
    AiTooLarge,
    AiRateLimited {
        seconds: Option<u64>,
    },
    AiRefused {
        message: String,
    },
    AiUnavailable {
        status: u16,
    },
    AiUnreachable,
    AiTimeout,
    AiMalformed {
        detail: String,
    },
}

impl Problem {
    /// The same problem with any words that did not come from Herald emptied: only names
    /// made of code-like characters (a MIME type, an IANA zone) are kept.
    fn without_free_text(self) -> Problem {
        let kept = |text: String, extra: &[char]| {
            let codelike = text.len() <= 100
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(&c));
            if codelike { text } else { String::new() }
        };
        match self {
            Problem::MalformedForm { .. } => Problem::MalformedForm {
                detail: String::new(),
            },
            Problem::TimeZoneUnknown { name } => Problem::TimeZoneUnknown {
                name: kept(name, &['/', '-', '+']),
            },
            Problem::MediaUnsupported { kind } => Problem::MediaUnsupported {
                kind: kept(kind, &['/', '-', '+', '.']),
            },
            Problem::AiUnknownModel { model } => Problem::AiUnknownModel {
                model: kept(model, &['/', '-', '.', ':']),
            },
            Problem::AiRefused { .. } => Problem::AiRefused {
                message: String::new(),
            },
            Problem::AiMalformed { .. } => Problem::AiMalformed {
                detail: String::new(),
            },
            other => other,
        }
    }
}

impl AppError {
    /// An error carried in a link (`?problem=…`, as plain forms come back): anyone can make
    /// such a link, so only codes and figures are taken from it — any free text is dropped, so
    /// a link cannot put someone's words inside Herald's alert.
    pub fn from_link(json: &str) -> Option<AppError> {
        let error: AppError = serde_json::from_str(json).ok()?;
        Some(error.without_free_text())
    }

    fn without_free_text(self) -> AppError {
        let code = |text: &str, extra: &[char]| {
            text.len() <= 100
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || extra.contains(&c))
        };
        match self {
            AppError::Invalid { field, problem } => AppError::Invalid {
                field: field.filter(|field| code(field, &[])),
                problem: problem.without_free_text(),
            },
            AppError::Refused(problem) => AppError::Refused(problem.without_free_text()),
            AppError::Conflict(problem) => AppError::Conflict(problem.without_free_text()),
            AppError::Internal { reference } => AppError::Internal {
                reference: if code(&reference, &[]) {
                    reference
                } else {
                    String::new()
                },
            },
            AppError::Transport(_) => AppError::Transport(String::new()),
            other => other,
        }
    }

    pub fn invalid(field: &str, problem: Problem) -> Self {
        AppError::Invalid {
            field: Some(field.to_owned()),
            problem,
        }
    }

    /// The form field this error belongs beside, if any.
    pub fn field(&self) -> Option<&str> {
        match self {
            AppError::Invalid { field, .. } => field.as_deref(),
            _ => None,
        }
    }

    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid { .. } => 400,
            AppError::Unauthorized => 401,
            AppError::Forbidden | AppError::Refused(_) => 403,
            AppError::Conflict(_) => 409,
            AppError::TooManyAttempts { .. } => 429,
            AppError::Internal { .. } | AppError::Transport(_) => 500,
        }
    }
}

/// English, for logs and the command line; people in the browser read `text::problems`.
impl fmt::Display for AppError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::text::problems::describe(
            self,
            crate::i18n::Locale::en,
        ))
    }
}

impl std::error::Error for AppError {}

impl From<ValidationError> for AppError {
    fn from(error: ValidationError) -> Self {
        AppError::invalid(error.field, error.problem)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // The arguments did not parse: a malformed form, not a server fault.
            ServerFnErrorErr::Args(detail) | ServerFnErrorErr::MissingArg(detail) => {
                AppError::Invalid {
                    field: None,
                    problem: Problem::MalformedForm { detail },
                }
            }
            other => AppError::Transport(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_brings_codes_and_figures_never_words() {
        let crafted = r#"{"Invalid":{"field":"text","problem":{"code":"ai_refused","message":"Your account is closed: call +1 555 0100"}}}"#;
        let shown = AppError::from_link(crafted).expect("the code is kept");
        assert_eq!(
            shown,
            AppError::invalid(
                "text",
                Problem::AiRefused {
                    message: String::new()
                }
            )
        );
        let zone = serde_json::to_string(&AppError::invalid(
            "time_zone",
            Problem::TimeZoneUnknown {
                name: "Mars/Olympus_Mons".to_owned(),
            },
        ))
        .unwrap();
        assert_eq!(
            AppError::from_link(&zone),
            Some(AppError::invalid(
                "time_zone",
                Problem::TimeZoneUnknown {
                    name: "Mars/Olympus_Mons".to_owned()
                }
            ))
        );
        let worded = r#"{"Internal":{"reference":"Send your password to evil.example"}}"#;
        assert_eq!(
            AppError::from_link(worded),
            Some(AppError::Internal {
                reference: String::new()
            })
        );
        assert_eq!(
            AppError::from_link(r#"{"Transport":"click here"}"#),
            Some(AppError::Transport(String::new()))
        );
    }
}
