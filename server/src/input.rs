//! Reading STIX files from disk: plain JSON, or compressed with gzip or xz
//! (recognised by their magic bytes, through the store's `decompress`).

use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Decompress { path: String, message: String },
}

/// The file's bytes as stored on disk.
pub fn read_raw(path: &Path) -> Result<Vec<u8>, InputError> {
    std::fs::read(path).map_err(|source| InputError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// The file's contents, decompressed when it is gzip or xz.
pub fn read_stix_file(path: &Path) -> Result<Vec<u8>, InputError> {
    cairn_store::works::decompress(read_raw(path)?).map_err(|message| InputError::Decompress {
        path: path.display().to_string(),
        message,
    })
}
