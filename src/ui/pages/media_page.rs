//! The media library: upload pictures and videos (a plain multipart form, streamed by the
//! server), search them, describe them (alt text, the focal point crops keep in view), see
//! what each network will receive, and delete what no scheduled post uses.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::ai::MakePictures;
use crate::api::auth::Session;
use crate::api::media::{DeleteMedia, DescribeMedia, MediaItem, MediaPage as Library, list_media};
use crate::domain::media::{AltText, MediaFacts};
use crate::error::AppError;
use crate::text::problems::describe;
use crate::text::rules::network_name;
use crate::text::{Locale, use_locale};
use crate::ui::components::{
    AppShell, EmptyState, ErrorAlert, SignedIn, error_message, error_text,
};

#[component]
pub fn MediaPage() -> impl IntoView {
    let query = use_query_map();
    let describe_action = ServerAction::<DescribeMedia>::new();
    let delete_action = ServerAction::<DeleteMedia>::new();
    let make_action = ServerAction::<MakePictures>::new();
    let media = Resource::new_blocking(
        move || {
            let query = query.read();
            (
                query.get("q").unwrap_or_default(),
                page_of(&query),
                describe_action.version().get(),
                delete_action.version().get(),
                make_action.version().get(),
                query.get("done"),
            )
        },
        |(search, page, ..)| list_media(search, page),
    );
    view! {
        <SignedIn render=move |session| {
            view! { <MediaScreen session describe_action delete_action make_action media /> }.into_any()
        } />
    }
}

fn page_of(query: &leptos_router::params::ParamsMap) -> u32 {
    query
        .get("page")
        .and_then(|page| page.parse::<u32>().ok())
        .unwrap_or(0)
}

#[component]
fn MediaScreen(
    session: Session,
    describe_action: ServerAction<DescribeMedia>,
    delete_action: ServerAction<DeleteMedia>,
    make_action: ServerAction<MakePictures>,
    media: Resource<Result<Library, AppError>>,
) -> impl IntoView {
    let locale = use_locale().get_locale_untracked();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || page_of(&query.read());
    let outcome = move || {
        let query = query.read();
        if let Some(problem) = query.get("problem") {
            let error = AppError::from_link(&problem).unwrap_or(AppError::Invalid {
                field: None,
                problem: crate::error::Problem::MediaNotRecognised,
            });
            return Some(("alert alert-error", "alert", describe(&error, locale)));
        }
        query
            .get("done")
            .filter(|done| done == "uploaded")
            .map(|_| {
                (
                    "alert alert-success",
                    "status",
                    td_string!(locale, media.uploaded).to_owned(),
                )
            })
    };
    view! {
        <Title text=td_string!(locale, media.title) />
        <AppShell session>
            <h1>{td_string!(locale, media.title)}</h1>
            {move || outcome().map(|(class, role, text)| view! { <p class=class role=role>{text}</p> })}
            <section class="card" aria-labelledby="upload-heading">
                <h2 id="upload-heading">{td_string!(locale, media.upload_heading)}</h2>
                <form method="post" action="/media/upload" enctype="multipart/form-data">
                    <div class="field">
                        <label for="upload-file">{td_string!(locale, media.file_label)}</label>
                        <input id="upload-file" name="file" type="file" required accept="image/*,video/mp4,video/quicktime" />
                        <p class="hint">{td_string!(locale, media.file_hint)}</p>
                    </div>
                    <div class="field">
                        <label for="upload-alt">{td_string!(locale, media.alt_label)}</label>
                        <input id="upload-alt" name="alt_text" type="text" maxlength=AltText::MAX_CHARS />
                    </div>
                    <button type="submit" class="button button-primary">{td_string!(locale, media.upload)}</button>
                </form>
            </section>
            <super::make_pictures::MakePicturesCard action=make_action locale />
            <form class="filters" method="get" action="/media" role="search">
                <div class="field">
                    <label for="media-search">{td_string!(locale, media.search_label)}</label>
                    <input id="media-search" name="q" type="search" value=search() />
                </div>
                <button type="submit" class="button">{td_string!(locale, media.search)}</button>
            </form>
            <ErrorAlert message=error_message(delete_action) />
            <ErrorAlert message=error_message(describe_action) />
            <Transition fallback=move || view! { <p class="loading">{td_string!(locale, loading)}</p> }>
                {move || Suspend::new(async move {
                    match media.await {
                        Ok(found) if found.items.is_empty() && page() == 0 => view! {
                            <EmptyState
                                title=td_string!(locale, media.empty_title)
                                body=td_string!(locale, media.empty_body)
                                next=None
                            />
                        }
                        .into_any(),
                        Ok(found) => {
                            let current = page();
                            let q = search();
                            let href = move |page: u32| {
                                let mut href = format!("/media?page={page}");
                                if !q.is_empty() {
                                    href.push_str("&q=");
                                    href.push_str(&q.replace('%', "%25").replace('&', "%26").replace(' ', "+"));
                                }
                                href
                            };
                            view! {
                                <ul class="media-library">
                                    {found
                                        .items
                                        .into_iter()
                                        .map(|item| view! { <MediaCard item describe_action delete_action locale /> })
                                        .collect_view()}
                                </ul>
                                <nav class="pager" aria-label=td_string!(locale, media.pages)>
                                    {(current > 0).then(|| view! { <a class="button" href=href(current - 1)>{td_string!(locale, media.newer)}</a> })}
                                    {found.has_more.then(|| view! { <a class="button" href=href(current + 1)>{td_string!(locale, media.older)}</a> })}
                                </nav>
                            }
                            .into_any()
                        }
                        Err(error) => view! { <ErrorAlert message=Some(error_text(&error)) /> }.into_any(),
                    }
                })}
            </Transition>
        </AppShell>
    }
}

