//! The one client for any OpenAI-compatible endpoint: chat completions (streamed), image
//! generation and the model list, with its errors told apart (`errors`).

use std::time::Duration;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use url::Url;

use super::chat::{ChatRequest, ChatStream, Message};
use super::errors::AiError;
use super::pictures::ImageSize;
use crate::server::crypto::Secret;
use crate::server::http::{self, Reach};

/// `HERALD_AI_*`: where the endpoint is and which models to ask.
#[derive(Debug, Clone)]
pub struct AiConfig {
    /// With the version prefix: `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`.
    pub base_url: Url,
    /// None for local servers that need none: no `Authorization` header is sent.
    pub api_key: Option<Secret>,
    pub model: String,
    /// None: pictures are not offered.
    pub image_model: Option<String>,
    /// The sizes the image model accepts (`HERALD_AI_IMAGE_SIZES`, else known per model).
    pub image_sizes: Vec<ImageSize>,
    /// The longest wait for an answer to begin, and then between its pieces; a picture's
    /// whole answer gets three times this.
    pub timeout: Duration,
}

impl AiConfig {
    pub const OPENAI: &str = "https://api.openai.com/v1";
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);
}

/// How much a chat answer may say, and how freely.
#[derive(Debug, Clone, Copy)]
pub struct ChatOptions {
    pub temperature: f32,
    pub max_tokens: u32,
}

impl Default for ChatOptions {
    fn default() -> Self {
        ChatOptions {
            temperature: 0.7,
            max_tokens: 1200,
        }
    }
}

#[derive(Clone)]
pub struct AiClient {
    http: reqwest::Client,
    /// Links to pictures come from the endpoint's answer: fetched as any outside URL is.
    downloads: reqwest::Client,
    reach: Reach,
    config: AiConfig,
}

impl AiClient {
    /// `reach` guards the picture links an answer may hold; the endpoint itself is the
    /// operator's choice and often on this machine (Ollama, LM Studio), so it may be anywhere.
    pub fn new(config: AiConfig, reach: Reach) -> AiClient {
        // No overall limit on chat: a long answer streams for as long as pieces keep coming;
        // `timeout` bounds the wait for each.
        let http = http::outbound_client_with_timeout(Reach::Anywhere, Duration::from_secs(3600));
        let downloads = http::outbound_client_with_timeout(reach, config.timeout * 3);
        AiClient {
            http,
            downloads,
            reach,
            config,
        }
    }

    pub fn config(&self) -> &AiConfig {
        &self.config
    }

