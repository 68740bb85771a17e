//! Reading and writing layers.

mod checks;
pub mod export;
pub mod gpkg;
mod heights;
mod json;
pub mod read;
pub mod shapefile;
pub mod write;

use std::path::PathBuf;

pub use read::{LoadOptions, load_geojson, load_geojson_reporting, parse_layer};

/// Writes a file so that it is either all old or all new, never half written: the bytes go
/// to a temporary file beside it, are flushed to disk, and the temporary file is renamed over
/// the target. A symbolic link stays a link: the file it points to is the one replaced. What
/// is not a file (`/dev/stdout`, `/dev/null`, a named pipe) is written into as it is, never
/// replaced.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, &mut |w| w.write_all(bytes))
}

/// As [`write_atomic`], with the bytes written by `write` (through a buffer) as they come, for
/// output too large to hold whole first. If `write` fails, the target is left as it was.
pub fn write_atomic_with(
    path: &std::path::Path,
    write: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    use std::io::Write as _;
    // (Metadata through any link.) A device or a pipe cannot be replaced, only written.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut out = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let resolved;
    let path = if path.symlink_metadata().is_ok_and(|m| m.is_symlink()) {
        // A dangling link is replaced by the file.
        resolved = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        resolved.as_path()
    } else {
        path
    };
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
        let mut file = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
        write(&mut file)?;
        let file = file
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// What a file holds, by its name (and, for a file without a telling name, its first bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON (`.geojson`, `.json`), and any file that is not recognisably one of the others.
    GeoJson,
    /// An Esri Shapefile's `.shp` (its `.shx`, `.dbf`, `.prj`, `.cpg` beside it).
    Shapefile,
    /// A `.zip` holding one or more Shapefiles.
    ShapefileZip,
    /// A GeoPackage (`.gpkg`, an SQLite database).
    GeoPackage,
}

impl Format {
    /// The format of `path`, by its extension, else by its first bytes.
    pub fn of(path: &std::path::Path) -> Format {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "shp" => return Format::Shapefile,
            "zip" => return Format::ShapefileZip,
            "gpkg" => return Format::GeoPackage,
            "geojson" | "json" => return Format::GeoJson,
            _ => {}
        }
        let mut head = [0u8; 16];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0);
        let head = &head[..n];
        if head.starts_with(b"SQLite format 3\0") {
            Format::GeoPackage
        } else if head.starts_with(b"PK\x03\x04") {
            Format::ShapefileZip
        } else if head.starts_with(&[0, 0, 0x27, 0x0A]) {
            Format::Shapefile
        } else {
            Format::GeoJson
        }
    }
}

/// A layer's source as the command line names it: a path, and after a GeoPackage (or a zip)
/// `:TABLE` for one of its tables (`districts.gpkg:districts`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceSpec {
    /// The file.
    pub path: PathBuf,
    /// The table (of a GeoPackage) or Shapefile (of a zip) after the `:`, if one is named.
    pub table: Option<String>,
}

impl SourceSpec {
    /// Reads `FILE` or `FILE.gpkg:TABLE` (`FILE.zip:NAME`); a path that exists as it is is
    /// taken whole.
    pub fn parse(text: &str) -> SourceSpec {
        let whole = SourceSpec {
            path: PathBuf::from(text),
            table: None,
        };
        if std::path::Path::new(text).exists() {
            return whole;
        }
        if let Some((file, table)) = text.rsplit_once(':') {
            let lower = file.to_ascii_lowercase();
            if (lower.ends_with(".gpkg") || lower.ends_with(".zip")) && !table.is_empty() {
                return SourceSpec {
                    path: PathBuf::from(file),
                    table: Some(table.to_owned()),
                };
            }
        }
        whole
    }

    /// Reads the layers it names (all of a GeoPackage's or a zip's, or the one it names).
    pub fn load_all(
        &self,
        role: crate::core::Role,
        options: &LoadOptions,
    ) -> Result<Vec<crate::core::Layer>, LoadError> {
        let options = LoadOptions {
            table: self.table.clone().or_else(|| options.table.clone()),
            ..options.clone()
        };
        load_layers(&self.path, role, &options)
    }

