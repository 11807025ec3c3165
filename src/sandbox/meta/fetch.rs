//! Downloading the media a publish request points at, as Meta's servers do, before the state
//! lock is taken: a slow or dead media host must stall only the request that named it.

use std::collections::HashMap;
use std::time::Duration;

use axum::http::Method;
use bytes::{Bytes, BytesMut};
use reqwest::redirect::Policy;
use url::Url;

use super::media::{Fetched, Media};
use super::request::Incoming;

/// The parameters that carry a URL for Meta to download (§2.2, §2.4, §3.1).
const URL_PARAMETERS: [&str; 4] = ["url", "image_url", "video_url", "file_url"];

/// The hosts whose publish calls take media by URL.
const PUBLISHING_HOSTS: [&str; 2] = ["graph.facebook.com", "graph.instagram.com"];

const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Past this, reading stops: every size rule the emulator applies (10 MB photos, 8 MiB
/// Instagram images) is far below it, and a test must not be able to exhaust memory.
const KEEP_AT_MOST_BYTES: usize = 64 * 1024 * 1024;

/// The client the emulator downloads with. Meta does not follow redirects to media (the URL
/// must be the file), and the emulator reaches loopback hosts, so no proxy applies.
pub(super) fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(FETCH_TIMEOUT)
        .redirect(Policy::none())
        .no_proxy()
        .build()
        .unwrap_or_else(|error| {
            tracing::warn!(%error, "the sandbox's media client fell back to defaults");
            reqwest::Client::new()
        })
}

/// Downloads every media URL a publish request names, keyed by the URL as given.
pub(super) async fn media_of(
    client: &reqwest::Client,
    request: &Incoming,
) -> HashMap<String, Fetched> {
    let mut fetched = HashMap::new();
    if request.method != Method::POST || !PUBLISHING_HOSTS.contains(&request.host.as_str()) {
        return fetched;
    }
    for name in URL_PARAMETERS {
        if let Some(url) = request.param(name)
            && !fetched.contains_key(url)
        {
            let result = fetch(client, url).await;
            if let Fetched::Failed { reason } = &result {
                // The client only sees Meta's terse code; the reason is for whoever debugs it.
                tracing::info!(%reason, "the Meta sandbox could not download publish media");
            }
            fetched.insert(url.to_owned(), result);
        }
    }
    fetched
}

async fn fetch(client: &reqwest::Client, raw: &str) -> Fetched {
    let failed = |reason: String| Fetched::Failed { reason };
    let url = match Url::parse(raw) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => url,
        _ => return failed(format!("not an http(s) URL: {raw}")),
    };
    let mut response = match client.get(url).send().await {
        Ok(response) => response,
        Err(error) => return failed(format!("could not download {raw}: {error}")),
    };
    if !response.status().is_success() {
        return failed(format!("{raw} answered {}", response.status()));
    }
    let mut bytes = BytesMut::new();
    let mut size: u64 = 0;
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                size += chunk.len() as u64;
                let room = (KEEP_AT_MOST_BYTES + 1).saturating_sub(bytes.len());
                bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
                if bytes.len() > KEEP_AT_MOST_BYTES {
                    break;
                }
            }
            Ok(None) => break,
            Err(error) => return failed(format!("the download of {raw} broke off: {error}")),
        }
    }
    Fetched::Received(Media {
        bytes: Bytes::from(bytes),
        size,
    })
}
