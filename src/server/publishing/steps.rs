//! What a provider publishes with, step by step: the run it works in, where the job has got
//! to, what a step leads to, and the two ways to call the network — the call that publishes,
//! at most once, and any other call, weighed if it fails — each written in the ledger.

pub(crate) use super::decide::later;
pub(crate) use super::ledger_writes::{Entry, note};
pub(crate) use super::once::{publish_once, try_call};
pub(crate) use super::progress::{ChildContainer, Progress};
pub(crate) use super::{Run, Step};
