//! AI assist in the composer: ready-made rewrites and one's own instruction; the proposal
//! streams into a preview beside the original with the changed words marked, and changes the
//! post only on **Confirm**. **Cancel** drops it; **Modify again** applies a new instruction to
//! the proposal. While one is open the composer's own controls wait (`ComposerForm`). Every
//! proposal is listed under the panel. With AI off, the panel says how to turn it on.

use leptos::prelude::*;
use leptos_i18n::td_string;

use super::live::{self, Following, Streamed};
use super::state::Composer;
use crate::api::ai::{
    AiStatus, CancelRevision, ConfirmRevision, DraftFromBrief, RephrasePost, RevisionStatus,
    RevisionView,
};
use crate::api::posts::PostView;
use crate::domain::post_rules::{Finding, Rule, check};
use crate::domain::rephrase::{Instruction, Preset};
use crate::domain::word_diff::{Piece, word_diff};
use crate::domain::{PostId, TimeZone};
use crate::error::AppError;
use crate::text::rules::describe_rule;
use crate::text::{Locale, format_moment};
use crate::ui::components::{ErrorAlert, error_message};

/// What the person asked for, before the draft is saved and the request sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ask {
    pub preset: Option<Preset>,
    pub own: String,
}

impl Ask {
    /// The request for a saved post.
    pub fn for_post(&self, id: PostId, revision: i64) -> RephrasePost {
        RephrasePost {
            id,
            revision: Some(revision),
            preset: self.preset.map(|preset| preset.as_str().to_owned()),
            instruction: Some(self.own.clone()),
            from: None,
        }
    }
}

/// The panel's state that the composer around it reads too.
#[derive(Clone, Copy)]
pub struct AssistState {
    /// The newest proposal of this visit (or the open one the page was opened with).
    pub proposal: RwSignal<Option<RevisionView>>,
    pub rephrase: ServerAction<RephrasePost>,
}

impl AssistState {
    pub fn new(open: Option<RevisionView>) -> AssistState {
        AssistState {
            proposal: RwSignal::new(open),
            rephrase: ServerAction::new(),
        }
    }

    /// A proposal is being written or waits for an answer: the post's controls wait.
    pub fn holds_post(&self) -> bool {
        self.rephrase.pending().get()
            || self
                .proposal
                .with(|proposal| proposal.as_ref().is_some_and(|p| p.status.is_pending()))
    }
}

