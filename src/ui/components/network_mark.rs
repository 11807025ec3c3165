//! A network's mark beside an account: simple shapes drawn for Herald (not the networks'
//! trademarked logos), an "f" in a rounded square for Facebook, a camera for Instagram.

use leptos::prelude::*;

use crate::domain::accounts::Network;

fn shapes(network: Network) -> &'static str {
    match network {
        Network::Facebook => {
            r#"<rect x="2" y="2" width="20" height="20" rx="5" fill="currentColor"/><path d="M13.5 20v-6.5h2.2l.4-2.6h-2.6V9.3c0-.8.3-1.3 1.4-1.3h1.3V5.7c-.3 0-1.1-.1-2-.1-2 0-3.3 1.2-3.3 3.4v1.9H8.6v2.6h2.3V20z" fill="var(--surface)"/>"#
        }
        Network::Instagram => {
            r#"<rect x="3" y="3" width="18" height="18" rx="5" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="12" cy="12" r="4" fill="none" stroke="currentColor" stroke-width="2"/><circle cx="17.3" cy="6.7" r="1.2" fill="currentColor"/>"#
        }
    }
}

/// Decorative: the network's name is always written beside it (or in a label).
#[component]
pub fn NetworkMark(network: Network) -> impl IntoView {
    view! {
        <svg
            class=format!("network-mark network-{}", network.as_str())
            viewBox="0 0 24 24"
            width="16"
            height="16"
            aria-hidden="true"
            inner_html=shapes(network)
        ></svg>
    }
}
