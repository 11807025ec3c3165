//! Analytics: Herald's own snapshots of how each post and account did (`collect`), and what the
//! pages make of them — a post's figures (`post_figures`), the dashboard (`dashboard`), the CSV
//! exports (`export`) — with charts drawn on the server (`charts`).

pub mod charts;
pub mod collect;
pub mod dashboard;
pub mod export;
pub mod names;
pub mod post_figures;