    /// Reads the one layer it names.
    pub fn load(
        &self,
        role: crate::core::Role,
        options: &LoadOptions,
    ) -> Result<crate::core::Layer, LoadError> {
        let options = LoadOptions {
            table: self.table.clone().or_else(|| options.table.clone()),
            ..options.clone()
        };
        load_layer(&self.path, role, &options)
    }
}

/// The names of the layers a file holds: a GeoPackage's feature tables, the Shapefiles of a
/// zip (each as `FILE:NAME` would name it), or, for a file of one layer, an empty list.
pub fn layer_names(path: &std::path::Path) -> Result<Vec<String>, LoadError> {
    match Format::of(path) {
        Format::GeoJson | Format::Shapefile => Ok(Vec::new()),
        Format::ShapefileZip => shapefile::zip_shapefiles(path),
        Format::GeoPackage => gpkg::feature_tables(path),
    }
}

/// Reads every layer a file holds: one for GeoJSON and a Shapefile, each feature table of a
/// GeoPackage (or the one `options.table` names), each Shapefile of a zip.
pub fn load_layers(
    path: &std::path::Path,
    role: crate::core::Role,
    options: &LoadOptions,
) -> Result<Vec<crate::core::Layer>, LoadError> {
    match Format::of(path) {
        Format::GeoJson => load_geojson(path, role, options).map(|l| vec![l]),
        Format::Shapefile => shapefile::load(path, role, options).map(|l| vec![l]),
        Format::ShapefileZip => shapefile::load_zip(path, role, options, options.table.as_deref()),
        Format::GeoPackage => gpkg::load(path, role, options),
    }
}

/// Reads the one layer a file holds (a GeoPackage's only feature table, or the one
/// `options.table` names); a file of several is refused with their names.
pub fn load_layer(
    path: &std::path::Path,
    role: crate::core::Role,
    options: &LoadOptions,
) -> Result<crate::core::Layer, LoadError> {
    let mut layers = load_layers(path, role, options)?;
    if layers.len() == 1 {
        return Ok(layers.remove(0));
    }
    let names: Vec<String> = layers
        .iter()
        .map(|l| l.table.clone().unwrap_or_else(|| l.name.clone()))
        .collect();
    Err(LoadError::Format {
        path: path.to_owned(),
        message: format!(
            "it holds {} layers ({}): name one as {}:{}",
            layers.len(),
            names.join(", "),
            path.display(),
            names.first().map_or("", String::as_str)
        ),
    })
}

/// The largest file a reader takes whole into memory (8 GiB). Larger files are refused with
/// [`LoadError::TooLarge`] before anything is read; what a reader builds from a file is a small
/// multiple of its size, so memory stays bounded by the file.
pub const MAX_FILE_BYTES: u64 = 8 << 30;

/// Reads a whole file, refusing one larger than [`MAX_FILE_BYTES`].
pub fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>, LoadError> {
    read_bounded_reporting(path, &|_| {})
}

