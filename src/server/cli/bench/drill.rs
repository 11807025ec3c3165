//! The crash drill (`herald bench --kill-every SECONDS`): the first instance is killed with
//! SIGKILL every so often — no shutdown, its leases left held — and started again on its port.
//! After each kill the drill notes the posts whose jobs that instance still held, so the report
//! can say how late exactly those posts were: the cost of a crash to the people who scheduled
//! them.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use super::{Instance, Received, Running};
use crate::server::db::Db;

pub(super) struct Drill {
    every: Duration,
    /// How long the killed instance stays dead: 0 restarts it at once (as a supervisor would);
    /// longer than a lease shows the other instance taking its jobs over.
    restart_after: Duration,
    last: Instant,
    /// When the first instance was killed, while it is down.
    down_since: Option<Instant>,
    kills: usize,
    /// Post numbers (`bench <n>`) whose jobs a killed instance held when it died.
    held: BTreeSet<usize>,
}

/// What the drill did, and how late the posts the killed worker held were published.
pub struct Outcome {
    pub kills: usize,
    pub restart_after: Duration,
    /// Sorted, one per held post that was published.
    pub held_lateness_ms: Vec<i64>,
}

impl Outcome {
    pub fn held_p50(&self) -> i64 {
        match self.held_lateness_ms.len() {
            0 => 0,
            len => self.held_lateness_ms[(len - 1) / 2],
        }
    }
}

impl Drill {
    pub(super) fn new(every: Duration, restart_after: Duration) -> Drill {
        Drill {
            every,
            restart_after,
            last: Instant::now(),
            down_since: None,
            kills: 0,
            held: BTreeSet::new(),
        }
    }

    /// When the time has come, notes what `running` holds and kills it; once it has been down
    /// long enough, starts `instance` again in its place.
    pub(super) async fn kill_when_due(
        &mut self,
        db: &Db,
        running: &mut Running,
        instance: &Instance<'_>,
    ) -> anyhow::Result<()> {
        if let Some(since) = self.down_since {
            if since.elapsed() >= self.restart_after {
                *running = instance.start()?;
                self.down_since = None;
                self.last = Instant::now();
            }
            return Ok(());
        }
        if self.last.elapsed() < self.every {
            return Ok(());
        }
        // SIGKILL: nothing is handed on, as when a machine loses power.
        running.0.kill()?;
        running.0.wait()?;
        // Read once it is dead: what it holds now is exactly what it held when it died.
        let held: Vec<(String,)> = sqlx::query_as(
            "SELECT posts.text FROM jobs JOIN posts ON posts.id = jobs.post_id \
             WHERE jobs.status = 'running' \
               AND SUBSTR(jobs.lease_owner, 1, LENGTH($1)) = $1",
        )
        .bind(instance.lease_prefix())
        .fetch_all(db.pool())
        .await?;
        self.kills += 1;
        eprintln!(
            "crash drill: killed {} while it held {} jobs",
            instance.lease_prefix().trim_end_matches('/'),
            held.len()
        );
        self.held.extend(
            held.iter()
                .filter_map(|(text,)| text.strip_prefix("bench ")?.parse::<usize>().ok()),
        );
        self.down_since = Some(Instant::now());
        Ok(())
    }

    pub(super) fn outcome(self, dues: &[i64], received: &[Received]) -> Outcome {
        let mut held_lateness_ms: Vec<i64> = self
            .held
            .iter()
            .filter_map(|n| {
                let text = format!("bench {n}");
                let first = received
                    .iter()
                    .filter(|post| post.text == text)
                    .map(|post| post.created_at.timestamp_millis())
                    .min()?;
                Some((first - dues.get(*n)?).max(0))
            })
            .collect();
        held_lateness_ms.sort_unstable();
        Outcome {
            kills: self.kills,
            restart_after: self.restart_after,
            held_lateness_ms,
        }
    }
}
