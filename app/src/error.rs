//! The one error type of the application, shared by client and server.
//!
//! Server functions return `Result<T, AppError>`; it travels as JSON and is shown
//! to people through its `Display`, so every variant reads as a sentence.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// A value from the user was rejected; `field` names the form field.
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    /// Something that was asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// The knowledge store failed; the message says how.
    #[error("the store failed: {0}")]
    Store(String),
    /// The request did not reach the server or its answer was unreadable.
    #[error("the server could not be reached: {0}")]
    Transport(String),
    /// Nobody is signed in (or the session has ended).
    #[error("please sign in")]
    Unauthenticated,
    /// The signed-in user lacks the capability named.
    #[error("you are not allowed to do this (it needs: {0})")]
    Forbidden(String),
    /// Too many failed sign-ins; try again after this many seconds.
    #[error("too many failed attempts: try again in {} minutes", retry_after.div_ceil(60))]
    RateLimited { retry_after: u64 },
}

impl AppError {
    /// The message for `field`, when this error is about that form field.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<cairn_store::StoreError> for AppError {
    fn from(error: cairn_store::StoreError) -> Self {
        use cairn_store::StoreError;
        match error {
            StoreError::Invalid { field, reason } => AppError::Invalid {
                field: field.to_owned(),
                message: reason,
            },
            StoreError::InvalidObject { field, reason } => AppError::Invalid {
                field,
                message: reason,
            },
            other => {
                tracing::error!(error = %other, "store error in a server function");
                AppError::Store(other.to_string())
            }
        }
    }
}
