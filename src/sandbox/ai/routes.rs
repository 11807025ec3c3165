//! The sandbox endpoint's HTTP side: the three API routes, the files its links point at, and
//! its control API.

use std::convert::Infallible;
use std::io::Cursor;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use super::{AiFault, AiRequest, AiSandbox, CHAT_MODELS, accepted_sizes, answers};

pub(in crate::sandbox) fn router(sandbox: Arc<AiSandbox>) -> Router {
    Router::new()
        .route("/v1/chat/completions", post(chat))
        .route("/v1/images/generations", post(images))
        .route("/v1/models", get(models))
        .route("/_files/{name}", get(file))
        .route("/_sandbox/faults", post(add_fault))
        .route("/_sandbox/log", get(log))
        .route("/_sandbox/pace", post(set_pace))
        .with_state(sandbox)
}

/// OpenAI's error envelope.
fn error(status: StatusCode, message: &str, code: Option<&str>, param: Option<&str>) -> Response {
    let body = json!({"error": {
        "message": message,
        "type": "invalid_request_error",
        "param": param,
        "code": code,
    }});
    (status, Json(body)).into_response()
}

const SERVER_ERROR: &str = "The server had an error while processing your request.";

fn server_error() -> Response {
    error(StatusCode::INTERNAL_SERVER_ERROR, SERVER_ERROR, None, None)
}

fn unreadable_body() -> Response {
    error(
        StatusCode::BAD_REQUEST,
        "We could not parse the JSON body of your request.",
        None,
        None,
    )
}

fn unknown_model(model: &str) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("The model `{model}` does not exist or you do not have access to it."),
        Some("model_not_found"),
        None,
    )
}

/// Checks the key, takes the next fault; `Err` is the answer to give instead.
async fn admit(
    sandbox: &AiSandbox,
    headers: &HeaderMap,
    mut entry: AiRequest,
) -> Result<Option<AiFault>, Response> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    let (authorized, fault) = {
        let mut state = sandbox.state();
        let authorized = match &state.key {
            None => true,
            Some(key) => given == Some(key.as_str()),
        };
        entry.authorized = authorized;
        entry.key_sent = given.is_some();
        state.log.push(entry);
        (authorized, state.faults.pop_front())
    };
    if !authorized {
        return Err(error(
            StatusCode::UNAUTHORIZED,
            "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.",
            Some("invalid_api_key"),
            None,
        ));
    }
    match fault {
        Some(AiFault::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut response = match status.as_u16() {
                404 => unknown_model("the-model"),
                429 => error(
                    status,
                    "Rate limit reached for requests",
                    Some("rate_limit_exceeded"),
                    None,
                ),
                _ => error(status, SERVER_ERROR, None, None),
            };
            if let Some(seconds) = retry_after {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
            }
            Err(response)
        }
        Some(AiFault::Stall { seconds }) => {
            tokio::time::sleep(Duration::from_secs(seconds)).await;
            Ok(None)
        }
        other => Ok(other),
    }
}

async fn chat(State(sandbox): State<Arc<AiSandbox>>, headers: HeaderMap, body: Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return unreadable_body();
    };
    let model = request["model"].as_str().map(str::to_owned);
    let stream = request["stream"].as_bool().unwrap_or(false);
    let prompt = request["messages"].as_array().and_then(|messages| {
        messages
            .iter()
            .rev()
            .find(|message| message["role"] == "user")
            .and_then(|message| message["content"].as_str())
            .map(str::to_owned)
    });
    let entry = AiRequest {
        model: model.clone(),
        stream,
        prompt: prompt.clone(),
        ..AiRequest::to("/chat/completions")
    };
    let fault = match admit(&sandbox, &headers, entry).await {
        Ok(fault) => fault,
        Err(refusal) => return refusal,
    };
    let Some(model) = model else {
        return error(
            StatusCode::BAD_REQUEST,
            "you must provide a model parameter",
            None,
            Some("model"),
        );
    };
    if !CHAT_MODELS.contains(&model.as_str()) {
        return unknown_model(&model);
    }
    let Some(prompt) = prompt else {
        return error(
            StatusCode::BAD_REQUEST,
            "'messages' must contain a user message.",
            None,
            Some("messages"),
        );
    };
    let answer = answers::answer(&prompt);
    let usage = json!({
        "prompt_tokens": prompt.split_whitespace().count(),
        "completion_tokens": answer.split_whitespace().count(),
        "total_tokens": prompt.split_whitespace().count() + answer.split_whitespace().count(),
    });
    if !stream {
        let body = json!({
            "id": "chatcmpl-sandbox",
            "object": "chat.completion",
            "created": chrono::Utc::now().timestamp(),
            "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
            "usage": usage,
        });
        return Json(body).into_response();
    }
    let include_usage = request["stream_options"]["include_usage"].as_bool() == Some(true);
    let events = stream_events(
        &model,
        &answer,
        include_usage.then_some(usage),
        fault.as_ref(),
    );
    let pace = sandbox.state().pace;
    let stall = match fault {
        Some(AiFault::StallMidStream { seconds }) => Some(Duration::from_secs(seconds)),
        _ => None,
    };
    let (pieces, receiver) = mpsc::channel::<Bytes>(8);
    tokio::spawn(send_awkwardly(events, pieces, pace, stall, sandbox.clone()));
    let body = Body::from_stream(futures_util::stream::unfold(
        receiver,
        |mut receiver| async move {
            receiver
                .recv()
                .await
                .map(|piece| (Ok::<_, Infallible>(piece), receiver))
        },
    ));
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .header(header::CACHE_CONTROL, "no-cache")
        .body(body)
        .expect("a valid response")
}

