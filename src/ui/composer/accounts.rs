//! Choosing the accounts a post goes to: each with its network's mark, and once chosen, its
//! caption counter, the problems its network finds, where it shows the post (an Instagram
//! account's feed or Story) and room for its own text.

use leptos::prelude::*;
use leptos_i18n::td_string;

use super::state::Composer;
use crate::api::accounts::AccountView;
use crate::domain::accounts::AccountStatus;
use crate::domain::counting::length;
use crate::domain::limits::limits_for;
use crate::domain::post::PostFormat;
use crate::text::Locale;
use crate::text::rules::{describe_rule, network_name};
use crate::ui::components::NetworkMark;

#[component]
pub fn ChooseAccounts(
    composer: Composer,
    accounts: Vec<AccountView>,
    locale: Locale,
) -> impl IntoView {
    let usable: Vec<AccountView> = accounts
        .into_iter()
        .filter(|account| account.status != AccountStatus::Disconnected)
        .collect();
    if usable.is_empty() {
        return view! {
            <p class="muted">
                {td_string!(locale, compose.no_accounts)} " "
                <a href="/accounts">{td_string!(locale, compose.connect_accounts)}</a>
            </p>
        }
        .into_any();
    }
    view! {
        <ul class="composer-accounts">
            {usable
                .into_iter()
                .map(|account| view! { <AccountChoice composer account locale /> })
                .collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn AccountChoice(composer: Composer, account: AccountView, locale: Locale) -> impl IntoView {
    let id = account.id.clone();
    let checkbox_id = format!("account-{}", account.id);
    let name = account.name.clone();
    let network = account.network;
    let chosen = {
        let id = id.clone();
        Memo::new(move |_| composer.is_chosen(&id))
    };
    let toggle = {
        let id = id.clone();
        move |event: leptos::ev::Event| composer.toggle(&id, event_target_checked(&event))
    };
    // The caption this account would receive, and what its network says about the post.
    let caption = {
        let id = id.clone();
        Memo::new(move |_| composer.caption_for(&id))
    };
    let findings = {
        let id = id.clone();
        Memo::new(move |_| {
            if !chosen.get() {
                return Vec::new();
            }
            composer
                .findings()
                .into_iter()
                .filter(|finding| finding.account_id == id)
                .collect::<Vec<_>>()
        })
    };
    // Counted as the chosen kind of post counts it; a Story has no caption to count.
    let counter = {
        let id = id.clone();
        move || {
            let format = composer.format(&id);
            let rules = limits_for(network, format);
            let used = caption.with(|caption| length(caption, rules.counting));
            (format == PostFormat::Feed).then_some((used, rules.caption_max))
        }
    };
    let variant_id = format!("variant-{}", account.id);
    let variant_name = format!("variant:{}", account.id);
    let problems_label = td_string!(locale, compose.problems_for, name = name.clone()).to_string();
    let own_text_label = td_string!(locale, compose.own_text_for, name = name.clone()).to_string();
    let counter_label = td_string!(locale, compose.counter_for, name = name.clone()).to_string();
    let needs_reconnect = account.status == AccountStatus::NeedsReconnect;
    let variant_id_for_label = variant_id.clone();
    let id_for_variant = id.clone();
    let id_for_input = id.clone();
    view! {
        <li class="composer-account" class:chosen=move || chosen.get()>
            <label class="account-choice" for=checkbox_id.clone()>
                <input
                    type="checkbox"
                    id=checkbox_id.clone()
                    name="account"
                    value=account.id.to_string()
                    prop:checked=move || chosen.get()
                    checked=chosen.get_untracked()
                    on:change=toggle
                />
                {account
                    .avatar_url
                    .clone()
                    .map(|url| view! { <img class="avatar avatar-small" src=url alt="" width="32" height="32" /> })}
                <NetworkMark network />
                <span>
                    {name.clone()} <span class="muted">" · " {network_name(network)}</span>
                </span>
            </label>
            {needs_reconnect
                .then(|| view! { <p class="hint">{td_string!(locale, compose.needs_reconnect)}</p> })}
            <Show when=move || chosen.get()>
                {
                    let counter_label = counter_label.clone();
                    let counter = counter.clone();
                    move || {
                        counter()
                            .map(|(used, max)| {
                                let over = used > max;
                                view! {
                                    <p class="counter" aria-label=counter_label.clone() class:over=over>
                                        {format!("{used} / {max}")}
                                    </p>
                                }
                            })
                    }
                }
                {
                    let problems_label = problems_label.clone();
                    move || {
                        let findings = findings.get();
                        (!findings.is_empty())
                            .then(|| {
                                view! {
                                    <ul class="problems" aria-label=problems_label.clone()>
                                        {findings
                                            .into_iter()
                                            .map(|finding| {
                                                let blocking = finding.rule.stops_publishing();
                                                view! {
                                                    <li class=if blocking { "problem" } else { "note" }>
                                                        {describe_rule(finding.network, &finding.rule, locale)}
                                                    </li>
                                                }
                                            })
                                            .collect_view()}
                                    </ul>
                                }
                            })
                    }
                }
                {PostFormat::Story
                    .is_offered_on(network)
                    .then(|| view! { <ChooseFormat composer account=id.clone() name=name.clone() locale /> })}
                <details class="own-text" open=composer.variant(&id_for_variant).is_some()>
                    <summary>{own_text_label.clone()}</summary>
                    <label class="visually-hidden" for=variant_id_for_label.clone()>
                        {own_text_label.clone()}
                    </label>
                    <textarea
                        id=variant_id.clone()
                        name=variant_name.clone()
                        rows="4"
                        prop:value={
                            let id = id_for_input.clone();
                            move || composer.variant(&id).unwrap_or_default()
                        }
                        on:input={
                            let id = id_for_input.clone();
                            move |event| composer.set_variant(&id, event_target_value(&event))
                        }
                    >
                        {composer.variant(&id_for_input).unwrap_or_default()}
                    </textarea>
                    <p class="hint">{td_string!(locale, compose.own_text_hint)}</p>
                </details>
            </Show>
        </li>
    }
}

/// Feed or Story, as two radio buttons a plain form sends as `format:<account id>`.
#[component]
fn ChooseFormat(
    composer: Composer,
    account: crate::domain::AccountId,
    name: String,
    locale: Locale,
) -> impl IntoView {
    let field = format!("format:{account}");
    let legend = td_string!(locale, compose.format_for, name = name).to_string();
    let choices = [
        (
            PostFormat::Feed,
            td_string!(locale, compose.format_feed).to_string(),
        ),
        (
            PostFormat::Story,
            td_string!(locale, compose.format_story).to_string(),
        ),
    ];
    view! {
        <fieldset class="post-format">
            <legend>{legend}</legend>
            {choices
                .into_iter()
                .map(|(format, label)| {
                    let input_id = format!("format-{}-{}", account, format.as_str());
                    let chosen = {
                        let account = account.clone();
                        Memo::new(move |_| composer.format(&account) == format)
                    };
                    let account = account.clone();
                    view! {
                        <label for=input_id.clone()>
                            <input
                                type="radio"
                                id=input_id.clone()
                                name=field.clone()
                                value=format.as_str()
                                prop:checked=move || chosen.get()
                                checked=chosen.get_untracked()
                                on:change=move |_| composer.set_format(&account, format)
                            />
                            {label}
                        </label>
                    }
                })
                .collect_view()}
        </fieldset>
    }
}
