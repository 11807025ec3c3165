//! Slows down password guessing: too many failed sign-ins for one email address, or from one
//! network address, lock further attempts for a while. Counts live in the database.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use super::tokens::hash_token;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::server::db::{self, Db, sign_in_throttle};

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max_failures: i64,
    pub window: Duration,
    pub lockout: Duration,
}

/// One person mistyping a few times is fine; a script trying a list is not.
pub const PER_EMAIL: Limit = Limit {
    max_failures: 5,
    window: Duration::minutes(15),
    lockout: Duration::minutes(15),
};

/// Looser, because several people may share one office or phone network.
pub const PER_ADDRESS: Limit = Limit {
    max_failures: 30,
    window: Duration::minutes(15),
    lockout: Duration::minutes(15),
};

struct Keys {
    email: String,
    address: String,
}

fn keys(email: &EmailAddress, address: Option<IpAddr>) -> Keys {
    Keys {
        // Hashed so the table does not become a list of addresses people tried.
        email: format!("email:{}", hash_token(email.as_str())),
        address: format!("ip:{}", address.map(network_of).unwrap_or_default()),
    }
}

/// IPv6 clients usually own a whole /64, so one counter covers it.
fn network_of(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let segments = v6.segments();
            format!(
                "{:x}:{:x}:{:x}:{:x}::/64",
                segments[0], segments[1], segments[2], segments[3]
            )
        }
    }
}

/// Refuses the attempt, before any password is checked, while the email or address is locked.
pub async fn check(
    db: &Db,
    email: &EmailAddress,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let keys = keys(email, address);
    let locked =
        sign_in_throttle::locked_until(db.pool(), [&keys.email, &keys.address], db::millis(now))
            .await?;
    match locked {
        Some(until) => Err(AppError::TooManyAttempts(format!(
            "Too many failed sign-in attempts. Wait {} and try again.",
            minutes_until(now, until)
        ))),
        None => Ok(()),
    }
}

fn minutes_until(now: DateTime<Utc>, until_millis: i64) -> String {
    let minutes = ((until_millis - db::millis(now)) as f64 / 60_000.0)
        .ceil()
        .max(1.0) as i64;
    if minutes == 1 {
        "1 minute".to_owned()
    } else {
        format!("{minutes} minutes")
    }
}

pub async fn record_failure(
    db: &Db,
    email: &EmailAddress,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    let keys = keys(email, address);
    for (key, limit) in [(&keys.email, PER_EMAIL), (&keys.address, PER_ADDRESS)] {
        let failures = sign_in_throttle::record_failure(
            db.pool(),
            key,
            db::millis(now),
            db::millis(now - limit.window),
        )
        .await?;
        if failures >= limit.max_failures {
            sign_in_throttle::lock(db.pool(), key, db::millis(now + limit.lockout)).await?;
        }
    }
    Ok(())
}

/// A correct password forgets the email's failures; the address keeps its count.
pub async fn record_success(db: &Db, email: &EmailAddress) -> Result<(), sqlx::Error> {
    sign_in_throttle::clear(db.pool(), &keys(email, None).email).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_are_counted_per_network() {
        let one: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let two: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        assert_eq!(network_of(one), network_of(two));
        assert_eq!(network_of("192.0.2.7".parse().unwrap()), "192.0.2.7");
    }

    #[test]
    fn wait_is_rounded_up_to_whole_minutes() {
        let now = DateTime::from_timestamp_millis(0).unwrap();
        assert_eq!(minutes_until(now, 1), "1 minute");
        assert_eq!(minutes_until(now, 14 * 60_000 + 1), "15 minutes");
    }
}
