//! The token vault: AES-256-GCM (RustCrypto `aes-gcm`) with the owning record's id as associated
//! data, so a ciphertext copied onto another account's row does not decrypt.
//!
//! Stored form: `v1.{key id}.{base64(nonce ‖ ciphertext ‖ tag)}`. The key id (the first 8 bytes
//! of the key's SHA-256, in hex) says which key sealed it, so keys can be rotated: the newest
//! key seals, older keys still open what they sealed until it is sealed again.
//!
//! The key comes from `HERALD_SECRET_KEY` (32 bytes, base64) or, when that is unset, from a key
//! file generated on first start in the data directory with mode 0600.

use std::io::Write as _;
use std::path::Path;

use aes_gcm::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

use super::Secret;

const FORMAT: &str = "v1";
const KEY_BYTES: usize = 32;
const NONCE_BYTES: usize = 12;
pub const KEY_FILE_NAME: &str = "secret.key";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum VaultError {
    #[error(
        "a secret key must be 32 bytes in base64 (generate one with `openssl rand -base64 32`)"
    )]
    BadKey,
    #[error("the stored value is not a sealed secret")]
    Malformed,
    #[error("the secret was sealed with key {0}, which this Herald does not have")]
    UnknownKey(String),
    /// Wrong key, wrong record, or altered bytes: AES-GCM cannot tell which, and neither can we.
    #[error("the secret could not be opened: it was altered, or belongs to another record")]
    Tampered,
    #[error("the key file could not be read or written: {0}")]
    KeyFile(String),
}

struct VaultKey {
    id: String,
    cipher: Aes256Gcm,
}

impl VaultKey {
    fn new(bytes: &[u8]) -> Result<Self, VaultError> {
        if bytes.len() != KEY_BYTES {
            return Err(VaultError::BadKey);
        }
        let digest = Sha256::digest(bytes);
        Ok(Self {
            id: hex(&digest[..8]),
            cipher: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(bytes)),
        })
    }

    fn from_base64(encoded: &str) -> Result<Self, VaultError> {
        let bytes = STANDARD
            .decode(encoded.trim())
            .map_err(|_| VaultError::BadKey)?;
        Self::new(&bytes)
    }
}

/// Seals and opens secrets. The first key seals; every key opens.
pub struct Vault {
    keys: Vec<VaultKey>,
}

impl Vault {
    /// `current` seals from now on; `previous` (oldest last) only open older values.
    pub fn from_keys(current: &str, previous: &[String]) -> Result<Vault, VaultError> {
        let mut keys = vec![VaultKey::from_base64(current)?];
        for key in previous {
            keys.push(VaultKey::from_base64(key)?);
        }
        Ok(Vault { keys })
    }

    /// The key from configuration if there is one, else the data directory's key file, made
    /// on first use.
    pub fn open_or_create(
        configured: Option<&str>,
        previous: &[String],
        data_dir: &Path,
    ) -> Result<Vault, VaultError> {
        match configured {
            Some(key) => Vault::from_keys(key, previous),
            None => Vault::from_keys(&key_file(data_dir)?, previous),
        }
    }

    /// The id of the key new secrets are sealed with.
    pub fn current_key_id(&self) -> &str {
        &self.keys[0].id
    }

    /// Encrypts `secret` for the record `owner_id`.
    pub fn seal(&self, secret: &Secret, owner_id: &str) -> String {
        let key = &self.keys[0];
        let nonce = Aes256Gcm::generate_nonce(&mut OsRng);
        let sealed = key
            .cipher
            .encrypt(
                &nonce,
                Payload {
                    msg: secret.expose().as_bytes(),
                    aad: owner_id.as_bytes(),
                },
            )
            // Only fails for plaintexts of gigabytes; a token is never that.
            .expect("AES-GCM encryption of a token");
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{FORMAT}.{}.{}", key.id, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Decrypts what [`Vault::seal`] made for the same `owner_id`.
    pub fn open(&self, stored: &str, owner_id: &str) -> Result<Secret, VaultError> {
        let mut parts = stored.splitn(3, '.');
        let (Some(FORMAT), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(VaultError::Malformed);
        };
        let key = self
            .keys
            .iter()
            .find(|key| key.id == key_id)
            .ok_or_else(|| VaultError::UnknownKey(key_id.to_owned()))?;
        let bytes = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| VaultError::Malformed)?;
        if bytes.len() < NONCE_BYTES {
            return Err(VaultError::Malformed);
        }
        let (nonce, sealed) = bytes.split_at(NONCE_BYTES);
        let plain = key
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: owner_id.as_bytes(),
                },
            )
            .map_err(|_| VaultError::Tampered)?;
        String::from_utf8(plain)
            .map(Secret::new)
            .map_err(|_| VaultError::Tampered)
    }

    /// Whether `stored` was sealed with an older key and should be sealed again.
    pub fn needs_resealing(&self, stored: &str) -> bool {
        stored.split('.').nth(1) != Some(self.current_key_id())
    }
}

