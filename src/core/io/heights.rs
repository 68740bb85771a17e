//! Heights (Z): zonemap works in 2D, so a third coordinate is left out of everything it
//! computes and writes; the readers note which features had one, and the layer says so once.

use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

use super::json::{Member, RawObject};
use crate::core::model::{Feature, LoadWarning};

/// The features of a file that carry heights, noted by the threads that build them.
pub(crate) struct Heights {
    count: AtomicUsize,
    /// The first such feature's index in the file (`usize::MAX` while there is none).
    first: AtomicUsize,
}

impl Default for Heights {
    fn default() -> Self {
        Heights {
            count: 0.into(),
            first: usize::MAX.into(),
        }
    }
}

impl Heights {
    /// Notes that the feature at `index` of the file has heights.
    pub(crate) fn note(&self, index: usize) {
        self.count.fetch_add(1, Relaxed);
        self.first.fetch_min(index, Relaxed);
    }

    /// The layer's one warning about heights, if any feature had them, naming the first (its id
    /// and name from `features`, whose indices in the file are `indices`).
    pub(crate) fn warning(
        &self,
        file: &str,
        features: &[Feature],
        indices: &[usize],
    ) -> Option<LoadWarning> {
        let count = self.count.load(Relaxed);
        if count == 0 {
            return None;
        }
        let first = self.first.load(Relaxed);
        let mut warning = LoadWarning::heights(file, first, count);
        if let Some(f) = indices
            .iter()
            .position(|&i| i == first)
            .map(|k| &features[k])
        {
            (warning.id, warning.name) = (Some(f.id.clone()), Some(f.name.clone()));
        }
        Some(warning)
    }
}

/// Whether a GeoJSON geometry's coordinates (or its members') have heights.
pub(crate) fn has_heights(raw: &RawObject) -> bool {
    raw.coordinates.as_ref().is_some_and(|c| c.heights)
        || raw
            .geometries
            .iter()
            .flatten()
            .any(|m| matches!(m, Member::Object(g) if has_heights(g)))
}

/// Whether a WKB geometry (ISO or extended) has a Z dimension: its type code in 1001–1007 or
/// 3001–3007 (ISO), or with the 0x80000000 flag (EWKB, as older GDAL writes).
pub(crate) fn wkb_has_z(wkb: &[u8]) -> bool {
    let Some(code) = wkb.get(1..5) else {
        return false;
    };
    let code = [code[0], code[1], code[2], code[3]];
    let code = match wkb[0] {
        0 => u32::from_be_bytes(code),
        _ => u32::from_le_bytes(code),
    };
    code & 0x8000_0000 != 0 || matches!((code & 0xFFFF) / 1000, 1 | 3)
}
