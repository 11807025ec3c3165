//! Where a publishing job has got to, stored in the job's row after every step, so a restart
//! — or another worker taking over — continues from there instead of starting again.

use serde::{Deserialize, Serialize};

use crate::domain::AttemptId;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Progress {
    /// Facebook: photos uploaded unpublished, to attach to the post.
    #[serde(default)]
    pub photo_ids: Vec<String>,
    /// Instagram: a carousel's item containers, in order.
    #[serde(default)]
    pub children: Vec<ChildContainer>,
    /// Instagram: the container to publish.
    #[serde(default)]
    pub container: Option<String>,
    #[serde(default)]
    pub container_ready: bool,
    /// The attempt whose call publishes, from just before it leaves until its answer is committed:
    /// found still "sending" at the start of a run, it was interrupted.
    #[serde(default)]
    pub pending: Option<AttemptId>,
    /// That call's outcome is unknown: reconcile before anything else.
    #[serde(default)]
    pub in_doubt: bool,
    /// What the network calls the published post.
    #[serde(default)]
    pub remote_id: Option<String>,
    #[serde(default)]
    pub remote_url: Option<String>,
    /// Status reads so far (container, video processing).
    #[serde(default)]
    pub polls: u32,
    /// Temporary failures in a row, for the backoff.
    #[serde(default)]
    pub failures: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ChildContainer {
    pub id: String,
    pub ready: bool,
}

impl Progress {
    /// A stored progress that does not parse is treated as none: the job starts from the
    /// beginning, which is safe because nothing publishes without a `pending` attempt first.
    pub fn parse(text: &str) -> Progress {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_text(&self) -> String {
        serde_json::to_string(self).expect("progress serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_survives_being_stored() {
        let progress = Progress {
            children: vec![ChildContainer {
                id: "17900".into(),
                ready: true,
            }],
            pending: Some(AttemptId::from("a1".to_owned())),
            in_doubt: true,
            ..Progress::default()
        };
        assert_eq!(Progress::parse(&progress.to_text()), progress);
        assert_eq!(Progress::parse("{}"), Progress::default());
        assert_eq!(Progress::parse("not json"), Progress::default());
    }
}