#[component]
pub fn Assist(
    composer: Composer,
    status: AiStatus,
    /// The page's script runs: without it the panel only explains.
    scripted: bool,
    assist: AssistState,
    history: Vec<RevisionView>,
    /// Asks for a rewrite of the post's text, saving the draft first.
    ask: Callback<Ask>,
    /// The post as a confirmed proposal left it.
    confirmed: Callback<PostView>,
    zone: TimeZone,
    locale: Locale,
) -> impl IntoView {
    if !status.configured {
        return view! {
            <section class="card assist" aria-labelledby="assist-heading">
                <h2 id="assist-heading">{td_string!(locale, assist.heading)}</h2>
                <p class="hint" role="note">{td_string!(locale, assist.not_configured)}</p>
            </section>
        }
        .into_any();
    }
    if !scripted {
        let saved = composer
            .id
            .get_untracked()
            .zip(composer.revision.get_untracked());
        return view! {
            <section class="card assist" aria-labelledby="assist-heading">
                <h2 id="assist-heading">{td_string!(locale, assist.heading)}</h2>
                <PlainAssist saved open=assist.proposal.get_untracked() locale />
                <History history=RwSignal::new(history) zone locale />
            </section>
        }
        .into_any();
    }
    let history: RwSignal<Vec<RevisionView>> = RwSignal::new(history);
    let streamed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<AppError>);
    let own = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let following = StoredValue::new_local(None::<Following>);
    let confirm = ServerAction::<ConfirmRevision>::new();
    let cancel = ServerAction::<CancelRevision>::new();

    // A proposal that is still being written is followed until it ends.
    let follow = move |revision: &RevisionView| {
        streamed.set(revision.output.clone());
        let report = move |update: Streamed| match update {
            Streamed::Text(text) => streamed.set(text),
            Streamed::Ended(ended) => match *ended {
                Ok(revision) => {
                    history.update(|list| replace_or_add(list, &revision));
                    assist.proposal.set(Some(revision));
                    following.set_value(None);
                }
                Err(error) => {
                    problem.set(Some(error));
                    following.set_value(None);
                }
            },
        };
        following.set_value(live::follow(&revision.id, report));
    };
    Effect::new(move |_| {
        if let Some(revision) = assist.proposal.get_untracked()
            && revision.status == RevisionStatus::Writing
        {
            follow(&revision);
        }
    });
    Effect::new(move |_| {
        let Some(result) = assist.rephrase.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(revision) => {
                problem.set(None);
                again.set(String::new());
                history.update(|list| {
                    if let Some(parent) = &revision.parent_id
                        && let Some(earlier) = list.iter_mut().find(|r| &r.id == parent)
                    {
                        earlier.status = RevisionStatus::Replaced;
                    }
                    replace_or_add(list, &revision);
                });
                assist.proposal.set(Some(revision.clone()));
                follow(&revision);
            }
            Err(error) => problem.set(Some(error)),
        });
    });
    Effect::new(move |_| {
        let Some(result) = confirm.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(post) => {
                history.update(|list| {
                    if let Some(open) = list.iter_mut().find(|r| r.status == RevisionStatus::Open) {
                        open.status = RevisionStatus::Accepted;
                    }
                });
                assist.proposal.set(None);
                problem.set(None);
                confirmed.run(post);
            }
            Err(error) => problem.set(Some(error)),
        });
    });
    Effect::new(move |_| {
        let Some(result) = cancel.value().get() else {
            return;
        };
        untrack(move || match result {
            Ok(revision) => {
                history.update(|list| replace_or_add(list, &revision));
                following.set_value(None);
                assist.proposal.set(None);
                problem.set(None);
            }
            Err(error) => problem.set(Some(error)),
        });
    });

    let held = move || assist.holds_post();
    let preset_buttons = Preset::ALL
        .into_iter()
        .map(|preset| {
            view! {
                <button
                    type="button"
                    class="button chip"
                    disabled=held
                    on:click=move |_| ask.run(Ask { preset: Some(preset), own: String::new() })
                >
                    {preset_label(preset, locale)}
                </button>
            }
        })
        .collect_view();
    let ask_own = move |_| {
        ask.run(Ask {
            preset: None,
            own: own.get_untracked(),
        })
    };
    let modify = move |_| {
        let Some(proposal) = assist.proposal.get_untracked() else {
            return;
        };
        assist.rephrase.dispatch(RephrasePost {
            id: proposal.post_id.clone(),
            revision: None,
            preset: None,
            instruction: Some(again.get_untracked()),
            from: Some(proposal.id.clone()),
        });
    };
    let failure = Signal::derive(move || {
        problem
            .get()
            .map(|error| crate::text::problems::describe(&error, locale))
    });

    view! {
        <section class="card assist" aria-labelledby="assist-heading">
            <h2 id="assist-heading">{td_string!(locale, assist.heading)}</h2>
            <div class="button-row" role="group" aria-label=td_string!(locale, assist.presets_label)>
                {preset_buttons}
            </div>
            <div class="field">
                <label for="assist-own">{td_string!(locale, assist.own_label)}</label>
                <div class="inline-field">
                    <input
                        id="assist-own"
                        type="text"
                        autocomplete="off"
                        aria-describedby="assist-own-hint"
                        prop:value=move || own.get()
                        on:input=move |event| own.set(event_target_value(&event))
                    />
                    <button type="button" class="button" disabled=held on:click=ask_own>
                        {td_string!(locale, assist.rephrase)}
                    </button>
                </div>
                <p id="assist-own-hint" class="hint">{td_string!(locale, assist.own_hint)}</p>
            </div>
            <ErrorAlert message=failure />
            {move || {
                assist
                    .proposal
                    .get()
                    .filter(|proposal| proposal.status.is_pending() || proposal.status == RevisionStatus::Failed)
                    .map(|proposal| {
                        view! {
                            <ProposalView
                                proposal
                                streamed
                                composer
                                again
                                confirm
                                cancel
                                modify
                                locale
                            />
                        }
                    })
            }}
            <History history zone locale />
            <FromBrief composer locale />
        </section>
    }
    .into_any()
}

