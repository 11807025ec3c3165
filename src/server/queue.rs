//! This process's place in the durable job queue (`server::jobs`): the name it holds leases
//! under, and the bell rung when new work is queued so the worker need not wait for its timer.

use std::sync::Arc;

use tokio::sync::Notify;

/// This process's place in the queue: who it is when it holds a lease, and the bell rung
/// when new work is queued.
pub struct Queue {
    /// `<instance>/<random>`: the instance part stays the same across restarts, so a restarted
    /// process knows which leases were its earlier run's.
    owner: String,
    instance_len: usize,
    bell: Notify,
}

impl Queue {
    /// `instance` names this Herald the same way each time it starts (its host and port).
    pub fn new(instance: &str) -> Arc<Queue> {
        let instance = format!("{instance}/");
        Arc::new(Queue {
            owner: format!("{instance}{}", uuid::Uuid::new_v4()),
            instance_len: instance.len(),
            bell: Notify::new(),
        })
    }

    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The part of the owner name every run of this instance shares (ending in `/`).
    pub fn instance(&self) -> &str {
        &self.owner[..self.instance_len]
    }

    /// Resolves when new work is queued.
    pub async fn rung(&self) {
        self.bell.notified().await;
    }

    /// New work is due now: the worker should not wait for its timer.
    pub fn wake(&self) {
        self.bell.notify_one();
    }
}
