//! How the post will look on each chosen account: a Facebook Page post (text above the
//! pictures), an Instagram post (the first picture as Instagram crops it, then the caption) or
//! an Instagram Story (the one picture or video, tall, no caption).
//! Pictures are the very files each network will receive, so a crop shows as it will be.

use leptos::prelude::*;
use leptos_i18n::td_string;

use super::state::Composer;
use crate::api::accounts::AccountView;
use crate::api::media::MediaItem;
use crate::domain::accounts::Network;
use crate::domain::media::MediaFacts;
use crate::domain::post::PostFormat;
use crate::text::Locale;
use crate::text::rules::network_name;
use crate::ui::components::NetworkMark;

#[component]
pub fn Previews(composer: Composer, locale: Locale) -> impl IntoView {
    let chosen = move || {
        let ids: Vec<_> = composer
            .targets
            .with(|targets| targets.iter().map(|t| t.account_id.clone()).collect());
        composer.accounts.with_value(|accounts| {
            ids.iter()
                .filter_map(|id| accounts.iter().find(|account| &account.id == id).cloned())
                .collect::<Vec<_>>()
        })
    };
    move || {
        let accounts = chosen();
        if accounts.is_empty() {
            return view! { <p class="muted">{td_string!(locale, compose.preview_empty)}</p> }
                .into_any();
        }
        accounts
            .into_iter()
            .map(|account| view! { <Preview composer account locale /> })
            .collect_view()
            .into_any()
    }
}

#[component]
fn Preview(composer: Composer, account: AccountView, locale: Locale) -> impl IntoView {
    let id = account.id.clone();
    let network = account.network;
    let format = {
        let id = id.clone();
        Memo::new(move |_| composer.format(&id))
    };
    let caption = Memo::new(move |_| composer.caption_for(&id));
    let label = td_string!(
        locale,
        compose.preview_for,
        name = account.name.clone(),
        network = network_name(network)
    )
    .to_string();
    let handle = account
        .username
        .clone()
        .unwrap_or_else(|| account.name.clone());
    let avatar = account.avatar_url.clone();
    let head = view! {
        <header class="preview-head">
            {avatar.map(|url| view! { <img class="avatar avatar-small" src=url alt="" width="32" height="32" /> })}
            <strong>{if network == Network::Instagram { handle.clone() } else { account.name.clone() }}</strong>
            <NetworkMark network />
        </header>
    };
    let pictures = move || {
        let media = composer.media.get();
        if media.is_empty() {
            return None;
        }
        let format = format.get();
        Some(match network {
            Network::Instagram if format == PostFormat::Story => view! {
                <div class="preview-story">{medium(&media[0], network, format)}</div>
            }
            .into_any(),
            Network::Instagram => {
                let count = media.len();
                view! {
                    <div class="preview-square">
                        {medium(&media[0], network, format)}
                        {(count > 1).then(|| view! { <span class="preview-count">{format!("1/{count}")}</span> })}
                    </div>
                }
                .into_any()
            }
            Network::Facebook => view! {
                <div class="preview-grid" data-count=media.len().min(4).to_string()>
                    {media.iter().take(4).map(|item| medium(item, network, format)).collect_view()}
                </div>
            }
            .into_any(),
        })
    };
    view! {
        <article class=format!("preview preview-{}", network.as_str()) aria-label=label>
            {head}
            {match network {
                Network::Facebook => view! {
                    <p class="preview-text">{move || caption.get()}</p>
                    {pictures}
                }
                .into_any(),
                Network::Instagram => view! {
                    {pictures}
                    <Show when=move || format.get() == PostFormat::Feed>
                        <p class="preview-text"><strong>{handle.clone()}</strong> " " {move || caption.get()}</p>
                    </Show>
                }
                .into_any(),
            }}
        </article>
    }
}

fn medium(item: &MediaItem, network: Network, format: PostFormat) -> impl IntoView + use<> {
    let alt = item.alt_text.clone();
    match item.facts {
        MediaFacts::Video { .. } => view! {
            <video src=item.url.clone() preload="metadata" muted aria-label=alt></video>
        }
        .into_any(),
        MediaFacts::Image { .. } => view! {
            <img src=item.url_for(network, format).to_owned() alt=alt loading="lazy" />
        }
        .into_any(),
    }
}
