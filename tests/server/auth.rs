//! Signing up, in and out; sessions and their cookies; sign-in throttling.

use chrono::Duration;
use herald::error::{AppError, Problem};
use herald::server::auth::tokens::hash_token;
use herald::server::config::SignupPolicy;
use reqwest::StatusCode;

use crate::helpers::{
    PASSWORD, TestOptions, app_error, browser_like_client, set_cookie_headers, spawn_app,
    spawn_app_with,
};

fn open_signup() -> TestOptions {
    TestOptions {
        signup: SignupPolicy::Open,
        ..TestOptions::default()
    }
}

#[tokio::test]
async fn first_sign_up_creates_the_owner_with_a_personal_workspace_and_signs_them_in() {
    let app = spawn_app().await;

    let response = app.sign_up("Ada Lovelace", "Ada@Example.org").await;

    assert_eq!(response.status(), StatusCode::OK);
    let session = app.session(&app.client).await.expect("signed in");
    assert_eq!(session["email"], "ada@example.org");
    assert_eq!(session["display_name"], "Ada Lovelace");
    assert_eq!(session["is_owner"], true);
    assert_eq!(session["workspace_name"], "Personal");
    assert_eq!(app.count("workspaces").await, 1);
    assert_eq!(app.count("memberships").await, 1);
}

#[tokio::test]
async fn sign_up_refuses_a_missing_or_malformed_email_and_stores_nothing() {
    let app = spawn_app().await;
    for (email, problem) in [
        ("", Problem::EmailMissing),
        ("ada", Problem::EmailInvalid),
        ("ada@example", Problem::EmailInvalid),
    ] {
        let response = app.sign_up("Ada", email).await;

        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{email:?}");
        assert_eq!(
            app_error(response).await,
            AppError::invalid("email", problem),
            "{email:?}"
        );
    }
    assert_eq!(app.count("users").await, 0);
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn sign_up_refuses_a_short_password_and_stores_nothing() {
    let app = spawn_app().await;

    let response = app
        .sign_up_with(&app.client, "Ada", "ada@example.org", "short", "")
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app_error(response).await.field(), Some("password"));
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn sign_up_with_a_missing_field_is_a_clear_bad_request() {
    let app = spawn_app().await;

    let response = app
        .call(&app.client, "sign_up", &[("email", "ada@example.org")])
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(matches!(
        app_error(response).await,
        AppError::Invalid { .. }
    ));
    assert_eq!(app.count("users").await, 0);
}

#[tokio::test]
async fn duplicate_sign_up_is_refused_whatever_the_letter_case() {
    let app = spawn_app_with(open_signup()).await;
    app.sign_up("Ada", "ada@example.org").await;

    let response = app
        .sign_up_with(
            &browser_like_client(),
            "Other Ada",
            "ADA@example.org",
            PASSWORD,
            "",
        )
        .await;

    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app_error(response).await,
        AppError::invalid("email", Problem::EmailTaken)
    );
    assert_eq!(app.count("users").await, 1);
    assert_eq!(app.count("workspaces").await, 1);
}

#[tokio::test]
async fn a_second_person_is_refused_when_signup_is_by_invitation() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let stranger = browser_like_client();

    let response = app
        .sign_up_with(&stranger, "Bob", "bob@example.org", PASSWORD, "")
        .await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app_error(response).await,
        AppError::Refused(Problem::InviteOnly)
    );
    assert_eq!(app.count("users").await, 1);
    assert!(app.session(&stranger).await.is_none());
}

#[tokio::test]
async fn a_second_person_joins_as_a_member_when_signup_is_open() {
    let app = spawn_app_with(open_signup()).await;
    app.sign_up("Ada", "ada@example.org").await;
    let bob = browser_like_client();

    let response = app
        .sign_up_with(&bob, "Bob", "bob@example.org", PASSWORD, "")
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let session = app.session(&bob).await.expect("Bob is signed in");
    assert_eq!(session["is_owner"], false);
    assert_eq!(app.count("workspaces").await, 2);
}

