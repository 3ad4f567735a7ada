//! The server's background worker: takes queued works one at a time (the machine
//! has two cores; the import itself is the parallel part) and runs them, and
//! purges trash entries past their retention every hour. At start, works left
//! running by a crash are queued again.

use std::time::Duration;

use cairn_store::Store;
use tokio::task::JoinHandle;

/// How often an idle worker looks for queued works.
const POLL: Duration = Duration::from_millis(500);
/// How often the trash is purged.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// Requeues interrupted works and starts the worker. Aborting the returned task
/// leaves its work `running`, to be resumed at the next start.
pub async fn start(store: Store) -> anyhow::Result<JoinHandle<()>> {
    let resumed = store.requeue_interrupted().await?;
    if resumed > 0 {
        tracing::info!(resumed, "resuming interrupted works");
    }
    Ok(tokio::spawn(async move {
        let mut last_purge: Option<std::time::Instant> = None;
        loop {
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                match store.purge_trash().await {
                    Ok(0) => {}
                    Ok(purged) => tracing::info!(purged, "trash entries past retention purged"),
                    Err(error) => tracing::error!(%error, "cannot purge the trash"),
                }
                last_purge = Some(std::time::Instant::now());
            }
            match store.claim_work(None).await {
                Ok(Some(id)) => match store.run_work(&id, false, |_, _| {}).await {
                    Ok((work, _)) => tracing::info!(
                        work = %id, status = %work.status, created = work.created,
                        updated = work.updated, unchanged = work.unchanged, rejected = work.rejected,
                        "work finished"
                    ),
                    Err(error) => tracing::error!(work = %id, %error, "work failed"),
                },
                Ok(None) => tokio::time::sleep(POLL).await,
                Err(error) => {
                    tracing::error!(%error, "cannot read the work queue");
                    tokio::time::sleep(POLL * 4).await;
                }
            }
        }
    }))
}
