//! Password hashing with argon2id (RustCrypto's `argon2`, OWASP's default parameters).
//! Hashing is slow on purpose, so it runs on the blocking pool, off the async workers.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

use crate::domain::Password;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing task stopped")]
    Join(#[from] tokio::task::JoinError),
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

pub async fn hash(password: &Password) -> Result<String, PasswordError> {
    let password = password.clone();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(PasswordError::Hash)
    })
    .await?
}

/// Checks `password` against a stored PHC string. A malformed stored hash never matches.
pub async fn verify(password: &Password, stored_hash: &str) -> Result<bool, PasswordError> {
    let password = password.clone();
    let stored_hash = stored_hash.to_owned();
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored_hash)
            .map(|parsed| {
                hasher()
                    .verify_password(password.expose().as_bytes(), &parsed)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await?;
    Ok(matches)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let password = Password::parse_new("correct horse battery".into()).unwrap();
        let stored = hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("horse"));
        assert!(verify(&password, &stored).await.unwrap());
        let other = Password::for_sign_in("correct horse battery!".into()).unwrap();
        assert!(!verify(&other, &stored).await.unwrap());
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_never_matches() {
        let password = Password::for_sign_in("anything at all".into()).unwrap();
        assert!(!verify(&password, "not a hash").await.unwrap());
    }
}
