//! Builds the whole server: database, state and router, bound to its listener, so `main` and
//! the integration tests start Herald the same way.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use axum::handler::Handler as _;
use axum::middleware;
use axum::routing::get;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use url::Url;

use super::ai::{AiClient, AiConfig};
use super::auth::passwords::Passwords;
use super::auth::signup::FirstAccount;
use super::auth::tokens::Token;
use super::clock::{Clock, SystemClock};
use super::config::Config;
use super::crypto::{Secret, Vault};
use super::db::Db;
use super::db::users;
use super::jobs;
use super::media::images::PictureWork;
use super::media::storage::LocalDisk;
use super::providers::Providers;
use super::providers::meta::{MetaApp, MetaClient, MetaConfig, MetaUrls};
use super::queue::Queue;
use super::state::{AppState, Settings};
use super::{
    accounts, compose, error, health, housekeeping, media, pwa, security, static_files, telemetry,
};
use crate::app::{App, shell};
use crate::domain::accounts::Login;
use crate::sandbox::Sandbox;
use crate::sandbox::meta::SandboxConfig;

/// Request bodies above this are refused with 413, except on routes that set their own limit.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    /// The in-process sandbox networks, when running with `--sandbox`; serves while kept.
    sandbox: Option<Arc<Sandbox>>,
    /// Whether this process works on the job queue (`HERALD_WORKER`).
    run_worker: bool,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Application> {
        Application::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        mut config: Config,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Application> {
        std::fs::create_dir_all(&config.data_dir).with_context(|| {
            format!(
                "could not create the data directory {}",
                config.data_dir.display()
            )
        })?;
        let db = Db::connect(&config.database_url).await?;
        db.migrate().await?;

        let listener = TcpListener::bind(config.listen_addr)
            .await
            .with_context(|| format!("could not listen on {}", config.listen_addr))?;
        let address = listener.local_addr()?;
        let public_url = match &config.public_url {
            Some(url) => url.clone(),
            None if address.ip().is_unspecified() => anyhow::bail!(
                "Herald listens on all interfaces ({address}), so it cannot guess the address \
                 people reach it at: set HERALD_PUBLIC_URL, e.g. http://192.168.1.20:{}",
                address.port()
            ),
            None => Url::parse(&format!("http://{address}"))?,
        };
        let vault = Vault::open_or_create(
            config.secret_key.as_ref().map(Secret::expose),
            &config
                .previous_secret_keys
                .iter()
                .map(|key| key.expose().to_owned())
                .collect::<Vec<_>>(),
            &config.data_dir,
        )
        .context("the token vault's key")?;
        let sandbox = if config.sandbox {
            Some(Arc::new(start_sandbox(&mut config, &public_url).await?))
        } else {
            None
        };
        let sandbox_url = match (&sandbox, &config.sandbox_url) {
            (Some(sandbox), _) => Some(sandbox.base_url()),
            (None, Some(url)) => {
                let base = url.as_str().trim_end_matches('/').to_owned();
                config.meta = sandbox_meta(&config, &base, &SandboxConfig::default())?;
                tracing::info!(address = %base, "talking to the sandbox networks there");
                Some(base)
            }
            (None, None) => None,
        };
        if config.ai.is_none()
            && let Some(base) = &sandbox_url
        {
            config.ai = Some(sandbox_ai(base)?);
        }
        let (first_account, setup_token) =
            FirstAccount::for_listener(config.owner_email.clone(), address, sandbox_url.is_some());
        if let Some(token) = setup_token
            && !users::any_exists(db.pool()).await?
        {
            print_setup_link(&public_url, &token);
        }
        let settings = Settings {
            first_account,
            secure_cookies: public_url.scheme() == "https",
            public_url,
            signup: config.signup,
            trust_proxy: config.trust_proxy,
            data_dir: config.data_dir.clone(),
            bundle: pwa::Bundle::read(&config.site_root),
            sandbox: sandbox_url.is_some(),
            image_origins: sandbox_url.iter().cloned().collect(),
            sandbox_url,
            environment_account: config.environment_account.clone(),
            upload_limits: config.upload_limits,
            ai_hourly_limit: config.ai_hourly_limit,
            metrics_token: config.metrics_token.clone(),
        };
        let leptos_options = LeptosOptions::builder()
            .output_name("herald")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(address)
            .build();
        let meta = MetaClient::new(config.meta.clone(), config.outbound);
        let state = AppState {
            leptos_options,
            db,
            clock,
            settings: Arc::new(settings),
            passwords: Passwords::new().await?,
            providers: Providers::new(meta.clone()),
            meta,
            ai: config
                .ai
                .clone()
                .map(|ai| AiClient::new(ai, config.outbound)),
            vault: Arc::new(vault),
            media: Arc::new(
                LocalDisk::open(config.data_dir.join("media"))
                    .context("the media folder in the data directory")?,
            ),
            jobs: Queue::new(&instance_name(address)),
            pictures: PictureWork::for_this_machine(),
            proposal_streams: Default::default(),
            metrics: Default::default(),
        };
        let router = router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            sandbox,
            run_worker: config.worker,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    pub fn sandbox(&self) -> Option<Arc<Sandbox>> {
        self.sandbox.clone()
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let housekeeping = tokio::spawn(housekeeping::run_forever(self.state.clone()));
        let worker = self
            .run_worker
            .then(|| tokio::spawn(jobs::run_forever(self.state.clone())));
        let served = axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await;
        housekeeping.abort();
        if let Some(worker) = worker {
            worker.abort();
            // The jobs cut short are handed on now rather than when their leases run out.
            if let Err(error) = jobs::hand_on_leases(&self.state).await {
                tracing::warn!(%error, "leases not handed on; they run out within a minute");
            }
        }
        served
    }
}

/// Herald listens beyond this machine and has no owner yet: the first account needs this
/// link, printed once on standard output (never in the logs) for the operator who started it.
fn print_setup_link(public_url: &Url, token: &Token) {
    let mut link = public_url.clone();
    link.set_path("/sign-up");
    link.query_pairs_mut().append_pair("setup", token.expose());
    println!(
        "Herald has no owner yet. Open this link to create the owner's account \
         (it works until Herald restarts):\n\n    {link}\n"
    );
    tracing::warn!("no owner yet: the setup link was printed on standard output");
}

/// Starts the sandbox networks on a free loopback port and points Meta's client at them, with
/// the sandbox's app credentials and Herald's callbacks registered.
async fn start_sandbox(config: &mut Config, public_url: &Url) -> anyhow::Result<Sandbox> {
    let sandbox_config = SandboxConfig::default();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .context("could not start the sandbox")?;
    let sandbox = Sandbox::start(listener, sandbox_config.clone()).await?;
    for login in Login::ALL {
        let mut callback = public_url.clone();
        callback.set_path(&format!("/oauth/{}/callback", login.as_str()));
        sandbox.meta().register_redirect_uri(callback.as_str());
    }
    config.meta = sandbox_meta(config, &sandbox.base_url(), &sandbox_config)?;
    tracing::info!(address = %sandbox.address(), "sandbox networks are listening");
    Ok(sandbox)
}

/// AI pointed at the sandbox's OpenAI-compatible endpoint under `base`, unless the operator
/// configured a real one.
fn sandbox_ai(base: &str) -> anyhow::Result<AiConfig> {
    use crate::sandbox::ai::{CHAT_MODEL, IMAGE_MODEL, SANDBOX_AI_KEY};
    Ok(AiConfig {
        base_url: Url::parse(&format!("{base}/openai/v1")).context("the sandbox's AI URL")?,
        api_key: Some(Secret::new(SANDBOX_AI_KEY)),
        model: CHAT_MODEL.to_owned(),
        image_model: Some(IMAGE_MODEL.to_owned()),
        image_sizes: super::ai::pictures::accepted_sizes(IMAGE_MODEL),
        timeout: AiConfig::DEFAULT_TIMEOUT,
    })
}

/// Meta's client pointed at sandbox networks under `base`, with the sandbox's app credentials.
fn sandbox_meta(
    config: &Config,
    base: &str,
    sandbox_config: &SandboxConfig,
) -> anyhow::Result<MetaConfig> {
    let urls = crate::sandbox::meta::MetaUrls::under(base);
    let url = |raw: &str| Url::parse(raw).context("a sandbox URL");
    Ok(MetaConfig {
        urls: MetaUrls {
            facebook_graph: url(&urls.facebook_graph)?,
            facebook_www: url(&urls.facebook_www)?,
            instagram_graph: url(&urls.instagram_graph)?,
            instagram_api: url(&urls.instagram_api)?,
            instagram_www: url(&urls.instagram_www)?,
            instagram_upload: url(&format!("{base}/rupload.facebook.com"))?,
        },
        api_version: config.meta.api_version.clone(),
        facebook: Some(MetaApp {
            app_id: sandbox_config.facebook_app_id.clone(),
            app_secret: Secret::new(sandbox_config.facebook_app_secret.clone()),
        }),
        facebook_config_id: None,
        instagram: Some(MetaApp {
            app_id: sandbox_config.instagram_app_id.clone(),
            app_secret: Secret::new(sandbox_config.instagram_app_secret.clone()),
        }),
        timeout: config.meta.timeout,
    })
}

/// This Herald's name, the same each time it starts: its host and the port it listens on (no
/// two live processes can listen on one port of one host).
pub fn instance_name(address: SocketAddr) -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|host| host.trim().to_owned())
        .filter(|host| !host.is_empty())
        .unwrap_or_else(|| "herald".to_owned());
    format!("{host}:{}", address.port())
}

fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let pages = Router::new()
        .leptos_routes_with_context(&state, routes, security::content_security_policy, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback_service(static_files::router(
            std::path::Path::new(&*state.leptos_options.site_root),
            leptos_axum::file_and_error_handler::<AppState, _>(shell).with_state(state.clone()),
        ))
        .layer(middleware::map_response(error::status_from_app_error))
        .layer(middleware::from_fn(|request, next| {
            security::limit_body(request, next, BODY_LIMIT_BYTES)
        }));

    let mut router = Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(super::metrics::serve))
        .route("/sw.js", get(pwa::service_worker))
        .merge(accounts::routes::router())
        .merge(super::ai::routes::router())
        .merge(media::routes::router())
        .merge(compose::routes::router())
        .merge(super::analytics::export::router())
        .merge(pages)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::refuse_foreign_origin,
        ))
        .with_state(state.clone());
    for (name, value) in security::security_headers() {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router
        .layer(middleware::from_fn_with_state(
            state,
            super::metrics::count_request,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(telemetry::request_span)
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}
