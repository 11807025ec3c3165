//! The provider contract suite: the same scenarios run against every provider through its
//! emulator, each account connected the way a person connects it (login, dialog, pick).
//! Every provider must: connect; refuse a bad grant and add nothing; publish each format it
//! offers, once, and read its address back; after a timeout that hid a post, find it rather
//! than post again; wait out a rate limit, then post; and, when the token stops working, fail
//! the post and ask for the account to be reconnected; and read the figures of the account
//! and of its posts. `providers/<network>.rs` names the
//! subjects and runs each scenario; a new network adds a file there.

mod facebook;
mod instagram;

use std::time::Duration;

use herald::domain::AccountId;
use herald::sandbox::meta::{Fault, FaultKind, SandboxPost};
use herald::server::clock::Clock;
use herald::server::db::{self, accounts};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::connect::{come_back, listed, location, offers, pick, start};
use crate::helpers::dialog::{answer_dialog, query_value};
use crate::helpers::{TestApp, TestOptions, spawn_app_with};
use crate::publishing::{
    ledger_steps, next_due, picture, post, publish, run_once, save, settle, target, video,
};

/// One provider, as the suite drives it.
pub(crate) struct Subject {
    /// The login started from the Accounts page (`/oauth/{login}/start`).
    pub login: &'static str,
    /// The network of the account picked among what the login offers.
    pub network: &'static str,
    /// Where the emulator answers the call that publishes a text-less or text post of
    /// [`Subject::formats`]' first format: faults are injected there.
    pub publish_path: &'static str,
    /// Every format the provider offers, each published in the publish scenario.
    pub formats: &'static [Format],
}

/// A kind of post, as the composer makes it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Format {
    Text,
    Link,
    Picture,
    Pictures,
    Video,
    Story,
}

/// A signed-in person with one account of the subject's network connected through its login.
pub(crate) struct Connected {
    pub app: TestApp,
    pub account: AccountId,
    /// The network's id for the account: what the emulator files its posts under.
    pub remote_id: String,
}

