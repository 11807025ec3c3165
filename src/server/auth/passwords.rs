//! Password hashing with argon2id (RustCrypto's `argon2`, OWASP's default parameters).
//! Hashing is slow and memory-hungry on purpose (about 19 MiB each), so it runs on the blocking
//! pool and only a few hashes run at once, whatever the number of requests.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::RngCore;
use rand::rngs::OsRng;
use tokio::sync::Semaphore;

use crate::domain::Password;

/// Enough to keep both cores busy; more would only queue memory.
const CONCURRENT_HASHES: usize = 4;

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password hashing failed: {0}")]
    Hash(argon2::password_hash::Error),
    #[error("the hashing task stopped")]
    Join(#[from] tokio::task::JoinError),
    #[error("the hashing limiter was closed")]
    Closed(#[from] tokio::sync::AcquireError),
}

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A real hash of a random password, checked when an email is unknown so that sign-in
    /// takes as long as for a known one.
    dummy_hash: Arc<str>,
}

impl Passwords {
    pub async fn new() -> Result<Passwords, PasswordError> {
        let mut random = [0u8; 24];
        OsRng.fill_bytes(&mut random);
        let passwords = Passwords {
            permits: Arc::new(Semaphore::new(CONCURRENT_HASHES)),
            dummy_hash: Arc::from(""),
        };
        let dummy = Password::for_sign_in(format!("{random:02x?}")).expect("a short password");
        let dummy_hash = passwords.hash(&dummy).await?;
        Ok(Passwords {
            dummy_hash: dummy_hash.into(),
            ..passwords
        })
    }

    pub async fn hash(&self, password: &Password) -> Result<String, PasswordError> {
        let _permit = self.permits.acquire().await?;
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
    pub async fn verify(
        &self,
        password: &Password,
        stored_hash: &str,
    ) -> Result<bool, PasswordError> {
        let _permit = self.permits.acquire().await?;
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

    /// Spends the time of a real check, for an account that does not exist.
    pub async fn verify_nothing(&self, password: &Password) -> Result<(), PasswordError> {
        let dummy_hash = self.dummy_hash.clone();
        self.verify(password, &dummy_hash).await.map(drop)
    }
}

fn hasher() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hash_verifies_its_password_and_no_other() {
        let passwords = Passwords::new().await.unwrap();
        let password = Password::parse_new("correct horse battery".into()).unwrap();
        let stored = passwords.hash(&password).await.unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("horse"));
        assert!(passwords.verify(&password, &stored).await.unwrap());
        let other = Password::for_sign_in("correct horse battery!".into()).unwrap();
        assert!(!passwords.verify(&other, &stored).await.unwrap());
    }

    #[tokio::test]
    async fn a_malformed_stored_hash_never_matches() {
        let passwords = Passwords::new().await.unwrap();
        let password = Password::for_sign_in("anything at all".into()).unwrap();
        assert!(!passwords.verify(&password, "not a hash").await.unwrap());
    }
}
