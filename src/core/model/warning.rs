//! What a loader (or a check) has to say about a feature: skipped, repaired, a duplicate id,
//! and the rest, kept with the layer so that the figures carry them wherever they go.

use std::fmt;

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
    /// Its text is not valid in the encoding it was read with (it shows �): the file is
    /// likely in another one.
    Encoding,
    /// Its coordinates carry a height (Z), which zonemap, working in 2D, leaves out.
    Heights,
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
            WarningKind::Encoding => {
                "read it again in its encoding (--encoding, or the layer's Source section)"
            }
            WarningKind::Heights => {
                "zonemap works in 2D: heights are left out of its figures and of every file it \
                 writes (the file is unchanged)"
            }
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
    /// What was done about the feature.
    pub kind: WarningKind,
    /// What is wrong with it.
    pub reason: String,
    /// How many features of the file it stands for: 1, or the length of a run of records
    /// that could not be read for one reason (a truncated `.shp`).
    #[serde(skip)]
    pub records: usize,
}

impl LoadWarning {
    /// Said once for a file whose features carry heights (Z): at the first such feature
    /// (`index`), with how many do (`count`).
    pub fn heights(file: &str, index: usize, count: usize) -> Self {
        LoadWarning {
            kind: WarningKind::Heights,
            reason: format!("{count} feature(s) have coordinates with a height (Z)"),
            ..LoadWarning::skipped(file, index, None, String::new())
        }
    }

    /// A warning about a feature that was skipped.
    pub fn skipped(file: &str, index: usize, id: Option<String>, reason: String) -> Self {
        LoadWarning {
            file: file.to_owned(),
            index,
            id,
            name: None,
            kind: WarningKind::Skipped,
            reason,
            records: 1,
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
