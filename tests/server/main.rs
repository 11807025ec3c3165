//! Integration tests: each one starts the real server on port 0 with a database of its own
//! (SQLite by default; PostgreSQL when `HERALD_TEST_DB=postgres`) and talks to it over HTTP.

mod accounts;
mod ai_client;
mod ai_revisions;
mod analytics;
mod auth;
mod backup;
mod cli;
mod connect;
mod dashboard;
mod environment_account;
mod first_account;
mod helpers;
mod instances;
mod invitations;
mod language;
mod media;
mod meta_client;
mod metrics;
mod picture_bombs;
mod platform;
mod posts;
mod providers;
mod publishing;
mod scheduling;
mod settings;
mod static_files;
