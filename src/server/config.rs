//! Configuration from `HERALD_*` environment variables (and a `.env` file, if present).
//! Every setting has a default that works on one machine; the README lists them all.

use std::net::SocketAddr;
use std::path::PathBuf;

use url::Url;

use crate::domain::EmailAddress;

use super::ai::AiConfig;
use super::ai::pictures::{ImageSize, accepted_sizes};
use super::crypto::Secret;
use super::http::Reach;
use super::media::upload::UploadLimits;
use super::providers::meta::{MetaApp, MetaConfig, MetaUrls};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupPolicy {
    /// Anyone who reaches the sign-up page may make an account.
    Open,
    /// Only the owner's invitation links (or `herald user create`) add people.
    Invite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub listen_addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Where people reach Herald. `None`: `http://` + the address actually bound.
    pub public_url: Option<Url>,
    pub signup: SignupPolicy,
    /// `HERALD_OWNER_EMAIL`: only this address may create the first account.
    pub owner_email: Option<EmailAddress>,
    /// Herald sits behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For`. Off by default: otherwise anyone could claim any address.
    pub trust_proxy: bool,
    /// The folder holding the compiled browser bundle (`pkg/`) and public assets.
    pub site_root: PathBuf,
    pub log_format: LogFormat,
    /// `HERALD_SECRET_KEY`: seals network tokens. None: a key file in the data directory.
    pub secret_key: Option<Secret>,
    /// `HERALD_PREVIOUS_SECRET_KEYS`: older keys, comma-separated, still opening what they sealed.
    pub previous_secret_keys: Vec<Secret>,
    pub meta: MetaConfig,
    /// A Facebook Page (and its Instagram account) given by the operator in the environment.
    pub environment_account: Option<EnvironmentAccount>,
    /// Run the sandbox networks in-process and point the clients at them.
    pub sandbox: bool,
    /// Talk to sandbox networks already running there (`herald sandbox`), as several Herald
    /// processes sharing one sandbox do (`HERALD_SANDBOX_URL`).
    pub sandbox_url: Option<Url>,
    /// Which addresses outbound calls may reach: public only, except in sandbox and tests.
    pub outbound: Reach,
    /// The largest picture and video one may upload.
    pub upload_limits: UploadLimits,
    /// `HERALD_AI_*`: the OpenAI-compatible endpoint AI assist uses. None: AI is off, and its
    /// controls say how to turn it on.
    pub ai: Option<AiConfig>,
    /// `HERALD_AI_HOURLY_LIMIT` (default 100): the AI calls one workspace may make in an hour,
    /// so one person cannot run up the operator's bill.
    pub ai_hourly_limit: u32,
    /// `HERALD_METRICS_TOKEN`: when set, `/metrics` asks for it as a bearer token.
    pub metrics_token: Option<Secret>,
    /// `HERALD_WORKER` (default on): this process publishes what is due. Off for instances
    /// that only serve pages when others do the publishing.
    pub worker: bool,
}

/// `HERALD_FACEBOOK_PAGE_TOKEN` (+ `HERALD_INSTAGRAM_ACCOUNT_ID`): a Page the owner publishes to
/// without going through Facebook Login.
#[derive(Debug, Clone)]
pub struct EnvironmentAccount {
    pub page_token: Secret,
    pub instagram_account_id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
#[error("{name}: {problem}")]
pub struct ConfigError {
    pub name: &'static str,
    pub problem: String,
}

impl Config {
    /// Reads the process environment, after loading `.env` from the working directory.
    pub fn from_env() -> Result<Config, ConfigError> {
        // A missing .env is the normal case; a malformed one is worth refusing to start over.
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(error) if error.not_found() => {}
            Err(error) => {
                return Err(ConfigError {
                    name: ".env",
                    problem: error.to_string(),
                });
            }
        }
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the configuration from any source of variables (tests pass a map).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());

