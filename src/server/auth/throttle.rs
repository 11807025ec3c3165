//! Slows down password guessing: too many sign-in attempts for one email address, or from one
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
    /// None when the connection's address is unknown: no shared "unknown" bucket that one
    /// attacker could fill for everybody.
    address: Option<String>,
}

fn keys(email: &EmailAddress, address: Option<IpAddr>) -> Keys {
    Keys {
        // Hashed so the table does not become a list of addresses people tried.
        email: format!("email:{}", hash_token(email.as_str())),
        address: address.map(|address| format!("ip:{}", network_of(address))),
    }
}

/// IPv6 clients usually own a whole /64, so one counter covers it. IPv4 clients reaching a
/// dual-stack socket appear as `::ffff:a.b.c.d` and are counted as the IPv4 address they are.
fn network_of(address: IpAddr) -> String {
    match address.to_canonical() {
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

impl Keys {
    fn with_limits(&self) -> impl Iterator<Item = (&str, Limit)> {
        [
            (Some(self.email.as_str()), PER_EMAIL),
            (self.address.as_deref(), PER_ADDRESS),
        ]
        .into_iter()
        .filter_map(|(key, limit)| key.map(|key| (key, limit)))
    }
}

/// A sign-in attempt that was counted and may go on to check its password.
pub struct Attempt {
    keys: Keys,
}

/// Counts the attempt before any password is checked, and refuses it while the email or the
/// address is locked, or once it has used up its attempts. Counting first, in one statement
/// per key, means a burst of parallel guesses cannot all slip past the limit.
pub async fn admit_attempt(
    db: &Db,
    email: &EmailAddress,
    address: Option<IpAddr>,
    now: DateTime<Utc>,
) -> Result<Attempt, AppError> {
    let keys = keys(email, address);
    let now_ms = db::millis(now);
    let mut locked_until: Option<i64> = None;
    for (key, limit) in keys.with_limits() {
        let counted =
            sign_in_throttle::count_attempt(db.pool(), key, now_ms, db::millis(now - limit.window))
                .await?;
        let until = match counted.locked_until {
            Some(until) if until > now_ms => until,
            _ if counted.attempts > limit.max_failures => {
                let until = db::millis(now + limit.lockout);
                sign_in_throttle::lock(db.pool(), key, until).await?;
                until
            }
            _ => continue,
        };
        locked_until = Some(locked_until.map_or(until, |other| other.max(until)));
    }
    match locked_until {
        Some(until) => Err(AppError::TooManyAttempts {
            minutes: minutes_until(now, until),
        }),
        None => Ok(Attempt { keys }),
    }
}

impl Attempt {
    /// The password was right: the email's failures are forgotten, and this attempt no
    /// longer counts against the address.
    pub async fn succeeded(self, db: &Db) -> Result<(), sqlx::Error> {
        sign_in_throttle::clear(db.pool(), &self.keys.email).await?;
        if let Some(address) = &self.keys.address {
            sign_in_throttle::uncount_attempt(db.pool(), address).await?;
        }
        Ok(())
    }
}

/// Whole minutes, rounded up: "wait 0 minutes" would be a lie.
fn minutes_until(now: DateTime<Utc>, until_millis: i64) -> i64 {
    ((until_millis - db::millis(now)) as f64 / 60_000.0)
        .ceil()
        .max(1.0) as i64
}

/// Forgets counters that no longer matter.
pub async fn forget_stale(db: &Db, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let longest_window = PER_EMAIL.window.max(PER_ADDRESS.window);
    sign_in_throttle::delete_stale(db.pool(), db::millis(now), db::millis(now - longest_window))
        .await
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
    fn ipv4_clients_of_a_dual_stack_socket_are_counted_one_by_one() {
        let one: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        let two: IpAddr = "::ffff:198.51.100.9".parse().unwrap();
        assert_eq!(network_of(one), "192.0.2.7");
        assert_ne!(network_of(one), network_of(two));
    }

    #[test]
    fn wait_is_rounded_up_to_whole_minutes() {
        let now = DateTime::from_timestamp_millis(0).unwrap();
        assert_eq!(minutes_until(now, 1), 1);
        assert_eq!(minutes_until(now, 14 * 60_000 + 1), 15);
    }
}
