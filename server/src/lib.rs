//! The `cairn` server: the command line ([`cli`]), the axum router ([`router`]),
//! and the commands `serve` ([`serve`]), `validate` ([`validate`]), `import`
//! ([`import`]), `export` ([`export`]), and `user`/`token` ([`users`]). A library so
//! the integration tests can drive the same code the binary runs.

pub mod bench;
pub mod bench_dashboard;
pub mod cli;
pub mod export;
pub mod generate;
pub mod import;
pub mod input;
pub mod router;
pub mod serve;
pub mod shutdown;
pub mod users;
pub mod validate;
pub mod workers;
