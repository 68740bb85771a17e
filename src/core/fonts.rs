//! The fonts labels are set in: the bundled Noto Sans SC subset (GB2312 and every character of
//! the bundled data), then, for a character it lacks, the first of the system's fonts that has
//! it (found through fontconfig's font folders by `fontdb`, CJK fonts first), as the window's
//! text does through egui. Names of real places use characters outside GB2312 (𡐓, 𨚕 in
//! Suzhou's town names); where no font has one, callers say how many labels lost characters.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};

use ab_glyph::{Font as _, FontRef, FontVec, GlyphId};

use crate::core::style::CJK_FONT_OTF;

/// A font found on the system for characters the bundled one lacks.
pub struct SystemFace {
    /// The parsed font.
    pub font: FontVec,
    /// Its font units per em.
    pub units_per_em: f32,
    /// Its family name, for SVG `font-family` and messages.
    pub family: String,
}

/// Which font draws a character.
#[derive(Clone)]
pub enum Face {
    /// The bundled Noto Sans SC subset.
    Bundled,
    /// A system font, for a character the bundled one lacks.
    System(Arc<SystemFace>),
}

impl Face {
    /// The font, for outlines and advances.
    pub fn font(&self) -> &dyn ab_glyph::Font {
        match self {
            Face::Bundled => &Fonts::get().bundled,
            Face::System(f) => &f.font,
        }
    }

    /// Font units per em.
    pub fn units_per_em(&self) -> f32 {
        match self {
            Face::Bundled => Fonts::get().bundled_upem,
            Face::System(f) => f.units_per_em,
        }
    }

    /// A number that tells faces apart in caches: 0 for the bundled font.
    pub fn key(&self) -> usize {
        match self {
            Face::Bundled => 0,
            Face::System(f) => Arc::as_ptr(f) as usize,
        }
    }
}

/// The bundled font and the system's fallbacks, shared by the whole process.
pub struct Fonts {
    bundled: FontRef<'static>,
    bundled_upem: f32,
    system: OnceLock<fontdb::Database>,
    /// The fallback chosen for each character looked up so far (`None`: no font has it).
    chosen: RwLock<HashMap<char, Option<Arc<SystemFace>>>>,
    /// Faces loaded so far, by fontdb id, so that each is read once.
    loaded: RwLock<HashMap<fontdb::ID, Option<Arc<SystemFace>>>>,
}

impl Fonts {
    /// The process's fonts; the system's are looked at only when a character needs them.
    pub fn get() -> &'static Fonts {
        static FONTS: OnceLock<Fonts> = OnceLock::new();
        FONTS.get_or_init(|| {
            // The bundled file is checked by a test; parsing it cannot fail at run time.
            #[allow(clippy::expect_used)]
            let bundled = FontRef::try_from_slice(CJK_FONT_OTF).expect("the bundled font parses");
            let bundled_upem = bundled.units_per_em().unwrap_or(1000.0);
            Fonts {
                bundled,
                bundled_upem,
                system: OnceLock::new(),
                chosen: RwLock::new(HashMap::new()),
                loaded: RwLock::new(HashMap::new()),
            }
        })
    }

    /// The bundled font.
    pub fn bundled(&self) -> &FontRef<'static> {
        &self.bundled
    }

    /// The bundled font's units per em.
    pub fn bundled_units_per_em(&self) -> f32 {
        self.bundled_upem
    }

    /// The face that draws `c`: the bundled font if it has it, else the first system font that
    /// does; `None` if no font here has it.
    pub fn face_for(&self, c: char) -> Option<Face> {
        if c.is_whitespace() || self.bundled.glyph_id(c).0 != 0 {
            return Some(Face::Bundled);
        }
        if let Ok(chosen) = self.chosen.read()
            && let Some(found) = chosen.get(&c)
        {
            return found.clone().map(Face::System);
        }
        let found = self.search(c);
        if let Ok(mut chosen) = self.chosen.write() {
            chosen.insert(c, found.clone());
        }
        found.map(Face::System)
    }

    /// The characters of `text` that no font here can draw.
    pub fn missing(&self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = text
            .chars()
            .filter(|&c| self.face_for(c).is_none())
            .collect();
        out.dedup();
        out
    }

    fn system(&self) -> &fontdb::Database {
        self.system.get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_system_fonts();
            db
        })
    }

    /// The first system face that has `c`, trying CJK families first, then proportional
    /// before monospaced, upright before italic, regular weight first, then by name.
    fn search(&self, c: char) -> Option<Arc<SystemFace>> {
        let db = self.system();
        let mut faces: Vec<&fontdb::FaceInfo> = db.faces().collect();
        let rank = |f: &fontdb::FaceInfo| {
            let name = f
                .families
                .first()
                .map(|(n, _)| n.to_ascii_lowercase())
                .unwrap_or_default();
            let cjk = ["cjk", " sc", "han", "hei", "song", "ming", "kai", "noto"]
                .iter()
                .any(|w| name.contains(w));
            (
                !cjk,
                f.monospaced,
                f.style != fontdb::Style::Normal,
                f.weight.0.abs_diff(400),
                name,
            )
        };
        faces.sort_by_cached_key(|f| rank(f));
        for info in faces {
            let has = db
                .with_face_data(info.id, |data, index| {
                    ttf_parser::Face::parse(data, index)
                        .ok()
                        .and_then(|f| f.glyph_index(c))
                        .is_some()
                })
                .unwrap_or(false);
            if has && let Some(face) = self.load(db, info) {
                return Some(face);
            }
        }
        None
    }

    fn load(&self, db: &fontdb::Database, info: &fontdb::FaceInfo) -> Option<Arc<SystemFace>> {
        if let Ok(loaded) = self.loaded.read()
            && let Some(face) = loaded.get(&info.id)
        {
            return face.clone();
        }
        let face = db
            .with_face_data(info.id, |data, index| {
                FontVec::try_from_vec_and_index(data.to_vec(), index).ok()
            })
            .flatten()
            .map(|font| {
                let units_per_em = font.units_per_em().unwrap_or(1000.0);
                Arc::new(SystemFace {
                    font,
                    units_per_em,
                    family: info
                        .families
                        .first()
                        .map(|(n, _)| n.clone())
                        .unwrap_or_default(),
                })
            });
        if let Ok(mut loaded) = self.loaded.write() {
            loaded.insert(info.id, face.clone());
        }
        face
    }
}

/// The glyph of `c` in `face`.
pub fn glyph(face: &Face, c: char) -> GlyphId {
    face.font().glyph_id(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_draws_gb2312_and_the_bundled_names() {
        let fonts = Fonts::get();
        assert!(matches!(fonts.face_for('镇'), Some(Face::Bundled)));
        assert!(matches!(fonts.face_for('埭'), Some(Face::Bundled)));
        assert!(fonts.missing("苏州高新区 科技城（东渚街道）").is_empty());
    }
}