#[tokio::test]
async fn sign_in_with_the_right_password_starts_a_session() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let laptop = browser_like_client();

    let response = app.sign_in_with(&laptop, "ada@example.org", PASSWORD).await;

    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        app.session(&laptop).await.unwrap()["email"],
        "ada@example.org"
    );
    assert_eq!(app.count("sessions").await, 2);
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_message() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let stranger = browser_like_client();

    let wrong_password = app
        .sign_in_with(&stranger, "ada@example.org", "not the password")
        .await;
    let unknown_email = app
        .sign_in_with(&stranger, "nobody@example.org", "not the password")
        .await;

    assert_eq!(wrong_password.status(), StatusCode::BAD_REQUEST);
    assert_eq!(unknown_email.status(), StatusCode::BAD_REQUEST);
    let expected = AppError::Invalid {
        field: None,
        problem: Problem::WrongCredentials,
    };
    assert_eq!(app_error(wrong_password).await, expected);
    assert_eq!(app_error(unknown_email).await, expected);
    assert!(app.session(&stranger).await.is_none());
}

#[tokio::test]
async fn repeated_wrong_passwords_from_one_browser_bring_waits_that_double() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let attacker = browser_like_client();
    let guess = || app.sign_in_with(&attacker, "ada@example.org", "guess guess guess");
    for _ in 0..5 {
        assert_eq!(guess().await.status(), StatusCode::BAD_REQUEST);
    }

    let locked = app
        .sign_in_with(&attacker, "ada@example.org", PASSWORD)
        .await;
    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(
        app_error(locked).await,
        AppError::TooManyAttempts { minutes: 1 }
    );
    assert!(app.session(&attacker).await.is_none());

    // One more try once the wait is over; failing it brings a wait twice as long.
    app.clock.advance(Duration::seconds(61));
    assert_eq!(guess().await.status(), StatusCode::BAD_REQUEST);
    let longer = guess().await;
    assert_eq!(
        app_error(longer).await,
        AppError::TooManyAttempts { minutes: 2 }
    );

    app.clock.advance(Duration::seconds(121));
    let after_lockout = app
        .sign_in_with(&attacker, "ada@example.org", PASSWORD)
        .await;
    assert_eq!(after_lockout.status(), StatusCode::OK);
}

#[tokio::test]
async fn attempts_during_a_lock_do_not_extend_it() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    let attacker = browser_like_client();
    for _ in 0..6 {
        app.sign_in_with(&attacker, "ada@example.org", "guess guess guess")
            .await;
    }
    for _ in 0..50 {
        let during = app
            .sign_in_with(&attacker, "ada@example.org", "guess guess guess")
            .await;
        assert_eq!(during.status(), StatusCode::TOO_MANY_REQUESTS);
    }

    app.clock.advance(Duration::seconds(61));
    let after = app
        .sign_in_with(&attacker, "ada@example.org", PASSWORD)
        .await;

    assert_eq!(after.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_owner_signs_in_from_a_known_browser_during_an_attack_on_their_account() {
    let app = spawn_app_with(TestOptions {
        trust_proxy: true,
        ..TestOptions::default()
    })
    .await;
    app.sign_up("Ada", "ada@example.org").await;
    let laptop = browser_like_client();
    let from = |client: &reqwest::Client, address: String, password: &'static str| {
        let request = client
            .post(app.url("/api/sign_in"))
            .header("x-forwarded-for", address)
            .form(&[("email", "ada@example.org"), ("password", password)]);
        async move { request.send().await.unwrap() }
    };
    let home = || "198.51.100.7".to_owned();
    assert_eq!(
        from(&laptop, home(), PASSWORD).await.status(),
        StatusCode::OK
    );
    app.call(&laptop, "sign_out", &[]).await;

    // Guesses from a hundred places, and from the owner's own address too.
    for n in 0..100 {
        from(&browser_like_client(), format!("203.0.113.{n}"), "guess").await;
        from(&browser_like_client(), home(), "guess").await;
    }
    let stranger = from(&browser_like_client(), "192.0.2.50".into(), PASSWORD).await;
    let owner = from(&laptop, home(), PASSWORD).await;

    assert_eq!(stranger.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(owner.status(), StatusCode::OK);
    assert!(app.session(&laptop).await.is_some());
}

#[tokio::test]
async fn a_known_browser_still_gets_only_a_few_guesses() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    app.call(&app.client, "sign_out", &[]).await;
    for _ in 0..5 {
        let wrong = app
            .sign_in_with(&app.client, "ada@example.org", "guess guess guess")
            .await;
        assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    }

    let locked = app
        .sign_in_with(&app.client, "ada@example.org", PASSWORD)
        .await;

    assert_eq!(locked.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_device_cookie_is_http_only_strict_stored_as_a_hash_and_kept_at_sign_out() {
    let app = spawn_app().await;
    let response = app.sign_up("Ada", "ada@example.org").await;
    let cookies = set_cookie_headers(&response);
    let device = cookies
        .iter()
        .find(|cookie| cookie.starts_with("herald_device="))
        .expect("a device cookie");
    let token = device
        .trim_start_matches("herald_device=")
        .split(';')
        .next()
        .unwrap();

    assert!(device.contains("HttpOnly") && device.contains("SameSite=Strict"));
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM known_devices")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, hash_token(token));
    let signed_out = app.call(&app.client, "sign_out", &[]).await;
    assert!(
        set_cookie_headers(&signed_out)
            .iter()
            .all(|cookie| !cookie.starts_with("herald_device="))
    );
}

#[tokio::test]
async fn a_burst_of_parallel_guesses_gets_no_more_tries_than_the_limit() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let guesses = (0..8).map(|_| async {
        app.sign_in_with(
            &browser_like_client(),
            "ada@example.org",
            "guess guess guess",
        )
        .await
        .status()
    });
    let statuses = futures::future::join_all(guesses).await;

    let checked = statuses
        .iter()
        .filter(|status| **status == StatusCode::BAD_REQUEST)
        .count();
    let refused = statuses
        .iter()
        .filter(|status| **status == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, refused), (5, 3), "{statuses:?}");
}

