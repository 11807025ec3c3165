//! How many proposal event streams one session may hold open at once. Each open stream reads
//! its proposal from the database ten times a second, so without a cap one session could open
//! thousands and keep the database busy for everyone. A handful covers several tabs.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Streams one session may have open at once, per instance.
pub const PER_SESSION: usize = 4;

#[derive(Debug, Default)]
pub struct StreamSlots {
    open: Mutex<HashMap<String, usize>>,
}

/// A stream's place; given back when the stream is dropped (finished, or the client left).
#[derive(Debug)]
pub struct Slot {
    slots: Arc<StreamSlots>,
    session: String,
}

impl StreamSlots {
    /// A place for one more stream of `session`, or None when it already holds its share.
    pub fn take(self: &Arc<Self>, session: &str) -> Option<Slot> {
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = open.entry(session.to_owned()).or_default();
        if *count >= PER_SESSION {
            return None;
        }
        *count += 1;
        Some(Slot {
            slots: Arc::clone(self),
            session: session.to_owned(),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut open = self
            .slots
            .open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = open.get_mut(&self.session) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.session);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_gets_its_share_and_a_closed_stream_gives_its_place_back() {
        let slots = Arc::new(StreamSlots::default());
        let held: Vec<Slot> = (0..PER_SESSION)
            .map(|_| slots.take("a").expect("a place"))
            .collect();
        assert!(slots.take("a").is_none());
        assert!(slots.take("b").is_some(), "other sessions are not affected");
        drop(held);
        assert!(slots.take("a").is_some());
        assert!(slots.open.lock().unwrap().get("b").is_none());
    }
}