/// A new draft written from a brief, for the accounts chosen above; it opens for review.
#[component]
fn FromBrief(composer: Composer, locale: Locale) -> impl IntoView {
    let brief = RwSignal::new(String::new());
    let write = ServerAction::<DraftFromBrief>::new();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(post)) = write.value().get() {
            navigate(
                &format!("/compose/{}", post.id),
                leptos_router::NavigateOptions::default(),
            );
        }
    });
    let failure = error_message(write);
    let send = move |_| {
        let accounts = composer.targets.with_untracked(|targets| {
            targets
                .iter()
                .map(|target| target.account_id.clone())
                .collect()
        });
        write.dispatch(DraftFromBrief {
            brief: brief.get_untracked(),
            account: accounts,
        });
    };
    view! {
        <div class="field assist-brief">
            <label for="assist-brief">{td_string!(locale, assist.brief_label)}</label>
            <textarea
                id="assist-brief"
                rows="3"
                aria-describedby="assist-brief-hint"
                prop:value=move || brief.get()
                on:input=move |event| brief.set(event_target_value(&event))
            ></textarea>
            <p id="assist-brief-hint" class="hint">{td_string!(locale, assist.brief_hint)}</p>
            <ErrorAlert message=failure />
            <button type="button" class="button" disabled=move || write.pending().get() on:click=send>
                {move || if write.pending().get() { td_string!(locale, assist.brief_writing) } else { td_string!(locale, assist.brief_write) }}
            </button>
        </div>
    }
}