/// As [`read_bounded`], calling `progress` with the fraction read so far (0–1) after each
/// 4 MiB, for a progress bar.
pub fn read_bounded_reporting(
    path: &std::path::Path,
    progress: &dyn Fn(f64),
) -> Result<Vec<u8>, LoadError> {
    use std::io::{Read as _, Seek as _};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            bytes: len,
        });
    }
    {
        use std::os::unix::fs::FileTypeExt as _;
        let kind = meta.file_type();
        if kind.is_char_device() || kind.is_block_device() {
            // /dev/zero or a disk would be read until memory runs out.
            return Err(io(std::io::Error::other(
                "it is a device, not a file of features",
            )));
        }
    }
    if !meta.is_file() {
        // A pipe: read as it comes.
        let mut bytes = Vec::new();
        while (&mut file)
            .take(CHUNK as u64)
            .read_to_end(&mut bytes)
            .map_err(io)?
            > 0
        {
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(LoadError::TooLarge {
                    path: path.to_owned(),
                    bytes: bytes.len() as u64,
                });
            }
        }
        return Ok(bytes);
    }
    // Most of reading a large file the system has cached is the kernel mapping the buffer's
    // pages as they are first written: two threads, each reading half the file into its half
    // of a zeroed buffer (whose pages are mapped only when written), do that in parallel.
    let size = usize::try_from(len).unwrap_or(0);
    let mut bytes = vec![0u8; size];
    let whole = |n: usize| progress(n as f64 / len.max(1) as f64);
    if size < 4 * CHUNK {
        read_chunks_at(&file, &mut bytes, 0, &whole).map_err(io)?;
    } else {
        let tail_read = AtomicUsize::new(0);
        let (head, tail) = bytes.split_at_mut(size / 2);
        let head_len = head.len();
        std::thread::scope(|scope| {
            let tail = scope
                .spawn(|| read_chunks_at(&file, tail, head_len, &|n| tail_read.store(n, Relaxed)));
            read_chunks_at(&file, head, 0, &|n| whole(n + tail_read.load(Relaxed)))?;
            tail.join()
                .unwrap_or_else(|_| Err(std::io::Error::other("a reading thread panicked")))
        })
        .map_err(io)?;
    }
    // What was added to the file while it was read.
    file.seek(std::io::SeekFrom::Start(len)).map_err(io)?;
    file.take(MAX_FILE_BYTES + 1 - len)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge {
            path: path.to_owned(),
            bytes: bytes.len() as u64,
        });
    }
    // (The second half's thread may have finished after the first half's last report.)
    progress(1.0);
    Ok(bytes)
}

/// How much a reader asks the system for at a time (4 MiB), and reports progress after.
const CHUNK: usize = 4 << 20;

/// Fills `buf` from `file` at `offset`, `CHUNK` at a time, calling `read` with the bytes read
/// so far. A file that ends early (cut while being read) is an error.
fn read_chunks_at(
    file: &std::fs::File,
    buf: &mut [u8],
    offset: usize,
    read: &dyn Fn(usize),
) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt as _;
    let mut done = 0;
    for chunk in buf.chunks_mut(CHUNK) {
        file.read_exact_at(chunk, (offset + done) as u64)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::UnexpectedEof => std::io::Error::new(
                    e.kind(),
                    "it got shorter while it was being read (is something writing it?)",
                ),
                _ => e,
            })?;
        done += chunk.len();
        read(done);
    }
    Ok(())
}

/// Why a whole file could not be loaded. Every variant names the file; none is a panic.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The file could not be read at all.
    #[error("{}: cannot read the file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The error from the file system.
        source: std::io::Error,
    },
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("{}: the file is {} MB, more than the {} MB a layer may have", path.display(), bytes >> 20, MAX_FILE_BYTES >> 20)]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size, in bytes.
        bytes: u64,
    },
    /// The file has no content (or only white space).
    #[error("{}: the file is empty", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file is not UTF-8 text, as RFC 7946 requires.
    #[error(
        "{}: line {line}: not UTF-8 text ({hint}); convert it, e.g. `iconv -f GB18030 -t UTF-8`",
        path.display()
    )]
    NotUtf8 {
        /// The file.
        path: PathBuf,
        /// The line (1-based) of the first byte that is not UTF-8.
        line: usize,
        /// What the encoding may be instead (UTF-16, GBK or GB18030).
        hint: &'static str,
    },
    /// The file is not valid JSON.
    #[error("{}: line {line}, column {column}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// Line of the error, 1-based.
        line: usize,
        /// Column of the error in characters, 1-based.
        column: usize,
        /// What the JSON parser found wrong.
        message: String,
    },
    /// The file is JSON but not GeoJSON.
    #[error("{}: not GeoJSON: {reason}", path.display())]
    NotGeoJson {
        /// The file.
        path: PathBuf,
        /// What is missing or wrong (no `type`, a FeatureCollection without `features`, ...).
        reason: String,
    },
    /// A Shapefile, GeoPackage or archive that cannot be read, and where.
    #[error("{}: {message}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong (not a zip or GeoPackage, a part missing or unreadable, several
        /// layers where one was wanted, ...).
        message: String,
    },
    /// The file's numbers are projected metres but it names no coordinate system.
    #[error("{}: {diagnosis}", path.display())]
    NoCrs {
        /// The file.
        path: PathBuf,
        /// What the numbers look like and how to read the file in its system.
        diagnosis: String,
        /// The EPSG code the numbers suggest (a Gauss-Krüger zone read off the easting).
        suggested: Option<u32>,
    },
    /// The file says (or was given) a coordinate system its numbers cannot be in: most of
    /// its features cannot be moved from it (a `.prj` of the wrong zone, most often).
    #[error("{}: {diagnosis}", path.display())]
    WrongCrs {
        /// The file.
        path: PathBuf,
        /// How many features failed, sample coordinates, and the system they may be in.
        diagnosis: String,
        /// The EPSG code the numbers suggest, if any.
        suggested: Option<u32>,
    },
    /// The coordinate system given or declared is not one zonemap can use.
    #[error("{}: {error}", path.display())]
    Crs {
        /// The file.
        path: PathBuf,
        /// Why the system cannot be used.
        error: crate::core::crs::CrsError,
    },
}

