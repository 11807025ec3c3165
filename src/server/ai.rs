//! AI assist through any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, LM Studio…): the
//! client and what it asks, and the work built on it — rephrasing with a preview, drafts
//! from a brief, pictures per network. Nothing a model writes is published unless a person
//! confirms it.

pub mod allowance;
pub mod briefs;
pub mod chat;
pub mod client;
pub mod errors;
pub mod made_pictures;
pub mod open_proposal;
pub mod pictures;
pub mod prompts;
pub mod revisions;
pub mod routes;
pub mod stream_slots;

pub use chat::{ChatEvent, ChatStream, Finish, Message};
pub use client::{AiClient, AiConfig, ChatOptions};
pub use errors::AiError;
