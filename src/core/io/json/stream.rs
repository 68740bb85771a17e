//! Reading a GeoJSON file a window at a time.
//!
//! A whole-file read holds every byte of the file until the last feature is built, beside
//! everything built from it: for the 112 MB township layer, 112 MB of text next to 100 MB of
//! coordinates. Here the file comes through a window of a few megabytes. The members of the top
//! level other than `features` are copied out, whole, into a small skeleton document; the
//! features are cut out of the window as it fills and handed, a block at a time, to the thread
//! pool, which parses and builds them while the next block is read. A block's bytes are dropped
//! once its features are built, and the scan waits while more than a few blocks are unbuilt, so
//! the text held stays a few windows, whatever the file's size.
//!
//! The features come out as the whole-file reader gives them: the same elements, the same
//! indices, parsed by the same code at the same depth. Anything out of the ordinary (a syntax
//! error, a top level that is not an object, a second `features` member, a `features` that is
//! not an array) is not diagnosed here: the caller reads the file whole and the whole-file reader
//! says what is wrong, with its line and column.

use std::fs::File;
use std::io::Read as _;
use std::ops::Range;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};

use super::{BATCH, Member, RawObject, Reader, SyntaxError, parse_document, parse_feature};
use crate::core::io::{LoadError, MAX_FILE_BYTES};

/// How much is read from the file at a time (4 MiB).
pub(crate) const WINDOW: usize = 4 << 20;

/// How many blocks of features may wait for the pool before the scan helps build them.
const WAITING_BLOCKS: usize = 2;

/// The top-level object as read, and the built features (`None` if it has no `features` array).
pub(crate) type Parsed<T> = (Member<RawObject>, Option<Vec<T>>);

/// How a feature is built from its parsed object, given its index in `features`.
pub(crate) type Build<'b, T> = &'b (dyn Fn(usize, Member<RawObject>) -> T + Sync);

/// Parses the GeoJSON file at `path`, reading `window` bytes at a time (see the module's
/// documentation), building each feature with `build` on the thread pool.
///
/// `Ok(None)` means: read the file whole instead. That is the answer for anything but a regular
/// file (a pipe, a device, a folder: the whole-file reader says what it is) and for a document
/// this reader does not take as it comes (see the module's documentation).
///
/// # Errors
/// [`LoadError::Io`] if the file cannot be opened or read, [`LoadError::TooLarge`] past
/// [`MAX_FILE_BYTES`].
pub(crate) fn parse_file<T: Send>(
    path: &Path,
    build: Build<'_, T>,
    window: usize,
    progress: &(dyn Fn(f64) + Sync),
) -> Result<Option<Parsed<T>>, LoadError> {
    let io = |source| LoadError::Io {
        path: path.to_owned(),
        source,
    };
    // Asked of the path, not of an open file: opening a named pipe to look would take what its
    // writer sends (or wait for one), and the whole-file reader opens it again.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Ok(None);
    }
    let file = File::open(path).map_err(io)?;
    let too_large = |bytes| LoadError::TooLarge {
        path: path.to_owned(),
        bytes,
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large(meta.len()));
    }
    let mut w = Window {
        file,
        len: meta.len(),
        progress,
        buf: Vec::with_capacity(window),
        window: window.max(1),
        eof: false,
        read: 0,
        spans: Vec::new(),
    };
    let built = Mutex::new(Vec::<(usize, Result<T, SyntaxError>)>::new());
    let waiting = AtomicUsize::new(0);
    // First in, first out: the oldest block is built first, and its bytes dropped.
    let skeleton = rayon::scope_fifo(|scope| {
        let pool = Pool {
            build,
            built: &built,
            waiting: &waiting,
            scope,
        };
        let skeleton = read_top_level(&mut w, &pool);
        pool.send(&mut w, None);
        skeleton
    });
    let skeleton = match skeleton {
        Ok(Some(skeleton)) => skeleton,
        Ok(None) => return Ok(None),
        Err(Stop::Io(e)) => return Err(io(e)),
        Err(Stop::TooLarge(bytes)) => return Err(too_large(bytes)),
    };
    let Ok((root, in_skeleton)) = parse_document(&skeleton.text, build) else {
        return Ok(None);
    };
    let Ok(mut built) = built.into_inner() else {
        return Ok(None);
    };
    if !skeleton.has_features {
        return Ok(Some((root, in_skeleton)));
    }
    built.sort_unstable_by_key(|(index, _)| *index);
    match built.into_iter().map(|(_, r)| r).collect() {
        Ok(features) => Ok(Some((root, Some(features)))),
        Err(_) => Ok(None),
    }
}

