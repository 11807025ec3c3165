//! Rephrasing a post's text with a preview. A proposal is written in the background — kept as
//! it streams, so any instance can show it and a reload loses nothing — and it changes the
//! post only when the person confirms it. One proposal per post is open at a time; while it
//! is, the post is not saved, published or scheduled (`open_proposal::ensure_none_open`).

use std::time::{Duration, Instant};

use crate::domain::accounts::Network;
use crate::domain::post_record::PostView;
use crate::domain::post_state::PostStatus;
use crate::domain::rephrase::Instruction;
use crate::domain::rephrase::{AiStatus, RevisionStatus, RevisionView};
use crate::domain::{PostId, RevisionId, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db::{self, posts as db_posts, revisions as db_revisions};
use crate::server::state::AppState;

use super::{AiError, ChatEvent, ChatOptions, Message, prompts};

/// How often the text written so far is kept while the model writes.
const KEEP_EVERY: Duration = Duration::from_millis(100);
/// A proposal "writing" with no change for this long was left by a process that stopped: a
/// live writer keeps its text every few pieces, and gives up on a silent model long before.
pub const ABANDONED_AFTER: chrono::Duration = chrono::Duration::minutes(3);

pub fn status(state: &AppState) -> AiStatus {
    match &state.ai {
        None => AiStatus {
            configured: false,
            images: false,
            model: None,
        },
        Some(client) => AiStatus {
            configured: true,
            images: client.config().image_model.is_some(),
            model: Some(client.config().model.clone()),
        },
    }
}

/// Starts a proposal and returns it (writing); the model's answer is kept as it arrives.
pub async fn start(
    state: &AppState,
    session: &SignedIn,
    post_id: &PostId,
    post_revision: Option<i64>,
    instruction: Instruction,
    from: Option<&RevisionId>,
) -> Result<RevisionView, AppError> {
    let client = state
        .ai
        .clone()
        .ok_or(AppError::Refused(Problem::AiNotConfigured))?;
    let workspace_id = &session.workspace_id;
    let post = db_posts::find(state.db.pool(), workspace_id, post_id)
        .await?
        .ok_or(AppError::invalid("post", Problem::PostNotFound))?;
    if post.status != PostStatus::Draft {
        return Err(AppError::Conflict(Problem::PostNotDraft));
    }
    if post_revision.is_some_and(|revision| revision != post.revision) {
        return Err(AppError::Conflict(Problem::PostChangedElsewhere));
    }
    // A proposal its process left unfinished must not hold the post forever.
    fail_abandoned(state).await?;
    // Counted before the write transaction: SQLite has one writer, and it would be this one.
    super::allowance::take(state, workspace_id, 1).await?;
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let input = match from {
        None => post.text.clone(),
        Some(parent) => {
            let parent_row = db_revisions::find(state.db.pool(), workspace_id, parent)
                .await?
                .filter(|row| &row.post_id == post_id)
                .ok_or(AppError::invalid("from", Problem::AiProposalNotFound))?;
            if !db_revisions::decide(
                &mut tx,
                parent,
                &[RevisionStatus::Open],
                RevisionStatus::Replaced,
                now,
            )
            .await?
            {
                return Err(AppError::Conflict(
                    if parent_row.status == RevisionStatus::Writing {
                        Problem::AiProposalStreaming
                    } else {
                        Problem::AiProposalClosed
                    },
                ));
            }
            parent_row.output
        }
    };
    if input.trim().is_empty() {
        return Err(AppError::invalid("text", Problem::PostEmpty));
    }
    let id: RevisionId = db::new_id();
    let model = client.config().model.clone();
    let inserted = db_revisions::insert(
        &mut tx,
        db_revisions::NewRevision {
            id: &id,
            workspace_id,
            post_id,
            parent_id: from,
            created_by: &session.user_id,
            instruction: &instruction.to_text(),
            input: &input,
            model: &model,
            now,
        },
    )
    .await;
    match inserted {
        Err(error) if db::is_unique_violation(&error) => {
            return Err(AppError::Conflict(Problem::AiProposalOpen));
        }
        other => other?,
    }
    tx.commit().await?;

    let networks = networks_of(state, post_id).await?;
    let messages = prompts::rephrase(instruction.for_model(), &input, &networks);
    tokio::spawn(write(state.clone(), id.clone(), messages));
    find(state, workspace_id, &id).await
}

/// Writes the proposal from the model's answer, keeping the text as it grows.
async fn write(state: AppState, id: RevisionId, messages: Vec<Message>) {
    let mut text = String::new();
    let outcome = answer_into(&state, &id, &messages, &mut text).await;
    let now = db::millis(state.clock.now());
    let pool = state.db.pool();
    let kept = match outcome {
        // Cancelled while written: there is nothing left to keep.
        Ok(Answer::Abandoned) => return,
        Ok(Answer::Finished(finish_reason)) if !text.trim().is_empty() => {
            db_revisions::finish_writing(
                pool,
                &id,
                RevisionStatus::Open,
                text.trim(),
                finish_reason.as_deref(),
                None,
                now,
            )
            .await
        }
        outcome => {
            let problem = match outcome {
                Err(error) => problem_of(error),
                Ok(_) => Problem::AiMalformed {
                    detail: "the answer was empty".to_owned(),
                },
            };
            let problem = serde_json::to_string(&problem).expect("problems serialise");
            db_revisions::finish_writing(
                pool,
                &id,
                RevisionStatus::Failed,
                &text,
                None,
                Some(&problem),
                now,
            )
            .await
        }
    };
    if let Err(error) = kept {
        tracing::error!(revision = %id, %error, "an AI proposal could not be kept");
    }
}

/// How the model's answer ended.
enum Answer {
    /// Whole, with the model's finish reason (`length`: cut at its limit).
    Finished(Option<String>),
    /// Not read to its end: the proposal was cancelled while it was being written.
    Abandoned,
}

/// Streams the answer into `text`; how it finished, or why it stopped.
async fn answer_into(
    state: &AppState,
    id: &RevisionId,
    messages: &[Message],
    text: &mut String,
) -> Result<Answer, AiError> {
    let client = state.ai.as_ref().ok_or(AiError::NotConfigured)?;
    let mut stream = client.chat(messages, ChatOptions::default()).await?;
    let mut kept_at = Instant::now();
    let mut kept_len = 0;
    while let Some(event) = stream.next().await {
        match event? {
            ChatEvent::Text(piece) => {
                text.push_str(&piece);
                if kept_at.elapsed() >= KEEP_EVERY && text.len() > kept_len {
                    let now = db::millis(state.clock.now());
                    match db_revisions::set_output(state.db.pool(), id, text, now).await {
                        // Cancelled meanwhile: dropping the stream closes the connection, so
                        // the model stops writing (and costing) what nobody will read.
                        Ok(false) => return Ok(Answer::Abandoned),
                        Ok(true) => {}
                        // The whole text is kept at the end; only the live preview lags.
                        Err(error) => {
                            tracing::warn!(revision = %id, %error, "a proposal's progress was not kept");
                        }
                    }
                    kept_at = Instant::now();
                    kept_len = text.len();
                }
            }
            ChatEvent::Finished(finish) => return Ok(Answer::Finished(finish.reason)),
        }
    }
    Err(AiError::Malformed {
        detail: "the answer stopped before it was complete".to_owned(),
    })
}

fn problem_of(error: AiError) -> Problem {
    match AppError::from(error) {
        AppError::Refused(problem) => problem,
        _ => Problem::AiUnreachable,
    }
}

/// The networks the post goes to, whose limits the proposal must keep.
async fn networks_of(state: &AppState, post_id: &PostId) -> Result<Vec<Network>, AppError> {
    let targets = db_posts::targets_of(state.db.pool(), std::slice::from_ref(post_id)).await?;
    let mut networks: Vec<Network> = targets.iter().map(|target| target.network).collect();
    networks.sort_by_key(|network| network.as_str());
    networks.dedup();
    Ok(networks)
}

pub async fn find(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &RevisionId,
) -> Result<RevisionView, AppError> {
    db_revisions::find(state.db.pool(), workspace_id, id)
        .await?
        .ok_or(AppError::invalid("revision", Problem::AiProposalNotFound))
}

pub async fn for_post(
    state: &AppState,
    workspace_id: &WorkspaceId,
    post_id: &PostId,
) -> Result<Vec<RevisionView>, AppError> {
    Ok(db_revisions::for_post(state.db.pool(), workspace_id, post_id).await?)
}

/// The proposal's text becomes the post's; the proposal is marked accepted.
pub async fn confirm(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &RevisionId,
) -> Result<PostView, AppError> {
    let revision = find(state, workspace_id, id).await?;
    match revision.status {
        RevisionStatus::Open => {}
        RevisionStatus::Writing => return Err(AppError::Conflict(Problem::AiProposalStreaming)),
        _ => return Err(AppError::Conflict(Problem::AiProposalClosed)),
    }
    let post = db_posts::find(state.db.pool(), workspace_id, &revision.post_id)
        .await?
        .ok_or(AppError::invalid("post", Problem::PostNotFound))?;
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    if !db_revisions::decide(
        &mut tx,
        id,
        &[RevisionStatus::Open],
        RevisionStatus::Accepted,
        now,
    )
    .await?
    {
        return Err(AppError::Conflict(Problem::AiProposalClosed));
    }
    let words = db_posts::PostWords {
        text: &revision.output,
        hashtags: &post.hashtags,
        call_to_action: &post.call_to_action,
    };
    if !db_posts::update_draft(&mut tx, &post.id, workspace_id, post.revision, &words, now).await? {
        return Err(AppError::Conflict(Problem::PostNotDraft));
    }
    tx.commit().await?;
    crate::server::posts::find(state, workspace_id, &post.id).await
}

/// Drops the proposal (even while it is being written); the post is untouched.
pub async fn cancel(
    state: &AppState,
    workspace_id: &WorkspaceId,
    id: &RevisionId,
) -> Result<RevisionView, AppError> {
    find(state, workspace_id, id).await?;
    let now = db::millis(state.clock.now());
    let mut tx = state.db.begin_write().await?;
    let cancelled = db_revisions::decide(
        &mut tx,
        id,
        &[RevisionStatus::Writing, RevisionStatus::Open],
        RevisionStatus::Cancelled,
        now,
    )
    .await?;
    tx.commit().await?;
    if !cancelled {
        return Err(AppError::Conflict(Problem::AiProposalClosed));
    }
    find(state, workspace_id, id).await
}

/// Proposals whose writer stopped long ago (a restart) are failed, freeing their posts.
pub async fn fail_abandoned(state: &AppState) -> Result<u64, sqlx::Error> {
    let now = state.clock.now();
    let problem = serde_json::to_string(&Problem::AiTimeout).expect("problems serialise");
    db_revisions::fail_abandoned(
        state.db.pool(),
        db::millis(now - ABANDONED_AFTER),
        &problem,
        db::millis(now),
    )
    .await
}
