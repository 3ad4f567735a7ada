//! Reading STIX files from disk: plain JSON, or compressed with gzip (`.gz`) or
//! xz (`.xz`), recognised by their magic bytes rather than their names.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot decompress {path} ({format}): {source}")]
    Decompress {
        path: String,
        format: &'static str,
        source: std::io::Error,
    },
}

/// The file's contents, decompressed when it is gzip or xz.
pub fn read_stix_file(path: &Path) -> Result<Vec<u8>, InputError> {
    let name = path.display().to_string();
    let raw = std::fs::read(path).map_err(|source| InputError::Io {
        path: name.clone(),
        source,
    })?;
    let decompress = |format: &'static str, mut reader: Box<dyn Read + '_>| {
        let mut out = Vec::with_capacity(raw.len() * 8);
        reader
            .read_to_end(&mut out)
            .map(|_| out)
            .map_err(|source| InputError::Decompress {
                path: name.clone(),
                format,
                source,
            })
    };
    if raw.starts_with(&[0x1f, 0x8b]) {
        decompress(
            "gzip",
            Box::new(flate2::read::MultiGzDecoder::new(&raw[..])),
        )
    } else if raw.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00]) {
        decompress(
            "xz",
            Box::new(liblzma::read::XzDecoder::new_multi_decoder(&raw[..])),
        )
    } else {
        Ok(raw)
    }
}
