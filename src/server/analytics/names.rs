//! The workspace's accounts as the analytics pages name them, and which of them lack a
//! permission their figures need.

use sqlx::AnyPool;

use crate::domain::WorkspaceId;
use crate::domain::accounts::{Connection, Login, Network};
use crate::domain::analytics::{AccountName, FiguresProblem};
use crate::server::db::{accounts, figures};

/// Every account of the workspace, those since disconnected included (their history stays).
pub async fn account_names(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
) -> Result<Vec<AccountName>, sqlx::Error> {
    Ok(figures::account_names(pool, workspace_id)
        .await?
        .into_iter()
        // A network this Herald does not know (a newer version's) is left out.
        .filter_map(|(id, name, network)| {
            Some(AccountName {
                id,
                name,
                network: Network::parse(&network)?,
            })
        })
        .collect())
}

/// The accounts among `names` whose figures need a permission they were not granted.
pub async fn problems_of(
    pool: &AnyPool,
    workspace_id: &WorkspaceId,
    names: &[AccountName],
) -> Result<Vec<FiguresProblem>, sqlx::Error> {
    let problems = figures::problems(pool, workspace_id).await?;
    if problems.is_empty() {
        return Ok(Vec::new());
    }
    let accounts = accounts::list(pool, workspace_id).await?;
    Ok(problems
        .into_iter()
        .filter_map(|(account_id, permission)| {
            let account = names.iter().find(|name| name.id == account_id)?.clone();
            let login = match accounts
                .iter()
                .find(|a| a.id == account_id)?
                .profile
                .connection
            {
                Connection::FacebookLogin => Some(Login::Facebook),
                Connection::InstagramLogin => Some(Login::Instagram),
                Connection::Environment => None,
            };
            Some(FiguresProblem {
                reconnect_href: login.map(|login| {
                    format!("/oauth/{}/start?reconnect={}", login.as_str(), account.id)
                }),
                account,
                permission,
            })
        })
        .collect())
}
