//! The upload route and the media library: files are streamed in, their type read from their
//! bytes, pictures fitted to each network (JPEG for Instagram, upright, cropped to an accepted
//! shape), and every refused upload leaves nothing behind. Fixtures are made here, never
//! downloaded: pictures with the `image` crate, videos with the `mp4` crate's writer.

use std::io::Cursor;

use herald::server::config::SignupPolicy;
use herald::server::media::upload::UploadLimits;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::Value;
use tokio::io::AsyncWriteExt;

use crate::helpers::{
    PASSWORD, TestApp, TestOptions, app_error, browser_like_client, set_cookie_headers,
    spawn_app_with,
};
use herald::error::{AppError, Problem};

pub async fn signed_in_app(options: TestOptions) -> TestApp {
    let app = spawn_app_with(TestOptions {
        signup: SignupPolicy::Open,
        ..options
    })
    .await;
    let joined = app.sign_up("Ada", "ada@example.org").await;
    assert_eq!(joined.status(), StatusCode::OK);
    app
}

pub fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), format)
        .unwrap();
    bytes
}

/// A picture split down the middle: red on the left, blue on the right.
pub fn two_colours(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([230, 20, 20])
        } else {
            Rgb([20, 20, 230])
        }
    }))
}

/// Sends a file as the composer does (`Accept: application/json`).
pub async fn upload(app: &TestApp, name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = Form::new()
        .part("file", Part::bytes(bytes).file_name(name.to_owned()))
        .text("alt_text", "A test picture");
    app.client
        .post(app.url("/media/upload"))
        .header("Accept", "application/json")
        .multipart(form)
        .send()
        .await
        .unwrap()
}

pub async fn uploaded(app: &TestApp, name: &str, bytes: Vec<u8>) -> Value {
    let response = upload(app, name, bytes).await;
    let status = response.status();
    let body = response.text().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    serde_json::from_str(&body).unwrap()
}

