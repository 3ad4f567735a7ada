//! Reading STIX files from disk: plain JSON, compressed with gzip or xz, or a
//! zip of those (recognised by their magic bytes, through the store's `unpack`).

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

/// The file's bytes as stored on disk; a file over the import limit is refused
/// before it is read.
pub fn read_raw(path: &Path) -> Result<Vec<u8>, InputError> {
    let io = |source| InputError::Io {
        path: path.display().to_string(),
        source,
    };
    let limit = cairn_store::works::MAX_FILE_BYTES;
    if std::fs::metadata(path).map_err(io)?.len() > limit {
        return Err(InputError::Decompress {
            path: path.display().to_string(),
            message: format!(
                "the file is larger than the {} MiB an import accepts; split it into several bundles",
                limit / (1024 * 1024)
            ),
        });
    }
    std::fs::read(path).map_err(io)
}

/// The file's contents, decompressed when it is gzip or xz.
pub fn read_stix_file(path: &Path) -> Result<Vec<u8>, InputError> {
    cairn_store::works::decompress(read_raw(path)?).map_err(|message| InputError::Decompress {
        path: path.display().to_string(),
        message,
    })
}
