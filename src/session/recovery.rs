//! Never losing edits: while there are unsaved edits, the whole session is written to a
//! recovery file every few seconds (atomically) and when the window closes. Saving the project
//! removes it. A start that finds one offers to restore it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use crate::core::io::write_atomic;
use crate::core::project::Project;

use super::state::WindowState;

/// How often unsaved edits are written to the recovery file.
pub const AUTOSAVE_EVERY: Duration = Duration::from_secs(3);

/// The autosaver: where it writes, and what it last wrote.
pub struct Autosave {
    pub path: PathBuf,
    last_write: Option<Instant>,
    /// The edit generation last written (or known to need no file).
    written: u64,
}

impl Autosave {
    pub fn new(path: PathBuf) -> Self {
        Autosave {
            path,
            last_write: None,
            written: 0,
        }
    }

    /// Whether the edits at `generation` (saved at `saved`) should be written now.
    pub fn due(&self, generation: u64, saved: u64) -> bool {
        generation != saved
            && generation != self.written
            && self
                .last_write
                .is_none_or(|t| t.elapsed() >= AUTOSAVE_EVERY)
    }

    /// Writes the session; the caller names the generation it holds.
    pub fn write(&mut self, project: &Project, generation: u64) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        write_atomic(&self.path, project.to_json().as_bytes())?;
        self.last_write = Some(Instant::now());
        self.written = generation;
        Ok(())
    }

    /// Removes the file: the edits are saved (or discarded).
    pub fn clear(&mut self, generation: u64) {
        let _ = std::fs::remove_file(&self.path);
        self.written = generation;
    }
}

/// A recovery file found at start.
pub struct RecoveryOffer {
    pub project: Project,
    pub window: WindowState,
    /// How long ago it was written.
    pub age: Option<Duration>,
    pub path: PathBuf,
}

/// Looks for a recovery file. An unreadable one is reported, not deleted, so that nothing is
/// lost: the message names the file.
pub fn find(path: &Path) -> Option<Result<RecoveryOffer, String>> {
    let bytes = std::fs::read(path).ok()?;
    let age = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| SystemTime::now().duration_since(t).ok());
    Some(
        Project::parse(&bytes, path)
            .map(|project| RecoveryOffer {
                window: WindowState::from_value(&project.window),
                project,
                age,
                path: path.to_owned(),
            })
            .map_err(|e| e.to_string()),
    )
}