fn variant(item: &Value, network: &str) -> Option<Value> {
    item["variants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|variant| variant["network"] == network)
        .cloned()
}

async fn fetch_picture(app: &TestApp, path: &str) -> (String, DynamicImage) {
    // Networks fetch media without a session: so does this.
    let response = reqwest::get(app.url(path)).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    let bytes = response.bytes().await.unwrap();
    (content_type, image::load_from_memory(&bytes).unwrap())
}

/// Files left in the data directory's media store and upload folders.
fn stored_files(app: &TestApp) -> usize {
    fn count(folder: &std::path::Path) -> usize {
        std::fs::read_dir(folder).map_or(0, |entries| {
            entries
                .filter_map(Result::ok)
                .map(|entry| {
                    let path = entry.path();
                    if path.is_dir() { count(&path) } else { 1 }
                })
                .sum()
        })
    }
    let data = &app.state.settings.data_dir;
    count(&data.join("media")) + count(&data.join("uploads"))
}

#[tokio::test]
async fn a_png_becomes_a_jpeg_for_instagram_and_stays_a_png_for_facebook() {
    let app = signed_in_app(TestOptions::default()).await;
    let png = encoded(&two_colours(1080, 1080), ImageFormat::Png);
    let item = uploaded(&app, "square.png", png.clone()).await;
    assert_eq!(item["facts"]["format"], "png");
    assert_eq!(item["alt_text"], "A test picture");

    let instagram = variant(&item, "instagram").expect("an Instagram variant");
    let (content_type, picture) = fetch_picture(&app, instagram["url"].as_str().unwrap()).await;
    assert_eq!(content_type, "image/jpeg");
    assert_eq!((picture.width(), picture.height()), (1080, 1080));

    assert!(variant(&item, "facebook").is_none());
    let original = reqwest::get(app.url(item["url"].as_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(original.headers()["content-type"], "image/png");
    assert_eq!(original.bytes().await.unwrap().as_ref(), png.as_slice());
}

/// A JPEG whose pixels are stored on their side, with the EXIF tag saying "turn 90° right".
fn sideways_jpeg() -> Vec<u8> {
    let jpeg = encoded(&two_colours(400, 200), ImageFormat::Jpeg);
    // APP1 "Exif": a big-endian TIFF header with one IFD entry, Orientation (0x0112) = 6.
    let tiff: &[u8] = &[
        b'M', b'M', 0, 42, 0, 0, 0, 8, // header, first IFD at offset 8
        0, 1, // one entry
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // Orientation, SHORT, 1 value: 6
        0, 0, 0, 0, // no next IFD
    ];
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend_from_slice(tiff);
    let length = (segment.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&segment);
    out.extend_from_slice(&jpeg[2..]);
    out
}

#[tokio::test]
async fn an_exif_rotated_photo_comes_out_upright() {
    let app = signed_in_app(TestOptions::default()).await;
    let item = uploaded(&app, "phone.jpg", sideways_jpeg()).await;
    // Stored 400×200, shown 200×400: the facts are the upright size.
    assert_eq!(item["facts"]["width"], 200);
    assert_eq!(item["facts"]["height"], 400);

    // Networks may ignore the tag, so both get upright pixels.
    for network in ["facebook", "instagram"] {
        let made = variant(&item, network).unwrap_or_else(|| panic!("a {network} variant"));
        let (_, picture) = fetch_picture(&app, made["url"].as_str().unwrap()).await;
        let picture = picture.to_rgb8();
        let (width, height) = picture.dimensions();
        assert!(height > width, "{network}: {width}×{height} is not upright");
        // Turned right, the red left half is now on top.
        let top = picture.get_pixel(width / 2, 5).0;
        let bottom = picture.get_pixel(width / 2, height - 5).0;
        assert!(top[0] > 150 && top[2] < 100, "{network}: top is {top:?}");
        assert!(
            bottom[2] > 150 && bottom[0] < 100,
            "{network}: bottom is {bottom:?}"
        );
    }
}

#[tokio::test]
async fn instagram_gets_a_wide_picture_cut_to_1_91_and_a_tall_one_to_4_5() {
    let app = signed_in_app(TestOptions::default()).await;
    let wide = uploaded(
        &app,
        "panorama.jpg",
        encoded(&two_colours(3000, 1000), ImageFormat::Jpeg),
    )
    .await;
    let made = variant(&wide, "instagram").unwrap();
    let (_, picture) = fetch_picture(&app, made["url"].as_str().unwrap()).await;
    // 1910×1000 cut from the middle, then scaled to Instagram's 1,440 pixels.
    assert_eq!((picture.width(), picture.height()), (1440, 753));
    let shape = f64::from(picture.width()) / f64::from(picture.height());
    assert!((shape - 1.91).abs() < 0.01, "{shape}");

    let tall = uploaded(
        &app,
        "portrait.jpg",
        encoded(&two_colours(1000, 2000), ImageFormat::Jpeg),
    )
    .await;
    let made = variant(&tall, "instagram").unwrap();
    let (_, picture) = fetch_picture(&app, made["url"].as_str().unwrap()).await;
    assert_eq!((picture.width(), picture.height()), (1000, 1250));
    // Facebook takes both as they are.
    assert!(variant(&wide, "facebook").is_none());
    assert!(variant(&tall, "facebook").is_none());
}

#[tokio::test]
async fn moving_the_focal_point_moves_the_crop() {
    let app = signed_in_app(TestOptions::default()).await;
    let item = uploaded(
        &app,
        "wide.jpg",
        encoded(&two_colours(3000, 1000), ImageFormat::Jpeg),
    )
    .await;
    let id = item["id"].as_str().unwrap();
    let response = app
        .call(
            &app.client,
            "describe_media",
            &[
                ("id", id),
                ("alt_text", "Red and blue"),
                ("focus_x", "0"),
                ("focus_y", "50"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let described: Value = response.json().await.unwrap();
    assert_eq!(described["alt_text"], "Red and blue");
    let made = variant(&described, "instagram").unwrap();
    assert_ne!(made["url"], variant(&item, "instagram").unwrap()["url"]);
    let (_, picture) = fetch_picture(&app, made["url"].as_str().unwrap()).await;
    // Kept at the left edge: red nearly all the way across (the split is at 1,500 of 1,910).
    let right = picture.to_rgb8().get_pixel(picture.width() * 3 / 4, 10).0;
    assert!(right[0] > 150, "{right:?}");
    // The old crop's file is gone.
    let old = reqwest::get(
        app.url(
            variant(&item, "instagram").unwrap()["url"]
                .as_str()
                .unwrap(),
        ),
    )
    .await
    .unwrap();
    assert_eq!(old.status(), StatusCode::NOT_FOUND);
}

fn assert_problem(error: AppError, expected: Problem) {
    match error {
        AppError::Invalid { problem, .. } => assert_eq!(problem, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

#[tokio::test]
async fn bad_files_are_refused_with_a_reason_and_leave_nothing_behind() {
    let app = signed_in_app(TestOptions {
        upload_limits: Some(UploadLimits {
            image_bytes: 200 * 1024,
            video_bytes: 200 * 1024,
        }),
        ..TestOptions::default()
    })
    .await;
    let empty = upload(&app, "empty.jpg", Vec::new()).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    assert_problem(app_error(empty).await, Problem::MediaEmpty);

    let text = b"These are the minutes of the meeting, saved as photo.jpg.".repeat(20);
    let renamed = upload(&app, "photo.jpg", text).await;
    assert_eq!(renamed.status(), StatusCode::BAD_REQUEST);
    assert_problem(app_error(renamed).await, Problem::MediaNotRecognised);

    let pdf = upload(&app, "flyer.png", b"%PDF-1.7\n%binary stuff".repeat(10)).await;
    assert_problem(
        app_error(pdf).await,
        Problem::MediaUnsupported {
            kind: "application/pdf".into(),
        },
    );

    // Noise does not compress: a 600×600 PNG of it is about 1 MB, over the 200 KB limit.
    let noise = RgbImage::from_fn(600, 600, |x, y| {
        let n = (x * 7919 + y * 104_729) ^ (x * y);
        Rgb([(n % 251) as u8, (n % 241) as u8, (n % 239) as u8])
    });
    let big = upload(
        &app,
        "big.png",
        encoded(&DynamicImage::ImageRgb8(noise), ImageFormat::Png),
    )
    .await;
    assert_eq!(big.status(), StatusCode::BAD_REQUEST);
    assert_problem(app_error(big).await, Problem::MediaTooLarge { max_mb: 1 });

    // A PNG header on bytes that are not a picture.
    let mut broken = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    broken.extend_from_slice(&[0u8; 500]);
    let unreadable = upload(&app, "broken.png", broken).await;
    assert_problem(app_error(unreadable).await, Problem::MediaUnreadable);

    assert_eq!(app.count("media").await, 0);
    assert_eq!(app.count("media_files").await, 0);
    assert_eq!(stored_files(&app), 0);
}

#[tokio::test]
async fn an_upload_cut_off_half_way_stores_nothing() {
    let app = signed_in_app(TestOptions::default()).await;
    // A raw connection of its own needs the session cookie a sign-in hands out.
    let signed_in = app
        .sign_in_with(&browser_like_client(), "ada@example.org", PASSWORD)
        .await;
    let cookie = set_cookie_headers(&signed_in)
        .iter()
        .map(|header| header.split(';').next().unwrap().to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let picture = encoded(&two_colours(800, 800), ImageFormat::Png);
    let boundary = "herald-test-boundary";
    let head = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cut.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    );
    let total = head.len() + picture.len() + format!("\r\n--{boundary}--\r\n").len();
    let address = app.address.trim_start_matches("http://");
    let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST /media/upload HTTP/1.1\r\nHost: {address}\r\nCookie: {cookie}\r\n\
         Accept: application/json\r\nOrigin: {}\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {total}\r\n\r\n",
        app.address
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    stream.write_all(head.as_bytes()).await.unwrap();
    stream
        .write_all(&picture[..picture.len() / 2])
        .await
        .unwrap();
    stream.flush().await.unwrap();
    // Give the server the first half, then hang up.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    drop(stream);

    for _ in 0..50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if stored_files(&app) == 0 {
            break;
        }
    }
    assert_eq!(stored_files(&app), 0);
    assert_eq!(app.count("media").await, 0);
}

#[tokio::test]
async fn a_plain_form_upload_returns_to_the_library() {
    let app = signed_in_app(TestOptions::default()).await;
    let form = Form::new().part(
        "file",
        Part::bytes(encoded(&two_colours(64, 64), ImageFormat::Png)).file_name("tiny.png"),
    );
    let response = app
        .client
        .post(app.url("/media/upload"))
        .header("Accept", "text/html")
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/media?done=uploaded");

    let refused = app
        .client
        .post(app.url("/media/upload"))
        .header("Accept", "text/html")
        .multipart(Form::new().part("file", Part::bytes(Vec::new()).file_name("nothing.png")))
        .send()
        .await
        .unwrap();
    let location = refused.headers()["location"].to_str().unwrap();
    assert!(location.starts_with("/media?problem="), "{location}");
    let page = app.get_page(location).await.text().await.unwrap();
    assert!(page.contains("The file is empty"), "the library says why");
}

#[tokio::test]
async fn media_addresses_are_unguessable_and_uploading_needs_a_session() {
    let app = signed_in_app(TestOptions::default()).await;
    let item = uploaded(
        &app,
        "a.png",
        encoded(&two_colours(64, 64), ImageFormat::Png),
    )
    .await;
    let url = item["url"].as_str().unwrap();
    let token = url.trim_start_matches("/media/").split('.').next().unwrap();
    assert!(token.len() >= 43, "256 random bits: {token}");
    let guessed = reqwest::get(app.url("/media/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png"))
        .await
        .unwrap();
    assert_eq!(guessed.status(), StatusCode::NOT_FOUND);

    let stranger = reqwest::Client::new()
        .post(app.url("/media/upload"))
        .header("Accept", "application/json")
        .multipart(Form::new().part("file", Part::bytes(vec![1, 2, 3]).file_name("x.png")))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);
}

/// An MP4 with one H.264 track of the given size and length (its samples are not real video:
/// the facts come from the boxes, never from decoding).
pub fn mp4_video(width: u16, height: u16, seconds: u32) -> Vec<u8> {
    use mp4::{AvcConfig, MediaConfig, Mp4Config, Mp4Sample, Mp4Writer, TrackConfig, TrackType};
    let config = Mp4Config {
        major_brand: "isom".parse().unwrap(),
        minor_version: 512,
        compatible_brands: vec!["isom".parse().unwrap(), "mp42".parse().unwrap()],
        timescale: 1000,
    };
    let mut writer = Mp4Writer::write_start(Cursor::new(Vec::new()), &config).unwrap();
    writer
        .add_track(&TrackConfig {
            track_type: TrackType::Video,
            timescale: 1000,
            language: "und".to_owned(),
            media_conf: MediaConfig::AvcConfig(AvcConfig {
                width,
                height,
                seq_param_set: vec![0x67, 0x64, 0x00, 0x1f, 0xac],
                pic_param_set: vec![0x68, 0xeb, 0xe3, 0xcb],
            }),
        })
        .unwrap();
    for second in 0..seconds {
        writer
            .write_sample(
                1,
                &Mp4Sample {
                    start_time: u64::from(second) * 1000,
                    duration: 1000,
                    rendering_offset: 0,
                    is_sync: true,
                    bytes: bytes::Bytes::from_static(&[0, 0, 0, 1, 0x65, 0x88]),
                },
            )
            .unwrap();
    }
    writer.write_end().unwrap();
    writer.into_writer().into_inner()
}

#[tokio::test]
async fn a_videos_container_codec_size_and_length_are_read_from_the_file() {
    let app = signed_in_app(TestOptions::default()).await;
    let item = uploaded(&app, "clip.mov", mp4_video(1080, 1920, 4)).await;
    let facts = &item["facts"];
    assert_eq!(facts["kind"], "video");
    assert_eq!(
        facts["container"], "mp4",
        "the name said .mov; the bytes say MP4"
    );
    assert_eq!(facts["codec"], "h264");
    assert_eq!(
        (facts["width"].as_u64(), facts["height"].as_u64()),
        (Some(1080), Some(1920))
    );
    assert_eq!(facts["duration_ms"], 4000);
    let served = reqwest::get(app.url(item["url"].as_str().unwrap()))
        .await
        .unwrap();
    assert_eq!(served.headers()["content-type"], "video/mp4");
}

#[tokio::test]
async fn the_library_is_searched_by_name_and_description() {
    let app = signed_in_app(TestOptions::default()).await;
    uploaded(
        &app,
        "beach_sunset.png",
        encoded(&two_colours(32, 32), ImageFormat::Png),
    )
    .await;
    uploaded(
        &app,
        "menu.png",
        encoded(&two_colours(32, 32), ImageFormat::Png),
    )
    .await;
    let names = |search: &'static str| {
        let app = &app;
        async move {
            let response = app
                .call(
                    &app.client,
                    "list_media",
                    &[("search", search), ("page", "0")],
                )
                .await;
            let page: Value = response.json().await.unwrap();
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|item| item["original_name"].as_str().unwrap().to_owned())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names("").await, ["menu.png", "beach_sunset.png"]);
    assert_eq!(names("SUNSET").await, ["beach_sunset.png"]);
    assert_eq!(names("test picture").await.len(), 2, "alt text is searched");
    assert!(names("_").await.contains(&"beach_sunset.png".to_owned()));
    assert_eq!(
        names("%").await.len(),
        0,
        "% is a character, not a wildcard"
    );
}

/// With Debian's ffmpeg on the machine, a really encoded clip is read the same way. (The
/// suite does not install ffmpeg; without it this test says so and checks nothing more.)
#[tokio::test]
async fn a_real_h264_clip_made_by_ffmpeg_is_read_when_ffmpeg_is_present() {
    let folder = tempfile::tempdir().unwrap();
    let clip = folder.path().join("clip.mp4");
    let made = std::process::Command::new("ffmpeg")
        .args([
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            "testsrc=size=320x240:rate=25",
        ])
        .args([
            "-t",
            "3.2",
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            "-movflags",
            "+faststart",
        ])
        .arg(&clip)
        .status();
    if !made.is_ok_and(|status| status.success()) {
        eprintln!("ffmpeg with libx264 is not installed: only the mp4-crate fixtures were read");
        return;
    }
    let app = signed_in_app(TestOptions::default()).await;
    let item = uploaded(&app, "clip.mp4", std::fs::read(&clip).unwrap()).await;
    let facts = &item["facts"];
    assert_eq!(facts["codec"], "h264");
    assert_eq!(
        (facts["width"].as_u64(), facts["height"].as_u64()),
        (Some(320), Some(240))
    );
    let duration = facts["duration_ms"].as_u64().unwrap();
    assert!((3100..=3300).contains(&duration), "{duration}");
}

#[tokio::test]
async fn a_50_mb_alt_text_is_refused_before_it_is_read_whole() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let app = signed_in_app(TestOptions::default()).await;
    const TOTAL: usize = 50 * 1024 * 1024;
    const CHUNK: usize = 64 * 1024;
    let sent = Arc::new(AtomicUsize::new(0));
    let counted = sent.clone();
    // The alt text streams in 64 KiB chunks, each made only when the server asks for it.
    let chunks = futures::StreamExt::map(futures::stream::iter(0..TOTAL / CHUNK), move |_| {
        counted.fetch_add(CHUNK, Ordering::SeqCst);
        Ok::<_, std::io::Error>(vec![b'a'; CHUNK])
    });
    let form = Form::new()
        .part(
            "alt_text",
            Part::stream_with_length(reqwest::Body::wrap_stream(chunks), TOTAL as u64),
        )
        .part(
            "file",
            Part::bytes(encoded(&two_colours(64, 64), image::ImageFormat::Png))
                .file_name("small.png"),
        );
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        app.client
            .post(app.url("/media/upload"))
            .header("Accept", "application/json")
            .multipart(form)
            .send(),
    )
    .await
    .expect("the server answers without waiting for the whole body");
    // The server may answer and close while the rest is still on its way: either way it
    // refused, long before 50 MB arrived.
    if let Ok(response) = answer {
        assert_eq!(response.status(), StatusCode::BAD_REQUEST);
        let body = response.text().await.unwrap();
        assert!(body.contains("alt_text_far_too_long"), "{body}");
    }
    assert!(
        sent.load(Ordering::SeqCst) < TOTAL / 4,
        "only {} of {TOTAL} bytes were asked for",
        sent.load(Ordering::SeqCst)
    );
    assert_eq!(stored_files(&app), 0, "nothing is stored");
}