/// Why the scan stopped short of an answer.
enum Stop {
    Io(std::io::Error),
    TooLarge(u64),
}

/// The part of the file in memory, and the features found in it not yet sent to the pool.
struct Window<'p> {
    file: File,
    /// The file's length when opened, for `progress`.
    len: u64,
    /// Told the fraction of the file read (0-1) after each read.
    progress: &'p (dyn Fn(f64) + Sync),
    /// Bytes of the file from the first one still needed.
    buf: Vec<u8>,
    /// How much to read at a time.
    window: usize,
    eof: bool,
    /// Bytes read from the file so far.
    read: u64,
    /// Features found in `buf`: index in `features`, and where they lie.
    spans: Vec<(usize, Range<usize>)>,
}

/// Where the found features go to be built.
struct Pool<'s, 'scope, T> {
    build: Build<'scope, T>,
    built: &'scope Mutex<Vec<(usize, Result<T, SyntaxError>)>>,
    /// Blocks sent whose features are not all built yet.
    waiting: &'scope AtomicUsize,
    scope: &'s rayon::ScopeFifo<'scope>,
}

/// Bytes of the file handed to the pool; counted in [`Pool::waiting`] until dropped.
struct Block<'scope> {
    bytes: Vec<u8>,
    waiting: &'scope AtomicUsize,
}

impl Drop for Block<'_> {
    fn drop(&mut self) {
        self.waiting.fetch_sub(1, Relaxed);
    }
}

impl<'scope, T: Send> Pool<'_, 'scope, T> {
    /// Hands the features found so far to the pool, with the window's bytes up to `keep` (all of
    /// them if `None`); the window keeps what follows.
    fn send(&self, w: &mut Window<'_>, keep: Option<usize>) {
        let keep = keep.unwrap_or(w.buf.len());
        if w.spans.is_empty() {
            w.buf.drain(..keep);
            return;
        }
        let mut rest = Vec::with_capacity(w.buf.len() - keep + w.window);
        rest.extend_from_slice(&w.buf[keep..]);
        self.waiting.fetch_add(1, Relaxed);
        let block = Arc::new(Block {
            bytes: std::mem::replace(&mut w.buf, rest),
            waiting: self.waiting,
        });
        for batch in w.spans.chunks(BATCH) {
            let (batch, block) = (batch.to_vec(), Arc::clone(&block));
            let (build, built) = (self.build, self.built);
            self.scope.spawn_fifo(move |_| {
                let results: Vec<_> = batch
                    .into_iter()
                    .map(|(index, span)| (index, parse_feature(&block.bytes, index, span, build)))
                    .collect();
                if let Ok(mut built) = built.lock() {
                    built.extend(results);
                }
            });
        }
        w.spans.clear();
    }

    /// Reads more of the file, after sending the features found and dropping the bytes before
    /// `keep`; returns how far the window's positions moved back. While the pool has more than
    /// its limit waiting, this thread builds features instead of reading.
    fn more(&self, w: &mut Window<'_>, keep: usize) -> Result<usize, Stop> {
        self.send(w, Some(keep));
        while self.waiting.load(Relaxed) > WAITING_BLOCKS {
            if !matches!(rayon::yield_now(), Some(rayon::Yield::Executed)) {
                std::thread::yield_now();
            }
        }
        // At least as much as is held: a feature larger than the window is then scanned again
        // only as often as its size doubles, not once a window.
        let want = w.window.max(w.buf.len());
        let old = w.buf.len();
        w.buf.resize(old + want, 0);
        let mut n = 0;
        while n < want {
            match w.file.read(&mut w.buf[old + n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Stop::Io(e)),
            }
        }
        w.buf.truncate(old + n);
        w.read += n as u64;
        (w.progress)((w.read as f64 / w.len.max(1) as f64).min(1.0));
        w.eof = n == 0;
        if w.read > MAX_FILE_BYTES {
            return Err(Stop::TooLarge(w.read));
        }
        Ok(keep)
    }

    /// Runs `step` on the window from `from` (moved back as the window moves), reading more of
    /// the file while the step runs out of bytes. Returns what the step gave and where it began
    /// and ended, or `None` if it fails on bytes that are all there.
    fn attempt<R>(
        &self,
        w: &mut Window<'_>,
        from: &mut usize,
        depth: u32,
        step: impl Fn(&mut Reader<'_>) -> Result<R, SyntaxError>,
    ) -> Result<Option<(R, usize)>, Stop> {
        loop {
            let mut r = Reader {
                b: &w.buf,
                pos: *from,
                depth,
            };
            let outcome = step(&mut r);
            let end = r.pos;
            // A step that ends at the window's end may have been cut there (a number); one that
            // fails within a few bytes of it (`tru`, an open string) may have been too.
            let cut = match &outcome {
                Ok(_) => end >= w.buf.len(),
                Err(e) => e.offset + 8 >= w.buf.len(),
            };
            match outcome {
                Ok(v) if !cut || w.eof => return Ok(Some((v, end))),
                _ if cut && !w.eof => *from -= self.more(w, *from)?,
                _ => return Ok(None),
            }
        }
    }
}

