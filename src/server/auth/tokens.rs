//! Random bearer tokens (sessions, invitations). The token goes to its holder once; Herald
//! keeps only its SHA-256, so a leaked database cannot be replayed as cookies or links.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

/// 256 bits from the operating system's generator.
const TOKEN_BYTES: usize = 32;

/// A token as handed to its holder. Not `Serialize`, and `Debug` hides it.
pub struct Token(String);

impl Token {
    pub fn generate() -> Token {
        let mut bytes = [0u8; TOKEN_BYTES];
        OsRng.fill_bytes(&mut bytes);
        Token(URL_SAFE_NO_PAD.encode(bytes))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn hash(&self) -> String {
        hash_token(&self.0)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(…)")
    }
}

/// The stored form of a token presented by a client.
pub fn hash_token(presented: &str) -> String {
    let digest = Sha256::digest(presented.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_unique_url_safe_and_hashed_consistently() {
        let first = Token::generate();
        let second = Token::generate();
        assert_ne!(first.expose(), second.expose());
        assert_eq!(first.expose().len(), 43);
        assert!(
            first
                .expose()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        );
        assert_eq!(first.hash(), hash_token(first.expose()));
        assert_eq!(first.hash().len(), 64);
        assert_ne!(first.hash(), first.expose());
    }

    #[test]
    fn token_debug_hides_the_secret() {
        let token = Token::generate();
        assert!(!format!("{token:?}").contains(token.expose()));
    }
}
