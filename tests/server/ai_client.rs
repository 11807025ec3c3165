//! Herald's AI client against the sandbox's OpenAI-compatible endpoint: streamed answers (the
//! sandbox cuts every event at an awkward byte, sends keep-alives and mixed line endings), the
//! variants servers differ on, and each error a person must be told apart.

use std::time::{Duration, Instant};

use herald::domain::picture_shapes::PictureShape;
use herald::sandbox::Sandbox;
use herald::sandbox::ai::{AiFault, CHAT_MODEL, IMAGE_MODEL, SANDBOX_AI_KEY};
use herald::sandbox::meta::SandboxConfig;
use herald::server::ai::pictures::{ImageSize, accepted_sizes, crop_to_shape, nearest_size};
use herald::server::ai::{AiClient, AiConfig, AiError, ChatEvent, ChatOptions, Message, prompts};
use herald::server::crypto::Secret;
use herald::server::http::Reach;
use url::Url;

async fn sandbox() -> Sandbox {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox = Sandbox::start(listener, SandboxConfig::default())
        .await
        .unwrap();
    sandbox.ai().set_pace(Duration::ZERO);
    sandbox
}

fn config(sandbox: &Sandbox) -> AiConfig {
    AiConfig {
        base_url: Url::parse(&sandbox.ai().api_url()).unwrap(),
        api_key: Some(Secret::new(SANDBOX_AI_KEY)),
        model: CHAT_MODEL.to_owned(),
        image_model: Some(IMAGE_MODEL.to_owned()),
        image_sizes: accepted_sizes(IMAGE_MODEL),
        timeout: Duration::from_secs(5),
    }
}

fn client(sandbox: &Sandbox) -> AiClient {
    AiClient::new(config(sandbox), Reach::Anywhere)
}

fn shorter(text: &str) -> Vec<Message> {
    prompts::rephrase("Make it shorter.", text, &[])
}

#[tokio::test]
async fn a_streamed_answer_arrives_in_pieces_and_whole() {
    let sandbox = sandbox().await;
    let mut stream = client(&sandbox)
        .chat(
            &shorter("Café ouvert 🎉 dès lundi matin. Venez goûter le pain!"),
            ChatOptions::default(),
        )
        .await
        .unwrap();
    let mut pieces = Vec::new();
    let finish = loop {
        match stream.next().await.expect("an end").unwrap() {
            ChatEvent::Text(piece) => pieces.push(piece),
            ChatEvent::Finished(finish) => break finish,
        }
    };
    assert!(pieces.len() > 1, "{pieces:?}");
    assert_eq!(pieces.concat(), "Café ouvert 🎉 dès lundi matin.");
    assert_eq!(finish.reason.as_deref(), Some("stop"));
    // Herald does not ask for usage, and the sandbox (like many servers) sends none.
    assert_eq!(finish.usage, None);
    assert!(stream.next().await.is_none());
    let sent = sandbox.ai().requests();
    assert!(sent[0].stream && sent[0].authorized, "{sent:?}");
}

#[tokio::test]
async fn a_stream_that_ends_without_done_is_whole() {
    let sandbox = sandbox().await;
    sandbox.ai().inject(AiFault::NoDone);
    let stream = client(&sandbox)
        .chat(&shorter("One. Two."), ChatOptions::default())
        .await
        .unwrap();
    let (text, finish) = stream.collect().await.unwrap();
    assert_eq!(text, "One.");
    assert_eq!(finish.reason.as_deref(), Some("stop"));
}

#[tokio::test]
async fn a_stream_cut_off_or_broken_is_an_error_not_a_short_answer() {
    let sandbox = sandbox().await;
    let text = "one two three four five six seven eight";
    for fault in [AiFault::CutOff, AiFault::NotJson] {
        sandbox.ai().inject(fault.clone());
        let stream = client(&sandbox)
            .chat(&shorter(text), ChatOptions::default())
            .await
            .unwrap();
        let error = stream.collect().await.unwrap_err();
        assert!(
            matches!(error, AiError::Malformed { .. }),
            "{fault:?}: {error:?}"
        );
    }
    sandbox.ai().inject(AiFault::ErrorMidStream);
    let stream = client(&sandbox)
        .chat(&shorter(text), ChatOptions::default())
        .await
        .unwrap();
    assert_eq!(
        stream.collect().await.unwrap_err(),
        AiError::RateLimited { retry_after: None }
    );
}

