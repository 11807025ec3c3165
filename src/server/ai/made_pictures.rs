//! Pictures from one prompt, one per chosen shape: each asked for at the nearest size the
//! image model accepts, all at once, cropped here to the shape exactly and added to the media
//! library. Each shape succeeds or fails on its own.

use crate::domain::media::{AltText, ImageFormat};
use crate::domain::picture_shapes::PictureOutcome;
use crate::domain::picture_shapes::PictureShape;
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::error::internal;
use crate::server::media::library;
use crate::server::media::probe::Sniffed;
use crate::server::media::upload::{Received, TempUpload, temp_path};
use crate::server::state::AppState;

use super::AiClient;
use super::pictures::{crop_to_shape, nearest_size};

/// The longest prompt, in characters.
pub const PROMPT_MAX_CHARS: usize = 1_000;

pub async fn make(
    state: &AppState,
    session: &SignedIn,
    prompt: &str,
    style: &str,
    shapes: &[PictureShape],
) -> Result<Vec<PictureOutcome>, AppError> {
    let client = state
        .ai
        .as_ref()
        .ok_or(AppError::Refused(Problem::AiNotConfigured))?;
    if client.config().image_model.is_none() {
        return Err(AppError::Refused(Problem::AiImagesNotConfigured));
    }
    let prompt = prompt.trim();
    if prompt.is_empty() {
        return Err(AppError::invalid("prompt", Problem::AiBriefMissing));
    }
    if prompt.chars().count() + style.chars().count() > PROMPT_MAX_CHARS {
        return Err(AppError::invalid(
            "prompt",
            Problem::AiBriefTooLong {
                max: PROMPT_MAX_CHARS,
            },
        ));
    }
    let mut wanted: Vec<PictureShape> = Vec::new();
    for shape in shapes {
        if !wanted.contains(shape) {
            wanted.push(*shape);
        }
    }
    if wanted.is_empty() {
        return Err(AppError::invalid("shape", Problem::AiNoShapes));
    }
    let style = style.trim();
    super::allowance::take(state, &session.workspace_id, wanted.len() as u32).await?;
    let made = wanted
        .iter()
        .map(|shape| make_one(state, session, client, prompt, style, *shape));
    Ok(futures_util::future::join_all(made).await)
}

async fn make_one(
    state: &AppState,
    session: &SignedIn,
    client: &AiClient,
    prompt: &str,
    style: &str,
    shape: PictureShape,
) -> PictureOutcome {
    let result = async {
        let size = nearest_size(&client.config().image_sizes, shape)
            .ok_or(AppError::Refused(Problem::AiImagesNotConfigured))?;
        let (width, height) = shape.ratio();
        let full_prompt = if style.is_empty() {
            format!("{prompt}\n\nFramed for a {width}:{height} picture.")
        } else {
            format!("{prompt}\n\nStyle: {style}. Framed for a {width}:{height} picture.")
        };
        let bytes = client.image(&full_prompt, size).await?;
        let cropped = state
            .pictures
            .run(move || crop_to_shape(&bytes, shape))
            .await
            .map_err(internal)?
            .map_err(|error| {
                AppError::from(super::AiError::Malformed {
                    detail: error.to_string(),
                })
            })?;
        let folder = state.settings.data_dir.join("uploads");
        tokio::fs::create_dir_all(&folder).await.map_err(internal)?;
        let path = temp_path(&folder);
        let file = TempUpload::at(path.clone());
        tokio::fs::write(&path, &cropped.png)
            .await
            .map_err(internal)?;
        let received = Received {
            file,
            sniffed: Sniffed::Image(ImageFormat::Png),
            bytes: cropped.png.len() as u64,
        };
        let alt_text =
            AltText::parse(&prompt.chars().take(AltText::MAX_CHARS).collect::<String>())?;
        library::add(
            state,
            &session.workspace_id,
            &session.user_id,
            received,
            &format!("ai-{}.png", shape.as_str()),
            &alt_text,
        )
        .await
    }
    .await;
    PictureOutcome { shape, result }
}
