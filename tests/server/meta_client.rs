//! Herald's Meta client against the sandbox Graph API: every call of the connect flow, each
//! class of error, paging, and both Instagram login paths. The client is the production code,
//! pointed at the sandbox's loopback address.

use std::time::Duration;

use herald::sandbox::Sandbox;
use herald::sandbox::meta::{Fault, FaultKind, InstagramExchangeShape, SandboxConfig};
use herald::server::crypto::Secret;
use herald::server::http::Reach;
use herald::server::providers::meta::facebook_login_calls::Expiry;
use herald::server::providers::meta::{MetaApp, MetaClient, MetaConfig, MetaErrorKind, MetaUrls};
use url::Url;

use crate::helpers::dialog::{answer_dialog, query_value};

const FACEBOOK_REDIRECT: &str = "https://herald.test/oauth/facebook/callback";
const INSTAGRAM_REDIRECT: &str = "https://herald.test/oauth/instagram/callback";

pub struct Setup {
    pub sandbox: Sandbox,
    pub client: MetaClient,
    pub config: SandboxConfig,
}

async fn setup_with(config: SandboxConfig) -> Setup {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox = Sandbox::start(listener, config.clone()).await.unwrap();
    sandbox.meta().register_redirect_uri(FACEBOOK_REDIRECT);
    sandbox.meta().register_redirect_uri(INSTAGRAM_REDIRECT);
    let client = client_for(&sandbox, &config, &config.facebook_app_secret);
    Setup {
        sandbox,
        client,
        config,
    }
}

pub async fn setup() -> Setup {
    setup_with(SandboxConfig::default()).await
}

pub fn client_for(sandbox: &Sandbox, config: &SandboxConfig, facebook_secret: &str) -> MetaClient {
    let urls = sandbox.urls();
    let url = |raw: &str| Url::parse(raw).unwrap();
    MetaClient::new(
        MetaConfig {
            urls: MetaUrls {
                facebook_graph: url(&urls.facebook_graph),
                facebook_www: url(&urls.facebook_www),
                instagram_graph: url(&urls.instagram_graph),
                instagram_api: url(&urls.instagram_api),
                instagram_www: url(&urls.instagram_www),
                instagram_upload: url(&format!("{}/rupload.facebook.com", sandbox.base_url())),
            },
            api_version: "v23.0".to_owned(),
            facebook: Some(MetaApp {
                app_id: config.facebook_app_id.clone(),
                app_secret: Secret::new(facebook_secret),
            }),
            facebook_config_id: None,
            instagram: Some(MetaApp {
                app_id: config.instagram_app_id.clone(),
                app_secret: Secret::new(config.instagram_app_secret.clone()),
            }),
            timeout: MetaConfig::DEFAULT_TIMEOUT,
        },
        Reach::Anywhere,
    )
}

async fn facebook_code(setup: &Setup) -> String {
    let authorize = setup
        .client
        .facebook_authorize_url("state-123", FACEBOOK_REDIRECT)
        .unwrap();
    let back = answer_dialog(authorize, "continue").await;
    assert_eq!(query_value(&back, "state").as_deref(), Some("state-123"));
    query_value(&back, "code").expect("a code")
}

pub async fn long_lived_user_token(setup: &Setup) -> Secret {
    let code = facebook_code(setup).await;
    let short = setup
        .client
        .exchange_facebook_code(&code, FACEBOOK_REDIRECT)
        .await
        .unwrap();
    setup
        .client
        .long_lived_user_token(&short.token)
        .await
        .unwrap()
        .token
}

#[tokio::test]
async fn facebook_login_gives_a_long_lived_user_token_and_its_pages() {
    let setup = setup().await;
    let authorize = setup
        .client
        .facebook_authorize_url("state-123", FACEBOOK_REDIRECT)
        .unwrap();
    assert_eq!(
        query_value(&authorize, "response_type").as_deref(),
        Some("code")
    );
    assert!(
        query_value(&authorize, "scope")
            .unwrap()
            .contains("pages_manage_posts")
    );

    let user_token = long_lived_user_token(&setup).await;
    let me = setup.client.facebook_user(&user_token).await.unwrap();
    let permissions = setup.client.granted_permissions(&user_token).await.unwrap();
    let pages = setup.client.pages(&user_token).await.unwrap();

    assert_eq!(me.name, "Sandbox Tester");
    assert!(
        permissions.iter().any(|p| p == "pages_show_list"),
        "{permissions:?}"
    );
    assert_eq!(pages.len(), setup.config.page_count);
    assert!(pages.iter().all(|page| page.can_publish()));
    let issued = setup.sandbox.meta().issued_tokens();
    assert!(
        pages
            .iter()
            .all(|page| issued.iter().any(|t| t == page.access_token.expose()))
    );
}

