//! Following a proposal while the model writes it: the browser's `EventSource` on
//! `/ai/revisions/{id}/events`. In the browser only: on the server it does nothing, and the
//! page shows the proposal as the database holds it.

use crate::api::ai::RevisionView;
use crate::domain::RevisionId;
use crate::error::AppError;

/// What the stream reports: the text so far, then the finished proposal (or why not).
// Only the browser's stream makes these; the server renders what the database holds.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub enum Streamed {
    Text(String),
    Ended(Box<Result<RevisionView, AppError>>),
}

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{EventSource, MessageEvent};

    use super::{AppError, RevisionId, RevisionView, Streamed};

    /// A stream being followed; it stops when dropped.
    pub struct Following {
        source: EventSource,
        // Kept alive as long as the source calls them.
        _handlers: Vec<Closure<dyn Fn(web_sys::Event)>>,
    }

    impl Drop for Following {
        fn drop(&mut self) {
            self.source.close();
        }
    }

    pub fn follow(
        id: &RevisionId,
        report: impl Fn(Streamed) + Clone + 'static,
    ) -> Option<Following> {
        let source = EventSource::new(&format!("/ai/revisions/{id}/events")).ok()?;
        let data = |event: &web_sys::Event| {
            event
                .dyn_ref::<MessageEvent>()
                .and_then(|message| message.data().as_string())
        };
        let mut handlers = Vec::new();
        let mut listen = |name: &str, handler: Box<dyn Fn(web_sys::Event)>| {
            let closure = Closure::<dyn Fn(web_sys::Event)>::wrap(handler);
            let _ = source.add_event_listener_with_callback(name, closure.as_ref().unchecked_ref());
            handlers.push(closure);
        };
        let on_text = report.clone();
        listen(
            "text",
            Box::new(move |event| {
                if let Some(text) = data(&event).and_then(|raw| serde_json::from_str(&raw).ok()) {
                    on_text(Streamed::Text(text));
                }
            }),
        );
        let on_end = report.clone();
        let closing = source.clone();
        listen(
            "end",
            Box::new(move |event| {
                closing.close();
                let ended = data(&event)
                    .and_then(|raw| serde_json::from_str::<RevisionView>(&raw).ok())
                    .ok_or_else(|| {
                        AppError::Transport("the proposal could not be read".to_owned())
                    });
                on_end(Streamed::Ended(Box::new(ended)));
            }),
        );
        let on_failure = report.clone();
        let closing = source.clone();
        listen(
            "failure",
            Box::new(move |event| {
                closing.close();
                let error = data(&event)
                    .and_then(|raw| serde_json::from_str::<AppError>(&raw).ok())
                    .unwrap_or_else(|| {
                        AppError::Transport("the proposal could not be read".to_owned())
                    });
                on_failure(Streamed::Ended(Box::new(Err(error))));
            }),
        );
        let closing = source.clone();
        listen(
            "error",
            Box::new(move |_| {
                // The browser retries a dropped connection by itself; once it gives up, say so.
                if closing.ready_state() == EventSource::CLOSED {
                    report(Streamed::Ended(Box::new(Err(AppError::Transport(
                        "the connection to Herald was lost".to_owned(),
                    )))));
                }
            }),
        );
        Some(Following {
            source,
            _handlers: handlers,
        })
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::{RevisionId, Streamed};

    pub struct Following;

    pub fn follow(
        _id: &RevisionId,
        _report: impl Fn(Streamed) + Clone + 'static,
    ) -> Option<Following> {
        None
    }
}

pub use browser::{Following, follow};
