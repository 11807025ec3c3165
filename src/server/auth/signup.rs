//! Creating accounts: the first one becomes the instance owner; later ones follow
//! `HERALD_SIGNUP` (open, or invite-only) unless the operator adds them from the command line.

use chrono::{DateTime, Utc};

use crate::domain::membership::SignupStatus;
use crate::domain::{DisplayName, EmailAddress, Password, UserId, WorkspaceId};
use crate::error::{AppError, Problem};
use crate::server::auth::passwords::Passwords;
use crate::server::auth::tokens::{Token, hash_token};
use crate::server::auth::{devices, request};
use crate::server::config::SignupPolicy;
use crate::server::db::{self, Db, invitations, users};
use crate::text::Locale;

pub struct SignUpForm {
    pub display_name: DisplayName,
    pub email: EmailAddress,
    pub password: Password,
    /// The language the person signed up in, kept as their choice; None from the command line.
    pub language: Option<Locale>,
}

/// Who may create the first account, the one that owns this Herald. While there is none, a
/// stranger who reaches a fresh Herald first could otherwise claim it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FirstAccount {
    /// Whoever comes first: Herald listens on loopback only, or runs its sandbox.
    Anyone,
    /// Only this address (`HERALD_OWNER_EMAIL`).
    OwnerEmail(EmailAddress),
    /// Only whoever holds the setup link `herald serve` printed; the stored hash of its token.
    SetupLink { token_hash: String },
}

impl FirstAccount {
    /// The rule for a Herald listening on `address`, with the setup link's token to print when
    /// one is needed.
    pub fn for_listener(
        owner_email: Option<EmailAddress>,
        address: std::net::SocketAddr,
        sandbox: bool,
    ) -> (FirstAccount, Option<Token>) {
        match owner_email {
            Some(email) => (FirstAccount::OwnerEmail(email), None),
            None if address.ip().is_loopback() || sandbox => (FirstAccount::Anyone, None),
            None => {
                let token = Token::generate();
                let rule = FirstAccount::SetupLink {
                    token_hash: token.hash(),
                };
                (rule, Some(token))
            }
        }
    }

    /// What the sign-up page tells a visitor before they fill anything in.
    pub fn status(&self, setup: Option<&str>) -> SignupStatus {
        match self {
            FirstAccount::Anyone => SignupStatus::FirstAccount,
            FirstAccount::OwnerEmail(_) => SignupStatus::FirstAccountForOwnerEmail,
            FirstAccount::SetupLink { token_hash }
                if setup.is_some_and(|token| &hash_token(token) == token_hash) =>
            {
                SignupStatus::FirstAccount
            }
            FirstAccount::SetupLink { .. } => SignupStatus::SetupLinkNeeded,
        }
    }

    /// Whether this sign-up may create the first account.
    fn admits(&self, form: &SignUpForm, setup: Option<&str>) -> Result<(), AppError> {
        match self {
            FirstAccount::Anyone => Ok(()),
            FirstAccount::OwnerEmail(email) if email == &form.email => Ok(()),
            FirstAccount::OwnerEmail(_) => Err(AppError::Refused(Problem::OwnerEmailOnly)),
            FirstAccount::SetupLink { token_hash }
                if setup.is_some_and(|token| &hash_token(token) == token_hash) =>
            {
                Ok(())
            }
            FirstAccount::SetupLink { .. } => Err(AppError::Refused(Problem::SetupLinkNeeded)),
        }
    }
}

/// Who is letting this person in.
#[derive(Debug, Clone, Copy)]
pub enum Admission<'a> {
    /// The sign-up page, with the invitation token from the link if there was one, and the
    /// setup link's token while the first account is being made.
    Browser {
        invite: Option<&'a str>,
        setup: Option<&'a str>,
        first_account: &'a FirstAccount,
    },
    /// `herald user create`: the operator of the machine, who needs no invitation.
    Operator,
}

#[derive(Debug)]
pub struct Registered {
    pub user_id: UserId,
    pub workspace_id: WorkspaceId,
    pub is_owner: bool,
}

