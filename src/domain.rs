//! Types and rules shared by the browser and the server. Everything here compiles for both
//! targets, so a value parsed in the browser is checked by exactly the same code on the server.

/// `as_str` (the form kept in the database and sent in links), `parse` (its inverse; `None`
/// for anything else) and `ALL` for an enum of states or kinds, from one list of pairs.
macro_rules! text_forms {
    ($type:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $type {
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $text),+ }
            }

            pub fn parse(raw: &str) -> Option<Self> {
                match raw { $($text => Some(Self::$variant),)+ _ => None }
            }
        }
    };
}

pub mod accounts;
pub mod analytics;
pub mod calendar;
pub mod counting;
pub mod figures;
pub mod ids;
pub mod jobs;
pub mod library;
pub mod limits;
pub mod media;
pub mod membership;
pub mod people;
pub mod picture_shapes;
pub mod post;
pub mod post_record;
pub mod post_rules;
pub mod post_state;
pub mod rephrase;
pub mod schedule;
pub mod time_zone;
pub mod word_diff;
pub mod zone_rules;

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
