//! A picture that claims to be huge is refused before it is decoded: the real `herald` binary
//! receives a 2 MB PNG declaring 16,384 × 16,384 pixels of 16-bit RGBA (2 GiB once decoded),
//! and its peak resident memory (`VmHWM`) stays far below what decoding would take.

use std::io::Write;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::PASSWORD;
use crate::helpers::process::HeraldProcess;

/// The ceiling the issue sets for the whole process while it refuses the bomb.
const PEAK_RSS_MAX_BYTES: u64 = 300 * 1024 * 1024;

/// A PNG whose header declares `side` × `side` pixels of 16-bit RGBA and whose data really
/// inflates to all of them (zeros, which compress about a thousand to one).
fn decompression_bomb(side: u32) -> Vec<u8> {
    fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut crc = crc32fast::Hasher::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.finalize().to_be_bytes());
    }
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&side.to_be_bytes());
    // Bit depth 16, colour type 6 (RGBA), deflate, adaptive filter, no interlace.
    header.extend_from_slice(&[16, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    let row = vec![0u8; 1 + side as usize * 8];
    let mut deflated = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    for _ in 0..side {
        deflated.write_all(&row).unwrap();
    }
    let data = deflated.finish().unwrap();
    for piece in data.chunks(1 << 20) {
        chunk(&mut png, b"IDAT", piece);
    }
    chunk(&mut png, b"IEND", &[]);
    png
}

#[tokio::test]
async fn a_decompression_bomb_is_refused_without_the_memory_decoding_it_would_take() {
    let bomb = tokio::task::spawn_blocking(|| decompression_bomb(16_384))
        .await
        .unwrap();
    assert!(
        bomb.len() < 4 * 1024 * 1024,
        "a small file: {} bytes",
        bomb.len()
    );
    let data = tempfile::tempdir().unwrap();
    let herald = HeraldProcess::start(data.path()).await;
    let client = HeraldProcess::client();
    let signed_up = client
        .post(format!("{}/api/sign_up", herald.address))
        .form(&[
            ("display_name", "Ada"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
            ("invite", ""),
        ])
        .send()
        .await
        .unwrap();
    assert!(signed_up.status().is_success() || signed_up.status().is_redirection());
    let before = herald.peak_rss_bytes();
    // Three at once, as the measured attack sent them.
    let uploads = (0..3).map(|_| {
        let form = Form::new().part(
            "file",
            Part::bytes(bomb.clone()).file_name("bomb.png".to_owned()),
        );
        client
            .post(format!("{}/media/upload", herald.address))
            .header("Accept", "application/json")
            .multipart(form)
            .send()
    });
    for answer in futures::future::join_all(uploads).await {
        let response = answer.unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = response.text().await.unwrap();
        assert!(body.contains("media_too_many_pixels"), "{body}");
    }
    let peak = herald.peak_rss_bytes();
    assert!(
        peak < PEAK_RSS_MAX_BYTES,
        "peak resident memory {} MB (it was {} MB before the uploads)",
        peak / 1024 / 1024,
        before / 1024 / 1024
    );
}
