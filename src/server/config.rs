//! Configuration from `HERALD_*` environment variables (and a `.env` file, if present).
//! Every setting has a default that works on one machine; the README lists them all.

use std::net::SocketAddr;
use std::path::PathBuf;

use url::Url;

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
    /// Herald sits behind a reverse proxy that appends the client's address to
    /// `X-Forwarded-For`. Off by default: otherwise anyone could claim any address.
    pub trust_proxy: bool,
    /// The folder holding the compiled browser bundle (`pkg/`) and public assets.
    pub site_root: PathBuf,
    pub log_format: LogFormat,
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
        let signup = match get("HERALD_SIGNUP").as_deref().map(str::trim) {
            None | Some("invite") => SignupPolicy::Invite,
            Some("open") => SignupPolicy::Open,
            Some(other) => {
                return Err(ConfigError {
                    name: "HERALD_SIGNUP",
                    problem: format!("expected `open` or `invite`, got `{other}`"),
                });
            }
        };
        let trust_proxy = match get("HERALD_TRUST_PROXY").as_deref().map(str::trim) {
            None | Some("false") => false,
            Some("true") => true,
            Some(other) => {
                return Err(ConfigError {
                    name: "HERALD_TRUST_PROXY",
                    problem: format!("expected `true` or `false`, got `{other}`"),
                });
            }
        };
        let site_root =
            PathBuf::from(get("LEPTOS_SITE_ROOT").unwrap_or_else(|| "target/site".to_owned()));
        let log_format = match get("HERALD_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => {
                return Err(ConfigError {
                    name: "HERALD_LOG_FORMAT",
                    problem: format!("expected `text` or `json`, got `{other}`"),
                });
            }
        };
        Ok(Config {
            listen_addr,
            data_dir,
            database_url,
            public_url,
            signup,
            trust_proxy,
            site_root,
            log_format,
        })
    }
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
    fn a_bad_listen_address_names_the_variable() {
        let error = config(&[("LEPTOS_SITE_ADDR", "localhost")]).unwrap_err();
        assert_eq!(error.name, "LEPTOS_SITE_ADDR");
    }
}
