//! The composer's state: what the person has written and chosen, as signals the editor, the
//! counters and the previews all read. It turns into the server's `DraftInput` to save, into a
//! `PostDraft` to check, and into a local copy to keep on the device.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::api::accounts::AccountView;
use crate::api::media::MediaItem;
use crate::api::posts::{DraftInput, PostView, TargetInput};
use crate::domain::post::{DraftMedia, DraftTarget, PostDraft, PostFormat};
use crate::domain::post_rules::{Finding, check};
use crate::domain::{AccountId, PostId};

/// Everything the composer edits. `Copy`: every field is a signal.
#[derive(Clone, Copy)]
pub struct Composer {
    pub id: RwSignal<Option<PostId>>,
    pub revision: RwSignal<Option<i64>>,
    pub text: RwSignal<String>,
    pub hashtags: RwSignal<String>,
    pub call_to_action: RwSignal<String>,
    /// Chosen accounts in the order chosen, each with its own text or none.
    pub targets: RwSignal<Vec<TargetInput>>,
    pub media: RwSignal<Vec<MediaItem>>,
    /// The workspace's accounts, to look chosen ones up.
    pub accounts: StoredValue<Vec<AccountView>>,
}

/// What the device keeps of a composer that has changes the server does not have yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalCopy {
    pub input: DraftInput,
    pub media: Vec<MediaItem>,
    /// When it was last changed, Unix milliseconds.
    pub changed_at: i64,
}

impl Composer {
    pub fn new(post: Option<&PostView>, accounts: Vec<AccountView>) -> Composer {
        let composer = Composer {
            id: RwSignal::new(None),
            revision: RwSignal::new(None),
            text: RwSignal::new(String::new()),
            hashtags: RwSignal::new(String::new()),
            call_to_action: RwSignal::new(String::new()),
            targets: RwSignal::new(Vec::new()),
            media: RwSignal::new(Vec::new()),
            accounts: StoredValue::new(accounts),
        };
        if let Some(post) = post {
            composer.load_saved(post);
        }
        composer
    }

    /// Takes the server's copy, as just saved or loaded.
    pub fn load_saved(&self, post: &PostView) {
        self.id.set(Some(post.id.clone()));
        self.revision.set(Some(post.revision));
        self.text.set(post.text.clone());
        self.hashtags.set(post.hashtags.clone());
        self.call_to_action.set(post.call_to_action.clone());
        self.targets.set(
            post.targets
                .iter()
                .map(|target| TargetInput {
                    account_id: target.account_id.clone(),
                    variant: target.variant.clone(),
                    format: target.format,
                })
                .collect(),
        );
        self.media.set(post.media.clone());
    }

    /// Takes a copy kept on the device, over whatever is shown.
    pub fn load_local(&self, copy: &LocalCopy) {
        self.id.set(copy.input.id.clone());
        self.revision.set(copy.input.revision);
        self.load_input(&copy.input, &copy.media);
    }

    /// Takes words and choices sent earlier, with media looked up among `known`.
    pub fn load_input(&self, input: &DraftInput, known: &[MediaItem]) {
        self.text.set(input.text.clone());
        self.hashtags.set(input.hashtags.clone());
        self.call_to_action.set(input.call_to_action.clone());
        self.targets.set(input.targets.clone());
        self.media.set(
            input
                .media
                .iter()
                .filter_map(|id| known.iter().find(|item| &item.id == id).cloned())
                .collect(),
        );
    }

    pub fn input(&self) -> DraftInput {
        DraftInput {
            id: self.id.get(),
            revision: self.revision.get(),
            text: self.text.get(),
            hashtags: self.hashtags.get(),
            call_to_action: self.call_to_action.get(),
            targets: self.targets.get(),
            media: self
                .media
                .with(|media| media.iter().map(|item| item.id.clone()).collect()),
        }
    }

    pub fn local_copy(&self, changed_at: i64) -> LocalCopy {
        LocalCopy {
            input: self.input(),
            media: self.media.get(),
            changed_at,
        }
    }

    pub fn is_chosen(&self, account: &AccountId) -> bool {
        self.targets
            .with(|targets| targets.iter().any(|target| &target.account_id == account))
    }

    pub fn toggle(&self, account: &AccountId, chosen: bool) {
        self.targets.update(|targets| {
            targets.retain(|target| &target.account_id != account);
            if chosen {
                targets.push(TargetInput {
                    account_id: account.clone(),
                    variant: None,
                    format: PostFormat::Feed,
                });
            }
        });
    }

    pub fn variant(&self, account: &AccountId) -> Option<String> {
        self.targets.with(|targets| {
            targets
                .iter()
                .find(|target| &target.account_id == account)
                .and_then(|target| target.variant.clone())
        })
    }

    pub fn set_variant(&self, account: &AccountId, text: String) {
        self.targets.update(|targets| {
            if let Some(target) = targets
                .iter_mut()
                .find(|target| &target.account_id == account)
            {
                target.variant = (!text.is_empty()).then_some(text);
            }
        });
    }

    pub fn format(&self, account: &AccountId) -> PostFormat {
        self.targets.with(|targets| {
            targets
                .iter()
                .find(|target| &target.account_id == account)
                .map_or(PostFormat::Feed, |target| target.format)
        })
    }

    pub fn set_format(&self, account: &AccountId, format: PostFormat) {
        self.targets.update(|targets| {
            if let Some(target) = targets
                .iter_mut()
                .find(|target| &target.account_id == account)
            {
                target.format = format;
            }
        });
    }

    pub fn add_media(&self, item: MediaItem) {
        self.media.update(|media| {
            if !media.iter().any(|known| known.id == item.id) {
                media.push(item);
            }
        });
    }

    /// Moves the medium at `index` by `by` places (−1 earlier, +1 later), within bounds.
    pub fn move_media(&self, index: usize, by: isize) {
        self.media.update(|media| {
            let target = index as isize + by;
            if target >= 0 && (target as usize) < media.len() {
                media.swap(index, target as usize);
            }
        });
    }

    pub fn remove_media(&self, index: usize) {
        self.media.update(|media| {
            if index < media.len() {
                media.remove(index);
            }
        });
    }

    /// The draft as the rules see it: chosen accounts that are still connected, in order.
    pub fn draft(&self) -> PostDraft {
        let targets = self.accounts.with_value(|accounts| {
            self.targets.with(|targets| {
                targets
                    .iter()
                    .filter_map(|target| {
                        let account = accounts.iter().find(|a| a.id == target.account_id)?;
                        Some(DraftTarget {
                            account_id: target.account_id.clone(),
                            network: account.network,
                            variant: target.variant.clone(),
                            format: target.format,
                        })
                    })
                    .collect()
            })
        });
        PostDraft {
            text: self.text.get(),
            hashtags: self.hashtags.get(),
            call_to_action: self.call_to_action.get(),
            targets,
            media: self.media.with(|media| {
                media
                    .iter()
                    .map(|item| DraftMedia {
                        id: item.id.clone(),
                        facts: item.facts,
                        focus: item.focus,
                    })
                    .collect()
            }),
        }
    }

    /// The caption `account` would receive; empty when it is not chosen.
    pub fn caption_for(&self, account: &AccountId) -> String {
        let draft = self.draft();
        draft
            .targets
            .iter()
            .find(|target| &target.account_id == account)
            .map(|target| draft.caption_for(target))
            .unwrap_or_default()
    }

    pub fn findings(&self) -> Vec<Finding> {
        check(&self.draft())
    }
}
