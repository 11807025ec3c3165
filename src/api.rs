//! Server functions, grouped by aggregate. Each is thin: authenticate, parse into domain types,
//! one service call, map the result. Endpoints are explicit so URLs stay stable for tests.

pub mod accounts;
pub mod ai;
pub mod analytics;
pub mod auth;
pub mod calendar;
pub mod invitations;
pub mod media;
pub mod posts;
pub mod settings;
