//! Closing the store cleanly before the process exits.

use std::time::Duration;

use cairn_store::Store;

/// Drops the last store handle and waits for the embedded engine to shut down.
pub async fn close_store(store: Store) {
    store.close();
    wait_for_background_tasks(Duration::from_secs(10)).await;
}

/// Waits (at most `limit`) until no task is left on the runtime: once the last
/// store handle is gone, the embedded engine shuts itself down on a task of its
/// own, and leaving the runtime before it ends would cut its shutdown short.
async fn wait_for_background_tasks(limit: Duration) {
    let metrics = tokio::runtime::Handle::current().metrics();
    let deadline = tokio::time::Instant::now() + limit;
    while metrics.num_alive_tasks() > 0 {
        if tokio::time::Instant::now() >= deadline {
            tracing::warn!(
                tasks = metrics.num_alive_tasks(),
                "background tasks still running at exit"
            );
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