fn facts_line(facts: &MediaFacts) -> String {
    let size = |bytes: u64| {
        if bytes >= 1024 * 1024 {
            format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
        } else {
            format!("{} KB", bytes.div_ceil(1024))
        }
    };
    match *facts {
        MediaFacts::Image {
            format,
            width,
            height,
            bytes,
        } => format!("{format:?} · {width}×{height} · {}", size(bytes)).to_uppercase(),
        MediaFacts::Video {
            width,
            height,
            duration_ms,
            bytes,
            ..
        } => {
            format!(
                "{width}×{height} · {} s · {}",
                duration_ms.div_ceil(1000),
                size(bytes)
            )
        }
    }
}

#[component]
fn MediaCard(
    item: MediaItem,
    describe_action: ServerAction<DescribeMedia>,
    delete_action: ServerAction<DeleteMedia>,
    locale: Locale,
) -> impl IntoView {
    let name = item.original_name.clone();
    let heading_id = format!("media-{}", item.id);
    let alt_id = format!("alt-{}", item.id);
    let x_id = format!("focus-x-{}", item.id);
    let y_id = format!("focus-y-{}", item.id);
    let delete_label = td_string!(locale, media.delete_named, name = name.clone()).to_string();
    let save_label = td_string!(locale, media.save_named, name = name.clone()).to_string();
    let is_image = !item.facts.is_video();
    let labelled_by = heading_id.clone();
    let describe_id = item.id.to_string();
    let delete_id = item.id.to_string();
    view! {
        <li class="card media-card" aria-labelledby=labelled_by>
            {match (&item.thumbnail_url, item.facts) {
                (Some(url), _) => view! { <img class="media-thumb" src=url.clone() alt=item.alt_text.clone() /> }.into_any(),
                (None, _) => view! { <video class="media-thumb" src=item.url.clone() preload="metadata" controls aria-label=item.alt_text.clone()></video> }.into_any(),
            }}
            <h2 id=heading_id class="media-name">{name.clone()}</h2>
            <p class="muted">{facts_line(&item.facts)}</p>
            {(!item.variants.is_empty())
                .then(|| {
                    view! {
                        <ul class="variants" aria-label=td_string!(locale, media.variants)>
                            {item
                                .variants
                                .iter()
                                .map(|variant| {
                                    let text = td_string!(
                                        locale,
                                        media.variant_line,
                                        network = network_name(variant.network),
                                        width = variant.width,
                                        height = variant.height
                                    )
                                    .to_string();
                                    view! {
                                        <li>
                                            <img src=variant.url.clone() alt="" width="64" height="64" loading="lazy" />
                                            <a href=variant.url.clone()>{text}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
            <ActionForm action=describe_action>
                <input type="hidden" name="id" value=describe_id />
                <div class="field">
                    <label for=alt_id.clone()>{td_string!(locale, media.alt_label)}</label>
                    <input id=alt_id name="alt_text" type="text" value=item.alt_text.clone() maxlength=AltText::MAX_CHARS />
                </div>
                {if is_image {
                    view! {
                        <fieldset class="focus">
                            <legend>{td_string!(locale, media.focus_legend)}</legend>
                            <label for=x_id.clone()>{td_string!(locale, media.focus_x)}</label>
                            <input id=x_id name="focus_x" type="number" min="0" max="100" value=(item.focus.x / 10).to_string() />
                            <label for=y_id.clone()>{td_string!(locale, media.focus_y)}</label>
                            <input id=y_id name="focus_y" type="number" min="0" max="100" value=(item.focus.y / 10).to_string() />
                        </fieldset>
                    }
                    .into_any()
                } else {
                    view! {
                        <input type="hidden" name="focus_x" value="50" />
                        <input type="hidden" name="focus_y" value="50" />
                    }
                    .into_any()
                }}
                <button type="submit" class="button" aria-label=save_label>{td_string!(locale, media.save)}</button>
            </ActionForm>
            <ActionForm action=delete_action>
                <input type="hidden" name="id" value=delete_id />
                <button type="submit" class="button button-danger" aria-label=delete_label>{td_string!(locale, media.delete)}</button>
            </ActionForm>
        </li>
    }
}
