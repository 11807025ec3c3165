//! Chat completions: the request Herald sends, and the reader that turns the answer — a stream
//! of server-sent events in any of the variants servers speak, or a plain JSON answer from a
//! server that ignores `"stream": true` — into text as it comes.

use std::pin::Pin;
use std::time::Duration;

use eventsource_stream::{EventStreamError, Eventsource};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};

use super::errors::AiError;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    pub role: &'static str,
    pub content: String,
}

impl Message {
    pub fn system(content: impl Into<String>) -> Message {
        Message {
            role: "system",
            content: content.into(),
        }
    }

    pub fn user(content: impl Into<String>) -> Message {
        Message {
            role: "user",
            content: content.into(),
        }
    }
}

/// The body of `POST {base}/chat/completions`.
#[derive(Debug, Serialize)]
pub(super) struct ChatRequest<'a> {
    pub model: &'a str,
    pub messages: &'a [Message],
    pub temperature: f32,
    pub max_tokens: u32,
    pub stream: bool,
}

/// What the reader yields: text as it arrives, then how the answer ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChatEvent {
    Text(String),
    Finished(Finish),
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Finish {
    /// `stop`, or `length` when `max_tokens` cut the answer (worth showing); none when the
    /// server did not say.
    pub reason: Option<String>,
    /// Absent on many servers.
    pub usage: Option<Usage>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct Usage {
    #[serde(default)]
    pub prompt_tokens: u64,
    #[serde(default)]
    pub completion_tokens: u64,
    #[serde(default)]
    pub total_tokens: u64,
}

type Events = Pin<
    Box<
        dyn Stream<Item = Result<eventsource_stream::Event, EventStreamError<reqwest::Error>>>
            + Send,
    >,
>;

enum Source {
    Events(Events),
    /// A whole answer given at once; taken on the first read.
    Whole(Option<(String, Finish)>),
}

/// One answer being read. `next` gives its pieces in order, then `None`.
pub struct ChatStream {
    source: Source,
    model: String,
    /// The longest wait for the next piece before the answer counts as stalled.
    idle: Duration,
    finish: Finish,
    ended: bool,
}

impl ChatStream {
    /// Reads an event stream, as its bytes arrive.
    pub(super) fn from_events(
        bytes: impl Stream<Item = Result<bytes::Bytes, reqwest::Error>> + Send + 'static,
        model: &str,
        idle: Duration,
    ) -> Self {
        ChatStream {
            source: Source::Events(Box::pin(bytes.eventsource())),
            model: model.to_owned(),
            idle,
            finish: Finish::default(),
            ended: false,
        }
    }

    /// Reads a JSON `chat.completion`, from a server that answered without streaming.
    pub(super) fn from_whole(body: &str, model: &str) -> Result<Self, AiError> {
        let completion: Completion =
            serde_json::from_str(body).map_err(|error| AiError::Malformed {
                detail: format!("the answer is not a chat completion ({error})"),
            })?;
        let choice = completion
            .choices
            .into_iter()
            .next()
            .ok_or_else(|| AiError::Malformed {
                detail: "the answer has no choices".to_owned(),
            })?;
        let text = choice.message.and_then(|m| m.content).unwrap_or_default();
        let finish = Finish {
            reason: choice.finish_reason,
            usage: completion.usage,
        };
        Ok(ChatStream {
            source: Source::Whole(Some((text, finish))),
            model: model.to_owned(),
            idle: Duration::ZERO,
            finish: Finish::default(),
            ended: false,
        })
    }

    /// The next piece of the answer, or how it ended; `None` once it has ended (or failed).
    pub async fn next(&mut self) -> Option<Result<ChatEvent, AiError>> {
        if self.ended {
            return None;
        }
        let events = match &mut self.source {
            Source::Whole(whole) => {
                return match whole.take() {
                    Some((text, finish)) => {
                        self.finish = finish;
                        Some(Ok(ChatEvent::Text(text)))
                    }
                    None => {
                        self.ended = true;
                        Some(Ok(ChatEvent::Finished(self.finish.clone())))
                    }
                };
            }
            Source::Events(events) => events,
        };
        loop {
            let event = match tokio::time::timeout(self.idle, events.next()).await {
                Err(_) => return self.fail(AiError::Timeout),
                // Some servers close without `[DONE]`: an answer that said how it finished is
                // whole; one that did not was cut off.
                Ok(None) if self.finish.reason.is_some() => return self.finished(),
                Ok(None) => {
                    return self.fail(AiError::Malformed {
                        detail: "the answer stopped before it was complete".to_owned(),
                    });
                }
                Ok(Some(Err(EventStreamError::Transport(error)))) => {
                    return self.fail(AiError::from_transport(&error));
                }
                Ok(Some(Err(EventStreamError::Utf8(_)))) => {
                    return self.fail(AiError::Malformed {
                        detail: "the answer is not UTF-8 text".to_owned(),
                    });
                }
                Ok(Some(Err(EventStreamError::Parser(error)))) => {
                    return self.fail(AiError::Malformed {
                        detail: format!("the event stream could not be read ({error})"),
                    });
                }
                Ok(Some(Ok(event))) => event,
            };
            let data = event.data.trim();
            if data.is_empty() {
                continue;
            }
            if data == "[DONE]" {
                return self.finished();
            }
            match read_chunk(data, &self.model, &mut self.finish) {
                Ok(Some(text)) => return Some(Ok(ChatEvent::Text(text))),
                Ok(None) => {}
                Err(error) => {
                    self.ended = true;
                    return Some(Err(error));
                }
            }
        }
    }

    /// Reads the whole answer: its text and how it ended.
    pub async fn collect(mut self) -> Result<(String, Finish), AiError> {
        let mut text = String::new();
        while let Some(event) = self.next().await {
            match event? {
                ChatEvent::Text(piece) => text.push_str(&piece),
                ChatEvent::Finished(finish) => return Ok((text, finish)),
            }
        }
        Err(AiError::Malformed {
            detail: "the answer stopped before it was complete".to_owned(),
        })
    }

    fn finished(&mut self) -> Option<Result<ChatEvent, AiError>> {
        self.ended = true;
        Some(Ok(ChatEvent::Finished(self.finish.clone())))
    }

    fn fail(&mut self, error: AiError) -> Option<Result<ChatEvent, AiError>> {
        self.ended = true;
        Some(Err(error))
    }
}

/// One `data:` payload: text to pass on, or nothing (role-only, usage-only, empty pieces).
fn read_chunk(data: &str, model: &str, finish: &mut Finish) -> Result<Option<String>, AiError> {
    let chunk: Chunk = serde_json::from_str(data).map_err(|error| AiError::Malformed {
        detail: format!("a piece of the answer is not JSON ({error})"),
    })?;
    if let Some(error) = chunk.error {
        return Err(AiError::from_stream_error(&error, model));
    }
    if chunk.usage.is_some() {
        finish.usage = chunk.usage;
    }
    // Herald asks for one choice; a server that sends more has the first one read.
    let Some(choice) = chunk.choices.into_iter().find(|choice| choice.index == 0) else {
        return Ok(None);
    };
    if choice.finish_reason.is_some() {
        finish.reason = choice.finish_reason;
    }
    Ok(choice
        .delta
        .and_then(|delta| delta.content)
        .filter(|text| !text.is_empty()))
}

#[derive(Deserialize)]
struct Chunk {
    #[serde(default)]
    choices: Vec<ChunkChoice>,
    usage: Option<Usage>,
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    index: u32,
    delta: Option<Delta>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct Delta {
    content: Option<String>,
}

#[derive(Deserialize)]
struct Completion {
    #[serde(default)]
    choices: Vec<CompletionChoice>,
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct CompletionChoice {
    message: Option<CompletionMessage>,
    finish_reason: Option<String>,
}

#[derive(Deserialize)]
struct CompletionMessage {
    content: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const STREAM: &str = concat!(
        ": keep-alive\r\n\r\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Café \"},\"finish_reason\":null}]}\r\n\r\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ouvert 🎉\"},\"finish_reason\":null}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
        "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\n\n",
        "data: [DONE]\n\n",
    );

    fn stream_of(pieces: Vec<Vec<u8>>) -> ChatStream {
        let bytes = futures_util::stream::iter(
            pieces
                .into_iter()
                .map(|piece| Ok::<_, reqwest::Error>(bytes::Bytes::from(piece))),
        );
        ChatStream::from_events(bytes, "m", Duration::from_secs(5))
    }

    fn read(pieces: Vec<Vec<u8>>) -> Result<(String, Finish), AiError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(stream_of(pieces).collect())
    }

    #[test]
    fn text_arrives_whole_however_the_bytes_are_split() {
        let bytes = STREAM.as_bytes();
        // Every split point, including inside "é", inside the emoji and between \r and \n.
        for cut in 1..bytes.len() {
            let (text, finish) =
                read(vec![bytes[..cut].to_vec(), bytes[cut..].to_vec()]).expect("reads");
            assert_eq!(text, "Café ouvert 🎉", "cut at {cut}");
            assert_eq!(finish.reason.as_deref(), Some("stop"));
            assert_eq!(finish.usage.map(|usage| usage.total_tokens), Some(13));
        }
        let one_byte_each = bytes.iter().map(|byte| vec![*byte]).collect();
        assert_eq!(read(one_byte_each).unwrap().0, "Café ouvert 🎉");
    }

    #[test]
    fn a_stream_without_done_or_usage_ends_at_its_finish_reason() {
        let without = STREAM
            .replace("data: [DONE]\n\n", "")
            .replace(
                "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":4,\"total_tokens\":13}}\n\n",
                "",
            );
        let (text, finish) = read(vec![without.into_bytes()]).unwrap();
        assert_eq!(text, "Café ouvert 🎉");
        assert_eq!(finish.reason.as_deref(), Some("stop"));
        assert_eq!(finish.usage, None);
    }

    #[test]
    fn a_stream_cut_off_before_its_end_is_malformed_not_short() {
        let cut = STREAM
            .split("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},")
            .next()
            .unwrap();
        let error = read(vec![cut.as_bytes().to_vec()]).unwrap_err();
        assert!(matches!(error, AiError::Malformed { .. }), "{error:?}");
    }

    #[test]
    fn an_error_in_the_stream_is_reported() {
        let with_error = concat!(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
            "data: {\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}\n\n",
        );
        let error = read(vec![with_error.as_bytes().to_vec()]).unwrap_err();
        assert_eq!(error, AiError::RateLimited { retry_after: None });
    }

    #[test]
    fn a_piece_that_is_not_json_is_malformed() {
        let error = read(vec![b"data: {not json\n\n".to_vec()]).unwrap_err();
        assert!(matches!(error, AiError::Malformed { .. }));
    }

    #[test]
    fn a_length_finish_is_kept_to_be_shown() {
        let cut_short = concat!(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"length\"}]}\n\n",
            "data: [DONE]\n\n",
        );
        let (text, finish) = read(vec![cut_short.as_bytes().to_vec()]).unwrap();
        assert_eq!(text, "Hello");
        assert_eq!(finish.reason.as_deref(), Some("length"));
    }

    #[test]
    fn a_whole_json_answer_is_read_as_one_piece() {
        let body = r#"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Bonjour"},"finish_reason":"stop"}]}"#;
        let stream = ChatStream::from_whole(body, "m").unwrap();
        let (text, finish) = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(stream.collect())
            .unwrap();
        assert_eq!(text, "Bonjour");
        assert_eq!(finish.reason.as_deref(), Some("stop"));
        assert_eq!(finish.usage, None);
    }
}
