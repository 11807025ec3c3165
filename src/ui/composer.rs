//! The composer: one text for several accounts, each with its own counter, problems and
//! preview; media in order; saved as a draft on the server, and kept on the device while it
//! has changes the server does not (a reload, a crash or a lost connection loses nothing).
//!
//! It is one plain form (`POST /compose/save`) that works without JavaScript; hydrated, it
//! saves through the `save_draft` server function, checks as the person types, and on a
//! phone shows one step at a time (content → accounts → media and preview → save).

mod accounts;
mod assist;
mod live;
mod media;
pub mod offline;
mod preview;
pub mod state;
mod upload;

use leptos::prelude::*;
use leptos_i18n::td_string;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;

use self::accounts::ChooseAccounts;
use self::assist::{Ask, Assist, AssistState};
use self::media::ChooseMedia;
use self::preview::Previews;
use self::state::{Composer, LocalCopy};
use crate::api::accounts::AccountView;
use crate::api::ai::{AiStatus, RevisionView};
use crate::api::calendar::SchedulePost;
use crate::api::media::MediaItem;
use crate::api::posts::{DraftInput, PostView, PublishPost, SaveDraft};
use crate::domain::{PostId, TimeZone, UserId};
use crate::error::AppError;
use crate::text::{Locale, format_moment};
use crate::ui::components::ErrorAlert;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Content,
    Accounts,
    Media,
    Save,
}

impl Step {
    const ALL: [Step; 4] = [Step::Content, Step::Accounts, Step::Media, Step::Save];

    fn label(self, locale: Locale) -> &'static str {
        match self {
            Step::Content => td_string!(locale, compose.step_content),
            Step::Accounts => td_string!(locale, compose.step_accounts),
            Step::Media => td_string!(locale, compose.step_media),
            Step::Save => td_string!(locale, compose.step_save),
        }
    }
}

/// How the last save went, for the status line.
#[derive(Debug, Clone, PartialEq)]
enum SaveState {
    Idle,
    Saving,
    Saved {
        at: i64,
    },
    /// No connection: kept on the device, sent when the connection returns.
    KeptOffline,
    /// Saved, now asking the server to publish.
    Publishing,
    /// Saved, now asking the server to schedule.
    Scheduling,
    /// Saved, now asking the model for a proposal.
    Rephrasing,
    /// "Publish" pressed without a connection: nothing can be published until it returns.
    PublishOffline,
    Failed(AppError),
}

/// What the button that submitted the form asks for once the draft is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AfterSave {
    Nothing,
    Publish,
    Schedule,
    Rephrase,
}

