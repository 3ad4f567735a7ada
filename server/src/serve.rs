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
    say(&format!("Cairn is listening on http://{address}"));

    first_start(&store, address).await?;

    let app = router(store.clone(), &args.web_root)
        .into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server failed")?;
    tracing::info!("shutting down");
    worker.abort();
    let _ = worker.await;
    crate::shutdown::close_store(store).await;
    Ok(())
}

/// On a store without users: the first administrator, from
/// `CAIRN_ADMIN_PASSWORD` when it is set, else through a one-time setup link
/// printed on the console (never in the logs).
async fn first_start(store: &Store, address: std::net::SocketAddr) -> anyhow::Result<()> {
    if store.user_count().await? > 0 {
        return Ok(());
    }
    if let Ok(password) = std::env::var("CAIRN_ADMIN_PASSWORD") {
        store
            .create_user(
                "admin",
                "Administrator",
                &password,
                &["administrators".to_owned()],
            )
            .await
            .context("cannot create the administrator from CAIRN_ADMIN_PASSWORD")?;
        store
            .audit(
                None,
                "user.create",
                Some("admin"),
                Some("first administrator, from CAIRN_ADMIN_PASSWORD"),
                None,
            )
            .await?;
        say("Created the administrator `admin` with the password in CAIRN_ADMIN_PASSWORD.");
        return Ok(());
    }
    if let Some(secret) = store.create_setup_secret().await? {
        say(&format!(
            "No users yet. Create the first administrator at http://{address}/setup#token={secret} \
             (valid for 24 hours, once)."
        ));
    }
    Ok(())
}

/// A line for the person at the console; a closed standard output is not an error.
fn say(line: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
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
