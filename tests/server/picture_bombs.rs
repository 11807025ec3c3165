//! A picture that claims to be huge is refused before it is decoded: the real `herald` binary
//! receives a 2 MB PNG declaring 16,384 × 16,384 pixels of 16-bit RGBA (2 GiB once decoded),
//! and its peak resident memory (`VmHWM`) stays far below what decoding would take.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::PASSWORD;

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

/// `herald serve` on a free port with a database and data folder of its own.
struct Herald {
    child: Child,
    address: String,
    _data: tempfile::TempDir,
}

impl Drop for Herald {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Herald {
    async fn start() -> Herald {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let data = tempfile::tempdir().unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_herald"))
            .arg("serve")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("HERALD_DATA_DIR", data.path())
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/herald.db?mode=rwc", data.path().display()),
            )
            .env("HERALD_SIGNUP", "open")
            .env("HERALD_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let herald = Herald {
            child,
            address: format!("http://127.0.0.1:{port}"),
            _data: data,
        };
        for _ in 0..200 {
            if let Ok(ready) = reqwest::get(format!("{}/readyz", herald.address)).await
                && ready.status() == StatusCode::OK
            {
                return herald;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("herald serve did not become ready");
    }

    /// The process's peak resident memory so far, from `/proc/<pid>/status`.
    fn peak_rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kilobytes: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM is reported");
        kilobytes * 1024
    }
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
    let herald = Herald::start().await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();
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
