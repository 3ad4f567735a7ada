//! `cairn serve`: opens the store, listens, and shuts down gracefully on
//! SIGINT or SIGTERM, closing the store last.

use anyhow::{Context, bail};
use cairn_store::Store;

use crate::cli::ServeArgs;
use crate::router::router;

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let index = args.web_root.join("index.html");
    if !index.is_file() {
        bail!(
            "the web client is missing: {} not found (build it with `make build`, or point --web-root at a built client)",
            index.display()
        );
    }
    let store = Store::open(&args.db).await?;
    tracing::info!(store = %store.engine().describe(), "store open");
    let worker = crate::workers::start(store.clone()).await?;

    let listener = tokio::net::TcpListener::bind(args.bind)
        .await
        .with_context(|| format!("cannot listen on {}", args.bind))?;
    let address = listener
        .local_addr()
        .context("cannot read the listening address")?;
    // On stdout, for people and for the browser tests that wait for it.
    println!("Cairn is listening on http://{address}");

    axum::serve(listener, router(store.clone(), &args.web_root))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server failed")?;
    tracing::info!("shutting down");
    worker.abort();
    let _ = worker.await;
    crate::shutdown::close_store(store).await;
    Ok(())
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
