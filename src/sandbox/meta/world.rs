//! The fixed cast the emulator serves: one Facebook user with their Pages (the first linked to an
//! Instagram professional account), and one Instagram-Login business account.

use serde::{Deserialize, Serialize};

use super::SandboxConfig;

/// What debug_token reports as the app's name.
pub(super) const APPLICATION_NAME: &str = "Herald Sandbox";

/// Every seeded Page grants the user all tasks, so publishing (CREATE_CONTENT) and insights
/// (ANALYZE) are both allowed.
pub(super) const PAGE_TASKS: [&str; 5] = [
    "ANALYZE",
    "ADVERTISE",
    "MODERATE",
    "CREATE_CONTENT",
    "MANAGE",
];

pub(super) const PAGE_CATEGORY: &str = "Media";
pub(super) const PAGE_CATEGORY_ID: &str = "163003840417682";

const FACEBOOK_USER_ID: &str = "100090000000001";
const FACEBOOK_USER_NAME: &str = "Sandbox Tester";
const FIRST_PAGE_ID: u64 = 1_000_000_000_000_001;
const LINKED_INSTAGRAM_ID: &str = "17841400000000001";

/// Larger than 2^53 on purpose: the Flat code exchange sends it as a JSON number, which a
/// client reading it through f64 would corrupt.
pub(super) const INSTAGRAM_CREATOR_USER_ID: u64 = 17_841_400_000_000_009;
const INSTAGRAM_CREATOR_APP_SCOPED_ID: &str = "26000000000000009";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxPage {
    pub id: String,
    pub name: String,
    pub username: String,
    pub picture_url: String,
    pub instagram_account: Option<SandboxInstagramAccount>,
}

/// An Instagram professional account reached through a Page (Instagram via Facebook Login).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SandboxInstagramAccount {
    pub id: String,
    pub username: String,
    pub name: String,
    pub profile_picture_url: String,
}

/// An Instagram account as publishing sees it, whichever login reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct InstagramProfile {
    pub id: String,
    pub username: String,
    pub name: String,
}

pub(super) struct FacebookUser {
    pub id: String,
    pub name: String,
    pub picture_url: String,
}

/// The account that signs in through Instagram Login (no Page involved).
pub(super) struct InstagramCreator {
    pub user_id: u64,
    /// What `/me` calls `id`: an app-scoped id, distinct from `user_id`.
    pub app_scoped_id: String,
    pub username: String,
    pub name: String,
    pub profile_picture_url: String,
}

impl InstagramCreator {
    pub fn user_id_text(&self) -> String {
        self.user_id.to_string()
    }
}

pub(super) struct World {
    pub config: SandboxConfig,
    pub base_url: String,
    pub user: FacebookUser,
    pub pages: Vec<SandboxPage>,
    pub creator: InstagramCreator,
}

impl World {
    pub fn seed(config: SandboxConfig, base_url: &str) -> World {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let pages = (0..config.page_count)
            .map(|index| {
                let number = index + 1;
                let id = (FIRST_PAGE_ID + index as u64).to_string();
                let instagram_account = (index == 0).then(|| SandboxInstagramAccount {
                    id: LINKED_INSTAGRAM_ID.to_owned(),
                    username: "sandbox.insta".to_owned(),
                    name: "Sandbox Insta".to_owned(),
                    profile_picture_url: avatar_url(&base_url, LINKED_INSTAGRAM_ID),
                });
                SandboxPage {
                    picture_url: avatar_url(&base_url, &id),
                    name: format!("Sandbox Page {number}"),
                    username: format!("sandboxpage{number}"),
                    id,
                    instagram_account,
                }
            })
            .collect();
        let creator_user_id = INSTAGRAM_CREATOR_USER_ID.to_string();
        World {
            user: FacebookUser {
                id: FACEBOOK_USER_ID.to_owned(),
                name: FACEBOOK_USER_NAME.to_owned(),
                picture_url: avatar_url(&base_url, FACEBOOK_USER_ID),
            },
            creator: InstagramCreator {
                user_id: INSTAGRAM_CREATOR_USER_ID,
                app_scoped_id: INSTAGRAM_CREATOR_APP_SCOPED_ID.to_owned(),
                username: "sandbox.creator".to_owned(),
                name: "Sandbox Creator".to_owned(),
                profile_picture_url: avatar_url(&base_url, &creator_user_id),
            },
            pages,
            config,
            base_url,
        }
    }