/// The top level's members other than `features`, as a document of their own.
struct Skeleton {
    text: Vec<u8>,
    has_features: bool,
}

/// What a member of the top level is, as far as the scan cares.
enum TopMember {
    Features { is_array: bool },
    Other,
}

/// Scans the top-level object, sending its features to the pool; `None` for anything this
/// reader leaves to the whole-file reader.
fn read_top_level<T: Send>(
    w: &mut Window<'_>,
    pool: &Pool<'_, '_, T>,
) -> Result<Option<Skeleton>, Stop> {
    let mut pos = 0;
    while w.buf.len() < 3 && !w.eof {
        pool.more(w, 0)?;
    }
    if w.buf.starts_with(b"\xEF\xBB\xBF") {
        pos = 3;
    }
    let opened = pool.attempt(w, &mut pos, 0, |r| {
        if r.peek()? != b'{' {
            return Err(r.error("not an object"));
        }
        r.pos += 1;
        Ok(r.peek()? == b'}')
    })?;
    let mut skeleton = Skeleton {
        text: b"{".to_vec(),
        has_features: false,
    };
    let Some((empty, end)) = opened else {
        return Ok(None);
    };
    pos = end;
    if empty {
        pos += 1;
    } else {
        loop {
            let member = pool.attempt(w, &mut pos, 1, |r| {
                if r.peek()? != b'"' {
                    return Err(r.error("key must be a string"));
                }
                let features = r.string()? == "features";
                r.expect(b':', "`:`")?;
                if features {
                    let is_array = r.peek()? == b'[';
                    return Ok(TopMember::Features { is_array });
                }
                r.skip_value()?;
                Ok(TopMember::Other)
            })?;
            let Some((member, end)) = member else {
                return Ok(None);
            };
            match member {
                TopMember::Other => {
                    skeleton.text.extend_from_slice(&w.buf[pos..end]);
                    pos = end;
                }
                TopMember::Features { is_array } => {
                    if skeleton.has_features || !is_array {
                        return Ok(None);
                    }
                    skeleton.has_features = true;
                    skeleton.text.extend_from_slice(b"\"features\":[]");
                    pos = end + 1;
                    if !read_features(w, pool, &mut pos)? {
                        return Ok(None);
                    }
                }
            }
            let Some(last) = separator(w, pool, &mut pos, 1, b'}')? else {
                return Ok(None);
            };
            if last {
                break;
            }
            skeleton.text.push(b',');
        }
    }
    skeleton.text.push(b'}');
    // Nothing but white space may follow.
    loop {
        // JSON's white space only (not a form feed, which `is_ascii_whitespace` allows).
        if !w.buf[pos..]
            .iter()
            .all(|c| matches!(c, b' ' | b'\n' | b'\r' | b'\t'))
        {
            return Ok(None);
        }
        if w.eof {
            return Ok(Some(skeleton));
        }
        pos -= pool.more(w, pos)?;
    }
}

/// Reads the `,` between two members or elements, or the `close` that ends them (`}` or `]`),
/// moving `pos` past it: `Some(true)` at the end, `None` if it is neither.
fn separator<T: Send>(
    w: &mut Window<'_>,
    pool: &Pool<'_, '_, T>,
    pos: &mut usize,
    depth: u32,
    close: u8,
) -> Result<Option<bool>, Stop> {
    let next = pool.attempt(w, pos, depth, |r| match r.peek()? {
        b',' => Ok(false),
        c if c == close => Ok(true),
        _ => Err(r.error(format!("expected `,` or `{}`", close as char))),
    })?;
    Ok(next.map(|(last, end)| {
        *pos = end + 1;
        last
    }))
}

