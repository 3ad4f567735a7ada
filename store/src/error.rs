//! The store's typed errors.

/// What can go wrong in the store. Messages are written for the person running
/// Cairn: they say what failed and, where it helps, what to do.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL is not one Cairn understands.
    #[error("unsupported database URL `{url}`: use mem://, surrealkv://PATH or ws://HOST:PORT")]
    BadUrl { url: String },
    /// The embedded store's folder cannot be created or written.
    #[error("cannot write the store at {path}: {reason}")]
    NotWritable { path: String, reason: String },
    /// Another process holds the embedded store.
    #[error(
        "the store at {path} is in use by another Cairn process (stop it first, e.g. `cairn serve`)"
    )]
    Locked { path: String },
    /// SurrealDB refused to open, or a query failed.
    #[error("database error: {0}")]
    Database(#[from] surrealdb::Error),
    /// The input is not a readable STIX bundle.
    #[error("{0}")]
    Unreadable(String),
    /// A value from the caller was rejected before reaching the database.
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// An object from a form was rejected; `field` is the STIX property.
    #[error("{field}: {reason}")]
    InvalidObject { field: String, reason: String },
}

/// `text` trimmed, when it is not empty and at most `max` characters; else
/// an error for `field` saying which.
pub(crate) fn required_text(
    field: &'static str,
    text: &str,
    max: usize,
) -> Result<String, StoreError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(StoreError::Invalid {
            field,
            reason: "must not be empty".into(),
        });
    }
    if text.chars().count() > max {
        return Err(StoreError::Invalid {
            field,
            reason: format!("must be at most {max} characters"),
        });
    }
    Ok(text.to_owned())
}