/// Reads the key file, or creates it (readable by this user only) with a fresh random key.
fn key_file(data_dir: &Path) -> Result<String, VaultError> {
    let path = data_dir.join(KEY_FILE_NAME);
    let failed =
        |error: std::io::Error| VaultError::KeyFile(format!("{}: {error}", path.display()));
    match std::fs::read_to_string(&path) {
        Ok(key) => return Ok(key),
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(failed(error)),
        Err(_) => {}
    }
    std::fs::create_dir_all(data_dir).map_err(failed)?;
    let key = STANDARD.encode(Aes256Gcm::generate_key(&mut OsRng));
    let mut options = std::fs::OpenOptions::new();
    // `create_new`: if two processes start at once, one writes and the other reads its key.
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&path) {
        Ok(mut file) => {
            file.write_all(key.as_bytes()).map_err(failed)?;
            file.sync_all().map_err(failed)?;
            Ok(key)
        }
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            std::fs::read_to_string(&path).map_err(failed)
        }
        Err(error) => Err(failed(error)),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_key() -> String {
        STANDARD.encode(Aes256Gcm::generate_key(&mut OsRng))
    }

    fn vault() -> Vault {
        Vault::from_keys(&new_key(), &[]).unwrap()
    }

    const TOKEN: &str = "EAAB-page-token-123";

    #[test]
    fn a_sealed_secret_opens_for_its_owner() {
        let vault = vault();
        let sealed = vault.seal(&Secret::new(TOKEN), "account-1");
        assert!(!sealed.contains(TOKEN));
        assert!(sealed.starts_with(&format!("v1.{}.", vault.current_key_id())));
        assert_eq!(vault.open(&sealed, "account-1").unwrap().expose(), TOKEN);
    }

    #[test]
    fn sealing_twice_gives_different_ciphertexts() {
        let vault = vault();
        let secret = Secret::new(TOKEN);
        assert_ne!(vault.seal(&secret, "a"), vault.seal(&secret, "a"));
    }

    #[test]
    fn a_secret_moved_to_another_record_does_not_open() {
        let vault = vault();
        let sealed = vault.seal(&Secret::new(TOKEN), "account-1");
        assert_eq!(vault.open(&sealed, "account-2"), Err(VaultError::Tampered));
    }

    #[test]
    fn altered_bytes_are_detected() {
        let vault = vault();
        let sealed = vault.seal(&Secret::new(TOKEN), "account-1");
        let (head, body) = sealed.rsplit_once('.').unwrap();
        let mut bytes = URL_SAFE_NO_PAD.decode(body).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        let altered = format!("{head}.{}", URL_SAFE_NO_PAD.encode(bytes));
        assert_eq!(vault.open(&altered, "account-1"), Err(VaultError::Tampered));
        assert_eq!(
            vault.open("v1.nonsense", "account-1"),
            Err(VaultError::Malformed)
        );
        assert_eq!(vault.open(TOKEN, "account-1"), Err(VaultError::Malformed));
    }

    #[test]
    fn another_key_cannot_open_it() {
        let sealed = vault().seal(&Secret::new(TOKEN), "account-1");
        let other = vault();
        assert!(matches!(
            other.open(&sealed, "account-1"),
            Err(VaultError::UnknownKey(_))
        ));
    }

    #[test]
    fn after_rotation_old_secrets_open_and_new_ones_use_the_new_key() {
        let old_key = new_key();
        let old = Vault::from_keys(&old_key, &[]).unwrap();
        let sealed_before = old.seal(&Secret::new(TOKEN), "account-1");

        let rotated = Vault::from_keys(&new_key(), &[old_key]).unwrap();

        assert_eq!(
            rotated.open(&sealed_before, "account-1").unwrap().expose(),
            TOKEN
        );
        assert!(rotated.needs_resealing(&sealed_before));
        let sealed_after = rotated.seal(&Secret::new(TOKEN), "account-1");
        assert!(!rotated.needs_resealing(&sealed_after));
        assert!(sealed_after.contains(rotated.current_key_id()));
        assert_ne!(rotated.current_key_id(), old.current_key_id());
    }

    #[test]
    fn keys_that_are_not_32_bytes_are_refused() {
        assert!(matches!(
            Vault::from_keys("c2hvcnQ=", &[]),
            Err(VaultError::BadKey)
        ));
        assert!(matches!(
            Vault::from_keys("not base64!", &[]),
            Err(VaultError::BadKey)
        ));
    }

    #[test]
    fn the_key_file_is_made_once_and_only_its_owner_can_read_it() {
        let dir = tempfile::tempdir().unwrap();
        let first = Vault::open_or_create(None, &[], dir.path()).unwrap();
        let second = Vault::open_or_create(None, &[], dir.path()).unwrap();
        assert_eq!(first.current_key_id(), second.current_key_id());
        let sealed = first.seal(&Secret::new(TOKEN), "a");
        assert_eq!(second.open(&sealed, "a").unwrap().expose(), TOKEN);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(KEY_FILE_NAME))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