#[tokio::test]
async fn pages_are_read_across_every_result_page() {
    let setup = setup_with(SandboxConfig {
        page_count: 230,
        ..SandboxConfig::default()
    })
    .await;
    let user_token = long_lived_user_token(&setup).await;

    let pages = setup.client.pages(&user_token).await.unwrap();

    assert_eq!(pages.len(), 230);
    let mut ids: Vec<_> = pages.iter().map(|page| page.id.clone()).collect();
    ids.dedup();
    assert_eq!(ids.len(), 230, "no page twice");
    let listing_calls = setup
        .sandbox
        .meta()
        .requests()
        .iter()
        .filter(|request| request.path.ends_with("/me/accounts"))
        .count();
    assert_eq!(listing_calls, 3, "100 + 100 + 30");
}

#[tokio::test]
async fn the_instagram_account_linked_to_a_page_is_found() {
    let setup = setup().await;
    let user_token = long_lived_user_token(&setup).await;
    let pages = setup.client.pages(&user_token).await.unwrap();

    let mut linked = Vec::new();
    for page in &pages {
        if let Some(account) = setup
            .client
            .instagram_account_of_page(&page.id, &page.access_token)
            .await
            .unwrap()
        {
            linked.push((page.id.clone(), account));
        }
    }

    assert_eq!(linked.len(), 1);
    assert_eq!(linked[0].1.username, "sandbox.insta");
}

#[tokio::test]
async fn debug_token_says_page_tokens_from_a_long_lived_login_never_expire() {
    let setup = setup().await;
    let user_token = long_lived_user_token(&setup).await;
    let page = setup.client.pages(&user_token).await.unwrap().remove(0);

    let info = setup.client.debug_token(&page.access_token).await.unwrap();

    assert!(info.is_valid);
    assert_eq!(info.kind.as_deref(), Some("PAGE"));
    assert_eq!(info.expiry, Expiry::Never);
    assert_eq!(info.profile_id.as_deref(), Some(page.id.as_str()));

    setup
        .sandbox
        .meta()
        .revoke_token(page.access_token.expose(), 460);
    let revoked = setup.client.debug_token(&page.access_token).await.unwrap();
    assert!(!revoked.is_valid);
}

#[tokio::test]
async fn the_code_is_single_use_and_bound_to_its_redirect_uri_and_secret() {
    let setup = setup().await;

    let code = facebook_code(&setup).await;
    let elsewhere = setup
        .client
        .exchange_facebook_code(&code, "https://herald.test/elsewhere")
        .await
        .unwrap_err();
    assert_eq!(elsewhere.kind, MetaErrorKind::Invalid);
    assert_eq!(elsewhere.subcode, Some(36008));

    let code = facebook_code(&setup).await;
    let wrong_secret = client_for(&setup.sandbox, &setup.config, "not-the-secret")
        .exchange_facebook_code(&code, FACEBOOK_REDIRECT)
        .await
        .unwrap_err();
    assert_eq!(wrong_secret.kind, MetaErrorKind::Invalid);

    let code = facebook_code(&setup).await;
    setup
        .client
        .exchange_facebook_code(&code, FACEBOOK_REDIRECT)
        .await
        .unwrap();
    let reused = setup
        .client
        .exchange_facebook_code(&code, FACEBOOK_REDIRECT)
        .await
        .unwrap_err();
    assert_eq!(reused.subcode, Some(36009));
}

#[tokio::test]
async fn cancel_in_the_dialog_comes_back_as_access_denied() {
    let setup = setup().await;
    let authorize = setup
        .client
        .facebook_authorize_url("state-9", FACEBOOK_REDIRECT)
        .unwrap();

    let back = answer_dialog(authorize, "cancel").await;

    assert_eq!(
        query_value(&back, "error").as_deref(),
        Some("access_denied")
    );
    assert_eq!(query_value(&back, "state").as_deref(), Some("state-9"));
    assert_eq!(query_value(&back, "code"), None);
}

