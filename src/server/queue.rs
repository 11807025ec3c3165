//! This process's place in the durable job queue (`server::jobs`): the name it holds leases
//! under, and the bell rung when new work is queued so the worker need not wait for its timer.

use std::sync::Arc;

use tokio::sync::Notify;

/// This process's place in the queue: who it is when it holds a lease, and the bell rung
/// when new work is queued.
pub struct Queue {
    owner: String,
    bell: Notify,
}

impl Queue {
    pub fn new() -> Arc<Queue> {
        Arc::new(Queue {
            owner: format!("worker-{}", uuid::Uuid::new_v4()),
            bell: Notify::new(),
        })
    }

    pub fn owner(&self) -> &str {
        &self.owner
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
