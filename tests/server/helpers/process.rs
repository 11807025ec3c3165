//! `herald serve` as a real process, for tests that need the whole binary: its memory, or a
//! data folder prepared outside it (a restored backup).

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;

/// A running `herald serve`, killed when dropped.
pub struct HeraldProcess {
    child: Child,
    pub address: String,
}

impl Drop for HeraldProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl HeraldProcess {
    /// Serves the SQLite database and files in `data_dir`, on a free port, with open sign-up.
    pub async fn start(data_dir: &Path) -> HeraldProcess {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(env!("CARGO_BIN_EXE_herald"))
            .arg("serve")
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"))
            .env("HERALD_DATA_DIR", data_dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}/herald.db?mode=rwc", data_dir.display()),
            )
            .env("HERALD_SIGNUP", "open")
            .env("HERALD_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let herald = HeraldProcess {
            child,
            address: format!("http://127.0.0.1:{port}"),
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
    pub fn peak_rss_bytes(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kilobytes: u64 = status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM is reported");
        kilobytes * 1024
    }

    /// A client that keeps cookies, as a browser does.
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap()
    }
}
