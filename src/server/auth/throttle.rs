//! Slows down password guessing without letting anyone lock the owner out (issue 22).
//!
//! An attempt is counted before its password is checked, against every key that applies to
//! the client making it:
//! - an unknown browser: its (account, address) pair, with waits that double after each lock;
//!   the account as a whole, a cap against guesses spread over many addresses; and its
//!   address, a cap against one place trying many accounts;
//! - a browser that signed in as this person before (`devices`): only its own counter, so
//!   guesses made elsewhere never keep it out;
//! - a signed-in session changing its password: only that session's counter.
//!
//! While a key is locked its attempts are refused without being counted, so they never extend
//! the lock. Counts live in the database, shared by every instance and kept across restarts.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use super::tokens::hash_token;
use crate::domain::EmailAddress;
use crate::error::AppError;
use crate::server::db::{self, Db, sign_in_throttle};

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    /// Attempts let through in a window before the first lock.
    pub free_attempts: i64,
    /// Counts (and locks) are forgotten this long after the window's first attempt.
    pub window: Duration,
    pub first_lock: Duration,
    /// Each lock doubles the wait, up to this.
    pub longest_lock: Duration,
}

impl Limit {
    /// The wait after `lockouts` earlier locks in this window.
    fn lock_after(&self, lockouts: i64) -> Duration {
        let doublings = lockouts.clamp(0, 16) as i32;
        (self.first_lock * 2i32.pow(doublings as u32)).min(self.longest_lock)
    }
}

/// One person mistyping from one place: a few tries, then 1, 2, 4, 8, 15 minutes.
pub const PER_ACCOUNT_AND_ADDRESS: Limit = Limit {
    free_attempts: 5,
    window: Duration::hours(24),
    first_lock: Duration::minutes(1),
    longest_lock: Duration::minutes(15),
};

/// Guesses at one account from many places; a browser known for the account is not held back.
pub const PER_ACCOUNT: Limit = Limit {
    free_attempts: 20,
    window: Duration::hours(1),
    first_lock: Duration::minutes(15),
    longest_lock: Duration::hours(1),
};

/// Looser, because several people may share one office or phone network.
pub const PER_ADDRESS: Limit = Limit {
    free_attempts: 30,
    window: Duration::minutes(15),
    first_lock: Duration::minutes(15),
    longest_lock: Duration::minutes(15),
};

/// A known browser or a signed-in session: its own few tries, with doubling waits.
pub const PER_TRUSTED_CLIENT: Limit = PER_ACCOUNT_AND_ADDRESS;

const ALL_LIMITS: [Limit; 4] = [
    PER_ACCOUNT_AND_ADDRESS,
    PER_ACCOUNT,
    PER_ADDRESS,
    PER_TRUSTED_CLIENT,
];

/// Who is making the attempt, as far as throttling cares.
pub enum Client {
    /// A browser not known for this account, from this address (None when unknown: no shared
    /// "unknown" bucket that one attacker could fill for everybody).
    Unknown(Option<IpAddr>),
    /// A browser that signed in as this person before: the hash of its device token.
    KnownDevice(String),
    /// A signed-in session (changing its password): the hash of its token.
    Session(String),
}

/// What a successful password does to a key's count.
#[derive(Clone, Copy)]
enum OnSuccess {
    /// The key is about this client and this account: its failures are forgiven.
    Forget,
    /// The key is shared with others (an address, the account as a whole): only this attempt
    /// is taken back.
    TakeBack,
}

struct Key {
    name: String,
    limit: Limit,
    on_success: OnSuccess,
}