#[tokio::test]
async fn each_class_of_graph_error_is_recognised() {
    let setup = setup().await;
    let user_token = long_lived_user_token(&setup).await;
    let graph_error = |code, subcode, status, headers: Vec<(&str, &str)>| Fault {
        path_contains: "/me".to_owned(),
        kind: FaultKind::GraphError {
            status,
            code,
            subcode,
            is_transient: None,
            message: format!("(#{code}) injected"),
            headers: headers
                .into_iter()
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .collect(),
        },
        times: 1,
    };
    let cases = [
        (
            graph_error(190, Some(460), 400, vec![]),
            MetaErrorKind::Reconnect,
        ),
        (
            graph_error(200, None, 403, vec![]),
            MetaErrorKind::PermissionMissing,
        ),
        (
            graph_error(
                80001,
                None,
                400,
                vec![(
                    "x-business-use-case-usage",
                    r#"{"1000000000000001":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":5}]}"#,
                )],
            ),
            MetaErrorKind::RateLimited {
                retry_after: Some(Duration::from_secs(300)),
            },
        ),
        (graph_error(2, None, 500, vec![]), MetaErrorKind::Temporary),
        (
            graph_error(100, Some(33), 400, vec![]),
            MetaErrorKind::Invalid,
        ),
        (
            Fault {
                path_contains: "/me".to_owned(),
                kind: FaultKind::Status {
                    status: 502,
                    body: "<html>Bad gateway</html>".to_owned(),
                },
                times: 1,
            },
            MetaErrorKind::Temporary,
        ),
    ];
    for (fault, expected) in cases {
        setup.sandbox.meta().inject(fault);
        let error = setup.client.facebook_user(&user_token).await.unwrap_err();
        assert_eq!(error.kind, expected, "{error}");
    }
    // The faults were used up: the next call works.
    assert!(setup.client.facebook_user(&user_token).await.is_ok());
}

#[tokio::test]
async fn a_revoked_token_means_reconnect() {
    let setup = setup().await;
    let user_token = long_lived_user_token(&setup).await;
    setup.sandbox.meta().revoke_token(user_token.expose(), 458);

    let error = setup.client.pages(&user_token).await.unwrap_err();

    assert_eq!(error.kind, MetaErrorKind::Reconnect);
    assert_eq!((error.code, error.subcode), (Some(190), Some(458)));
}

async fn instagram_login(
    setup: &Setup,
) -> herald::server::providers::meta::instagram_login_calls::InstagramLogin {
    let authorize = setup
        .client
        .instagram_authorize_url("ig-state", INSTAGRAM_REDIRECT)
        .unwrap();
    let back = answer_dialog(authorize, "continue").await;
    let code = query_value(&back, "code").expect("a code");
    setup
        .client
        .exchange_instagram_code(&code, INSTAGRAM_REDIRECT)
        .await
        .unwrap()
}

#[tokio::test]
async fn instagram_login_works_with_both_answer_shapes() {
    for shape in [
        InstagramExchangeShape::Flat,
        InstagramExchangeShape::Wrapped,
    ] {
        let setup = setup().await;
        setup.sandbox.meta().set_instagram_exchange_shape(shape);

        let login = instagram_login(&setup).await;
        let long = setup
            .client
            .long_lived_instagram_token(&login.token)
            .await
            .unwrap();
        let profile = setup.client.instagram_profile(&long.token).await.unwrap();

        assert_eq!(login.user_id, "17841400000000009");
        assert!(
            login
                .permissions
                .iter()
                .any(|p| p == "instagram_business_basic")
        );
        assert_eq!(long.expires_in, Some(5_184_000));
        assert_eq!(profile.user_id, "17841400000000009");
        assert_eq!(profile.username, "sandbox.creator");
        assert!(profile.is_professional());
    }
}

#[tokio::test]
async fn instagram_tokens_refresh_only_once_a_day_old() {
    let setup = setup().await;
    let login = instagram_login(&setup).await;
    let long = setup
        .client
        .long_lived_instagram_token(&login.token)
        .await
        .unwrap();

    let too_soon = setup.client.refresh_instagram_token(&long.token).await;
    assert!(too_soon.is_err());

    setup
        .sandbox
        .meta()
        .age_token(long.token.expose(), chrono::Duration::days(2));
    let fresh = setup
        .client
        .refresh_instagram_token(&long.token)
        .await
        .unwrap();
    assert_ne!(fresh.token.expose(), long.token.expose());
    assert!(setup.client.instagram_profile(&fresh.token).await.is_ok());
}

#[tokio::test]
async fn a_personal_instagram_account_is_not_professional() {
    let setup = setup().await;
    setup.sandbox.meta().set_instagram_account_type("PERSONAL");
    let login = instagram_login(&setup).await;
    let long = setup
        .client
        .long_lived_instagram_token(&login.token)
        .await
        .unwrap();

    let profile = setup.client.instagram_profile(&long.token).await.unwrap();

    assert!(!profile.is_professional());
}