#[tokio::test]
async fn a_wrong_key_an_unknown_model_and_a_missing_route_are_told_apart() {
    let sandbox = sandbox().await;
    let mut wrong_key = config(&sandbox);
    wrong_key.api_key = Some(Secret::new("sk-wrong"));
    let error = AiClient::new(wrong_key, Reach::Anywhere)
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(error, AiError::WrongKey);

    let mut unknown = config(&sandbox);
    unknown.model = "gpt-9".to_owned();
    let error = AiClient::new(unknown, Reach::Anywhere)
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(
        error,
        AiError::UnknownModel {
            model: "gpt-9".to_owned()
        }
    );

    let mut no_version = config(&sandbox);
    no_version.base_url = Url::parse(&format!("{}/openai", sandbox.base_url())).unwrap();
    let error = AiClient::new(no_version, Reach::Anywhere)
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(error, AiError::NoSuchRoute);
}

#[tokio::test]
async fn a_server_without_keys_gets_no_authorization_header() {
    let sandbox = sandbox().await;
    sandbox.ai().require_key(None);
    let mut keyless = config(&sandbox);
    keyless.api_key = None;
    let models = AiClient::new(keyless, Reach::Anywhere)
        .models()
        .await
        .unwrap();
    assert!(models.contains(&CHAT_MODEL.to_owned()), "{models:?}");
    assert!(!sandbox.ai().requests()[0].key_sent);
}

#[tokio::test]
async fn a_rate_limit_says_how_long_to_wait_and_a_500_is_temporary() {
    let sandbox = sandbox().await;
    sandbox.ai().inject(AiFault::Status {
        status: 429,
        retry_after: Some(20),
    });
    let error = client(&sandbox)
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(
        error,
        AiError::RateLimited {
            retry_after: Some(Duration::from_secs(20))
        }
    );
    sandbox.ai().inject(AiFault::Status {
        status: 500,
        retry_after: None,
    });
    let error = client(&sandbox)
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(error, AiError::Unavailable { status: 500 });
    assert!(error.is_temporary());
}

#[tokio::test]
async fn a_silent_server_times_out_before_and_during_the_answer() {
    let sandbox = sandbox().await;
    let mut quick = config(&sandbox);
    quick.timeout = Duration::from_millis(500);
    let client = AiClient::new(quick, Reach::Anywhere);

    sandbox.ai().inject(AiFault::Stall { seconds: 5 });
    let started = Instant::now();
    let error = client
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(error, AiError::Timeout);
    assert!(started.elapsed() < Duration::from_secs(4));

    sandbox.ai().inject(AiFault::StallMidStream { seconds: 5 });
    let stream = client
        .chat(
            &shorter("one two three four five six"),
            ChatOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(stream.collect().await.unwrap_err(), AiError::Timeout);
}

#[tokio::test]
async fn an_unreachable_server_is_reported_as_such() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let sandbox = sandbox().await;
    let mut gone = config(&sandbox);
    gone.base_url = Url::parse(&format!("http://127.0.0.1:{port}/v1")).unwrap();
    let error = AiClient::new(gone, Reach::Anywhere)
        .chat(&shorter("Hi"), ChatOptions::default())
        .await
        .err()
        .unwrap();
    assert_eq!(error, AiError::Unreachable);
}

#[tokio::test]
async fn pictures_come_in_an_accepted_size_and_crop_to_each_shape() {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    for shape in PictureShape::ALL {
        let size = nearest_size(&client.config().image_sizes, shape).unwrap();
        let bytes = client
            .image("A loaf of bread on a table", size)
            .await
            .unwrap();
        let made = image::load_from_memory(&bytes).unwrap();
        assert_eq!((made.width(), made.height()), (size.width, size.height));
        let cropped = crop_to_shape(&bytes, shape).unwrap();
        let (w, h) = shape.ratio();
        let ratio = f64::from(cropped.width) / f64::from(cropped.height);
        let wanted = f64::from(w) / f64::from(h);
        assert!(
            (ratio - wanted).abs() / wanted < 0.01,
            "{shape:?}: {ratio} vs {wanted}"
        );
    }
    let error = client
        .image("bread", ImageSize::new(800, 600))
        .await
        .unwrap_err();
    assert!(
        matches!(error, AiError::Refused { ref message } if message.contains("800x600")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_picture_given_as_a_link_is_fetched_at_once() {
    let sandbox = sandbox().await;
    let mut dalle = config(&sandbox);
    dalle.image_model = Some("dall-e-3".to_owned());
    dalle.image_sizes = accepted_sizes("dall-e-3");
    let client = AiClient::new(dalle, Reach::Anywhere);
    let bytes = client
        .image("bread", ImageSize::new(1024, 1792))
        .await
        .unwrap();
    let made = image::load_from_memory(&bytes).unwrap();
    assert_eq!((made.width(), made.height()), (1024, 1792));
}
