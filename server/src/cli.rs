//! The command line: every subcommand and flag, with its environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Cairn: a cyber threat intelligence platform on STIX 2.1.
#[derive(Debug, Parser)]
#[command(name = "cairn", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the platform: the web client, its server functions and /healthz.
    Serve(ServeArgs),
    /// Validate STIX 2.1 files (JSON, .gz or .xz): every object's errors and
    /// warnings, then a summary. Exit 0 valid, 1 invalid, 2 unreadable.
    Validate(ValidateArgs),
    /// Import STIX 2.1 bundles (JSON, .gz or .xz) into the store: validated,
    /// deduplicated by id, newer versions only; prints what changed.
    Import(ImportArgs),
    /// Export the knowledge base, or part of it, as a STIX 2.1 bundle or CSV.
    Export(ExportArgs),
    /// Write a realistic synthetic dataset (for demos and benchmarks) as a STIX bundle.
    Generate(GenerateArgs),
    /// Manage users: add, list, disable, enable, reset-password.
    User(UserArgs),
    /// Manage API tokens: create one for a user (the secret is printed once).
    Token(TokenArgs),
    /// Benchmark: import FILE into empty stores against a raw batch INSERT baseline.
    #[command(hide = true)]
    BenchImport { file: PathBuf },
    /// Benchmark: a generated dataset of N objects, imported, then read.
    #[command(hide = true)]
    BenchScale {
        #[arg(long, default_value_t = 1_000_000)]
        objects: usize,
        /// Keep the imported store here; when it exists, measure only the reads.
        #[arg(long)]
        keep: Option<PathBuf>,
    },
    /// Benchmark: every widget kind and the home dashboard on a kept store.
    #[command(hide = true)]
    BenchDashboard {
        /// The SurrealKV store's folder (e.g. BENCH_KEEP/cairn).
        store: PathBuf,
    },
}

/// Export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A STIX 2.1 bundle, objects exactly as imported.
    Stix,
    /// One row per object, lists joined with `;`.
    Csv,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The database (see `cairn serve --help`).
    #[arg(long, env = "CAIRN_DB", default_value = "surrealkv://data")]
    pub db: String,

    /// Only objects of this STIX type (repeatable; `relationship` for relationships).
    #[arg(long = "type", value_name = "TYPE")]
    pub types: Vec<String>,

    /// Start from this object instead of the whole base (repeatable).
    #[arg(long = "id", value_name = "STIX_ID")]
    pub ids: Vec<String>,

    /// With --id: also export objects up to this many relationships away.
    #[arg(long, default_value_t = 0)]
    pub depth: u32,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Stix)]
    pub format: Format,

    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    /// Bundles to import, in order.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// The database (see `cairn serve --help`).
    #[arg(long, env = "CAIRN_DB", default_value = "surrealkv://data")]
    pub db: String,

    /// Print the summary as one JSON object (created, updated, unchanged,
    /// rejected, errors, and per file).
    #[arg(long)]
    pub json: bool,

    /// Reject a whole bundle when any of its objects is invalid.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    /// About how many objects to write (at least 500).
    #[arg(long, default_value_t = 5000)]
    pub objects: usize,

    /// The same seed writes the same data.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ValidateArgs {
    /// Bundles (or single objects) to validate.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,

    /// Print errors only (warnings are still counted in the summary).
    #[arg(long, short = 'q')]
    pub errors_only: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "CAIRN_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// The database: mem://, surrealkv://PATH (embedded, the default) or
    /// ws://HOST:PORT (a SurrealDB server; credentials from CAIRN_DB_USER and
    /// CAIRN_DB_PASS).
    #[arg(long, env = "CAIRN_DB", default_value = "surrealkv://data")]
    pub db: String,

    /// Folder of the built web client (Trunk's output).
    #[arg(long, env = "CAIRN_WEB_ROOT", default_value = "dist")]
    pub web_root: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct UserArgs {
    /// The database (see `cairn serve --help`).
    #[arg(long, env = "CAIRN_DB", default_value = "surrealkv://data")]
    pub db: String,

    #[command(subcommand)]
    pub command: UserCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserCommand {
    /// Add a user. The password is read from standard input (one line), or
    /// from CAIRN_PASSWORD.
    Add {
        login: String,
        /// Display name (the login when absent).
        #[arg(long)]
        name: Option<String>,
        /// Group keys (repeatable): administrators, analysts, viewers, connectors, …
        #[arg(long = "group", default_value = "viewers")]
        groups: Vec<String>,
    },
    /// List users with their groups and status.
    List,
    /// Disable a user: their sessions end at once and they cannot sign in.
    Disable { login: String },
    /// Enable a disabled user.
    Enable { login: String },
    /// Set a new password (from standard input or CAIRN_PASSWORD); the user's
    /// sessions end.
    ResetPassword { login: String },
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    /// The database (see `cairn serve --help`).
    #[arg(long, env = "CAIRN_DB", default_value = "surrealkv://data")]
    pub db: String,

    #[command(subcommand)]
    pub command: TokenCommand,
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenCommand {
    /// Create an API token for a user and print its secret (shown once).
    Create {
        login: String,
        /// What the token is for.
        #[arg(long, default_value = "command line")]
        name: String,
    },
}
