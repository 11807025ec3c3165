//! "Make pictures with AI" on the media page: one prompt and a style, one picture per shape
//! ticked, each reported on its own — added to the library (and so offered in the composer),
//! or why not. With AI off, it says how to turn it on.

use leptos::prelude::*;
use leptos_i18n::td_string;

use crate::api::ai::{MakePictures, PictureOutcome, read_ai_status};
use crate::domain::picture_shapes::PictureShape;
use crate::text::Locale;
use crate::text::problems::describe;
use crate::ui::components::{ErrorAlert, error_message};

#[component]
pub fn MakePicturesCard(action: ServerAction<MakePictures>, locale: Locale) -> impl IntoView {
    let status = Resource::new(|| (), |_| read_ai_status());
    let prompt = RwSignal::new(String::new());
    let style = RwSignal::new(String::new());
    let chosen = RwSignal::new(vec![
        PictureShape::FacebookLandscape,
        PictureShape::InstagramSquare,
    ]);
    view! {
        <section class="card" aria-labelledby="make-heading">
            <h2 id="make-heading">{td_string!(locale, pictures.heading)}</h2>
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(status) if !status.configured => view! {
                            <p class="hint" role="note">{td_string!(locale, assist.not_configured)}</p>
                        }
                        .into_any(),
                        Ok(status) if !status.images => view! {
                            <p class="hint" role="note">{td_string!(locale, errors.ai_images_not_configured)}</p>
                        }
                        .into_any(),
                        // Only the page's script sends the form (without it there is nowhere
                        // to show the results): the stylesheet shows one or the other.
                        Ok(_) => view! {
                            <div class="only-hydrated">
                                <PictureForm action prompt style chosen locale />
                            </div>
                            <p class="hint no-script-only" role="note">{td_string!(locale, pictures.needs_script)}</p>
                        }
                        .into_any(),
                        Err(error) => view! { <ErrorAlert message=Some(describe(&error, locale)) /> }.into_any(),
                    }
                })}
            </Transition>
            <ErrorAlert message=error_message(action) />
            {move || {
                action
                    .value()
                    .get()
                    .and_then(Result::ok)
                    .map(|outcomes| view! { <Outcomes outcomes locale /> })
            }}
        </section>
    }
}

/// The prompt, the style and the shapes.
#[component]
fn PictureForm(
    action: ServerAction<MakePictures>,
    prompt: RwSignal<String>,
    style: RwSignal<String>,
    chosen: RwSignal<Vec<PictureShape>>,
    locale: Locale,
) -> impl IntoView {
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        action.dispatch(MakePictures {
            prompt: prompt.get_untracked(),
            style: style.get_untracked(),
            shape: chosen
                .get_untracked()
                .iter()
                .map(|shape| shape.as_str().to_owned())
                .collect(),
        });
    };
    let shapes = PictureShape::ALL
        .into_iter()
        .map(|shape| {
            let id = format!("make-shape-{}", shape.as_str());
            view! {
                <div class="check">
                    <input
                        id=id.clone()
                        type="checkbox"
                        prop:checked=move || chosen.with(|list| list.contains(&shape))
                        on:change=move |event| {
                            let on = event_target_checked(&event);
                            chosen.update(|list| {
                                list.retain(|known| *known != shape);
                                if on {
                                    list.push(shape);
                                }
                            });
                        }
                    />
                    <label for=id>{shape_label(shape, locale)}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <form class="make-pictures" on:submit=on_submit>
            <div class="field">
                <label for="make-prompt">{td_string!(locale, pictures.prompt_label)}</label>
                <textarea
                    id="make-prompt"
                    rows="3"
                    prop:value=move || prompt.get()
                    on:input=move |event| prompt.set(event_target_value(&event))
                ></textarea>
            </div>
            <div class="field">
                <label for="make-style">{td_string!(locale, pictures.style_label)}</label>
                <input
                    id="make-style"
                    type="text"
                    aria-describedby="make-style-hint"
                    prop:value=move || style.get()
                    on:input=move |event| style.set(event_target_value(&event))
                />
                <p id="make-style-hint" class="hint">{td_string!(locale, pictures.style_hint)}</p>
            </div>
            <fieldset class="field">
                <legend>{td_string!(locale, pictures.shapes_label)}</legend>
                {shapes}
            </fieldset>
            <button type="submit" class="button button-primary" disabled=move || action.pending().get()>
                {move || if action.pending().get() { td_string!(locale, pictures.making) } else { td_string!(locale, pictures.make) }}
            </button>
        </form>
    }
}

#[component]
fn Outcomes(outcomes: Vec<PictureOutcome>, locale: Locale) -> impl IntoView {
    view! {
        <ul class="made-pictures" aria-label=td_string!(locale, pictures.made_label)>
            {outcomes
                .into_iter()
                .map(|outcome| {
                    let shape = shape_label(outcome.shape, locale);
                    match outcome.result {
                        Ok(item) => {
                            let (width, height) = item.facts.size();
                            view! {
                                <li>
                                    <a href=item.url.clone()>
                                        <img src=item.thumbnail_url.clone().unwrap_or(item.url.clone()) alt=item.alt_text.clone() />
                                    </a>
                                    <p>{td_string!(locale, pictures.made_one, shape, width, height)}</p>
                                </li>
                            }
                            .into_any()
                        }
                        Err(error) => view! {
                            <li>
                                <p class="alert alert-error" role="alert">
                                    {td_string!(locale, pictures.failed_one, shape, reason = describe(&error, locale))}
                                </p>
                            </li>
                        }
                        .into_any(),
                    }
                })
                .collect_view()}
        </ul>
    }
}

pub fn shape_label(shape: PictureShape, locale: Locale) -> &'static str {
    match shape {
        PictureShape::FacebookLandscape => td_string!(locale, pictures.shape_facebook_landscape),
        PictureShape::InstagramSquare => td_string!(locale, pictures.shape_instagram_square),
        PictureShape::InstagramPortrait => td_string!(locale, pictures.shape_instagram_portrait),
        PictureShape::Vertical => td_string!(locale, pictures.shape_vertical),
    }
}
