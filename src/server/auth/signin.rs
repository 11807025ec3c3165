//! Signing in with email and password.

use crate::domain::{EmailAddress, Password};
use crate::error::{AppError, Problem};
use crate::server::auth::throttle::{self, Client};
use crate::server::auth::{devices, request};
use crate::server::db::users;

pub async fn sign_in_from_browser(
    email: &EmailAddress,
    password: &Password,
) -> Result<(), AppError> {
    let state = request::state()?;
    let now = state.clock.now();
    let known_device = devices::recognise(&state, email).await?;
    let client = match &known_device {
        Some(device) => Client::KnownDevice(device.clone()),
        None => Client::Unknown(request::client_ip()),
    };
    let attempt = throttle::admit_attempt(&state.db, email, client, now).await?;

    let user_id = match users::find_credentials(state.db.pool(), email).await? {
        Some(account) => state
            .passwords
            .verify(password, &account.password_hash)
            .await?
            .then_some(account.id),
        None => {
            // Spend the same time as a real check, so timing does not reveal the answer either.
            state.passwords.verify_nothing(password).await?;
            None
        }
    };
    let Some(user_id) = user_id else {
        // One answer for an unknown email and a wrong password, so sign-in does not reveal
        // who has an account.
        return Err(AppError::Invalid {
            field: None,
            problem: Problem::WrongCredentials,
        });
    };

    attempt.succeeded(&state.db).await?;
    devices::remember(&state, &user_id, known_device.as_deref()).await?;
    let workspace_id = users::personal_workspace_id(state.db.pool(), &user_id)
        .await?
        .ok_or_else(|| crate::server::error::internal("account without a personal workspace"))?;
    request::begin_session(&user_id, &workspace_id).await
}