#[component]
pub fn ComposerForm(
    /// Whose words these are: the copies kept on the device are theirs alone.
    person: UserId,
    post: Option<PostView>,
    accounts: Vec<AccountView>,
    library: Vec<MediaItem>,
    zone: TimeZone,
    locale: Locale,
    /// Set when the server refused a save sent without JavaScript.
    refused: Option<AppError>,
    /// What that refused save sent, to show again.
    returned: Option<DraftInput>,
    /// The time "Schedule" offers first, and the earliest it accepts (`YYYY-MM-DDTHH:MM`).
    next_slot: String,
    now_local: String,
    /// Whether AI assist is set up, and the post's proposals so far (newest first).
    ai: AiStatus,
    revisions: Vec<RevisionView>,
) -> impl IntoView {
    let person = StoredValue::new(person);
    let draft_key =
        move |id: Option<&PostId>| person.with_value(|person| offline::key_for(person, id));
    let composer = Composer::new(post.as_ref(), accounts.clone());
    let saved_input = StoredValue::new(composer.input());
    if let Some(input) = returned {
        let known: Vec<MediaItem> = library
            .iter()
            .chain(post.iter().flat_map(|post| post.media.iter()))
            .cloned()
            .collect();
        composer.load_input(&input, &known);
    }
    let step = RwSignal::new(Step::Content);
    let save_state = RwSignal::new(match refused {
        Some(error) => SaveState::Failed(error),
        None => SaveState::Idle,
    });
    let offered = RwSignal::new(None::<LocalCopy>);
    // Only once hydrated does the form show one step at a time: without JavaScript there is
    // nothing to move between steps, so everything shows.
    let stepped = RwSignal::new(false);
    let save = ServerAction::<SaveDraft>::new();
    let publish = ServerAction::<PublishPost>::new();
    let schedule = ServerAction::<SchedulePost>::new();
    // Set by the button that submitted the form: "Publish" and "Schedule" save first.
    let after_save = RwSignal::new(AfterSave::Nothing);
    let schedule_at = RwSignal::new(next_slot.clone());
    let assist = AssistState::new(
        revisions
            .iter()
            .find(|revision| revision.status.is_pending())
            .cloned(),
    );
    // What "Rephrase" asked for, sent once the draft is saved.
    let asked = RwSignal::new(None::<Ask>);

    // In the browser, on opening: a copy left on this device with changes is offered back.
    Effect::new(move |_| {
        stepped.set(true);
        let key = draft_key(composer.id.get_untracked().as_ref());
        if let Some(copy) = offline::kept(&key) {
            if copy.input == saved_input.get_value() {
                offline::forget(&key);
            } else {
                offered.set(Some(copy));
            }
        }
    });
    // Every change the server does not have yet is kept on the device.
    Effect::new(move |_| {
        let input = composer.input();
        if offered.with(Option::is_some) || input == saved_input.get_value() {
            return;
        }
        let key = draft_key(input.id.as_ref());
        offline::keep(&key, &composer.local_copy(offline::now_millis()));
    });
    let send = move || {
        if !offline::online() {
            save_state.set(if after_save.get_untracked() == AfterSave::Nothing {
                SaveState::KeptOffline
            } else {
                SaveState::PublishOffline
            });
            after_save.set(AfterSave::Nothing);
            return;
        }
        save_state.set(SaveState::Saving);
        save.dispatch(SaveDraft {
            draft: composer.input(),
        });
    };
    // The answer to a save.
    Effect::new(move |_| {
        let Some(result) = save.value().get() else {
            return;
        };
        // Only a new answer runs this: reading the composer below must not subscribe to it.
        untrack(move || match result {
            Ok(post) => {
                let was_new = saved_input.with_value(|input| input.id.is_none());
                offline::forget(&draft_key(None));
                offline::forget(&draft_key(Some(&post.id)));
                composer.load_saved(&post);
                saved_input.set_value(composer.input());
                save_state.set(SaveState::Saved {
                    at: post.updated_at,
                });
                let path = format!("/compose/{}", post.id);
                if was_new {
                    offline::replace_address(&path);
                }
                offline::keep_page_for_offline(&path);
                match after_save.get_untracked() {
                    AfterSave::Nothing => {}
                    AfterSave::Publish => {
                        save_state.set(SaveState::Publishing);
                        publish.dispatch(PublishPost {
                            id: post.id.clone(),
                            revision: post.revision,
                        });
                    }
                    AfterSave::Schedule => {
                        save_state.set(SaveState::Scheduling);
                        schedule.dispatch(SchedulePost {
                            id: post.id.clone(),
                            revision: post.revision,
                            at: schedule_at.get_untracked(),
                        });
                    }
                    AfterSave::Rephrase => {
                        if let Some(ask) = asked.get_untracked() {
                            save_state.set(SaveState::Rephrasing);
                            assist
                                .rephrase
                                .dispatch(ask.for_post(post.id.clone(), post.revision));
                        }
                    }
                }
                after_save.set(AfterSave::Nothing);
            }
            Err(AppError::Transport(_)) => save_state.set(SaveState::KeptOffline),
            Err(error) => {
                after_save.set(AfterSave::Nothing);
                save_state.set(SaveState::Failed(error));
            }
        });
    });
    let navigate = use_navigate();
    // The answer to "Publish" or "Schedule": the post's page, or why not.
    Effect::new(move |_| {
        let Some(result) = publish.value().get().or_else(|| schedule.value().get()) else {
            return;
        };
        let navigate = navigate.clone();
        untrack(move || match result {
            Ok(post) => navigate(&format!("/posts/{}", post.id), NavigateOptions::default()),
            Err(error) => save_state.set(SaveState::Failed(error)),
        });
    });
    // Back online: what could not be sent is sent.
    let _online = window_event_listener(leptos::ev::online, move |_| {
        if save_state.get_untracked() == SaveState::KeptOffline {
            send();
        }
    });

    // The proposal has been asked for (or refused): the status line moves on.
    Effect::new(move |_| {
        if assist.rephrase.value().with(Option::is_some)
            && save_state.get_untracked() == SaveState::Rephrasing
        {
            save_state.set(SaveState::Idle);
        }
    });
    let ask = Callback::new(move |question: Ask| {
        asked.set(Some(question));
        after_save.set(AfterSave::Rephrase);
        send();
    });
    let confirmed = Callback::new(move |post: PostView| {
        offline::forget(&draft_key(Some(&post.id)));
        composer.load_saved(&post);
        saved_input.set_value(composer.input());
        save_state.set(SaveState::Saved {
            at: post.updated_at,
        });
    });
    let held = Signal::derive(move || assist.holds_post());

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        // An open proposal is answered first: nothing is sent meanwhile.
        if !held.get_untracked() {
            send();
        }
    };
    let restore = move |_| {
        if let Some(copy) = offered.get_untracked() {
            composer.load_local(&copy);
            offered.set(None);
            send();
        }
    };
    let discard = move |_| {
        offline::forget(&draft_key(composer.id.get_untracked().as_ref()));
        offered.set(None);
    };

    let id_value = move || {
        composer
            .id
            .get()
            .map(|id| id.to_string())
            .unwrap_or_default()
    };
    let revision_value = move || {
        composer
            .revision
            .get()
            .map(|r| r.to_string())
            .unwrap_or_default()
    };
    let status = move || match save_state.get() {
        SaveState::Idle => None,
        SaveState::Saving => Some(td_string!(locale, compose.saving).to_owned()),
        SaveState::Saved { at } => Some(
            td_string!(
                locale,
                compose.saved_at,
                when = format_moment(at, zone, locale)
            )
            .to_string(),
        ),
        SaveState::KeptOffline => Some(td_string!(locale, compose.kept_offline).to_owned()),
        SaveState::Publishing => Some(td_string!(locale, publishing.publishing_now).to_owned()),
        SaveState::Scheduling => Some(td_string!(locale, schedule.scheduling_now).to_owned()),
        SaveState::Rephrasing => Some(td_string!(locale, assist.writing).to_owned()),
        SaveState::PublishOffline => {
            Some(td_string!(locale, publishing.publish_offline).to_owned())
        }
        SaveState::Failed(_) => None,
    };
    let failure = Signal::derive(move || match save_state.get() {
        SaveState::Failed(error) => Some(crate::text::problems::describe(&error, locale)),
        _ => None,
    });

    view! {
        {move || {
            offered
                .get()
                .map(|copy| {
                    let when = format_moment(copy.changed_at, zone, locale);
                    view! {
                        <div class="alert alert-info" role="alert">
                            <p>{td_string!(locale, compose.restore_body, when)}</p>
                            <div class="button-row">
                                <button type="button" class="button button-primary" on:click=restore>
                                    {td_string!(locale, compose.restore)}
                                </button>
                                <button type="button" class="button" on:click=discard>
                                    {td_string!(locale, compose.discard)}
                                </button>
                            </div>
                        </div>
                    }
                })
        }}
        <nav class="composer-steps" aria-label=td_string!(locale, compose.steps_label) class:hidden=move || !stepped.get()>
            <ol>
                {Step::ALL
                    .into_iter()
                    .enumerate()
                    .map(|(index, each)| {
                        view! {
                            <li>
                                <button
                                    type="button"
                                    class="step-button"
                                    aria-current=move || (step.get() == each).then_some("step")
                                    on:click=move |_| step.set(each)
                                >
                                    <span class="step-number" aria-hidden="true">{index + 1}</span>
                                    {each.label(locale)}
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
        <form
            class="composer"
            class:stepped=move || stepped.get()
            method="post"
            action="/compose/save"
            on:submit=on_submit
        >
            <input type="hidden" name="id" prop:value=id_value />
            <input type="hidden" name="revision" prop:value=revision_value />
            <div class="composer-columns">
                <div class="composer-editor">
                    <section
                        class="composer-step card"
                        class:current=move || step.get() == Step::Content
                        aria-labelledby="compose-content"
                    >
                        <h2 id="compose-content">{Step::Content.label(locale)}</h2>
                        <Content composer held locale />
                        <StepButtons step next=Some(Step::Accounts) back=None locale />
                    </section>
                    <section
                        class="composer-step card"
                        class:current=move || step.get() == Step::Accounts
                        aria-labelledby="compose-accounts"
                    >
                        <h2 id="compose-accounts">{Step::Accounts.label(locale)}</h2>
                        <ChooseAccounts composer accounts locale />
                        <StepButtons step next=Some(Step::Media) back=Some(Step::Content) locale />
                    </section>
                    <section
                        class="composer-step card"
                        class:current=move || step.get() == Step::Media
                        aria-labelledby="compose-media"
                    >
                        <h2 id="compose-media">{td_string!(locale, compose.media_heading)}</h2>
                        <ChooseMedia composer library locale />
                        <StepButtons step next=Some(Step::Save) back=Some(Step::Accounts) locale />
                    </section>
                </div>
                <aside
                    class="composer-preview composer-step card"
                    class:current=move || step.get() == Step::Media || step.get() == Step::Save
                    aria-labelledby="compose-preview"
                >
                    <h2 id="compose-preview">{td_string!(locale, compose.preview_heading)}</h2>
                    <Previews composer locale />
                </aside>
            </div>
            <div class="composer-actions composer-step" class:current=move || step.get() == Step::Save>
                <ErrorAlert message=failure />
                <p class="muted" role="status">{status}</p>
                {move || held.get().then(|| view! { <p class="alert alert-info" role="note">{td_string!(locale, assist.held)}</p> })}
                <div class="field schedule-field">
                    <label for="compose-at">{td_string!(locale, schedule.pick_time, zone = zone.name())}</label>
                    <input
                        id="compose-at"
                        type="datetime-local"
                        name="at"
                        min=now_local
                        aria-describedby="compose-at-hint"
                        value=next_slot
                        prop:value=move || schedule_at.get()
                        on:input=move |event| schedule_at.set(event_target_value(&event))
                    />
                    <p id="compose-at-hint" class="hint">{td_string!(locale, schedule.pick_hint)}</p>
                </div>
                <div class="button-row">
                    <button
                        type="submit"
                        class="button"
                        disabled=move || busy(save_state.get()) || held.get()
                        on:click=move |_| after_save.set(AfterSave::Nothing)
                    >
                        {td_string!(locale, compose.save)}
                    </button>
                    <button
                        type="submit"
                        name="intent"
                        value="publish"
                        class="button button-primary"
                        disabled=move || busy(save_state.get()) || held.get()
                        on:click=move |_| after_save.set(AfterSave::Publish)
                    >
                        {td_string!(locale, publishing.publish)}
                    </button>
                    <button
                        type="submit"
                        name="intent"
                        value="schedule"
                        class="button"
                        disabled=move || busy(save_state.get()) || held.get()
                        on:click=move |_| after_save.set(AfterSave::Schedule)
                    >
                        {td_string!(locale, schedule.schedule)}
                    </button>
                    {move || {
                        (stepped.get() && step.get() != Step::Save)
                            .then(|| {
                                view! {
                                    <button type="button" class="button only-stepped" on:click=move |_| step.set(Step::Save)>
                                        {td_string!(locale, compose.review)}
                                    </button>
                                }
                            })
                    }}
                </div>
            </div>
        </form>
        <div class="composer-step" class:current=move || step.get() == Step::Content>
            {move || {
                // Asking the model works through the page's script: without it, the panel
                // says so.
                view! {
                    <Assist
                        composer
                        status=ai.clone()
                        scripted=stepped.get()
                        assist
                        history=revisions.clone()
                        ask
                        confirmed
                        zone
                        locale
                    />
                }
            }}
        </div>
    }
}

/// Saving or publishing is under way: the buttons wait, so a second press sends nothing.
fn busy(state: SaveState) -> bool {
    matches!(
        state,
        SaveState::Saving | SaveState::Publishing | SaveState::Scheduling | SaveState::Rephrasing
    )
}

/// Text, hashtags and call to action.
#[component]
fn Content(composer: Composer, held: Signal<bool>, locale: Locale) -> impl IntoView {
    view! {
        <div class="field">
            <label for="compose-text">{td_string!(locale, compose.text_label)}</label>
            <textarea
                id="compose-text"
                name="text"
                rows="8"
                aria-describedby="compose-text-hint"
                readonly=move || held.get()
                prop:value=move || composer.text.get()
                on:input=move |event| composer.text.set(event_target_value(&event))
            >
                {composer.text.get_untracked()}
            </textarea>
            <p id="compose-text-hint" class="hint">{td_string!(locale, compose.text_hint)}</p>
        </div>
        <div class="field">
            <label for="compose-hashtags">{td_string!(locale, compose.hashtags_label)}</label>
            <input
                id="compose-hashtags"
                name="hashtags"
                type="text"
                autocomplete="off"
                aria-describedby="compose-hashtags-hint"
                readonly=move || held.get()
                prop:value=move || composer.hashtags.get()
                on:input=move |event| composer.hashtags.set(event_target_value(&event))
            />
            <p id="compose-hashtags-hint" class="hint">{td_string!(locale, compose.hashtags_hint)}</p>
        </div>
        <div class="field">
            <label for="compose-cta">{td_string!(locale, compose.cta_label)}</label>
            <input
                id="compose-cta"
                name="call_to_action"
                type="text"
                aria-describedby="compose-cta-hint"
                readonly=move || held.get()
                prop:value=move || composer.call_to_action.get()
                on:input=move |event| composer.call_to_action.set(event_target_value(&event))
            />
            <p id="compose-cta-hint" class="hint">{td_string!(locale, compose.cta_hint)}</p>
        </div>
    }
}

/// "Back" and "Next" between steps, shown only when the form shows one step at a time.
#[component]
fn StepButtons(
    step: RwSignal<Step>,
    next: Option<Step>,
    back: Option<Step>,
    locale: Locale,
) -> impl IntoView {
    view! {
        <div class="button-row only-stepped">
            {back
                .map(|back| {
                    view! {
                        <button type="button" class="button" on:click=move |_| step.set(back)>
                            {td_string!(locale, compose.back)}
                        </button>
                    }
                })}
            {next
                .map(|next| {
                    view! {
                        <button type="button" class="button" on:click=move |_| step.set(next)>
                            {td_string!(locale, compose.next)}
                        </button>
                    }
                })}
        </div>
    }
}
