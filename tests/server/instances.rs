//! Several Herald processes on one database: two `herald serve` processes share the job queue
//! (on PostgreSQL when `HERALD_TEST_DB=postgres`, else on one SQLite file) and publish 1,000
//! due posts to one sandbox process between them, each exactly once.

use std::path::PathBuf;

use herald::server::cli::bench::{Plan, run};

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_publish_every_due_post_exactly_once() {
    let postgres = (std::env::var("HERALD_TEST_DB").as_deref() == Ok("postgres")).then(|| {
        std::env::var("HERALD_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
    });
    let report = run(Plan {
        herald: PathBuf::from(env!("CARGO_BIN_EXE_herald")),
        posts: 1_000,
        accounts: 50,
        instances: 2,
        rate: 0,
        postgres,
    })
    .await
    .expect("the two instances ran");
    println!("{report}");
    assert_eq!(report.duplicates, 0, "{report}");
    assert_eq!(report.lost, 0, "{report}");
    assert_eq!(report.published, 1_000, "{report}");
}
