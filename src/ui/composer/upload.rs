//! Uploading files picked in the composer: each is sent to `POST /media/upload` as it is
//! (the server streams it and reads its type from its bytes) and comes back as a library item.
//! In the browser only; on the server there are never files to send.

use crate::api::media::MediaItem;
use crate::error::AppError;

#[cfg(feature = "hydrate")]
mod browser {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{FormData, HtmlInputElement, RequestInit, Response};

    use super::{AppError, MediaItem};

    pub type PickedFile = web_sys::File;

    pub fn chosen_files(event: &leptos::ev::Event) -> Vec<PickedFile> {
        let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        else {
            return Vec::new();
        };
        let Some(files) = input.files() else {
            return Vec::new();
        };
        (0..files.length())
            .filter_map(|index| files.get(index))
            .collect()
    }

    /// Empties the file input, so picking the same file again uploads it again.
    pub fn clear_input(event: &leptos::ev::Event) {
        if let Some(input) = event
            .target()
            .and_then(|target| target.dyn_into::<HtmlInputElement>().ok())
        {
            input.set_value("");
        }
    }

    fn transport(error: wasm_bindgen::JsValue) -> AppError {
        AppError::Transport(
            error
                .as_string()
                .unwrap_or_else(|| "the upload could not be sent".to_owned()),
        )
    }

    pub async fn upload(file: PickedFile) -> Result<MediaItem, AppError> {
        let form = FormData::new().map_err(transport)?;
        form.append_with_blob_and_filename("file", &file, &file.name())
            .map_err(transport)?;
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&form);
        let request =
            web_sys::Request::new_with_str_and_init("/media/upload", &init).map_err(transport)?;
        request
            .headers()
            .set("Accept", "application/json")
            .map_err(transport)?;
        let window = web_sys::window().ok_or_else(|| AppError::Transport("no window".into()))?;
        let response: Response = JsFuture::from(window.fetch_with_request(&request))
            .await
            .map_err(transport)?
            .unchecked_into();
        let text = JsFuture::from(response.text().map_err(transport)?)
            .await
            .map_err(transport)?
            .as_string()
            .unwrap_or_default();
        if response.ok() {
            serde_json::from_str(&text).map_err(|error| AppError::Transport(error.to_string()))
        } else {
            Err(serde_json::from_str::<AppError>(&text)
                .unwrap_or_else(|_| AppError::Transport(format!("HTTP {}", response.status()))))
        }
    }
}

#[cfg(not(feature = "hydrate"))]
mod browser {
    use super::{AppError, MediaItem};

    /// No value exists on the server: the composer's upload code never runs there.
    pub enum PickedFile {}

    pub fn chosen_files(_event: &leptos::ev::Event) -> Vec<PickedFile> {
        Vec::new()
    }

    pub fn clear_input(_event: &leptos::ev::Event) {}

    pub async fn upload(file: PickedFile) -> Result<MediaItem, AppError> {
        match file {}
    }
}

pub use browser::{chosen_files, clear_input, upload};
