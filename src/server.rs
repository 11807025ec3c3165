//! Everything that only runs on the server: configuration, state, database, authentication,
//! HTTP wiring. Compiled with the `ssr` feature only.

pub mod accounts;
pub mod ai;
pub mod analytics;
pub mod auth;
pub mod calendar;
pub mod cli;
pub mod clock;
pub mod compose;
pub mod config;
pub mod crypto;
pub mod db;
pub mod error;
pub mod health;
pub mod housekeeping;
pub mod http;
pub mod jobs;
pub mod language;
pub mod media;
pub mod metrics;
pub mod posts;
pub mod providers;
pub mod publishing;
pub mod pwa;
pub mod queue;
pub mod scheduling;
pub mod security;
pub mod startup;
pub mod state;
pub mod static_files;
pub mod telemetry;