pub use crate::core::model::warning::{LoadWarning, WarningKind};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_stays_a_link_and_a_device_is_written_not_replaced() {
        let dir = std::env::temp_dir().join(format!("zonemap-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("folder");
        let (target, link) = (dir.join("report.json"), dir.join("latest.json"));
        std::fs::write(&target, "old").expect("write");
        std::fs::remove_file(&link).ok();
        std::os::unix::fs::symlink(&target, &link).expect("link");
        write_atomic(&link, b"new").expect("written through the link");
        assert!(
            link.symlink_metadata().expect("link").is_symlink(),
            "still a link"
        );
        assert_eq!(std::fs::read_to_string(&target).expect("read"), "new");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("list").flatten().collect();
        assert_eq!(left.len(), 2, "no temporary file is left: {left:?}");
        std::fs::remove_dir_all(&dir).ok();

        let null = std::path::Path::new("/dev/null");
        write_atomic(null, b"into the device").expect("written into /dev/null");
        use std::os::unix::fs::FileTypeExt as _;
        let kind = std::fs::metadata(null).expect("/dev/null").file_type();
        assert!(kind.is_char_device(), "/dev/null is still the device");
    }

    #[test]
    fn a_device_is_refused_before_it_is_read() {
        let error = read_bounded(std::path::Path::new("/dev/zero")).expect_err("a device");
        let text = error.to_string();
        assert!(
            text.starts_with("/dev/zero: ") && text.contains("a device"),
            "{text}"
        );
    }

    #[test]
    fn a_file_shorter_than_its_buffer_says_it_got_shorter() {
        let path = std::env::temp_dir().join(format!("zonemap-short-{}", std::process::id()));
        std::fs::write(&path, b"{\"type\": \"FeatureCollection\"}").expect("written");
        let file = std::fs::File::open(&path).expect("opened");
        let mut buf = vec![0u8; 64];
        let error = read_chunks_at(&file, &mut buf, 0, &|_| {}).expect_err("too short");
        let _ = std::fs::remove_file(&path);
        assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof);
        assert!(error.to_string().contains("got shorter"), "{error}");
    }

    #[test]
    fn a_large_file_reads_whole_in_two_halves() {
        // Over four chunks, so the second half is read on its own thread.
        let path = std::env::temp_dir().join(format!("zonemap-large-{}", std::process::id()));
        let bytes: Vec<u8> = (0..(4 * CHUNK + 12_345)).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &bytes).expect("written");
        let last = std::cell::Cell::new(0.0);
        let read = read_bounded_reporting(&path, &|f| last.set(f)).expect("read");
        let _ = std::fs::remove_file(&path);
        assert!(read == bytes, "the same bytes");
        assert_eq!(last.get(), 1.0, "progress ends at the whole file");
    }
}
