//! `spawn_app()`: the server under test, its database, and a browser-like HTTP client.

pub mod dialog;
pub mod process;

use std::sync::Arc;

use chrono::Utc;
use herald::domain::AccountId;
use herald::domain::accounts::{Connection, Network};
use herald::error::AppError;
use herald::sandbox::Sandbox;
use herald::server::clock::FixedClock;
use herald::server::config::{Config, EnvironmentAccount, LogFormat, SignupPolicy};
use herald::server::crypto::Secret;
use herald::server::db::{self, accounts};
use herald::server::http::Reach;
use herald::server::media::upload::UploadLimits;
use herald::server::providers::meta::MetaConfig;
use herald::server::startup::Application;
use herald::server::state::AppState;
use reqwest::header::{ACCEPT, REFERER};
use reqwest::{Client, Response, StatusCode, redirect};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct TestOptions {
    pub signup: SignupPolicy,
    pub public_url: Option<&'static str>,
    pub trust_proxy: bool,
    /// Run the sandbox networks in-process, as `herald serve --sandbox` does.
    pub sandbox: bool,
    /// Meta's hosts and apps, when a test runs a sandbox of its own.
    pub meta: Option<MetaConfig>,
    pub environment_account: Option<EnvironmentAccount>,
    pub upload_limits: Option<UploadLimits>,
    /// Run the job queue's worker in the background. Off by default: tests drive the queue
    /// with `jobs::run_once` and the fixed clock.
    pub worker: bool,
    /// How long Herald waits for one Meta call.
    pub meta_timeout: Option<std::time::Duration>,
    /// `HERALD_OWNER_EMAIL`.
    pub owner_email: Option<&'static str>,
    /// `HERALD_AI_HOURLY_LIMIT`.
    pub ai_hourly_limit: Option<u32>,
    /// `HERALD_METRICS_TOKEN`.
    pub metrics_token: Option<&'static str>,
    /// The site's files; the repository's `public/` (no bundle) when not given.
    pub site_root: Option<std::path::PathBuf>,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            signup: SignupPolicy::Invite,
            sandbox: false,
            meta: None,
            environment_account: None,
            upload_limits: None,
            worker: false,
            meta_timeout: None,
            owner_email: None,
            ai_hourly_limit: None,
            metrics_token: None,
            site_root: None,
            public_url: None,
            trust_proxy: false,
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub state: AppState,
    pub clock: Arc<FixedClock>,
    pub client: Client,
    /// The in-process sandbox networks, when the test asked for them.
    pub sandbox: Option<Arc<Sandbox>>,
    // Dropped last: the server's files and database outlive every request.
    _database: TestDatabase,
    _data_dir: TempDir,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(TestOptions::default()).await
}

pub async fn spawn_app_with(options: TestOptions) -> TestApp {
    let data_dir = tempfile::tempdir().expect("a temporary data dir");
    let database = TestDatabase::create(&data_dir).await;
    let mut config = Config::from_lookup(|_| None).expect("the default configuration");
    config.listen_addr = "127.0.0.1:0".parse().unwrap();
    config.data_dir = data_dir.path().to_path_buf();
    config.database_url = database.url.clone();
    config.public_url = options.public_url.map(|url| url.parse().unwrap());
    config.signup = options.signup;
    config.owner_email = options
        .owner_email
        .map(|email| herald::domain::EmailAddress::parse(email).unwrap());
    config.trust_proxy = options.trust_proxy;
    // The public assets as they are in the repository; the compiled bundle is not needed.
    config.site_root = options
        .site_root
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("public"));
    config.log_format = LogFormat::Text;
    // The sandbox networks listen on 127.0.0.1.
    config.outbound = Reach::Anywhere;
    if options.sandbox {
        config.use_sandbox();
    }
    if let Some(meta) = options.meta {
        config.meta = meta;
    }
    config.environment_account = options.environment_account;
    config.worker = options.worker;
    if let Some(timeout) = options.meta_timeout {
        config.meta.timeout = timeout;
    }
    config.metrics_token = options.metrics_token.map(Secret::new);
    if let Some(limit) = options.ai_hourly_limit {
        config.ai_hourly_limit = limit;
    }
    if let Some(limits) = options.upload_limits {
        config.upload_limits = limits;
    }
    let clock = Arc::new(FixedClock::new(Utc::now()));
    let application = Application::build_with_clock(config, clock.clone())
        .await
        .expect("the server builds");
    let address = format!("http://{}", application.address());
    let state = application.state().clone();
    let sandbox = application.sandbox();
    tokio::spawn(application.run_until(std::future::pending()));
    TestApp {
        address,
        state,
        clock,
        client: browser_like_client(),
        sandbox,
        _database: database,
        _data_dir: data_dir,
    }
}

/// Keeps cookies like a browser, but shows redirects instead of following them.
pub fn browser_like_client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(redirect::Policy::none())
        .build()
        .unwrap()
}