    /// Starts a chat answer; its text arrives through the returned stream.
    pub async fn chat(
        &self,
        messages: &[Message],
        options: ChatOptions,
    ) -> Result<ChatStream, AiError> {
        let request = ChatRequest {
            model: &self.config.model,
            messages,
            temperature: options.temperature,
            max_tokens: options.max_tokens,
            stream: true,
        };
        let call = self
            .authorized(self.http.post(self.url("chat/completions")))
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .json(&request)
            .send();
        let response = self
            .answer(call, &self.config.model, self.config.timeout)
            .await?;
        let streamed = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("text/event-stream"));
        if streamed {
            Ok(ChatStream::from_events(
                response.bytes_stream(),
                &self.config.model,
                self.config.timeout,
            ))
        } else {
            let body = within(self.config.timeout, response.text()).await?;
            ChatStream::from_whole(&body, &self.config.model)
        }
    }

    /// One picture of `size`, as the bytes the endpoint made (PNG for the known models).
    pub async fn image(&self, prompt: &str, size: ImageSize) -> Result<Vec<u8>, AiError> {
        let model = self
            .config
            .image_model
            .as_deref()
            .ok_or(AiError::ImagesNotConfigured)?;
        let request = ImageRequest {
            model,
            prompt,
            n: 1,
            size: size.name(),
        };
        let limit = self.config.timeout * 3;
        let call = self
            .authorized(self.http.post(self.url("images/generations")))
            .json(&request)
            .send();
        let response = self.answer(call, model, limit).await?;
        let body = within(limit, response.text()).await?;
        let answer: ImageAnswer =
            serde_json::from_str(&body).map_err(|error| AiError::Malformed {
                detail: format!("the answer is not an image list ({error})"),
            })?;
        let item = answer
            .data
            .into_iter()
            .next()
            .ok_or_else(|| AiError::Malformed {
                detail: "the answer holds no picture".to_owned(),
            })?;
        match (item.b64_json, item.url) {
            (Some(encoded), _) => base64::engine::general_purpose::STANDARD
                .decode(encoded.trim())
                .map_err(|_| AiError::Malformed {
                    detail: "the picture is not valid base64".to_owned(),
                }),
            // A link expires within the hour: fetched at once.
            (None, Some(link)) => self.download(&link).await,
            (None, None) => Err(AiError::Malformed {
                detail: "the picture has neither data nor a link".to_owned(),
            }),
        }
    }

    /// The models the endpoint offers ("test connection").
    pub async fn models(&self) -> Result<Vec<String>, AiError> {
        let call = self.authorized(self.http.get(self.url("models"))).send();
        let response = self
            .answer(call, &self.config.model, self.config.timeout)
            .await?;
        let body = within(self.config.timeout, response.text()).await?;
        let list: ModelList = serde_json::from_str(&body).map_err(|error| AiError::Malformed {
            detail: format!("the answer is not a model list ({error})"),
        })?;
        Ok(list.data.into_iter().map(|model| model.id).collect())
    }

    /// `{base}/{path}`, keeping the base's own path (its `/v1`).
    fn url(&self, path: &str) -> String {
        format!(
            "{}/{path}",
            self.config.base_url.as_str().trim_end_matches('/')
        )
    }

    fn authorized(&self, request: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.config.api_key {
            Some(key) => request.bearer_auth(key.expose()),
            None => request,
        }
    }

    /// Waits for the answer's status, and turns an error status into its error.
    async fn answer(
        &self,
        call: impl Future<Output = Result<reqwest::Response, reqwest::Error>>,
        model: &str,
        limit: Duration,
    ) -> Result<reqwest::Response, AiError> {
        let response = within(limit, call).await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let headers = response.headers().clone();
        let body = within(limit, response.text()).await.unwrap_or_default();
        Err(AiError::from_status(
            status.as_u16(),
            &headers,
            &body,
            model,
        ))
    }

    async fn download(&self, link: &str) -> Result<Vec<u8>, AiError> {
        let url = Url::parse(link).map_err(|_| AiError::Malformed {
            detail: "the picture's link is not a URL".to_owned(),
        })?;
        let refused = || AiError::Malformed {
            detail: "the picture's link points to a private address".to_owned(),
        };
        http::check_destination(&url, self.reach).map_err(|_| refused())?;
        let response = self
            .downloads
            .get(url)
            .send()
            .await
            .map_err(|error| AiError::from_transport(&error))?;
        if !response.status().is_success() {
            return Err(AiError::Malformed {
                detail: format!(
                    "the picture's link answered HTTP {}",
                    response.status().as_u16()
                ),
            });
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|error| AiError::from_transport(&error))?;
        Ok(bytes.to_vec())
    }
}

/// Waits at most `limit` for `call`.
async fn within<T>(
    limit: Duration,
    call: impl Future<Output = Result<T, reqwest::Error>>,
) -> Result<T, AiError> {
    match tokio::time::timeout(limit, call).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(error)) => Err(AiError::from_transport(&error)),
        Err(_) => Err(AiError::Timeout),
    }
}

#[derive(Serialize)]
struct ImageRequest<'a> {
    model: &'a str,
    prompt: &'a str,
    n: u32,
    size: String,
}

#[derive(Deserialize)]
struct ImageAnswer {
    #[serde(default)]
    data: Vec<ImageItem>,
}

#[derive(Deserialize)]
struct ImageItem {
    b64_json: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct ModelList {
    #[serde(default)]
    data: Vec<ModelItem>,
}

#[derive(Deserialize)]
struct ModelItem {
    id: String,
}
