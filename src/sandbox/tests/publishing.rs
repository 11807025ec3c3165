//! Publishing through the Meta sandbox over loopback HTTP, with the media it downloads served by
//! a tiny server of our own, as a CDN would serve Herald's.

mod facebook;
mod insights;
mod instagram;

use std::io::Cursor;

use axum::Router;
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::routing::{MethodRouter, get};
use bytes::Bytes;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use super::{client, json_of, start};
use crate::sandbox::Sandbox;

const PAGE_ID: &str = "1000000000000001";
const OTHER_PAGE_ID: &str = "1000000000000002";
const LINKED_INSTAGRAM_ID: &str = "17841400000000001";
const CREATOR_ID: &str = "17841400000000009";

/// Serves test media on a port of its own; dropping it stops serving.
struct MediaHost {
    base: String,
    server: JoinHandle<()>,
}

impl MediaHost {
    fn url(&self, file: &str) -> String {
        format!("{}/{file}", self.base)
    }
}

impl Drop for MediaHost {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Bytes {
    let picture = image::RgbImage::from_pixel(width, height, image::Rgb([30, 120, 200]));
    let mut out = Cursor::new(Vec::new());
    picture.write_to(&mut out, format).unwrap();
    Bytes::from(out.into_inner())
}

fn file(bytes: Bytes, content_type: &'static str) -> MethodRouter {
    get(move || {
        let bytes = bytes.clone();
        async move { ([(CONTENT_TYPE, content_type)], bytes) }
    })
}

/// square.jpg 1:1, portrait.jpg 4:5, wide.jpg 2.5:1, tall.jpg 9:16, photo.png, disguised.jpg (a
/// PNG labelled JPEG), huge.jpg (9 MiB behind a JPEG header), clip.mp4, page.html, and 404s.
async fn media_host() -> MediaHost {
    let jpeg = image::ImageFormat::Jpeg;
    let png = encoded(300, 300, image::ImageFormat::Png);
    let mut huge = vec![0_u8; 9 * 1024 * 1024];
    huge[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
    let mp4 = Bytes::from_static(b"\0\0\0\x18ftypisom\0\0\x02\0isomiso2avc1mp41\0\0\0\x08free");
    let router = Router::new()
        .route("/square.jpg", file(encoded(400, 400, jpeg), "image/jpeg"))
        .route("/portrait.jpg", file(encoded(400, 500, jpeg), "image/jpeg"))
        .route("/wide.jpg", file(encoded(500, 200, jpeg), "image/jpeg"))
        .route("/tall.jpg", file(encoded(180, 320, jpeg), "image/jpeg"))
        .route("/photo.png", file(png.clone(), "image/png"))
        .route("/disguised.jpg", file(png, "image/jpeg"))
        .route("/huge.jpg", file(Bytes::from(huge), "image/jpeg"))
        .route("/clip.mp4", file(mp4, "video/mp4"))
        .route(
            "/page.html",
            file(Bytes::from_static(b"<html>hello</html>"), "text/html"),
        )
        .fallback(|| async { StatusCode::NOT_FOUND });
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    MediaHost { base, server }
}

fn graph(sandbox: &Sandbox, path: &str) -> String {
    format!("{}/v23.0/{path}", sandbox.urls().facebook_graph)
}

fn instagram_graph(sandbox: &Sandbox, path: &str) -> String {
    format!("{}/v23.0/{path}", sandbox.urls().instagram_graph)
}

async fn post_form(url: &str, token: &str, form: &[(&str, &str)]) -> reqwest::Response {
    client()
        .post(url)
        .bearer_auth(token)
        .form(form)
        .send()
        .await
        .unwrap()
}

async fn get_json(url: &str, token: &str) -> Value {
    json_of(client().get(url).bearer_auth(token).send().await.unwrap()).await
}

/// The error object of a refused call, after checking it was refused with `status`.
async fn refusal(response: reqwest::Response, status: u16) -> Value {
    assert_eq!(response.status(), status);
    let body = json_of(response).await;
    let error = body["error"].clone();
    assert!(
        error["fbtrace_id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );
    error
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap().to_owned()
}
