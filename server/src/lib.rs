//! The `cairn` server: the command line ([`cli`]), the axum router ([`router`]),
//! and the commands `serve` ([`serve`]), `validate` ([`validate`]) and `import`
//! ([`import`]). A library so
//! the integration tests can drive the same code the binary runs.

pub mod cli;
pub mod import;
pub mod input;
pub mod router;
pub mod serve;
pub mod shutdown;
pub mod validate;