#[tokio::test]
async fn many_failures_from_one_address_lock_that_address_only() {
    let app = spawn_app_with(TestOptions {
        trust_proxy: true,
        ..TestOptions::default()
    })
    .await;
    let attempt = |email: String, from: &'static str| {
        let client = browser_like_client();
        let url = app.url("/api/sign_in");
        async move {
            client
                .post(url)
                .header("x-forwarded-for", format!("10.0.0.1, {from}"))
                .form(&[("email", email.as_str()), ("password", "guess guess guess")])
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    // Thirty different addresses guessed from one place: each email is under its own limit.
    for n in 0..30 {
        let status = attempt(format!("person{n}@example.org"), "203.0.113.9").await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "attempt {n}");
    }

    let from_the_same_place = attempt("someone@example.org".into(), "203.0.113.9").await;
    let from_elsewhere = attempt("someone@example.org".into(), "198.51.100.1").await;

    assert_eq!(from_the_same_place, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(from_elsewhere, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn failed_sign_ins_are_counted_in_the_database_not_in_memory() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;
    for _ in 0..5 {
        app.sign_in_with(
            &browser_like_client(),
            "ada@example.org",
            "guess guess guess",
        )
        .await;
    }

    let (failures,): (i64,) =
        sqlx::query_as("SELECT failures FROM sign_in_failures WHERE throttle_key LIKE 'account:%'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(failures, 5);
}

#[tokio::test]
async fn sign_out_ends_the_session_for_good() {
    let app = spawn_app().await;
    let response = app.sign_up("Ada", "ada@example.org").await;
    let cookie = session_cookie_value(&set_cookie_headers(&response));

    let signed_out = app.call(&app.client, "sign_out", &[]).await;

    assert_eq!(signed_out.status(), StatusCode::OK);
    assert!(
        set_cookie_headers(&signed_out)
            .iter()
            .any(|c| c.starts_with("herald_session=;") && c.contains("Max-Age=0"))
    );
    assert!(app.session(&app.client).await.is_none());
    // Replaying the old cookie does not bring the session back.
    let replay = reqwest::Client::new()
        .post(app.url("/api/get_session"))
        .header("cookie", format!("herald_session={cookie}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.text().await.unwrap(), "null");
    assert_eq!(app.count("sessions").await, 0);
}

#[tokio::test]
async fn sign_in_replaces_the_session_the_browser_already_had() {
    let app = spawn_app().await;
    let first = app.sign_up("Ada", "ada@example.org").await;
    let before = session_cookie_value(&set_cookie_headers(&first));

    let second = app
        .sign_in_with(&app.client, "ada@example.org", PASSWORD)
        .await;
    let after = session_cookie_value(&set_cookie_headers(&second));

    assert_ne!(before, after);
    assert_eq!(app.count("sessions").await, 1);
}

#[tokio::test]
async fn the_session_cookie_is_http_only_lax_and_stored_only_as_a_hash() {
    let app = spawn_app().await;

    let response = app.sign_up("Ada", "ada@example.org").await;

    let cookies = set_cookie_headers(&response);
    let cookie = cookies
        .iter()
        .find(|c| c.starts_with("herald_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Path=/"));
    assert!(
        !cookie.contains("Secure"),
        "plain http cannot carry Secure cookies"
    );
    let token = session_cookie_value(&cookies);
    let (stored,): (String,) = sqlx::query_as("SELECT token_hash FROM sessions")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(stored, hash_token(&token));
    assert_ne!(stored, token);
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_herald_is_served_over_https() {
    let app = spawn_app_with(TestOptions {
        public_url: Some("https://herald.example.com"),
        ..TestOptions::default()
    })
    .await;

    let response = app.sign_up("Ada", "ada@example.org").await;

    let cookies = set_cookie_headers(&response);
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("herald_session=") && c.contains("Secure"))
    );
}

#[tokio::test]
async fn the_password_is_stored_as_an_argon2id_hash() {
    let app = spawn_app().await;
    app.sign_up("Ada", "ada@example.org").await;

    let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();

    assert!(hash.starts_with("$argon2id$"));
    assert!(!hash.contains(PASSWORD));
}

#[tokio::test]
async fn a_form_posted_without_javascript_redirects_home_on_success() {
    let app = spawn_app().await;

    let response = app
        .submit_plain_form(
            "sign_up",
            "/sign-up",
            &[
                ("display_name", "Ada"),
                ("email", "ada@example.org"),
                ("password", PASSWORD),
                ("invite", ""),
            ],
        )
        .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/posts");
    assert!(app.session(&app.client).await.is_some());
}

#[tokio::test]
async fn a_form_posted_without_javascript_returns_to_the_form_with_the_error() {
    let app = spawn_app().await;

    let response = app
        .submit_plain_form(
            "sign_in",
            "/sign-in",
            &[("email", "ada@example.org"), ("password", "whatever it is")],
        )
        .await;

    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&app.url("/sign-in?")), "{location}");
    assert!(location.contains("__err="), "{location}");
    // The page it lands on shows the message.
    let page = app.client.get(&location).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains("That email and password do not match an account here."),
        "the error is rendered in words"
    );
}

#[tokio::test]
async fn pages_that_need_a_session_redirect_to_sign_in() {
    let app = spawn_app().await;

    for path in [
        "/posts",
        "/calendar",
        "/accounts",
        "/analytics",
        "/settings",
        "/invitations",
    ] {
        let response = app.get_page(path).await;

        assert_eq!(response.status(), StatusCode::FOUND, "{path}");
        assert_eq!(response.headers()["location"], "/sign-in", "{path}");
    }
}

#[tokio::test]
async fn the_front_door_leads_to_posts() {
    let app = spawn_app().await;

    let response = app.get_page("/").await;

    assert_eq!(response.status(), StatusCode::FOUND);
    assert_eq!(response.headers()["location"], "/posts");
}

#[tokio::test]
async fn every_place_shows_who_is_signed_in_and_the_navigation() {
    let app = spawn_app().await;
    app.sign_up("Ada Lovelace", "ada@example.org").await;

    for (path, heading) in [
        ("/posts", "<h1>Posts"),
        ("/calendar", "<h1>Calendar"),
        ("/accounts", "<h1>Accounts"),
        ("/analytics", "<h1>Analytics"),
        ("/settings", "<h1>Settings"),
    ] {
        let response = app.get_page(path).await;

        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains(heading), "{path}");
        assert!(html.contains("Ada Lovelace"), "{path}");
        assert!(html.contains(r#"aria-label="Main""#), "{path}");
        assert!(html.contains(r#"aria-current="page""#), "{path}");
    }
}

fn session_cookie_value(cookies: &[String]) -> String {
    cookies
        .iter()
        .find_map(|c| c.strip_prefix("herald_session="))
        .and_then(|rest| rest.split(';').next())
        .filter(|value| !value.is_empty())
        .expect("a session cookie")
        .to_owned()
}