fn keys(email: &EmailAddress, client: &Client) -> Vec<Key> {
    // Hashed so the table does not become a list of addresses people tried.
    let account = hash_token(email.as_str());
    let key = |name: String, limit, on_success| Key {
        name,
        limit,
        on_success,
    };
    match client {
        Client::Unknown(address) => {
            let mut keys = vec![key(
                format!("account:{account}"),
                PER_ACCOUNT,
                OnSuccess::TakeBack,
            )];
            if let Some(address) = address {
                let network = network_of(*address);
                keys.push(key(
                    format!("pair:{account}:{network}"),
                    PER_ACCOUNT_AND_ADDRESS,
                    OnSuccess::Forget,
                ));
                keys.push(key(
                    format!("ip:{network}"),
                    PER_ADDRESS,
                    OnSuccess::TakeBack,
                ));
            }
            keys
        }
        Client::KnownDevice(device) => vec![key(
            format!("device:{device}"),
            PER_TRUSTED_CLIENT,
            OnSuccess::Forget,
        )],
        Client::Session(session) => vec![key(
            format!("session:{session}"),
            PER_TRUSTED_CLIENT,
            OnSuccess::Forget,
        )],
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

/// A sign-in attempt that was counted and may go on to check its password.
pub struct Attempt {
    keys: Vec<Key>,
}

/// Counts the attempt before any password is checked, and refuses it while any of its keys is
/// locked, or when it is one past a key's free attempts (which locks that key). Counting first,
/// in one statement per key, means a burst of parallel guesses cannot all slip past the limit.
pub async fn admit_attempt(
    db: &Db,
    email: &EmailAddress,
    client: Client,
    now: DateTime<Utc>,
) -> Result<Attempt, AppError> {
    let keys = keys(email, &client);
    let now_ms = db::millis(now);
    // A lock on any key refuses the attempt before it is counted anywhere, so attempts made
    // during a lock neither extend it nor use up the client's tries on its other keys.
    let mut locked_until: Option<i64> = None;
    for key in &keys {
        if let Some(until) = sign_in_throttle::locked_until(db.pool(), &key.name, now_ms).await? {
            locked_until = Some(locked_until.map_or(until, |other| other.max(until)));
        }
    }
    if let Some(until) = locked_until {
        return Err(AppError::TooManyAttempts {
            minutes: minutes_until(now, until),
        });
    }
    for key in &keys {
        let window_start = db::millis(now - key.limit.window);
        let counted =
            sign_in_throttle::count_attempt(db.pool(), &key.name, now_ms, window_start).await?;
        let until = match counted.locked_until {
            Some(until) if until > now_ms => until,
            _ if counted.attempts > key.limit.free_attempts => {
                let until = db::millis(now + key.limit.lock_after(counted.lockouts));
                // One more try when the lock ends; failing it locks again, for longer.
                let failures_after = key.limit.free_attempts - 1;
                sign_in_throttle::lock(db.pool(), &key.name, until, now_ms, failures_after).await?;
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
    /// The password was right: this client's failures on this account are forgiven, and the
    /// attempt no longer counts against shared keys.
    pub async fn succeeded(self, db: &Db) -> Result<(), sqlx::Error> {
        for key in &self.keys {
            match key.on_success {
                OnSuccess::Forget => sign_in_throttle::clear(db.pool(), &key.name).await?,
                OnSuccess::TakeBack => {
                    sign_in_throttle::uncount_attempt(db.pool(), &key.name).await?
                }
            }
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
    let longest_window = ALL_LIMITS
        .iter()
        .map(|limit| limit.window)
        .max()
        .unwrap_or_default();
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
    fn waits_double_after_each_lock_up_to_the_longest() {
        let limit = PER_ACCOUNT_AND_ADDRESS;
        let minutes: Vec<i64> = (0..7)
            .map(|lockouts| limit.lock_after(lockouts).num_minutes())
            .collect();
        assert_eq!(minutes, [1, 2, 4, 8, 15, 15, 15]);
        assert_eq!(limit.lock_after(i64::MAX).num_minutes(), 15);
    }

    #[test]
    fn a_known_browser_is_counted_apart_from_the_account_and_its_address() {
        let email = EmailAddress::parse("ada@example.org").unwrap();
        let address = Some("192.0.2.7".parse().unwrap());
        let unknown: Vec<String> = keys(&email, &Client::Unknown(address))
            .into_iter()
            .map(|key| key.name)
            .collect();
        let known: Vec<String> = keys(&email, &Client::KnownDevice("d1".into()))
            .into_iter()
            .map(|key| key.name)
            .collect();
        assert_eq!(unknown.len(), 3);
        assert_eq!(known, ["device:d1"]);
        assert!(unknown.iter().all(|name| !known.contains(name)));
    }

    #[test]
    fn wait_is_rounded_up_to_whole_minutes() {
        let now = DateTime::from_timestamp_millis(0).unwrap();
        assert_eq!(minutes_until(now, 1), 1);
        assert_eq!(minutes_until(now, 14 * 60_000 + 1), 15);
    }
}