/// The events of a streamed answer, each already encoded, faults applied.
fn stream_events(
    model: &str,
    answer: &str,
    usage: Option<Value>,
    fault: Option<&AiFault>,
) -> Vec<String> {
    let chunk = |delta: Value, finish: Value| {
        json!({
            "id": "chatcmpl-sandbox",
            "object": "chat.completion.chunk",
            "created": 0,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        })
        .to_string()
    };
    let mut data = vec![chunk(
        json!({"role": "assistant", "content": ""}),
        Value::Null,
    )];
    let words: Vec<&str> = answer.split_inclusive(' ').collect();
    let half = words.len() / 2;
    for (index, word) in words.iter().enumerate() {
        if index == half.max(1) {
            match fault {
                Some(AiFault::CutOff) => return encode(data),
                Some(AiFault::ErrorMidStream) => {
                    data.push(
                        json!({"error": {"message": "Rate limit reached for requests", "type": "requests", "param": null, "code": "rate_limit_exceeded"}})
                            .to_string(),
                    );
                    return encode(data);
                }
                Some(AiFault::NotJson) => {
                    data.push("{\"choices\": [".to_owned());
                    return encode(data);
                }
                _ => {}
            }
        }
        data.push(chunk(json!({"content": word}), Value::Null));
    }
    data.push(chunk(json!({}), json!("stop")));
    if fault == Some(&AiFault::NoDone) {
        return encode(data);
    }
    if let Some(usage) = usage {
        data.push(json!({"id": "chatcmpl-sandbox", "object": "chat.completion.chunk", "choices": [], "usage": usage}).to_string());
    }
    data.push("[DONE]".to_owned());
    encode(data)
}

/// `data:` events, every other one with `\r\n` endings, and a keep-alive comment after the first.
fn encode(data: Vec<String>) -> Vec<String> {
    let mut events = Vec::with_capacity(data.len() + 1);
    for (index, payload) in data.into_iter().enumerate() {
        let end = if index % 2 == 1 { "\r\n" } else { "\n" };
        events.push(format!("data: {payload}{end}{end}"));
        if index == 0 {
            events.push(": keep-alive\n\n".to_owned());
        }
    }
    events
}

/// Sends each event in two pieces cut at an odd byte — often inside a line, sometimes inside
/// a character — pausing `pace` between events.
async fn send_awkwardly(
    events: Vec<String>,
    pieces: mpsc::Sender<Bytes>,
    pace: Duration,
    stall: Option<Duration>,
    sandbox: Arc<AiSandbox>,
) {
    for (index, event) in events.into_iter().enumerate() {
        if index == 3
            && let Some(stall) = stall
        {
            tokio::time::sleep(stall).await;
        }
        let bytes = Bytes::from(event.into_bytes());
        let cut = (bytes.len() / 2) | 1;
        let cut = cut.min(bytes.len());
        for piece in [bytes.slice(..cut), bytes.slice(cut..)] {
            if !piece.is_empty() && pieces.send(piece).await.is_err() {
                sandbox.note_abandoned_stream();
                return;
            }
        }
        if !pace.is_zero() {
            tokio::time::sleep(pace).await;
        }
    }
}

