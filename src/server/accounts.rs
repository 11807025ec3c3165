//! Connected network accounts: connecting them through Meta's logins, the account given in the
//! environment, checking that a connection works, and the browser routes of the OAuth dance.

pub mod check;
pub mod connect;
pub mod environment;
pub mod routes;
pub mod upkeep;