/// Scans the elements of the `features` array (the window's position just inside its `[`),
/// noting where each lies; `false` if the array is not as it should be.
fn read_features<T: Send>(
    w: &mut Window<'_>,
    pool: &Pool<'_, '_, T>,
    pos: &mut usize,
) -> Result<bool, Stop> {
    let first = pool.attempt(w, pos, 2, |r| Ok(r.peek()? == b']'))?;
    let Some((empty, end)) = first else {
        return Ok(false);
    };
    *pos = end;
    if empty {
        *pos += 1;
        return Ok(true);
    }
    let mut index = 0;
    loop {
        let feature = pool.attempt(w, pos, 2, |r| {
            r.ws();
            let start = r.pos;
            r.scan_value()?;
            Ok(start)
        })?;
        let Some((start, end)) = feature else {
            return Ok(false);
        };
        w.spans.push((index, start..end));
        index += 1;
        *pos = end;
        let Some(last) = separator(w, pool, pos, 2, b']')? else {
            return Ok(false);
        };
        if last {
            return Ok(true);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Role;
    use crate::core::io::read::{LoadOptions, load_geojson_through, parse_layer};

    /// What the reader gives for a document, written out: its top level and its features.
    fn shown<T: std::fmt::Debug>(parsed: &(Member<RawObject>, Option<Vec<T>>)) -> String {
        format!("{parsed:?}")
    }

    fn build(index: usize, member: Member<RawObject>) -> String {
        format!("{index}: {member:?}")
    }

    /// Windows from one byte (every element cut at every byte) up to the one loads use.
    const WINDOWS: [usize; 6] = [1, 2, 7, 64, 4096, WINDOW];

    fn temp(name: &str, text: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("zonemap-stream-{}-{name}", std::process::id()));
        std::fs::write(&path, text).expect("write a test file");
        path
    }

    /// Every GeoJSON file the repository has, and documents built to put the cuts in awkward
    /// places: members after `features`, a byte-order mark, numbers and escapes at every offset.
    fn documents() -> Vec<(String, Vec<u8>)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut out = Vec::new();
        for dir in ["tests/data/field", "data/suzhou-gaoxin", "data"] {
            for entry in std::fs::read_dir(root.join(dir))
                .expect("data folder")
                .flatten()
            {
                let path = entry.path();
                if path.extension().is_some_and(|e| e == "geojson") {
                    let bytes = std::fs::read(&path).expect("read");
                    out.push((path.display().to_string(), bytes));
                }
            }
        }
        let made: [(&str, &[u8]); 8] = [
            (
                "members after the features",
                br#" {"features" : [ {"type":"Feature","id":1e3,"properties":{"n\u00e4me":"a\"]}"},"geometry":{"type":"Point","coordinates":[120.5,-31.25e0]}} , null,[1,2], 7, "x" ,{"type":"Feature","geometry":null}, 123456789.25] , "version": 12345.678e-2, "datum":"GCJ-02", "type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}}}  "#,
            ),
            (
                "a byte-order mark",
                b"\xEF\xBB\xBF{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"\xE4\xB8\xAD\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}]}\n",
            ),
            ("no features", br#"{"type":"FeatureCollection","features":[]}"#),
            ("an empty object", b" { } "),
            (
                "a feature",
                br#"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[1,2]}}"#,
            ),
            (
                "a bare geometry",
                br#"{"type":"LineString","coordinates":[[1,2],[3.000000000000001,4]]}"#,
            ),
            (
                "a FeatureCollection without features",
                br#"{"type":"FeatureCollection","name":"x"}"#,
            ),
            (
                "an escaped key",
                br#"{"type":"FeatureCollection","feat\u0075res":[{"type":"Feature","geometry":null}]}"#,
            ),
        ];
        out.extend(made.iter().map(|(n, t)| (n.to_string(), t.to_vec())));
        out
    }

    #[test]
    fn a_file_read_a_window_at_a_time_gives_what_the_whole_file_gives() {
        for (name, bytes) in documents() {
            let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
            let whole = parse_document(body, &build).expect("the whole file parses");
            let path = temp("whole", &bytes);
            for window in WINDOWS {
                let streamed = parse_file(&path, &build, window, &|_| {})
                    .expect("read")
                    .unwrap_or_else(|| panic!("{name}: streamed with a {window}-byte window"));
                assert_eq!(
                    shown(&streamed),
                    shown(&whole),
                    "{name}, {window}-byte window"
                );
            }
            std::fs::remove_file(&path).ok();
        }
    }

    #[test]
    fn a_layer_loaded_a_window_at_a_time_is_the_layer_read_whole() {
        for (name, bytes) in documents() {
            let path = temp("layer", &bytes);
            let options = LoadOptions::default();
            let whole = format!("{:?}", parse_layer(&bytes, &path, Role::Units, &options));
            for window in [3, 100, WINDOW] {
                // The fractions read, as a progress bar shows them.
                let said = Mutex::new(Vec::new());
                let progress = |f: f64| said.lock().expect("progress").push(f);
                let streamed =
                    load_geojson_through(&path, Role::Units, &options, window, &progress);
                assert_eq!(
                    format!("{streamed:?}"),
                    whole,
                    "{name}, {window}-byte window"
                );
                let said = said.into_inner().expect("progress");
                assert!(
                    said.windows(2).all(|w| w[0] <= w[1]),
                    "{name}: {said:?} only grows"
                );
                assert_eq!(said.last(), Some(&1.0), "{name}: the whole file is read");
            }
            std::fs::remove_file(&path).ok();
        }
    }

    /// What the window leaves to the whole-file reader, and what that reader then says.
    #[test]
    fn an_unusual_or_broken_file_is_left_to_the_whole_file_reader_and_says_the_same() {
        let cases: [(&str, &[u8]); 13] = [
            ("a syntax error in a feature", br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},{"type":"Feature" "geometry":null}]}"#),
            ("a syntax error after the features", br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null}],"name":tru}"#),
            ("a cut file", br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[1,"#),
            ("two feature arrays", br#"{"type":"FeatureCollection","features":[],"features":[{"type":"Feature","geometry":null}]}"#),
            ("features that are not an array", br#"{"type":"FeatureCollection","features":null}"#),
            ("something after the object", br#"{"type":"FeatureCollection","features":[]} {}"#),
            ("an array at the top", b"[1, 2]"),
            ("an empty file", b""),
            ("white space", b" \n\t "),
            ("UTF-16", b"\xFF\xFE{\x00}\x00"),
            ("GBK text", b"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"\xD6\xD0\"},\"geometry\":null}]}"),
            ("a form feed after the object", b"{\"type\":\"FeatureCollection\",\"features\":[]}\x0c"),
            ("a trailing comma", br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":null},]}"#),
        ];
        let options = LoadOptions::default();
        for (name, bytes) in cases {
            let path = temp("odd", bytes);
            for window in [1, 5, WINDOW] {
                let streamed = parse_file(&path, &build, window, &|_| {}).expect("read");
                assert!(
                    streamed.is_none(),
                    "{name}: left to the whole-file reader ({window})"
                );
                let loaded = load_geojson_through(&path, Role::Units, &options, window, &|_| {});
                let whole = parse_layer(bytes, &path, Role::Units, &options);
                assert_eq!(format!("{loaded:?}"), format!("{whole:?}"), "{name}");
                // (The whole-file reader takes the last of two `features` arrays.)
                assert!(
                    loaded.is_err() || name == "two feature arrays",
                    "{name} is refused"
                );
            }
            std::fs::remove_file(&path).ok();
        }
    }

    /// A named pipe is opened once, by the whole-file reader: opened twice, what its writer sent
    /// to the first open was lost and the second waited for a writer that never came.
    #[test]
    fn a_named_pipe_is_read_once_as_its_writer_sends_it() {
        let path = std::env::temp_dir().join(format!("zonemap-stream-{}-fifo", std::process::id()));
        std::fs::remove_file(&path).ok();
        let made = std::process::Command::new("mkfifo").arg(&path).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let doc = br#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[120,31]}}]}"#;
        let writer = {
            let path = path.clone();
            std::thread::spawn(move || std::fs::write(&path, doc))
        };
        let layer =
            load_geojson_through(&path, Role::Units, &LoadOptions::default(), WINDOW, &|_| {})
                .expect("the pipe's document loads");
        assert_eq!(layer.features.len(), 1);
        writer.join().expect("writer").expect("written");
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn what_is_not_a_regular_file_is_left_to_the_whole_file_reader() {
        let dir = std::env::temp_dir();
        assert!(
            parse_file(&dir, &build, WINDOW, &|_| {})
                .expect("opens")
                .is_none()
        );
        let missing = dir.join(format!("zonemap-stream-{}-missing", std::process::id()));
        let error = parse_file(&missing, &build, WINDOW, &|_| {}).expect_err("no such file");
        assert!(
            error.to_string().contains("cannot read the file"),
            "{error}"
        );
    }
}