        let listen_addr = get("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".to_owned())
            .parse()
            .map_err(|error| ConfigError {
                name: "LEPTOS_SITE_ADDR",
                problem: format!("expected host:port, like 127.0.0.1:3000 ({error})"),
            })?;
        let data_dir = PathBuf::from(get("HERALD_DATA_DIR").unwrap_or_else(|| "./data".to_owned()));
        let database_url = match get("DATABASE_URL") {
            Some(url) => url,
            None => default_database_url(&data_dir),
        };
        let public_url = get("HERALD_PUBLIC_URL")
            .map(|raw| parse_public_url(&raw))
            .transpose()?;
        let signup = setting(
            &get,
            "HERALD_SIGNUP",
            SignupPolicy::Invite,
            "`open` or `invite`",
            |raw| match raw {
                "invite" => Some(SignupPolicy::Invite),
                "open" => Some(SignupPolicy::Open),
                _ => None,
            },
        )?;
        let owner_email = setting(
            &get,
            "HERALD_OWNER_EMAIL",
            None,
            "an email address",
            |raw| EmailAddress::parse(raw).ok().map(Some),
        )?;
        let trust_proxy = setting(
            &get,
            "HERALD_TRUST_PROXY",
            false,
            "`true` or `false`",
            |raw| match raw {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
        )?;
        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()));
        let log_format = setting(
            &get,
            "HERALD_LOG_FORMAT",
            LogFormat::Text,
            "`text` or `json`",
            |raw| match raw {
                "text" => Some(LogFormat::Text),
                "json" => Some(LogFormat::Json),
                _ => None,
            },
        )?;
        let sandbox = parse_flag(get("HERALD_SANDBOX"), "HERALD_SANDBOX")?;
        let sandbox_url = match get("HERALD_SANDBOX_URL") {
            None => None,
            Some(raw) => Some(parse_public_url(&raw).map_err(|error| ConfigError {
                name: "HERALD_SANDBOX_URL",
                problem: error.problem,
            })?),
        };
        Ok(Config {
            secret_key: get("HERALD_SECRET_KEY").map(Secret::new),
            previous_secret_keys: get("HERALD_PREVIOUS_SECRET_KEYS")
                .map(|keys| {
                    keys.split(',')
                        .map(str::trim)
                        .filter(|key| !key.is_empty())
                        .map(Secret::new)
                        .collect()
                })
                .unwrap_or_default(),
            meta: meta_config(&get)?,
            environment_account: get("HERALD_FACEBOOK_PAGE_TOKEN").map(|token| {
                EnvironmentAccount {
                    page_token: Secret::new(token.trim()),
                    instagram_account_id: get("HERALD_INSTAGRAM_ACCOUNT_ID")
                        .map(|id| id.trim().to_owned()),
                }
            }),
            upload_limits: upload_limits(&get)?,
            ai: ai_config(&get)?,
            ai_hourly_limit: setting(
                &get,
                "HERALD_AI_HOURLY_LIMIT",
                Config::DEFAULT_AI_HOURLY_LIMIT,
                "a whole number of AI calls, at least 1",
                |raw| raw.parse().ok().filter(|limit| *limit >= 1),
            )?,
            metrics_token: get("HERALD_METRICS_TOKEN")
                .map(|token| token.trim().to_owned())
                .filter(|token| !token.is_empty())
                .map(Secret::new),
            worker: match get("HERALD_WORKER") {
                None => true,
                value => parse_flag(value, "HERALD_WORKER")?,
            },
            outbound: if sandbox || sandbox_url.is_some() {
                Reach::Anywhere
            } else {
                Reach::PublicOnly
            },
            sandbox,
            sandbox_url,
            listen_addr,
            data_dir,
            database_url,
            public_url,
            signup,
            owner_email,
            trust_proxy,
            site_root,
            log_format,
        })
    }
}

impl Config {
    pub const DEFAULT_AI_HOURLY_LIMIT: u32 = 100;

    /// Switches to the in-process sandbox networks (`herald serve --sandbox`).
    pub fn use_sandbox(&mut self) {
        self.sandbox = true;
        self.outbound = Reach::Anywhere;
    }
}

/// The variable `name` read with `parse` (its value trimmed), or `default` when it is unset or
/// empty; a value `parse` refuses is an error naming the variable and what was `expected`.
fn setting<T>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    expected: &str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<T, ConfigError> {
    match get(name).filter(|raw| !raw.trim().is_empty()) {
        None => Ok(default),
        Some(raw) => parse(raw.trim()).ok_or_else(|| ConfigError {
            name,
            problem: format!("expected {expected}, got `{raw}`"),
        }),
    }
}

