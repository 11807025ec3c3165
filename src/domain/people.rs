//! What a person types to get an account: email address, password and display name, each
//! parsed once at the edge so the rest of Herald only ever sees valid values.

use std::fmt;

use super::ValidationError;
use crate::error::Problem;

/// Long enough to resist guessing, short enough that hashing it cannot be used to tire the server.
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 512;
pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
/// RFC 5321's limit on a forward path.
const EMAIL_MAX_CHARS: usize = 254;

/// An email address, trimmed and lower-cased so that one mailbox is one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let candidate = raw.trim().to_lowercase();
        if candidate.is_empty() {
            return Err(ValidationError::new("email", Problem::EmailMissing));
        }
        if candidate.chars().count() > EMAIL_MAX_CHARS || !looks_like_an_address(&candidate) {
            return Err(ValidationError::new("email", Problem::EmailInvalid));
        }
        Ok(Self(candidate))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Deliberately loose: the only real check of an address is mail reaching it. This refuses what
/// is certainly not an address (no `@`, no domain, spaces) and nothing more.
fn looks_like_an_address(candidate: &str) -> bool {
    let Some((local, domain)) = candidate.rsplit_once('@') else {
        return false;
    };
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..");
    !local.is_empty()
        && !local.contains('@')
        && domain_ok
        && !candidate
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed. Never `Serialize`, and its `Debug` hides it, so it cannot reach a log.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    /// Checks a new password. Passwords given at sign-in are not checked against these rules
    /// (see [`Password::for_sign_in`]): rules may change after an account was made.
    pub fn parse_new(raw: String) -> Result<Self, ValidationError> {
        let chars = raw.chars().count();
        if chars < PASSWORD_MIN_CHARS {
            return Err(ValidationError::new(
                "password",
                Problem::PasswordTooShort {
                    min: PASSWORD_MIN_CHARS,
                },
            ));
        }
        if chars > PASSWORD_MAX_CHARS {
            return Err(ValidationError::new(
                "password",
                Problem::PasswordTooLong {
                    max: PASSWORD_MAX_CHARS,
                },
            ));
        }
        Ok(Self(raw))
    }

    pub fn for_sign_in(raw: String) -> Result<Self, ValidationError> {
        if raw.is_empty() {
            return Err(ValidationError::new("password", Problem::PasswordMissing));
        }
        if raw.chars().count() > PASSWORD_MAX_CHARS {
            // Cannot match any stored password; refusing early keeps hashing cheap.
            return Err(ValidationError::new(
                "password",
                Problem::PasswordOverLimit {
                    max: PASSWORD_MAX_CHARS,
                },
            ));
        }
        Ok(Self(raw))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(…)")
    }
}

/// The name shown for a person in Herald.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim();
        if name.is_empty() {
            return Err(ValidationError::new("display_name", Problem::NameMissing));
        }
        if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
            return Err(ValidationError::new(
                "display_name",
                Problem::NameTooLong {
                    max: DISPLAY_NAME_MAX_CHARS,
                },
            ));
        }
        if name.chars().any(char::is_control) {
            return Err(ValidationError::new(
                "display_name",
                Problem::NameControlCharacters,
            ));
        }
        Ok(Self(name.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_is_trimmed_and_lower_cased() {
        let email = EmailAddress::parse("  Ada@Example.ORG ").unwrap();
        assert_eq!(email.as_str(), "ada@example.org");
    }

    #[test]
    fn email_without_domain_or_at_sign_is_refused() {
        for raw in [
            "ada",
            "ada@",
            "@example.org",
            "ada@example",
            "ada@.org",
            "ada@example.",
            "ada@exa..mple.org",
            "a da@example.org",
        ] {
            let error = EmailAddress::parse(raw).unwrap_err();
            assert_eq!(error.field, "email", "{raw}");
        }
    }

    #[test]
    fn empty_email_asks_for_one() {
        let error = EmailAddress::parse("   ").unwrap_err();
        assert_eq!(error.problem, Problem::EmailMissing);
    }

    #[test]
    fn overlong_email_is_refused() {
        let raw = format!("{}@example.org", "a".repeat(250));
        assert!(EmailAddress::parse(&raw).is_err());
    }

    #[test]
    fn new_password_must_be_long_enough() {
        assert!(Password::parse_new("short".into()).is_err());
        assert!(Password::parse_new("x".repeat(PASSWORD_MIN_CHARS - 1)).is_err());
        assert!(Password::parse_new("x".repeat(PASSWORD_MIN_CHARS)).is_ok());
        assert!(Password::parse_new("x".repeat(PASSWORD_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        // Ten characters, thirty bytes.
        assert!(Password::parse_new("€".repeat(10)).is_ok());
    }

    #[test]
    fn password_debug_hides_the_secret() {
        let password = Password::parse_new("correct horse battery".into()).unwrap();
        assert!(!format!("{password:?}").contains("horse"));
    }

    #[test]
    fn display_name_is_trimmed_and_bounded() {
        assert_eq!(DisplayName::parse("  Ada  ").unwrap().as_str(), "Ada");
        assert!(DisplayName::parse(" ").is_err());
        assert!(DisplayName::parse(&"a".repeat(DISPLAY_NAME_MAX_CHARS + 1)).is_err());
        assert!(DisplayName::parse("Ada\u{7}").is_err());
    }
}
