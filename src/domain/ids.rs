//! Identifiers, one type per kind of row, so a user id can never be passed where a workspace
//! id is wanted. On the wire and in the database they are plain text.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        /// Ids are made by the server (random, time-ordered) and read back from the
        /// database; any text the server hands over is taken as is.
        impl From<String> for $name {
            fn from(raw: String) -> Self {
                Self(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// A person with an account.
    UserId
);
id_type!(
    /// A workspace: the owner of accounts, posts and media.
    WorkspaceId
);
id_type!(
    /// An invitation link.
    InvitationId
);
id_type!(
    /// A connected network account (a Facebook Page, an Instagram account).
    AccountId
);
id_type!(
    /// An account a finished login offered, waiting for the person to pick it.
    OfferId
);
id_type!(
    /// A picture or video in a workspace's media library.
    MediaId
);
id_type!(
    /// A post: one text for one or more accounts.
    PostId
);
id_type!(
    /// A job of the durable queue.
    JobId
);
id_type!(
    /// One attempt at a network call, in the publishing ledger.
    AttemptId
);
id_type!(
    /// One AI proposal for a post's text: its instruction, input, output and fate.
    RevisionId
);