pub async fn sign_up_from_browser(
    form: SignUpForm,
    invite: Option<&str>,
    setup: Option<&str>,
) -> Result<(), AppError> {
    let state = request::state()?;
    let registered = register(
        &state.db,
        &state.passwords,
        state.settings.signup,
        state.clock.now(),
        &form,
        Admission::Browser {
            invite,
            setup,
            first_account: &state.settings.first_account,
        },
    )
    .await?;
    // Signing up proves who this browser is as much as signing in does.
    devices::remember(&state, &registered.user_id, None).await?;
    request::begin_session(&registered.user_id, &registered.workspace_id).await
}

pub async fn register(
    db: &Db,
    passwords: &Passwords,
    signup: SignupPolicy,
    now: DateTime<Utc>,
    form: &SignUpForm,
    admission: Admission<'_>,
) -> Result<Registered, AppError> {
    let invite_hash = match admission {
        Admission::Browser { invite, .. } => invite.map(hash_token),
        Admission::Operator => None,
    };
    let now = db::millis(now);
    let mut claim_owner = !users::any_exists(db.pool()).await?;
    if claim_owner
        && let Admission::Browser {
            setup,
            first_account,
            ..
        } = admission
    {
        first_account.admits(form, setup)?;
    }
    // Refuse before hashing: hashing is the expensive part, and must not be free to trigger.
    if !claim_owner {
        admit(db, signup, admission, invite_hash.as_deref(), now).await?;
    }
    let password_hash = passwords.hash(&form.password).await?;

    // Two attempts: the second only when a racing sign-up took the owner's seat in between.
    loop {
        let user_id: UserId = db::new_id();
        let mut tx = db.pool().begin().await?;
        let inserted = users::insert_with_personal_workspace(
            &mut tx,
            users::NewUser {
                id: &user_id,
                email: &form.email,
                display_name: &form.display_name,
                password_hash: &password_hash,
                is_owner: claim_owner,
                language: form.language,
                created_at: now,
            },
        )
        .await;
        let workspace_id = match inserted {
            Ok(workspace_id) => workspace_id,
            Err(error) if db::is_unique_violation(&error) => {
                tx.rollback().await?;
                if users::find_credentials(db.pool(), &form.email)
                    .await?
                    .is_some()
                {
                    return Err(AppError::invalid("email", Problem::EmailTaken));
                }
                if claim_owner {
                    claim_owner = false;
                    admit(db, signup, admission, invite_hash.as_deref(), now).await?;
                    continue;
                }
                return Err(error.into());
            }
            Err(error) => return Err(error.into()),
        };
        if !claim_owner
            && let Some(hash) = &invite_hash
            && signup == SignupPolicy::Invite
            && !invitations::accept(&mut tx, hash, &user_id, now).await?
        {
            // Used up by someone else between the check and now.
            tx.rollback().await?;
            return Err(AppError::Refused(Problem::InvitationUnusable));
        }
        tx.commit().await?;
        tracing::info!(user_id = %user_id, owner = claim_owner, "account created");
        return Ok(Registered {
            user_id,
            workspace_id,
            is_owner: claim_owner,
        });
    }
}

/// Whether a person who is not the first may join.
async fn admit(
    db: &Db,
    signup: SignupPolicy,
    admission: Admission<'_>,
    invite_hash: Option<&str>,
    now: i64,
) -> Result<(), AppError> {
    if matches!(admission, Admission::Operator) || signup == SignupPolicy::Open {
        return Ok(());
    }
    match invite_hash {
        None => Err(AppError::Refused(Problem::InviteOnly)),
        Some(hash) if invitations::is_open(db.pool(), hash, now).await? => Ok(()),
        Some(_) => Err(AppError::Refused(Problem::InvitationUnusable)),
    }
}

/// What a visitor to the sign-up page may expect, given the invitation token they hold.
pub async fn status(
    state: &crate::server::state::AppState,
    invite: Option<&str>,
    setup: Option<&str>,
) -> Result<SignupStatus, AppError> {
    if !users::any_exists(state.db.pool()).await? {
        return Ok(state.settings.first_account.status(setup));
    }
    if state.settings.signup == SignupPolicy::Open {
        return Ok(SignupStatus::Open);
    }
    let Some(invite) = invite else {
        return Ok(SignupStatus::InviteOnly);
    };
    let now = db::millis(state.clock.now());
    Ok(
        if invitations::is_open(state.db.pool(), &hash_token(invite), now).await? {
            SignupStatus::Invited
        } else {
            SignupStatus::InvitationUnusable
        },
    )
}