async fn app(options: TestOptions) -> TestApp {
    let app = spawn_app_with(TestOptions {
        sandbox: true,
        ..options
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    app
}

/// Connects an account of `subject` as a person would: the login, Continue at the emulator's
/// dialog, then picking the offer of the subject's network.
pub(crate) async fn connected(subject: &Subject, options: TestOptions) -> Connected {
    let app = app(options).await;
    let dialog = start(&app, &app.client, subject.login).await;
    let callback = answer_dialog(dialog, "continue").await;
    let next = come_back(&app.client, &callback).await;
    let batch = next
        .strip_prefix("/accounts/pick?batch=")
        .unwrap_or_else(|| panic!("expected the pick page, got {next}"))
        .to_owned();
    let offer = offers(&app, &app.client, &batch)
        .await
        .into_iter()
        .find(|offer| offer["network"] == subject.network && offer["refusal"].is_null())
        .unwrap_or_else(|| {
            panic!(
                "the {} login offers a {} account",
                subject.login, subject.network
            )
        });
    let done = pick(
        &app,
        &app.client,
        &batch,
        &[offer["id"].as_str().unwrap().to_owned()],
    )
    .await;
    assert_eq!(done, "/accounts?done=added&count=1");
    let listed = listed(&app, &app.client).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["network"], subject.network);
    assert_eq!(listed[0]["status"], "active");
    let account = AccountId::from(listed[0]["id"].as_str().unwrap().to_owned());
    let remote_id = stored(&app, &account).await.profile.remote_id;
    Connected {
        app,
        account,
        remote_id,
    }
}

async fn stored(app: &TestApp, account: &AccountId) -> herald::domain::accounts::Account {
    let session = app.session(&app.client).await.expect("signed in");
    let workspace = session["workspace_id"].as_str().unwrap().to_owned().into();
    accounts::find(app.state.db.pool(), &workspace, account)
        .await
        .unwrap()
        .expect("the account is stored")
}

fn posts_on(connected: &Connected) -> Vec<SandboxPost> {
    let sandbox = connected.app.sandbox.as_ref().expect("the sandbox runs");
    sandbox
        .meta()
        .published()
        .into_iter()
        .filter(|post| post.account_id == connected.remote_id)
        .collect()
}

fn inject(connected: &Connected, fault: Fault) {
    connected.app.sandbox.as_ref().unwrap().meta().inject(fault);
}

/// Saves and publishes a post of `format` to the connected account; the post's id.
async fn publish_format(connected: &Connected, format: Format, text: &str) -> String {
    let app = &connected.app;
    let (media, story) = match format {
        Format::Text => (Vec::new(), false),
        Format::Link => (Vec::new(), false),
        Format::Picture => (vec![picture(app, "one.jpg").await], false),
        Format::Pictures => (
            vec![picture(app, "one.jpg").await, picture(app, "two.jpg").await],
            false,
        ),
        Format::Video => (vec![video(app).await], false),
        Format::Story => (vec![picture(app, "story.jpg").await], true),
    };
    let text = match format {
        Format::Link => format!("{text} https://example.org/news"),
        _ => text.to_owned(),
    };
    let targets = vec![json!({
        "account_id": connected.account,
        "variant": null,
        "format": if story { "story" } else { "feed" },
    })];
    let saved = save(app, targets, &text, &media)
        .await
        .unwrap_or_else(|refusal| panic!("{format:?} is saved: {refusal}"));
    let id = saved["id"].as_str().unwrap().to_owned();
    publish(app, &id, saved["revision"].as_i64().unwrap()).await;
    id
}

/// The first format's post, published and settled; its view.
async fn published_view(connected: &Connected, format: Format, text: &str) -> Value {
    let id = publish_format(connected, format, text).await;
    settle(&connected.app).await;
    post(&connected.app, &id).await
}

pub(crate) async fn connects(subject: &Subject) {
    let connected = connected(subject, TestOptions::default()).await;
    let account = stored(&connected.app, &connected.account).await;
    assert!(!account.profile.remote_id.is_empty());
    assert!(!account.profile.name.is_empty());
    // The token works: testing the connection says so.
    let tested = connected
        .app
        .call(
            &connected.app.client,
            "test_account",
            &[("id", connected.account.as_str())],
        )
        .await;
    assert_eq!(tested.json::<Value>().await.unwrap(), "working");
}

pub(crate) async fn refuses_a_bad_grant(subject: &Subject) {
    let app = app(TestOptions::default()).await;
    let dialog = start(&app, &app.client, subject.login).await;
    // The network's redirect back, carrying a code it never issued.
    let callback = answer_dialog(dialog, "continue").await;
    let mut forged = callback.clone();
    let state = query_value(&callback, "state").expect("the callback carries the state");
    forged
        .query_pairs_mut()
        .clear()
        .append_pair("code", "a-code-nobody-issued")
        .append_pair("state", &state);
    let next = come_back(&app.client, &forged).await;
    assert!(
        next.starts_with("/accounts?problem=meta_"),
        "the network's refusal is said: {next}"
    );
    assert!(listed(&app, &app.client).await.is_empty());
}

pub(crate) async fn publishes_each_format_once_and_reads_it_back(subject: &Subject) {
    let connected = connected(subject, TestOptions::default()).await;
    for (count, format) in subject.formats.iter().enumerate() {
        let view = published_view(&connected, *format, &format!("Contract {format:?}")).await;
        assert_eq!(view["status"], "published", "{format:?}: {view}");
        let result = target(&view, &connected.account);
        let live = posts_on(&connected);
        assert_eq!(live.len(), count + 1, "{format:?} is posted once");
        // Read back: the address Herald shows opens the live post at the network.
        let newest = live.iter().max_by_key(|post| post.created_at).unwrap();
        let address = result["remote_url"]
            .as_str()
            .unwrap_or_else(|| panic!("{format:?} has its address: {view}"));
        let page = reqwest::get(address).await.unwrap();
        assert_eq!(page.status(), StatusCode::OK, "{format:?}: {address}");
        let shown = page.text().await.unwrap();
        assert!(
            shown.contains(&newest.id),
            "{format:?}: {address} shows the post {}",
            newest.id
        );
    }
}

pub(crate) async fn finds_a_post_whose_answer_was_lost_instead_of_posting_again(subject: &Subject) {
    let connected = connected(
        subject,
        TestOptions {
            meta_timeout: Some(Duration::from_millis(500)),
            ..TestOptions::default()
        },
    )
    .await;
    inject(
        &connected,
        Fault::once(subject.publish_path, FaultKind::AnswerLate { millis: 1500 }),
    );
    let id = publish_format(&connected, subject.formats[0], "Said once").await;
    settle(&connected.app).await;
    let view = post(&connected.app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    let steps = ledger_steps(&view, &connected.account);
    assert!(
        steps
            .iter()
            .any(|(_, outcome)| outcome == "outcome_unknown"),
        "the lost answer was noticed: {steps:?}"
    );
    assert!(
        steps.contains(&("reconcile".into(), "found_posted".into())),
        "{steps:?}"
    );
    assert_eq!(posts_on(&connected).len(), 1, "posted once, never twice");
}

pub(crate) async fn waits_out_a_rate_limit_then_posts(subject: &Subject) {
    let connected = connected(subject, TestOptions::default()).await;
    inject(
        &connected,
        Fault::once(
            subject.publish_path,
            FaultKind::GraphError {
                status: 400,
                code: 4,
                subcode: None,
                is_transient: None,
                message: "(#4) Application request limit reached".into(),
                headers: Vec::new(),
            },
        ),
    );
    let app = &connected.app;
    let id = publish_format(&connected, subject.formats[0], "Patience").await;
    run_until_a_long_wait(app).await;
    assert!(
        posts_on(&connected).is_empty(),
        "nothing is posted while limited"
    );
    assert!(
        next_due(app).await >= db::millis(app.clock.now() + chrono::Duration::minutes(15)),
        "a throttled account is left alone for a while"
    );
    settle(app).await;
    let view = post(app, &id).await;
    assert_eq!(view["status"], "published", "{view}");
    let steps = ledger_steps(&view, &connected.account);
    assert!(
        steps.iter().any(|(_, outcome)| outcome == "waiting"),
        "{steps:?}"
    );
    assert_eq!(posts_on(&connected).len(), 1);
}

/// Runs the queue, stepping the clock over short waits (a container being read), until the
/// job waits a minute or more.
async fn run_until_a_long_wait(app: &TestApp) {
    for _ in 0..100 {
        if run_once(app).await > 0 {
            continue;
        }
        let due = next_due(app).await;
        if due >= db::millis(app.clock.now() + chrono::Duration::minutes(1)) {
            return;
        }
        app.clock
            .set(chrono::DateTime::from_timestamp_millis(due).unwrap());
    }
    panic!("the job never waited long");
}

pub(crate) async fn asks_for_a_reconnect_when_the_token_stops_working(subject: &Subject) {
    let connected = connected(subject, TestOptions::default()).await;
    let sandbox = connected.app.sandbox.as_ref().unwrap();
    // The session expired at the network (error 190/463) for every token it issued.
    for token in sandbox.meta().issued_tokens() {
        sandbox.meta().revoke_token(&token, 463);
    }
    let view = published_view(&connected, subject.formats[0], "Too late").await;
    assert_eq!(view["status"], "failed", "{view}");
    let result = target(&view, &connected.account);
    assert_eq!(result["reason"], "reconnect");
    assert_eq!(result["account_needs_reconnect"], true);
    let listed = listed(&connected.app, &connected.app.client).await;
    assert_eq!(listed[0]["status"], "needs_reconnect");
    assert!(posts_on(&connected).is_empty());
    // The Accounts page offers the way back: reconnecting starts the same login.
    let reconnect = connected
        .app
        .client
        .get(connected.app.url(&format!(
            "/oauth/{}/start?reconnect={}",
            subject.login, connected.account
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(reconnect.status(), StatusCode::SEE_OTHER);
    assert!(!location(&reconnect).starts_with("/accounts?problem="));
}

/// The provider's figures method, through the jobs that call it: the account's own figures as
/// soon as it is connected, a post's an hour after it went out.
pub(crate) async fn collects_figures_of_the_account_and_its_posts(subject: &Subject) {
    let connected = connected(subject, TestOptions::default()).await;
    let app = &connected.app;
    let sandbox = app.sandbox.as_ref().unwrap().meta();
    run_once(app).await;
    let pool = app.state.db.pool();
    let followers: Vec<(i64,)> = sqlx::query_as(
        "SELECT value FROM figure_snapshots \
         WHERE account_id = $1 AND post_id IS NULL AND metric = 'followers'",
    )
    .bind(&connected.account)
    .fetch_all(pool)
    .await
    .unwrap();
    assert_eq!(
        followers.len(),
        1,
        "the account's followers, taken on connecting"
    );

    let view = published_view(&connected, subject.formats[0], "Counted").await;
    let post_id = view["id"].as_str().unwrap().to_owned();
    let (due, remote_id): (i64, String) = sqlx::query_as(
        "SELECT jobs.due_at, post_targets.remote_id FROM jobs \
         JOIN post_targets ON post_targets.post_id = jobs.post_id \
             AND post_targets.account_id = jobs.account_id \
         WHERE jobs.kind = 'collect_post_figures' AND jobs.post_id = $1",
    )
    .bind(&post_id)
    .fetch_one(pool)
    .await
    .unwrap();
    sandbox.age_published(&[remote_id], chrono::Duration::days(1));
    app.clock
        .set(chrono::DateTime::from_timestamp_millis(due).unwrap());
    run_once(app).await;
    let taken: Vec<(String, i64)> = sqlx::query_as(
        "SELECT metric, value FROM figure_snapshots WHERE post_id = $1 ORDER BY metric",
    )
    .bind(&post_id)
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(
        taken
            .iter()
            .any(|(metric, value)| metric == "likes" && *value > 0),
        "a day-old post has likes: {taken:?}"
    );
    assert!(
        taken.iter().any(|(metric, _)| metric == "reach"),
        "{taken:?}"
    );
}

/// Runs every scenario of the contract as its own test for one subject.
macro_rules! contract_suite {
    ($subject:expr) => {
        #[tokio::test]
        async fn connects() {
            crate::providers::connects(&$subject).await;
        }

        #[tokio::test]
        async fn refuses_a_bad_grant() {
            crate::providers::refuses_a_bad_grant(&$subject).await;
        }

        #[tokio::test]
        async fn publishes_each_format_once_and_reads_it_back() {
            crate::providers::publishes_each_format_once_and_reads_it_back(&$subject).await;
        }

        #[tokio::test]
        async fn finds_a_post_whose_answer_was_lost_instead_of_posting_again() {
            crate::providers::finds_a_post_whose_answer_was_lost_instead_of_posting_again(
                &$subject,
            )
            .await;
        }

        #[tokio::test]
        async fn waits_out_a_rate_limit_then_posts() {
            crate::providers::waits_out_a_rate_limit_then_posts(&$subject).await;
        }

        #[tokio::test]
        async fn collects_figures_of_the_account_and_its_posts() {
            crate::providers::collects_figures_of_the_account_and_its_posts(&$subject).await;
        }

        #[tokio::test]
        async fn asks_for_a_reconnect_when_the_token_stops_working() {
            crate::providers::asks_for_a_reconnect_when_the_token_stops_working(&$subject).await;
        }
    };
}
pub(crate) use contract_suite;