/// The original and the proposal side by side, with the answer buttons.
#[component]
fn ProposalView(
    proposal: RevisionView,
    streamed: RwSignal<String>,
    composer: Composer,
    again: RwSignal<String>,
    confirm: ServerAction<ConfirmRevision>,
    cancel: ServerAction<CancelRevision>,
    modify: impl Fn(leptos::ev::MouseEvent) + 'static,
    locale: Locale,
) -> impl IntoView {
    let writing = proposal.status == RevisionStatus::Writing;
    let open = proposal.status == RevisionStatus::Open;
    let failed = proposal.status == RevisionStatus::Failed;
    let diff = word_diff(&proposal.input, &proposal.output);
    let output = proposal.output.clone();
    let before = if open {
        marked(&diff.before, "del")
    } else {
        view! { {proposal.input.clone()} }.into_any()
    };
    let after = move || {
        if writing {
            view! { {streamed.get()} }.into_any()
        } else if open {
            marked(&diff.after, "ins")
        } else {
            view! { {output.clone()} }.into_any()
        }
    };
    let state_line = match proposal.status {
        RevisionStatus::Writing => td_string!(locale, assist.writing).to_owned(),
        RevisionStatus::Open => td_string!(locale, assist.waiting).to_owned(),
        _ => proposal
            .problem
            .as_ref()
            .map(|problem| {
                let error = AppError::Refused(problem.clone());
                td_string!(
                    locale,
                    assist.failed,
                    reason = crate::text::problems::describe(&error, locale)
                )
                .to_string()
            })
            .unwrap_or_default(),
    };
    let cut_short = proposal.finish_reason.as_deref() == Some("length");
    let broken = if open {
        limits_broken(composer, &proposal.output, locale)
    } else {
        Vec::new()
    };
    let id = proposal.id.clone();
    let cancel_id = proposal.id.clone();
    view! {
        <Compare before after writing locale />
        <p class="muted" role="status">{state_line}</p>
        {cut_short.then(|| view! { <p class="alert alert-warning" role="alert">{td_string!(locale, assist.cut_short)}</p> })}
        {(!broken.is_empty())
            .then(|| {
                view! {
                    <div class="alert alert-warning" role="alert">
                        <p>{td_string!(locale, assist.breaks_limits)}</p>
                        <ul>{broken.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    </div>
                }
            })}
        {(!failed)
            .then(|| {
                view! {
                    <div class="button-row">
                        <button
                            type="button"
                            class="button button-primary"
                            disabled=move || !open || confirm.pending().get()
                            on:click=move |_| {
                                confirm.dispatch(ConfirmRevision { id: id.clone() });
                            }
                        >
                            {td_string!(locale, assist.confirm)}
                        </button>
                        <button
                            type="button"
                            class="button"
                            disabled=move || cancel.pending().get()
                            on:click=move |_| {
                                cancel.dispatch(CancelRevision { id: cancel_id.clone() });
                            }
                        >
                            {td_string!(locale, assist.cancel)}
                        </button>
                    </div>
                    <div class="field">
                        <label for="assist-again">{td_string!(locale, assist.again_label)}</label>
                        <div class="inline-field">
                            <input
                                id="assist-again"
                                type="text"
                                autocomplete="off"
                                prop:value=move || again.get()
                                on:input=move |event| again.set(event_target_value(&event))
                            />
                            <button type="button" class="button" disabled=move || !open on:click=modify>
                                {td_string!(locale, assist.modify_again)}
                            </button>
                        </div>
                    </div>
                }
            })}
    }
}

/// The same workflow as plain forms, for a browser without JavaScript: the server waits for
/// the proposal before it answers, so the page shows it whole.
#[component]
fn PlainAssist(
    /// The draft as saved: only a saved draft can be rephrased.
    saved: Option<(PostId, i64)>,
    open: Option<RevisionView>,
    locale: Locale,
) -> impl IntoView {
    let Some((post_id, revision)) = saved else {
        return view! { <p class="hint" role="note">{td_string!(locale, assist.save_first)}</p> }
            .into_any();
    };
    let rephrase_to = format!("/compose/{post_id}/rephrase");
    match open {
        Some(proposal) if proposal.status.is_pending() => {
            let writing = proposal.status == RevisionStatus::Writing;
            let diff = word_diff(&proposal.input, &proposal.output);
            let id = proposal.id.to_string();
            view! {
                <Compare
                    before=marked(&diff.before, "del")
                    after=marked(&diff.after, "ins")
                    writing
                    locale
                />
                <p class="muted" role="status">
                    {if writing { td_string!(locale, assist.writing_reload) } else { td_string!(locale, assist.waiting) }}
                </p>
                <div class="button-row">
                    {(!writing).then(|| view! {
                        <form method="post" action=format!("/ai/revisions/{id}/confirm")>
                            <button type="submit" class="button button-primary">{td_string!(locale, assist.confirm)}</button>
                        </form>
                    })}
                    <form method="post" action=format!("/ai/revisions/{id}/cancel")>
                        <button type="submit" class="button">{td_string!(locale, assist.cancel)}</button>
                    </form>
                </div>
                {(!writing).then(|| view! {
                    <form method="post" action=rephrase_to.clone() class="field">
                        <input type="hidden" name="from" value=id.clone() />
                        <label for="assist-again">{td_string!(locale, assist.again_label)}</label>
                        <div class="inline-field">
                            <input id="assist-again" name="instruction" type="text" autocomplete="off" required />
                            <button type="submit" class="button">{td_string!(locale, assist.modify_again)}</button>
                        </div>
                    </form>
                })}
            }
            .into_any()
        }
        _ => view! {
            <form method="post" action=rephrase_to>
                <input type="hidden" name="revision" value=revision.to_string() />
                <div class="button-row" role="group" aria-label=td_string!(locale, assist.presets_label)>
                    {Preset::ALL
                        .into_iter()
                        .map(|preset| view! {
                            <button type="submit" class="button chip" name="preset" value=preset.as_str()>
                                {preset_label(preset, locale)}
                            </button>
                        })
                        .collect_view()}
                </div>
                <div class="field">
                    <label for="assist-own">{td_string!(locale, assist.own_label)}</label>
                    <div class="inline-field">
                        <input id="assist-own" name="instruction" type="text" autocomplete="off" aria-describedby="assist-own-hint" />
                        <button type="submit" class="button">{td_string!(locale, assist.rephrase)}</button>
                    </div>
                    <p id="assist-own-hint" class="hint">{td_string!(locale, assist.own_hint)}</p>
                </div>
            </form>
        }
        .into_any(),
    }
}

/// The original and the proposal side by side.
#[component]
fn Compare(
    before: impl IntoView + 'static,
    after: impl IntoView + 'static,
    writing: bool,
    locale: Locale,
) -> impl IntoView {
    view! {
        <div class="assist-compare">
            <section class="assist-side" aria-labelledby="assist-original">
                <h3 id="assist-original">{td_string!(locale, assist.original)}</h3>
                <p class="assist-text">{before}</p>
            </section>
            <section class="assist-side" aria-labelledby="assist-proposal" aria-busy=writing.to_string()>
                <h3 id="assist-proposal">{td_string!(locale, assist.proposal)}</h3>
                <p class="assist-text" aria-live="polite">{after}</p>
            </section>
        </div>
    }
}

/// Every proposal for the post, newest first, with what was asked and what became of it.
#[component]
fn History(history: RwSignal<Vec<RevisionView>>, zone: TimeZone, locale: Locale) -> impl IntoView {
    move || {
        let list = history.get();
        (!list.is_empty()).then(|| {
            let count = list.len();
            view! {
                <details class="assist-history">
                    <summary>{td_string!(locale, assist.history, number = count)}</summary>
                    <ol>
                        {list
                            .into_iter()
                            .map(|revision| {
                                view! {
                                    <li>
                                        <p>
                                            <strong>{instruction_label(&revision.instruction, locale)}</strong>
                                            " · "
                                            {status_label(revision.status, locale)}
                                            " · "
                                            {format_moment(revision.created_at, zone, locale)}
                                            " · "
                                            {revision.model.clone()}
                                        </p>
                                        <p class="muted">{revision.output.clone()}</p>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ol>
                </details>
            }
        })
    }
}

/// Text with its changed runs in `<ins>` or `<del>`.
fn marked(pieces: &[Piece], tag: &'static str) -> AnyView {
    pieces
        .iter()
        .map(|piece| match (piece.changed, tag) {
            (false, _) => view! { {piece.text.clone()} }.into_any(),
            (true, "del") => view! { <del>{piece.text.clone()}</del> }.into_any(),
            (true, _) => view! { <ins>{piece.text.clone()}</ins> }.into_any(),
        })
        .collect_view()
        .into_any()
}

/// The limits the post would break with `text` as its words, in words.
fn limits_broken(composer: Composer, text: &str, locale: Locale) -> Vec<String> {
    let mut draft = composer.draft();
    draft.text = text.to_owned();
    check(&draft)
        .into_iter()
        .filter(|finding: &Finding| {
            matches!(
                finding.rule,
                Rule::CaptionTooLong { .. }
                    | Rule::TooManyHashtags { .. }
                    | Rule::TooManyMentions { .. }
            )
        })
        .map(|finding| describe_rule(finding.network, &finding.rule, locale))
        .collect()
}

fn replace_or_add(list: &mut Vec<RevisionView>, revision: &RevisionView) {
    match list.iter_mut().find(|known| known.id == revision.id) {
        Some(known) => *known = revision.clone(),
        None => list.insert(0, revision.clone()),
    }
}

pub fn preset_label(preset: Preset, locale: Locale) -> &'static str {
    match preset {
        Preset::Shorter => td_string!(locale, assist.preset_shorter),
        Preset::Friendlier => td_string!(locale, assist.preset_friendlier),
        Preset::MoreProfessional => td_string!(locale, assist.preset_more_professional),
        Preset::AddEmojis => td_string!(locale, assist.preset_add_emojis),
        Preset::AddHashtags => td_string!(locale, assist.preset_add_hashtags),
        Preset::ToFrench => td_string!(locale, assist.preset_to_french),
        Preset::ToEnglish => td_string!(locale, assist.preset_to_english),
    }
}

fn instruction_label(instruction: &Instruction, locale: Locale) -> String {
    match instruction {
        Instruction::Preset(preset) => preset_label(*preset, locale).to_owned(),
        Instruction::Own(words) => format!("“{words}”"),
    }
}

fn status_label(status: RevisionStatus, locale: Locale) -> &'static str {
    match status {
        RevisionStatus::Writing => td_string!(locale, assist.status_writing),
        RevisionStatus::Open => td_string!(locale, assist.status_open),
        RevisionStatus::Accepted => td_string!(locale, assist.status_accepted),
        RevisionStatus::Cancelled => td_string!(locale, assist.status_cancelled),
        RevisionStatus::Replaced => td_string!(locale, assist.status_replaced),
        RevisionStatus::Failed => td_string!(locale, assist.status_failed),
    }
}
