//! Several Herald processes on one database: two `herald serve` processes share the job queue
//! (on PostgreSQL when `HERALD_TEST_DB=postgres`, else on one SQLite file) and publish 1,000
//! due posts to one sandbox process between them, each exactly once; and the crash drill, where
//! one of them is killed with SIGKILL again and again and every post is still published once.

use std::path::PathBuf;

use std::time::Duration;

use herald::server::cli::bench::{Plan, run};

/// The PostgreSQL server to run on when the suite runs on PostgreSQL.
fn postgres() -> Option<String> {
    (std::env::var("HERALD_TEST_DB").as_deref() == Ok("postgres")).then(|| {
        std::env::var("HERALD_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_publish_every_due_post_exactly_once() {
    let report = run(Plan {
        herald: PathBuf::from(env!("CARGO_BIN_EXE_herald")),
        posts: 1_000,
        accounts: 50,
        instances: 2,
        rate: 0,
        postgres: postgres(),
        kill_every: None,
        restart_after: Duration::ZERO,
    })
    .await
    .expect("the two instances ran");
    println!("{report}");
    assert_eq!(report.duplicates, 0, "{report}");
    assert_eq!(report.lost, 0, "{report}");
    assert_eq!(report.published, 1_000, "{report}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_instance_killed_again_and_again_loses_nothing_and_repeats_nothing() {
    let report = run(Plan {
        herald: PathBuf::from(env!("CARGO_BIN_EXE_herald")),
        posts: 1_000,
        accounts: 50,
        instances: 2,
        // Due over ten seconds, so the kills land while posts are being published.
        rate: 100,
        postgres: postgres(),
        kill_every: Some(Duration::from_secs(3)),
        restart_after: Duration::ZERO,
    })
    .await
    .expect("the drill ran");
    println!("{report}");
    let drill = report.drill.as_ref().expect("the drill's outcome");
    assert!(drill.kills >= 2, "{report}");
    assert_eq!(report.duplicates, 0, "{report}");
    assert_eq!(report.lost, 0, "{report}");
    assert_eq!(report.published, 1_000, "{report}");
    assert_eq!(
        report.published_recorded() + report.failed + report.in_doubt,
        1_000,
        "every post accounted for: {report}"
    );
}
