//! A new draft written from a brief: for each network among the chosen accounts, the model
//! writes a caption, hashtags and a call to action; they land in one draft (the first
//! network's words as the post's, the others' captions as those accounts' own text) that the
//! person reviews like any other. Nothing is published from here.

use crate::domain::AccountId;
use crate::domain::accounts::Network;
use crate::domain::post::normalized_hashtags;
use crate::domain::post_record::{DraftInput, PostView, TargetInput};
use crate::error::{AppError, Problem};
use crate::server::auth::SignedIn;
use crate::server::db::accounts;
use crate::server::state::AppState;

use super::prompts::{self, Drafted};
use super::{AiError, ChatOptions};

/// The longest brief, in characters.
pub const BRIEF_MAX_CHARS: usize = 2_000;

pub async fn draft(
    state: &AppState,
    session: &SignedIn,
    brief: &str,
    chosen: &[AccountId],
) -> Result<PostView, AppError> {
    let client = state
        .ai
        .as_ref()
        .ok_or(AppError::Refused(Problem::AiNotConfigured))?;
    let brief = brief.trim();
    if brief.is_empty() {
        return Err(AppError::invalid("brief", Problem::AiBriefMissing));
    }
    if brief.chars().count() > BRIEF_MAX_CHARS {
        return Err(AppError::invalid(
            "brief",
            Problem::AiBriefTooLong {
                max: BRIEF_MAX_CHARS,
            },
        ));
    }
    let known = accounts::list(state.db.pool(), &session.workspace_id).await?;
    let mut targets: Vec<(AccountId, Network)> = Vec::new();
    for id in chosen {
        let account = known
            .iter()
            .find(|account| &account.id == id)
            .ok_or(AppError::invalid(
                "account",
                Problem::PostAccountUnavailable,
            ))?;
        let network = account.profile.network;
        if !targets.iter().any(|(known, _)| known == id) {
            targets.push((id.clone(), network));
        }
    }
    if targets.is_empty() {
        return Err(AppError::invalid("account", Problem::PostHasNoAccounts));
    }
    let mut networks: Vec<Network> = targets.iter().map(|(_, network)| *network).collect();
    networks.sort_by_key(|network| network.as_str());
    networks.dedup();

    super::allowance::take(state, &session.workspace_id, networks.len() as u32).await?;
    let asks = networks.iter().map(|network| async move {
        let messages = prompts::from_brief(brief, *network);
        let (answer, _) = client
            .chat(&messages, ChatOptions::default())
            .await?
            .collect()
            .await?;
        Drafted::read(&answer).ok_or(AiError::Malformed {
            detail: "the answer did not hold a caption".to_owned(),
        })
    });
    let drafted: Vec<Drafted> = futures_util::future::join_all(asks)
        .await
        .into_iter()
        .collect::<Result<_, AiError>>()?;

    let first = &drafted[0];
    let mut hashtags: Vec<String> = Vec::new();
    for tag in drafted.iter().flat_map(|words| words.hashtags.iter()) {
        if !hashtags.contains(tag) {
            hashtags.push(tag.clone());
        }
    }
    let input = DraftInput {
        id: None,
        revision: None,
        text: first.caption.clone(),
        hashtags: normalized_hashtags(&hashtags.join(" ")).join(" "),
        call_to_action: first.call_to_action.clone(),
        targets: targets
            .iter()
            .map(|(account_id, network)| {
                let words = &drafted[networks.iter().position(|n| n == network).unwrap_or(0)];
                TargetInput {
                    account_id: account_id.clone(),
                    variant: (words.caption != first.caption).then(|| words.caption.clone()),
                    format: Default::default(),
                }
            })
            .collect(),
        media: Vec::new(),
    };
    crate::server::posts::save_draft(state, session, input).await
}
