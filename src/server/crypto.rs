//! Secrets at rest: network tokens are kept encrypted, and in memory they live in a type that
//! can be neither serialized nor printed.

pub mod secret;
pub mod vault;

pub use secret::Secret;
pub use vault::{Vault, VaultError};
