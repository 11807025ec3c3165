//! Types and rules shared by the browser and the server. Everything here compiles for both
//! targets, so a value parsed in the browser is checked by exactly the same code on the server.

pub mod accounts;
pub mod calendar;
pub mod counting;
pub mod ids;
pub mod limits;
pub mod media;
pub mod people;
pub mod picture_shapes;
pub mod post;
pub mod post_rules;
pub mod rephrase;
pub mod schedule;
pub mod time_zone;
pub mod word_diff;

pub use ids::{
    AccountId, AttemptId, InvitationId, JobId, MediaId, OfferId, PostId, RevisionId, UserId,
    WorkspaceId,
};
pub use people::{DisplayName, EmailAddress, Password};
pub use time_zone::TimeZone;

use crate::error::Problem;

/// Why a piece of input was refused, and which form field it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    pub field: &'static str,
    pub problem: Problem,
}

impl ValidationError {
    pub fn new(field: &'static str, problem: Problem) -> Self {
        Self { field, problem }
    }
}