async fn images(
    State(sandbox): State<Arc<AiSandbox>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return unreadable_body();
    };
    let model = request["model"].as_str().unwrap_or("dall-e-2").to_owned();
    let size = request["size"].as_str().unwrap_or("1024x1024").to_owned();
    let entry = AiRequest {
        model: Some(model.clone()),
        size: Some(size.clone()),
        prompt: request["prompt"].as_str().map(str::to_owned),
        ..AiRequest::to("/images/generations")
    };
    if let Err(refusal) = admit(&sandbox, &headers, entry).await {
        return refusal;
    }
    let Some(accepted) = accepted_sizes(&model) else {
        return unknown_model(&model);
    };
    let Some(prompt) = request["prompt"]
        .as_str()
        .filter(|prompt| !prompt.trim().is_empty())
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "Missing required parameter: 'prompt'.",
            None,
            Some("prompt"),
        );
    };
    if !accepted.contains(&size.as_str()) {
        return error(
            StatusCode::BAD_REQUEST,
            &format!(
                "Invalid value: '{size}'. Supported values are: {}.",
                accepted.join(", ")
            ),
            Some("invalid_value"),
            Some("size"),
        );
    }
    let format = request["response_format"].as_str();
    let as_link = match (model.as_str(), format) {
        ("gpt-image-1", Some(_)) => {
            return error(
                StatusCode::BAD_REQUEST,
                "Unknown parameter: 'response_format'.",
                Some("unknown_parameter"),
                Some("response_format"),
            );
        }
        ("gpt-image-1", None) => false,
        (_, Some("b64_json")) => false,
        _ => true,
    };
    let (width, height) = match size.as_str() {
        "auto" => (1024, 1024),
        named => {
            let (width, height) = named.split_once('x').expect("accepted sizes are WxH");
            (
                width.parse().unwrap_or(1024),
                height.parse().unwrap_or(1024),
            )
        }
    };
    let seed = prompt.bytes().fold(7_u32, |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(u32::from(byte))
    });
    let png = match tokio::task::spawn_blocking(move || picture(width, height, seed)).await {
        Ok(png) => png,
        Err(_) => {
            return server_error();
        }
    };
    let item = if as_link {
        let name = format!("{:08x}-{}.png", seed, sandbox.state().files.len());
        let link = format!("{}/openai/_files/{name}", sandbox.base_url);
        sandbox.state().files.insert(name, png);
        json!({"url": link, "revised_prompt": prompt})
    } else {
        json!({"b64_json": base64::engine::general_purpose::STANDARD.encode(&png), "revised_prompt": prompt})
    };
    Json(json!({"created": chrono::Utc::now().timestamp(), "data": [item]})).into_response()
}

/// A PNG of exactly `width` × `height`: a gradient coloured by the prompt.
fn picture(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let [red, green, blue, _] = seed.to_le_bytes();
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let across = (x * 255 / width.max(1)) as u8;
        let down = (y * 255 / height.max(1)) as u8;
        image::Rgb([red ^ across, green ^ down, blue])
    });
    let mut png = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("a PNG encodes in memory");
    png
}

async fn models(State(sandbox): State<Arc<AiSandbox>>, headers: HeaderMap) -> Response {
    if let Err(refusal) = admit(&sandbox, &headers, AiRequest::to("/models")).await {
        return refusal;
    }
    let ids = CHAT_MODELS
        .iter()
        .chain(["gpt-image-1", "dall-e-3", "dall-e-2"].iter());
    let data: Vec<Value> = ids
        .map(|id| json!({"id": id, "object": "model", "owned_by": "herald-sandbox"}))
        .collect();
    Json(json!({"object": "list", "data": data})).into_response()
}

async fn file(State(sandbox): State<Arc<AiSandbox>>, Path(name): Path<String>) -> Response {
    match sandbox.state().files.get(&name) {
        Some(png) => ([(header::CONTENT_TYPE, "image/png")], png.clone()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn add_fault(
    State(sandbox): State<Arc<AiSandbox>>,
    Json(fault): Json<AiFault>,
) -> StatusCode {
    sandbox.inject(fault);
    StatusCode::NO_CONTENT
}

async fn log(State(sandbox): State<Arc<AiSandbox>>) -> Json<Vec<AiRequest>> {
    Json(sandbox.requests())
}

#[derive(Deserialize)]
struct Pace {
    millis: u64,
}

async fn set_pace(State(sandbox): State<Arc<AiSandbox>>, Json(pace): Json<Pace>) -> StatusCode {
    sandbox.set_pace(Duration::from_millis(pace.millis));
    StatusCode::NO_CONTENT
}
