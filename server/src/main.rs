//! The `cairn` binary: parses the command line and runs the chosen command on a
//! tokio runtime whose worker threads have room for the embedded database.

use std::process::ExitCode;

use clap::Parser;

use cairn_server::cli::{Cli, Command};

/// Stack size of the runtime's threads: SurrealDB's embedded engine recurses deeply.
const THREAD_STACK: usize = 10 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Generate(args) = &cli.command {
        return match cairn_server::generate::run(args) {
            Ok(_) => ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("cairn: {error:#}");
                ExitCode::FAILURE
            }
        };
    }
    if let Command::Validate(args) = &cli.command {
        // Pure CPU work on local files: no runtime, no logging set-up.
        let mut out = std::io::stdout().lock();
        return match cairn_server::validate::run(&args.files, args.errors_only, &mut out) {
            Ok(outcome) => ExitCode::from(outcome as u8),
            Err(error) => {
                eprintln!("cairn: cannot write the report: {error}");
                ExitCode::from(2)
            }
        };
    }
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(THREAD_STACK)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cairn: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(args) => cairn_server::serve::run(args).await.map(|()| true),
            Command::Import(args) => cairn_server::import::run(args).await,
            Command::Export(args) => cairn_server::export::run(args).await,
            Command::User(args) => cairn_server::users::user(args).await,
            Command::Token(args) => cairn_server::users::token(args).await,
            Command::BenchImport { file } => cairn_server::bench::import(&file).await,
            Command::BenchScale { objects, keep } => {
                cairn_server::bench::scale(objects, keep.as_deref()).await
            }
            Command::BenchDashboard { store } => cairn_server::bench_dashboard::run(&store).await,
            Command::Validate(_) | Command::Generate(_) => Ok(true),
        }
    });
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("cairn: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr; `CAIRN_LOG` (e.g. `debug`, `cairn_store=trace`) sets the filter.
/// SurrealKV warns when its tree is dropped after the datastore has already shut it
/// down, which is how every clean exit ends, so only its errors are shown.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("CAIRN_LOG").unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,surrealdb=warn,surrealkv=error")
    });
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}