fn parse_flag(value: Option<String>, name: &'static str) -> Result<bool, ConfigError> {
    match value.as_deref().map(str::trim) {
        None | Some("0" | "false") => Ok(false),
        Some("1" | "true") => Ok(true),
        Some(other) => Err(ConfigError {
            name,
            problem: format!("expected `1`/`true` or `0`/`false`, got `{other}`"),
        }),
    }
}

/// Meta's hosts (real by default), API version and app credentials.
fn meta_config(get: &impl Fn(&str) -> Option<String>) -> Result<MetaConfig, ConfigError> {
    let defaults = MetaUrls::default();
    let url = |name: &'static str, default: Url| {
        setting(get, name, default, "an http(s) URL", |raw| {
            Url::parse(raw)
                .ok()
                .filter(|url| matches!(url.scheme(), "http" | "https"))
        })
    };
    let app = |id: &'static str, secret: &'static str| -> Result<Option<MetaApp>, ConfigError> {
        match (get(id), get(secret)) {
            (Some(app_id), Some(app_secret)) => Ok(Some(MetaApp {
                app_id: app_id.trim().to_owned(),
                app_secret: Secret::new(app_secret.trim()),
            })),
            (None, None) => Ok(None),
            (Some(_), None) => Err(ConfigError {
                name: secret,
                problem: format!("{id} is set, so its secret is needed too"),
            }),
            (None, Some(_)) => Err(ConfigError {
                name: id,
                problem: format!("{secret} is set, so the app id is needed too"),
            }),
        }
    };
    Ok(MetaConfig {
        urls: MetaUrls {
            facebook_graph: url("HERALD_FACEBOOK_GRAPH_URL", defaults.facebook_graph)?,
            facebook_www: url("HERALD_FACEBOOK_WWW_URL", defaults.facebook_www)?,
            instagram_graph: url("HERALD_INSTAGRAM_GRAPH_URL", defaults.instagram_graph)?,
            instagram_api: url("HERALD_INSTAGRAM_API_URL", defaults.instagram_api)?,
            instagram_www: url("HERALD_INSTAGRAM_WWW_URL", defaults.instagram_www)?,
            instagram_upload: url("HERALD_INSTAGRAM_UPLOAD_URL", defaults.instagram_upload)?,
        },
        api_version: get("HERALD_FACEBOOK_API_VERSION")
            .map(|version| version.trim().to_owned())
            .unwrap_or_else(|| MetaConfig::DEFAULT_API_VERSION.to_owned()),
        facebook: app("HERALD_FACEBOOK_APP_ID", "HERALD_FACEBOOK_APP_SECRET")?,
        facebook_config_id: get("HERALD_FACEBOOK_CONFIG_ID").map(|id| id.trim().to_owned()),
        instagram: app("HERALD_INSTAGRAM_APP_ID", "HERALD_INSTAGRAM_APP_SECRET")?,
        timeout: timeout_secs(get, "HERALD_META_TIMEOUT_SECS", MetaConfig::DEFAULT_TIMEOUT)?,
    })
}