    pub fn page(&self, id: &str) -> Option<&SandboxPage> {
        self.pages.iter().find(|page| page.id == id)
    }

    /// The linked Instagram account with this id, with the Page it hangs from.
    pub fn instagram_account(&self, id: &str) -> Option<(&SandboxPage, &SandboxInstagramAccount)> {
        self.pages.iter().find_map(|page| {
            page.instagram_account
                .as_ref()
                .filter(|account| account.id == id)
                .map(|account| (page, account))
        })
    }

    /// Every Instagram account: those linked to Pages, then the Instagram-Login one.
    pub fn instagram_profiles(&self) -> Vec<InstagramProfile> {
        let linked = self
            .pages
            .iter()
            .filter_map(|page| page.instagram_account.as_ref())
            .map(|account| InstagramProfile {
                id: account.id.clone(),
                username: account.username.clone(),
                name: account.name.clone(),
            });
        let creator = InstagramProfile {
            id: self.creator.user_id_text(),
            username: self.creator.username.clone(),
            name: self.creator.name.clone(),
        };
        linked.chain(std::iter::once(creator)).collect()
    }

    pub fn instagram_profile(&self, id: &str) -> Option<InstagramProfile> {
        self.instagram_profiles()
            .into_iter()
            .find(|profile| profile.id == id)
    }

    /// The few letters drawn on the avatar of a known profile; `None` for anyone else.
    pub fn avatar_label(&self, id: &str) -> Option<String> {
        if id == self.user.id {
            return Some("ST".to_owned());
        }
        if id == self.creator.user_id_text() {
            return Some("SC".to_owned());
        }
        if self.instagram_account(id).is_some() {
            return Some("IG".to_owned());
        }
        let position = self.pages.iter().position(|page| page.id == id)?;
        Some(format!("P{}", position + 1))
    }
}

fn avatar_url(base_url: &str, id: &str) -> String {
    format!("{base_url}/_sandbox/avatars/{id}.svg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_first_page_has_a_linked_instagram_account() {
        let world = World::seed(SandboxConfig::default(), "http://127.0.0.1:9/");
        assert_eq!(world.pages.len(), 3);
        assert_eq!(world.pages[0].id, "1000000000000001");
        assert_eq!(world.pages[2].name, "Sandbox Page 3");
        assert!(world.pages[0].instagram_account.is_some());
        assert!(
            world.pages[1..]
                .iter()
                .all(|page| page.instagram_account.is_none())
        );
        assert_eq!(
            world.pages[1].picture_url,
            "http://127.0.0.1:9/_sandbox/avatars/1000000000000002.svg"
        );
    }

    #[test]
    fn instagram_profiles_list_the_linked_account_then_the_creator() {
        let world = World::seed(SandboxConfig::default(), "http://127.0.0.1:9");
        let ids: Vec<String> = world
            .instagram_profiles()
            .into_iter()
            .map(|profile| profile.id)
            .collect();
        assert_eq!(ids, ["17841400000000001", "17841400000000009"]);
        assert_eq!(
            world
                .instagram_profile("17841400000000009")
                .unwrap()
                .username,
            "sandbox.creator"
        );
    }

    #[test]
    fn avatars_exist_only_for_known_profiles() {
        let world = World::seed(SandboxConfig::default(), "http://127.0.0.1:9");
        assert_eq!(
            world.avatar_label("1000000000000002").as_deref(),
            Some("P2")
        );
        assert_eq!(
            world.avatar_label("17841400000000001").as_deref(),
            Some("IG")
        );
        assert_eq!(
            world.avatar_label("17841400000000009").as_deref(),
            Some("SC")
        );
        assert_eq!(world.avatar_label("42"), None);
    }
}
