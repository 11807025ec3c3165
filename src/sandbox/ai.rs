//! A loopback OpenAI-compatible endpoint (`/openai/v1`): chat answers, streamed or whole, made
//! deterministically from the request (`answers`); pictures as real PNG bytes of the sizes the
//! real API accepts, refusing the others; the model list; and faults on demand under
//! `/openai/_sandbox/`.

mod answers;
mod routes;

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use serde::{Deserialize, Serialize};

pub(super) use routes::router;

/// The key the sandbox accepts, unless it was started with another.
pub const SANDBOX_AI_KEY: &str = "sandbox-ai-key";
pub const CHAT_MODEL: &str = "sandbox-chat";
pub const IMAGE_MODEL: &str = "gpt-image-1";

/// What to do to the next request (each fault is used once).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AiFault {
    /// Answer with this status and OpenAI's error envelope (`Retry-After` when given).
    Status {
        status: u16,
        #[serde(default)]
        retry_after: Option<u64>,
    },
    /// Send nothing at all for this long.
    Stall { seconds: u64 },
    /// Send the first pieces of the answer, then nothing for this long.
    StallMidStream { seconds: u64 },
    /// End after the finish reason without `data: [DONE]`.
    NoDone,
    /// Close the stream halfway, with no finish reason.
    CutOff,
    /// Send part of the answer, then an error event.
    ErrorMidStream,
    /// Send a piece that is not JSON.
    NotJson,
}

/// One request the sandbox received, for tests to check what Herald sent.
#[derive(Debug, Clone, Serialize)]
pub struct AiRequest {
    pub path: String,
    pub model: Option<String>,
    pub size: Option<String>,
    pub stream: bool,
    pub authorized: bool,
    /// Whether an `Authorization` header came at all.
    pub key_sent: bool,
    /// The last user message of a chat.
    pub prompt: Option<String>,
}

impl AiRequest {
    /// A request to `path`, its details filled in as they are read.
    fn to(path: &str) -> AiRequest {
        AiRequest {
            path: path.to_owned(),
            model: None,
            size: None,
            stream: false,
            authorized: false,
            key_sent: false,
            prompt: None,
        }
    }
}

pub struct AiSandbox {
    base_url: String,
    state: Mutex<AiState>,
}

struct AiState {
    key: Option<String>,
    faults: VecDeque<AiFault>,
    log: Vec<AiRequest>,
    /// Pictures handed out as links (dall-e-*), by file name.
    files: HashMap<String, Vec<u8>>,
    /// Between two pieces of a streamed answer, so people (and browser tests) see it stream.
    pace: Duration,
    /// Streamed answers the client stopped reading before their end (it closed the
    /// connection), as a model's server notices and stops writing.
    abandoned_streams: usize,
}

impl AiSandbox {
    /// `base_url` is the sandbox's own (`http://127.0.0.1:PORT`).
    pub fn new(base_url: &str) -> AiSandbox {
        AiSandbox {
            base_url: base_url.trim_end_matches('/').to_owned(),
            state: Mutex::new(AiState {
                key: Some(SANDBOX_AI_KEY.to_owned()),
                faults: VecDeque::new(),
                log: Vec::new(),
                files: HashMap::new(),
                pace: Duration::from_millis(40),
                abandoned_streams: 0,
            }),
        }
    }

    /// What Herald's client is configured with: `…/openai/v1`.
    pub fn api_url(&self) -> String {
        format!("{}/openai/v1", self.base_url)
    }

    pub fn inject(&self, fault: AiFault) {
        self.state().faults.push_back(fault);
    }

    /// The key requests must carry; `None` accepts requests without one (as Ollama does).
    pub fn require_key(&self, key: Option<&str>) {
        self.state().key = key.map(str::to_owned);
    }

    pub fn set_pace(&self, pace: Duration) {
        self.state().pace = pace;
    }

    /// How many streamed answers the client stopped reading before their end.
    pub fn abandoned_streams(&self) -> usize {
        self.state().abandoned_streams
    }

    fn note_abandoned_stream(&self) {
        self.state().abandoned_streams += 1;
    }

    pub fn requests(&self) -> Vec<AiRequest> {
        self.state().log.clone()
    }

    fn state(&self) -> MutexGuard<'_, AiState> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The sizes each model accepts, as the real API's documentation lists them.
fn accepted_sizes(model: &str) -> Option<&'static [&'static str]> {
    match model {
        "gpt-image-1" => Some(&["1024x1024", "1536x1024", "1024x1536", "auto"]),
        "dall-e-3" => Some(&["1024x1024", "1792x1024", "1024x1792"]),
        "dall-e-2" => Some(&["256x256", "512x512", "1024x1024"]),
        _ => None,
    }
}

const CHAT_MODELS: [&str; 2] = [CHAT_MODEL, "gpt-4o-mini"];