/// `HERALD_AI_BASE_URL`, `HERALD_AI_API_KEY`, `HERALD_AI_MODEL`, `HERALD_AI_IMAGE_MODEL`,
/// `HERALD_AI_IMAGE_SIZES`, `HERALD_AI_TIMEOUT_SECS`. Any of the first three turns AI on; the
/// base URL defaults to OpenAI's, where the models default to gpt-4o-mini and gpt-image-1.
fn ai_config(get: &impl Fn(&str) -> Option<String>) -> Result<Option<AiConfig>, ConfigError> {
    let base = get("HERALD_AI_BASE_URL");
    let key = get("HERALD_AI_API_KEY");
    let model = get("HERALD_AI_MODEL");
    if base.is_none() && key.is_none() && model.is_none() {
        return Ok(None);
    }
    let base_url = match &base {
        None => Url::parse(AiConfig::OPENAI).expect("OpenAI's URL parses"),
        Some(raw) => Url::parse(raw.trim())
            .ok()
            .filter(|url| matches!(url.scheme(), "http" | "https") && url.host().is_some())
            .ok_or_else(|| ConfigError {
                name: "HERALD_AI_BASE_URL",
                problem: format!(
                    "expected an http(s) URL with the API version, like http://127.0.0.1:11434/v1, got `{raw}`"
                ),
            })?,
    };
    let openai = base.is_none();
    let model = match model {
        Some(model) => model.trim().to_owned(),
        None if openai => "gpt-4o-mini".to_owned(),
        None => {
            return Err(ConfigError {
                name: "HERALD_AI_MODEL",
                problem: "HERALD_AI_BASE_URL is set, so the model to use is needed too (for example llama3.1)".to_owned(),
            });
        }
    };
    let image_model = get("HERALD_AI_IMAGE_MODEL")
        .map(|model| model.trim().to_owned())
        .or_else(|| openai.then(|| "gpt-image-1".to_owned()));
    let image_sizes = match get("HERALD_AI_IMAGE_SIZES") {
        None => accepted_sizes(image_model.as_deref().unwrap_or_default()),
        Some(raw) => raw
            .split(',')
            .map(|size| {
                ImageSize::parse(size).ok_or_else(|| ConfigError {
                    name: "HERALD_AI_IMAGE_SIZES",
                    problem: format!("expected sizes like 1024x1024,1536x1024, got `{raw}`"),
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
    };
    let timeout = timeout_secs(get, "HERALD_AI_TIMEOUT_SECS", AiConfig::DEFAULT_TIMEOUT)?;
    Ok(Some(AiConfig {
        base_url,
        api_key: key.map(|key| Secret::new(key.trim())),
        model,
        image_model,
        image_sizes,
        timeout,
    }))
}

/// A wait in whole seconds, from 1 to 600.
fn timeout_secs(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: std::time::Duration,
) -> Result<std::time::Duration, ConfigError> {
    setting(get, name, default, "whole seconds from 1 to 600", |raw| {
        raw.parse::<u64>()
            .ok()
            .filter(|seconds| (1..=600).contains(seconds))
            .map(std::time::Duration::from_secs)
    })
}

/// `HERALD_MEDIA_MAX_IMAGE_MB`, `HERALD_MEDIA_MAX_VIDEO_MB`: whole megabytes (MiB).
fn upload_limits(get: &impl Fn(&str) -> Option<String>) -> Result<UploadLimits, ConfigError> {
    let defaults = UploadLimits::default();
    let megabytes = |name: &'static str, default: u64| {
        setting(get, name, default, "a whole number of megabytes", |raw| {
            raw.parse::<u64>()
                .ok()
                .filter(|mb| (1..=100_000).contains(mb))
                .map(|mb| mb * 1024 * 1024)
        })
    };
    Ok(UploadLimits {
        image_bytes: megabytes("HERALD_MEDIA_MAX_IMAGE_MB", defaults.image_bytes)?,
        video_bytes: megabytes("HERALD_MEDIA_MAX_VIDEO_MB", defaults.video_bytes)?,
    })
}

fn default_database_url(data_dir: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("herald.db").display())
}

fn parse_public_url(raw: &str) -> Result<Url, ConfigError> {
    let problem = |problem: String| ConfigError {
        name: "HERALD_PUBLIC_URL",
        problem,
    };
    let url = Url::parse(raw.trim()).map_err(|error| problem(format!("not a URL ({error})")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(problem("expected an http:// or https:// origin".to_owned()));
    }
    if url.path() != "/" || url.query().is_some() {
        return Err(problem(
            "Herald must be served at the root of its origin, like https://herald.example.com"
                .to_owned(),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_work_on_one_machine() {
        let config = config(&[]).unwrap();
        assert_eq!(config.listen_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.data_dir, PathBuf::from("./data"));
        assert_eq!(config.database_url, "sqlite://./data/herald.db?mode=rwc");
        assert_eq!(config.public_url, None);
        assert_eq!(config.signup, SignupPolicy::Invite);
    }

    #[test]
    fn database_defaults_to_a_file_in_the_data_dir() {
        let config = config(&[("HERALD_DATA_DIR", "/srv/herald")]).unwrap();
        assert_eq!(
            config.database_url,
            "sqlite:///srv/herald/herald.db?mode=rwc"
        );
    }

    #[test]
    fn ai_is_off_unless_configured_and_defaults_to_openai() {
        assert!(config(&[]).unwrap().ai.is_none());
        let openai = config(&[("HERALD_AI_API_KEY", "sk-test")])
            .unwrap()
            .ai
            .unwrap();
        assert_eq!(openai.base_url.as_str(), "https://api.openai.com/v1");
        assert_eq!(openai.model, "gpt-4o-mini");
        assert_eq!(openai.image_model.as_deref(), Some("gpt-image-1"));
        let ollama = config(&[
            ("HERALD_AI_BASE_URL", "http://127.0.0.1:11434/v1"),
            ("HERALD_AI_MODEL", "llama3.1"),
        ])
        .unwrap()
        .ai
        .unwrap();
        assert!(ollama.api_key.is_none());
        assert!(ollama.image_model.is_none());
        let error = config_error(&[("HERALD_AI_BASE_URL", "http://127.0.0.1:11434/v1")]);
        assert_eq!(error.name, "HERALD_AI_MODEL");
        let error = config_error(&[("HERALD_AI_BASE_URL", "localhost:11434")]);
        assert_eq!(error.name, "HERALD_AI_BASE_URL");
        let sized = config(&[
            ("HERALD_AI_API_KEY", "k"),
            ("HERALD_AI_IMAGE_SIZES", "512x512, 768x1024"),
        ])
        .unwrap()
        .ai
        .unwrap();
        assert_eq!(
            sized.image_sizes,
            vec![ImageSize::new(512, 512), ImageSize::new(768, 1024)]
        );
        let error = config_error(&[("HERALD_AI_API_KEY", "k"), ("HERALD_AI_IMAGE_SIZES", "big")]);
        assert_eq!(error.name, "HERALD_AI_IMAGE_SIZES");
    }

    #[test]
    fn signup_policy_is_open_or_invite() {
        assert_eq!(
            config(&[("HERALD_SIGNUP", "open")]).unwrap().signup,
            SignupPolicy::Open
        );
        let error = config(&[("HERALD_SIGNUP", "everyone")]).unwrap_err();
        assert_eq!(error.name, "HERALD_SIGNUP");
    }

    #[test]
    fn public_url_must_be_an_http_origin() {
        let ok = config(&[("HERALD_PUBLIC_URL", "https://herald.example.com")]).unwrap();
        assert_eq!(
            ok.public_url.unwrap().as_str(),
            "https://herald.example.com/"
        );
        for bad in ["herald.example.com", "ftp://x.org", "https://x.org/herald"] {
            assert!(config(&[("HERALD_PUBLIC_URL", bad)]).is_err(), "{bad}");
        }
    }

    #[test]
    fn meta_defaults_to_the_real_hosts_and_needs_id_and_secret_together() {
        let defaults = config(&[]).unwrap();
        assert_eq!(
            defaults.meta.urls.facebook_graph.as_str(),
            "https://graph.facebook.com/"
        );
        assert_eq!(defaults.meta.api_version, "v23.0");
        assert!(defaults.meta.facebook.is_none());
        assert_eq!(defaults.outbound, Reach::PublicOnly);

        let error = config_error(&[("HERALD_FACEBOOK_APP_ID", "123")]);
        assert_eq!(error.name, "HERALD_FACEBOOK_APP_SECRET");
        let set = config(&[
            ("HERALD_FACEBOOK_APP_ID", "123"),
            ("HERALD_FACEBOOK_APP_SECRET", "shh"),
            (
                "HERALD_FACEBOOK_GRAPH_URL",
                "http://127.0.0.1:9/graph.facebook.com",
            ),
        ])
        .unwrap();
        assert_eq!(set.meta.facebook.unwrap().app_secret.expose(), "shh");
        assert_eq!(set.meta.urls.facebook_graph.port(), Some(9));
    }

    #[test]
    fn the_sandbox_lets_calls_reach_loopback() {
        let sandboxed = config(&[("HERALD_SANDBOX", "1")]).unwrap();
        assert!(sandboxed.sandbox);
        assert_eq!(sandboxed.outbound, Reach::Anywhere);
        assert_eq!(
            config_error(&[("HERALD_SANDBOX", "yes please")]).name,
            "HERALD_SANDBOX"
        );
    }

    fn config_error(vars: &[(&str, &str)]) -> ConfigError {
        config(vars).expect_err("refused")
    }

    #[test]
    fn a_bad_listen_address_names_the_variable() {
        let error = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
        assert_eq!(error.name, "LEPTOS_SITE_ADDR");
    }
}
