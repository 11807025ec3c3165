//! The post's media, in order: move, remove, upload more from the device, or add from the
//! media library. Without JavaScript the chosen media travel as hidden fields and the library
//! as checkboxes; uploading then happens on the media library page.

use leptos::prelude::*;
use leptos_i18n::td_string;

use super::state::Composer;
use super::upload;
use crate::api::media::MediaItem;
use crate::domain::media::MediaFacts;
use crate::error::AppError;
use crate::text::Locale;
use crate::text::problems::describe;

#[component]
pub fn ChooseMedia(composer: Composer, library: Vec<MediaItem>, locale: Locale) -> impl IntoView {
    let uploading = RwSignal::new(0usize);
    let upload_error = RwSignal::new(None::<AppError>);
    let library = StoredValue::new(library);
    let on_files = move |event: leptos::ev::Event| {
        upload_error.set(None);
        // One after the other, so the post takes them in the order they were picked.
        let files = upload::chosen_files(&event);
        uploading.update(|count| *count += files.len());
        leptos::task::spawn_local(async move {
            for file in files {
                match upload::upload(file).await {
                    Ok(item) => {
                        library.update_value(|items| items.insert(0, item.clone()));
                        composer.add_media(item);
                    }
                    Err(error) => upload_error.set(Some(error)),
                }
                uploading.update(|count| *count = count.saturating_sub(1));
            }
        });
        upload::clear_input(&event);
    };
    view! {
        {move || {
            let media = composer.media.get();
            if media.is_empty() {
                view! { <p class="muted">{td_string!(locale, compose.media_empty)}</p> }.into_any()
            } else {
                let count = media.len();
                view! {
                    <ol class="composer-media" aria-label=td_string!(locale, compose.chosen_media)>
                        {media
                            .into_iter()
                            .enumerate()
                            .map(|(index, item)| view! { <ChosenMedium composer item index count locale /> })
                            .collect_view()}
                    </ol>
                }
                    .into_any()
            }
        }}
        <div class="field only-hydrated">
            <label for="compose-upload">{td_string!(locale, compose.upload_label)}</label>
            <input
                id="compose-upload"
                type="file"
                accept="image/jpeg,image/png,image/gif,image/webp,image/bmp,image/tiff,video/mp4,video/quicktime"
                multiple
                on:change=on_files
            />
            <p class="hint">{td_string!(locale, compose.upload_hint)}</p>
        </div>
        {move || {
            (uploading.get() > 0)
                .then(|| view! { <p class="muted" role="status">{td_string!(locale, compose.uploading)}</p> })
        }}
        {move || {
            upload_error
                .get()
                .map(|error| view! { <p class="alert alert-error" role="alert">{describe(&error, locale)}</p> })
        }}
        <p class="no-script-only">
            <a href="/media">{td_string!(locale, compose.upload_in_library)}</a>
        </p>
        <details class="library-picker">
            <summary>{td_string!(locale, compose.library_heading)}</summary>
            {move || {
                let items = library.get_value();
                if items.is_empty() {
                    return view! { <p class="muted">{td_string!(locale, compose.library_empty)}</p> }
                        .into_any();
                }
                view! {
                    <ul class="media-grid">
                        {items
                            .into_iter()
                            .map(|item| view! { <LibraryChoice composer item locale /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </details>
    }
}

fn thumbnail(item: &MediaItem) -> impl IntoView + use<> {
    match (&item.thumbnail_url, item.facts) {
        (Some(url), _) => view! { <img src=url.clone() alt="" width="96" height="96" loading="lazy" /> }
            .into_any(),
        (None, MediaFacts::Video { duration_ms, .. }) => {
            view! { <span class="video-tile" aria-hidden="true">{format!("▶ {}s", duration_ms / 1000)}</span> }
                .into_any()
        }
        (None, _) => view! { <span class="video-tile" aria-hidden="true"></span> }.into_any(),
    }
}

#[component]
fn ChosenMedium(
    composer: Composer,
    item: MediaItem,
    index: usize,
    count: usize,
    locale: Locale,
) -> impl IntoView {
    let name = item.original_name.clone();
    let earlier = td_string!(locale, compose.earlier_named, name = name.clone()).to_string();
    let later = td_string!(locale, compose.later_named, name = name.clone()).to_string();
    let remove = td_string!(locale, compose.remove_named, name = name.clone()).to_string();
    view! {
        <li class="chosen-medium">
            <input type="hidden" name="media" value=item.id.to_string() />
            {thumbnail(&item)}
            <span class="medium-name">{format!("{}. {}", index + 1, name)}</span>
            <span class="button-row only-hydrated">
                <button
                    type="button"
                    class="button button-small"
                    aria-label=earlier
                    disabled=index == 0
                    on:click=move |_| composer.move_media(index, -1)
                >
                    "↑"
                </button>
                <button
                    type="button"
                    class="button button-small"
                    aria-label=later
                    disabled=index + 1 == count
                    on:click=move |_| composer.move_media(index, 1)
                >
                    "↓"
                </button>
                <button
                    type="button"
                    class="button button-small button-quiet"
                    aria-label=remove
                    on:click=move |_| composer.remove_media(index)
                >
                    "✕"
                </button>
            </span>
        </li>
    }
}

#[component]
fn LibraryChoice(composer: Composer, item: MediaItem, locale: Locale) -> impl IntoView {
    let name = item.original_name.clone();
    let add = td_string!(locale, compose.add_named, name = name.clone()).to_string();
    let checkbox_id = format!("library-{}", item.id);
    let id = item.id.clone();
    let chosen = Memo::new(move |_| {
        composer
            .media
            .with(|media| media.iter().any(|m| m.id == id))
    });
    let picked = item.clone();
    view! {
        <li class="media-tile">
            {thumbnail(&item)}
            <span class="medium-name">{name.clone()}</span>
            // Without JavaScript: a checkbox that adds the file when the form is saved.
            <label class="no-script-only" for=checkbox_id.clone()>
                <input type="checkbox" id=checkbox_id.clone() name="media" value=item.id.to_string() />
                {add.clone()}
            </label>
            <button
                type="button"
                class="button button-small only-hydrated"
                aria-label=add.clone()
                disabled=move || chosen.get()
                on:click=move |_| composer.add_media(picked.clone())
            >
                {td_string!(locale, compose.add)}
            </button>
        </li>
    }
}