impl TestApp {
    pub fn database_url(&self) -> &str {
        &self._database.url
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// Calls a server function the way the hydrated app does.
    pub async fn call(&self, client: &Client, endpoint: &str, form: &[(&str, &str)]) -> Response {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
            .expect("the server answers")
    }

    pub async fn sign_up_with(
        &self,
        client: &Client,
        name: &str,
        email: &str,
        password: &str,
        invite: &str,
    ) -> Response {
        self.call(
            client,
            "sign_up",
            &[
                ("display_name", name),
                ("email", email),
                ("password", password),
                ("invite", invite),
            ],
        )
        .await
    }

    pub async fn sign_up(&self, name: &str, email: &str) -> Response {
        self.sign_up_with(&self.client, name, email, PASSWORD, "")
            .await
    }

    pub async fn sign_in_with(&self, client: &Client, email: &str, password: &str) -> Response {
        self.call(
            client,
            "sign_in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// The session the client's cookie names, as the browser sees it.
    pub async fn session(&self, client: &Client) -> Option<serde_json::Value> {
        let response = self.call(client, "get_session", &[]).await;
        assert_eq!(response.status(), StatusCode::OK);
        let body: serde_json::Value = response.json().await.unwrap();
        (!body.is_null()).then_some(body)
    }

    /// Loads a page as a browser navigating to it does.
    pub async fn get_page(&self, path: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .send()
            .await
            .unwrap()
    }

    /// Submits a form as a browser with JavaScript off does.
    pub async fn submit_plain_form(
        &self,
        endpoint: &str,
        from_page: &str,
        form: &[(&str, &str)],
    ) -> Response {
        self.client
            .post(self.url(&format!("/api/{endpoint}")))
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, self.url(from_page))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn count(&self, table: &str) -> i64 {
        let (count,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(self.state.db.pool())
            .await
            .unwrap();
        count
    }
}

/// The access token [`seed_account`] stores, sealed.
pub const SEEDED_TOKEN: &str = "EAAB-seeded-page-token-0123456789";

/// Puts a connected account straight into the database of whoever `client` is signed in as.
pub async fn seed_account(app: &TestApp, client: &Client, network: &str, name: &str) -> AccountId {
    let remote_id = format!("{}", uuid::Uuid::new_v4().as_u128() % 10u128.pow(16));
    let connection = if network == "facebook" {
        "facebook_login"
    } else {
        "instagram_login"
    };
    seed_account_with(
        app,
        client,
        &Seeded {
            network,
            connection,
            remote_id: &remote_id,
            page_id: None,
            name,
            token: SEEDED_TOKEN,
        },
    )
    .await
}

/// An account as [`seed_account_with`] stores it.
pub struct Seeded<'a> {
    pub network: &'a str,
    pub connection: &'a str,
    pub remote_id: &'a str,
    pub page_id: Option<&'a str>,
    pub name: &'a str,
    /// Stored sealed, as connecting does.
    pub token: &'a str,
}

pub async fn seed_account_with(app: &TestApp, client: &Client, account: &Seeded<'_>) -> AccountId {
    let session = app.session(client).await.expect("signed in");
    let workspace_id = session["workspace_id"].as_str().unwrap().to_owned().into();
    let id: AccountId = db::new_id();
    let sealed = app
        .state
        .vault
        .seal(&Secret::new(account.token), id.as_str());
    let mut connection = app.state.db.pool().acquire().await.unwrap();
    accounts::save(
        &mut connection,
        accounts::AccountRecord {
            id: &id,
            workspace_id: &workspace_id,
            network: Network::parse(account.network).expect("a network Herald knows"),
            connection: Connection::parse(account.connection).expect("a connection Herald knows"),
            remote_id: account.remote_id,
            name: account.name,
            username: Some("seeded"),
            avatar_url: None,
            page_id: account.page_id,
            access_token: &sealed,
            user_token: None,
            token_expires_at: None,
            scopes: "pages_show_list",
            connected_by: None,
            now: 0,
        },
    )
    .await
    .unwrap();
    id
}

/// Stores `token` (sealed) as the account's from now on, as reconnecting would.
pub async fn replace_token(app: &TestApp, account: &AccountId, token: &str) {
    let sealed = app.state.vault.seal(&Secret::new(token), account.as_str());
    accounts::replace_access_token(app.state.db.pool(), account, &sealed, None, 0)
        .await
        .unwrap();
}

/// The error a server function answered with.
pub async fn app_error(response: Response) -> AppError {
    let status = response.status();
    let body = response.text().await.unwrap();
    serde_json::from_str(&body)
        .unwrap_or_else(|error| panic!("expected an AppError, got {status} {body:?}: {error}"))
}

pub fn set_cookie_headers(response: &Response) -> Vec<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect()
}

/// A database of the test's own, dropped with it.
struct TestDatabase {
    url: String,
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    async fn create(data_dir: &TempDir) -> TestDatabase {
        if std::env::var("HERALD_TEST_DB").as_deref() != Ok("postgres") {
            return TestDatabase {
                url: format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.path().join("herald.db").display()
                ),
                postgres: None,
            };
        }
        let admin_url = std::env::var("HERALD_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let name = format!("herald_test_{}", uuid::Uuid::new_v4().simple());
        install_default_drivers();
        let admin = AnyPoolOptions::new()
            .max_connections(1)
            .connect(&admin_url)
            .await
            .unwrap_or_else(|error| panic!("PostgreSQL at {admin_url} is unreachable: {error}"));
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&admin)
            .await
            .expect("a test database");
        admin.close().await;
        let mut url = url::Url::parse(&admin_url).unwrap();
        url.set_path(&name);
        TestDatabase {
            url: url.to_string(),
            postgres: Some((admin_url, name)),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs outside async; a short-lived runtime on its own thread does the cleanup.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let admin = AnyPoolOptions::new()
                    .max_connections(1)
                    .connect(&admin_url)
                    .await?;
                sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&admin)
                    .await?;
                admin.close().await;
                Ok::<_, sqlx::Error>(())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop a test database: {error}");
        }
    }
}
