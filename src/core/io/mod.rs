//! Reading and writing layers.

mod checks;
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

/// The largest file a reader takes whole into memory (8 GiB). Larger files are refused with
/// [`LoadError::TooLarge`] before anything is read; what a reader builds from a file is a small
/// multiple of its size, so memory stays bounded by the file.
pub const MAX_FILE_BYTES: u64 = 8 << 30;

/// Reads a whole file, refusing one larger than [`MAX_FILE_BYTES`].
pub fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            bytes: len,
        });
    }
    std::fs::read(path).map_err(io)
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
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{}: the file is {} MB, more than the {} MB a layer may have", path.display(), bytes >> 20, MAX_FILE_BYTES >> 20)]
    TooLarge { path: PathBuf, bytes: u64 },
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

/// What a loader did about a feature it could not take as it was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningKind {
    /// Its geometry is unusable (too few points, an unclosed ring, NaN, ...): left out.
    Skipped,
    /// Its geometry is invalid (a self-intersection, overlapping parts, ...): repaired for
    /// analysis by [`make_valid`](crate::core::topology::make_valid)'s rule; the file is unchanged.
    Repaired,
    /// Another feature of the file carries the same id.
    DuplicateId,
    /// Something other than a Feature sits in `features` (a bare geometry is read as a feature
    /// without properties; anything else is left out).
    NotAFeature,
    /// Its name has characters that no font here can draw: labels lose them.
    MissingGlyphs,
    /// Its rings repeat a point: valid, harmless, noted by `check` only.
    RepeatedPoints,
}

impl WarningKind {
    /// What was done, for the end of a message.
    pub fn action(self) -> &'static str {
        match self {
            WarningKind::Skipped => "skipped",
            WarningKind::Repaired => "repaired for analysis (the file is unchanged)",
            WarningKind::DuplicateId => "ids should be unique; merge by id refuses it",
            WarningKind::NotAFeature => "read as a feature without properties",
            WarningKind::MissingGlyphs => "labels leave them out",
            WarningKind::RepeatedPoints => "harmless, nothing changed",
        }
    }
}

/// A feature the loader skipped, repaired or otherwise has something to say about.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LoadWarning {
    /// The file the feature is in.
    pub file: String,
    /// Index of the feature in the file (0-based: the `features` array, the DBF record, the
    /// table row).
    pub index: usize,
    /// The feature's id, if it had one.
    pub id: Option<String>,
    /// The feature's name, if it had one.
    pub name: Option<String>,
    pub kind: WarningKind,
    /// What is wrong with it.
    pub reason: String,
}

impl LoadWarning {
    /// A warning about a feature that was skipped.
    pub fn skipped(file: &str, index: usize, id: Option<String>, reason: String) -> Self {
        LoadWarning {
            file: file.to_owned(),
            index,
            id,
            name: None,
            kind: WarningKind::Skipped,
            reason,
        }
    }
}

impl fmt::Display for LoadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: feature {}", self.file, self.index)?;
        match (&self.id, &self.name) {
            (Some(id), Some(name)) if name != id => write!(f, " (id {id}, {name})")?,
            (Some(id), _) => write!(f, " (id {id})")?,
            (None, Some(name)) => write!(f, " ({name})")?,
            (None, None) => {}
        }
        write!(f, ": {}; {}", self.reason, self.kind.action())
    }
}
