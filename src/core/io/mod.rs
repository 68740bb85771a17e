//! Reading and writing layers.

mod json;
pub mod read;
pub mod write;

use std::fmt;
use std::path::PathBuf;

pub use read::{LoadOptions, load_layer, parse_layer};

/// Writes a file so that it is either all old or all new, never half written: the bytes go
/// to a temporary file beside it, are flushed to disk, and the temporary file is renamed over
/// the target.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    let name = path.file_name().ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file")
    })?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(name);
    tmp_name.push(format!(".{}.tmp", std::process::id()));
    let tmp = dir.join(tmp_name);
    let result = (|| {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Why a whole file could not be loaded. Every variant names the file; none is a panic.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file has no content (or only white space).
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    /// The file is not UTF-8 text, as RFC 7946 requires.
    #[error(
        "{}: line {line}: not UTF-8 text ({hint}); convert it, e.g. `iconv -f GB18030 -t UTF-8`",
        path.display()
    )]
    NotUtf8 {
        path: PathBuf,
        line: usize,
        hint: &'static str,
    },
    /// The file is not valid JSON.
    #[error("{}: line {line}, column {column}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file is JSON but not GeoJSON.
    #[error("{}: not GeoJSON: {reason}", path.display())]
    NotGeoJson { path: PathBuf, reason: String },
}

/// A feature that was skipped while loading, and why.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LoadWarning {
    /// The file the feature is in.
    pub file: String,
    /// Index of the feature in the file's `features` array (0-based).
    pub index: usize,
    /// The feature's id, if it had one.
    pub id: Option<String>,
    /// What is wrong with it.
    pub reason: String,
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: feature {}", self.file, self.index)?;
        if let Some(id) = &self.id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}; skipped", self.reason)
    }
}
