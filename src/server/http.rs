//! The HTTP client Herald reaches other servers with. Outside sandbox and test mode it refuses
//! loopback and private addresses (checked on the URL, and on every address a name resolves
//! to), so a URL someone types — or a network's answer — cannot make Herald call its own
//! machine or the network behind it.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Which addresses outbound calls may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The public internet only: production.
    PublicOnly,
    /// Anything, loopback included: sandbox and tests, whose networks run on 127.0.0.1.
    Anywhere,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is a local or private address; Herald only calls public servers")]
pub struct Blocked(pub String);

/// Graph calls answer in well under this; uploads get their own, longer, limits later.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub fn outbound_client(reach: Reach) -> reqwest::Client {
    outbound_client_with_timeout(reach, REQUEST_TIMEOUT)
}

/// As [`outbound_client`], with a limit of the caller's on how long one call may take.
pub fn outbound_client_with_timeout(reach: Reach, timeout: Duration) -> reqwest::Client {
    let builder = reqwest::Client::builder()
        .user_agent(concat!("Herald/", env!("CARGO_PKG_VERSION")))
        .timeout(timeout)
        .connect_timeout(CONNECT_TIMEOUT)
        // APIs answer; they do not redirect. A redirect to an IP literal would skip the resolver.
        .redirect(reqwest::redirect::Policy::none());
    let builder = match reach {
        Reach::PublicOnly => builder.dns_resolver(Arc::new(PublicOnlyResolver)),
        Reach::Anywhere => builder,
    };
    builder
        .build()
        .expect("the HTTP client's TLS backend initialises")
}

/// Refuses URLs that name a local or private address outright (names are checked when they
/// resolve).
pub fn check_destination(url: &Url, reach: Reach) -> Result<(), Blocked> {
    if reach == Reach::Anywhere {
        return Ok(());
    }
    let refused = match url.host() {
        Some(Host::Ipv4(ip)) => !is_public(IpAddr::V4(ip)),
        Some(Host::Ipv6(ip)) => !is_public(IpAddr::V6(ip)),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => true,
    };
    if refused {
        Err(Blocked(url.host_str().unwrap_or_default().to_owned()))
    } else {
        Ok(())
    }
}

pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                // Carrier-grade NAT (100.64.0.0/10) and "this network" (0.0.0.0/8).
                || (a == 100 && (64..128).contains(&b))
                || a == 0)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                // Unique local (fc00::/7) and link-local (fe80::/10).
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

/// Resolves names as usual, then drops every address that is not public; a name with only
/// private addresses fails to resolve.
struct PublicOnlyResolver;

impl Resolve for PublicOnlyResolver {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let public: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0))
                .await?
                .filter(|address| is_public(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(Box::new(Blocked(host)) as Box<dyn std::error::Error + Send + Sync>);
            }
            let addresses: Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_local_addresses_are_not_public() {
        for address in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(address.parse().unwrap()), "{address}");
        }
        for address in ["157.240.1.35", "2a03:2880:f10c:83:face:b00c:0:25de"] {
            assert!(is_public(address.parse().unwrap()), "{address}");
        }
    }

    #[test]
    fn urls_naming_local_hosts_are_refused_unless_anywhere_is_allowed() {
        let local = Url::parse("http://127.0.0.1:8080/graph").unwrap();
        let named = Url::parse("http://localhost/graph").unwrap();
        let metadata = Url::parse("http://169.254.169.254/latest").unwrap();
        let public = Url::parse("https://graph.facebook.com/v23.0/me").unwrap();
        assert!(check_destination(&local, Reach::PublicOnly).is_err());
        assert!(check_destination(&named, Reach::PublicOnly).is_err());
        assert!(check_destination(&metadata, Reach::PublicOnly).is_err());
        assert!(check_destination(&public, Reach::PublicOnly).is_ok());
        assert!(check_destination(&local, Reach::Anywhere).is_ok());
    }

    #[tokio::test]
    async fn names_that_resolve_only_to_loopback_are_refused() {
        let client = outbound_client(Reach::PublicOnly);
        let error = client.get("http://localhost:9/").send().await.unwrap_err();
        assert!(error.is_connect() || error.is_request(), "{error}");
    }
}
