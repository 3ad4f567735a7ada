//! The `cairn` server: the command line ([`cli`]), the axum router ([`router`])
//! and the `serve` command ([`serve`]). A library so the integration tests can
//! drive the same router the binary runs.

pub mod cli;
pub mod router;
pub mod serve;
