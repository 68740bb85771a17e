//! Coordinate reference systems: what a layer's numbers mean, and how they are brought into the
//! one working frame where areas, overlaps and drawing happen: WGS-84 longitude and latitude in
//! degrees (CGCS2000 taken as equal to it: the two differ by centimetres).
//!
//! Known: WGS-84 (EPSG:4326), CGCS2000 geographic (EPSG:4490) and every CGCS2000 Gauss-Krüger
//! zone (EPSG:4491–4554, with or without the zone number in front of the easting), Web Mercator
//! (EPSG:3857), Beijing 1954 and Xi'an 1980 geographic and Gauss-Krüger (with a warning: no
//! official shift from them to CGCS2000 is published), any other EPSG code the PostGIS table
//! knows (through `crs-definitions`), PROJ.4 strings and WKT (ESRI or OGC, as `.prj` files and
//! GeoPackages hold it, through `proj4wkt`), and the pseudo-datums GCJ-02 and BD-09 of Chinese
//! web maps ([`gcj02`]). Projections run in `proj4rs`, a pure-Rust port of PROJ.4.

mod detect;
pub mod gcj02;
mod transform;

pub use detect::*;
pub use transform::*;

use std::fmt;

use geo::Coord;
use proj4rs::Proj;

/// A coordinate reference system.
#[derive(Clone, Debug, PartialEq)]
pub enum Crs {
    /// WGS-84 longitude/latitude (EPSG:4326): the working frame, and RFC 7946 GeoJSON's.
    Wgs84,
    /// CGCS2000 longitude/latitude (EPSG:4490), taken as WGS-84.
    Cgcs2000,
    /// The GCJ-02 pseudo-datum of Amap, Tencent and other Chinese web maps (lon/lat).
    Gcj02,
    /// Baidu's BD-09 (lon/lat).
    Bd09,
    /// Any other system, by its EPSG code when it has one, and its PROJ.4 definition.
    Proj {
        /// Its EPSG code, if it has one.
        epsg: Option<u16>,
        /// How people name it ("CGCS2000 / 3-degree Gauss-Kruger zone 40").
        name: String,
        /// The PROJ.4 definition `proj4rs` reads.
        definition: String,
    },
}

/// Why a text names no coordinate system zonemap can use.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CrsError {
    /// The text, as given, is no name, code, PROJ string or WKT that zonemap recognises.
    #[error(
        "\"{0}\" names no coordinate system zonemap knows (give an EPSG code such as EPSG:4528, GCJ-02, BD-09, a PROJ string or WKT)"
    )]
    Unknown(String),
    /// An EPSG code that the `crs-definitions` table does not hold.
    #[error("EPSG:{0} is not a code zonemap knows")]
    UnknownEpsg(u32),
    /// A PROJ string that `proj4rs` cannot set up, or WKT that `proj4wkt` cannot read.
    #[error("cannot use \"{name}\": {reason}")]
    Unusable {
        /// The system's name, or the text (WKT cut to 60 characters) when it has none.
        name: String,
        /// The library's message.
        reason: String,
    },
}

/// Why coordinates could not be moved between systems.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("cannot transform ({x}, {y}) from {from}: {reason}")]
pub struct TransformError {
    /// Name of the system the coordinate was in.
    pub from: String,
    /// The coordinate's x (easting, or longitude in degrees), as given.
    pub x: f64,
    /// The coordinate's y (northing, or latitude in degrees), as given.
    pub y: f64,
    /// What went wrong: the projection library's message, or a result that is not finite.
    pub reason: String,
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl Crs {
    /// Reads a coordinate system from text: `EPSG:4528`, `4528`,
    /// `urn:ogc:def:crs:EPSG::4528`, `OGC:CRS84`, `WGS-84`, `CGCS2000`, `GCJ-02` (also `GCJ02`,
    /// `火星坐标`), `BD-09`, a PROJ string (`+proj=tmerc ...`) or WKT (`PROJCS[...]`,
    /// `GEOGCS[...]`, WKT2).
    pub fn parse(text: &str) -> Result<Crs, CrsError> {
        let t = text.trim();
        let key: String = t
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .collect::<String>()
            .to_ascii_uppercase();
        match key.as_str() {
            "WGS84"
            | "EPSG:4326"
            | "OGC:CRS84"
            | "CRS84"
            | "URN:OGC:DEF:CRS:OGC:1.3:CRS84"
            | "URN:OGC:DEF:CRS:OGC::CRS84" => return Ok(Crs::Wgs84),
            "CGCS2000" | "EPSG:4490" => return Ok(Crs::Cgcs2000),
            "GCJ02" | "GCJ" | "火星坐标" | "火星坐标系" => return Ok(Crs::Gcj02),
            "BD09" | "BD09LL" | "BAIDU" | "百度坐标" => return Ok(Crs::Bd09),
            _ => {}
        }
        if t.starts_with('+') {
            return Crs::from_proj(t, None);
        }
        if let Some(code) = epsg_code_in(t) {
            return Crs::from_epsg(code);
        }
        if t.contains('[') {
            return Crs::from_wkt(t);
        }
        Err(CrsError::Unknown(t.to_owned()))
    }

    /// The system with this EPSG code.
    pub fn from_epsg(code: u32) -> Result<Crs, CrsError> {
        match code {
            4326 => return Ok(Crs::Wgs84),
            4490 => return Ok(Crs::Cgcs2000),
            _ => {}
        }
        let def = u16::try_from(code)
            .ok()
            .and_then(crs_definitions::from_code)
            .ok_or(CrsError::UnknownEpsg(code))?;
        Ok(Crs::Proj {
            epsg: u16::try_from(code).ok(),
            name: wkt_name(def.wkt).unwrap_or_else(|| format!("EPSG:{code}")),
            definition: def.proj4.to_owned(),
        })
    }

    /// The system a PROJ string defines; its EPSG code is found when it is one of the systems
    /// of China (CGCS2000, Beijing 1954, Xi'an 1980 and their Gauss-Krüger zones) or WGS-84.
    pub fn from_proj(definition: &str, name: Option<&str>) -> Result<Crs, CrsError> {
        let proj = Proj::from_proj_string(definition).map_err(|e| CrsError::Unusable {
            name: definition.to_owned(),
            reason: e.to_string(),
        })?;
        if let Some(code) = known_code_for(definition) {
            return Crs::from_epsg(u32::from(code));
        }
        let name = name.map(str::to_owned).unwrap_or_else(|| {
            if proj.is_latlong() {
                format!("lon/lat ({definition})")
            } else {
                definition.to_owned()
            }
        });
        Ok(Crs::Proj {
            epsg: None,
            name,
            definition: definition.to_owned(),
        })
    }

    /// The system a WKT text (WKT1 as OGC or ESRI write it, or WKT2) describes.
    pub fn from_wkt(wkt: &str) -> Result<Crs, CrsError> {
        if let Some(code) = epsg_code_in(wkt) {
            return Crs::from_epsg(code);
        }
        let name = wkt_name(wkt);
        let upper = wkt.to_ascii_uppercase();
        if upper.trim_start().starts_with("GEOGCS") || upper.trim_start().starts_with("GEOGCRS") {
            // A plain geographic system on WGS-84 or CGCS2000 needs no PROJ.
            let datum = upper.replace(['_', ' '], "");
            if datum.contains("CHINA2000") || datum.contains("CGCS2000") {
                return Ok(Crs::Cgcs2000);
            }
            if datum.contains("WGS1984") || datum.contains("WGS84") {
                return Ok(Crs::Wgs84);
            }
        }
        let definition = proj4wkt::wkt_to_projstring(wkt).map_err(|e| CrsError::Unusable {
            name: name
                .clone()
                .unwrap_or_else(|| wkt.chars().take(60).collect()),
            reason: e.to_string(),
        })?;
        Crs::from_proj(&definition, name.as_deref())
    }

    /// How the system is written in a project and read back by [`Crs::parse`]: `WGS-84`,
    /// `CGCS2000`, `GCJ-02`, `BD-09`, `EPSG:4528`, or a PROJ string.
    pub fn code(&self) -> String {
        match self {
            Crs::Wgs84 => "WGS-84".to_owned(),
            Crs::Cgcs2000 => "CGCS2000".to_owned(),
            Crs::Gcj02 => "GCJ-02".to_owned(),
            Crs::Bd09 => "BD-09".to_owned(),
            Crs::Proj {
                epsg: Some(code), ..
            } => format!("EPSG:{code}"),
            Crs::Proj { definition, .. } => definition.clone(),
        }
    }

    /// How people name it: `WGS-84`, `GCJ-02`, `EPSG:4528 CGCS2000 / 3-degree Gauss-Kruger
    /// zone 40`.
    pub fn name(&self) -> String {
        match self {
            Crs::Proj {
                epsg: Some(code),
                name,
                ..
            } => format!("EPSG:{code} {name}"),
            Crs::Proj { name, .. } => name.clone(),
            other => other.code(),
        }
    }

    /// The EPSG code, where the system has one (none for GCJ-02 and BD-09).
    pub fn epsg(&self) -> Option<u32> {
        match self {
            Crs::Wgs84 => Some(4326),
            Crs::Cgcs2000 => Some(4490),
            Crs::Gcj02 | Crs::Bd09 => None,
            Crs::Proj { epsg, .. } => epsg.map(u32::from),
        }
    }

    /// Whether its coordinates are longitude and latitude in degrees.
    pub fn is_geographic(&self) -> bool {
        match self {
            Crs::Wgs84 | Crs::Cgcs2000 | Crs::Gcj02 | Crs::Bd09 => true,
            Crs::Proj { definition, .. } => definition.contains("+proj=longlat"),
        }
    }

    /// Whether its coordinates are already the working frame's.
    pub fn is_working_frame(&self) -> bool {
        matches!(self, Crs::Wgs84 | Crs::Cgcs2000)
    }

    /// What is done to bring it into the working frame, for the layer list and status bar:
    /// `GCJ-02 → WGS-84`; `None` when nothing is.
    pub fn transform_note(&self) -> Option<String> {
        match self {
            Crs::Wgs84 => None,
            Crs::Cgcs2000 => Some("CGCS2000 = WGS-84".to_owned()),
            other => Some(format!("{} → WGS-84", other.short_name())),
        }
    }

    /// A short name: the EPSG code, else the name.
    pub fn short_name(&self) -> String {
        match self {
            Crs::Proj {
                epsg: Some(code), ..
            } => format!("EPSG:{code}"),
            other => other.name(),
        }
    }

    /// A warning about the system itself, when its figures may be off whatever zonemap does:
    /// Beijing 1954 and Xi'an 1980 have no published official shift to CGCS2000.
    pub fn warning(&self) -> Option<String> {
        let Crs::Proj { name, .. } = self else {
            return None;
        };
        // ESRI's names write spaces as underscores (`GCS_Beijing_1954`).
        let spaced = name.replace('_', " ");
        let old = ["Beijing 1954", "Xian 1980", "Xi'an 1980", "New Beijing"];
        old.iter().any(|o| spaced.contains(o)).then(|| {
            format!(
                "{name}: no official shift from it to CGCS2000 is published; positions may be off by up to about 100 m"
            )
        })
    }

    /// A transform from this system into the working frame (WGS-84 lon/lat, degrees).
    pub fn to_wgs84(&self) -> Result<Transform, CrsError> {
        Transform::new(self, Direction::ToWgs84)
    }

    /// A transform from the working frame into this system.
    pub fn from_wgs84(&self) -> Result<Transform, CrsError> {
        Transform::new(self, Direction::FromWgs84)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESRI_GK40: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn names_parse_to_systems() {
        assert_eq!(Crs::parse("EPSG:4326"), Ok(Crs::Wgs84));
        assert_eq!(Crs::parse("wgs84"), Ok(Crs::Wgs84));
        assert_eq!(Crs::parse("urn:ogc:def:crs:OGC:1.3:CRS84"), Ok(Crs::Wgs84));
        assert_eq!(Crs::parse("4490"), Ok(Crs::Cgcs2000));
        assert_eq!(Crs::parse("gcj02"), Ok(Crs::Gcj02));
        assert_eq!(Crs::parse("BD-09"), Ok(Crs::Bd09));
        let gk = Crs::parse("urn:ogc:def:crs:EPSG::4528").expect("4528");
        assert_eq!(gk.epsg(), Some(4528));
        assert_eq!(
            gk.name(),
            "EPSG:4528 CGCS2000 / 3-degree Gauss-Kruger zone 40"
        );
        assert!(Crs::parse("EPSG:999999").is_err());
        assert!(Crs::parse("Mars 2000").is_err());
    }

    #[test]
    fn a_wkt_with_any_characters_is_read_or_refused_without_a_panic() {
        // Found by the shapefile fuzz target: a multi-byte character before an EPSG id.
        let wkt = "GEOGCS[\"GCS_WGS_\u{fffd}1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433],AUTHORITY[\"EPSG\",\"4326\"]]";
        assert_eq!(epsg_code_in(wkt), Some(4326));
        let _ = Crs::from_wkt("PROJCS[\"é\",AUTHORITY[\"EPSG\",\"é\"]]");
    }

    #[test]
    fn an_esri_prj_is_known_by_its_epsg_code() {
        let crs = Crs::from_wkt(ESRI_GK40).expect("reads");
        assert_eq!(crs.epsg(), Some(4528), "{crs:?}");
        assert!(crs.warning().is_none());
    }

    #[test]
    fn old_datums_carry_a_warning() {
        for code in [4214, 2416, 4610, 2364] {
            let crs = Crs::from_epsg(code).expect("known");
            assert!(crs.warning().is_some(), "{code}");
        }
    }

    #[test]
    fn gauss_kruger_zone_40_matches_pyproj() {
        // pyproj 3.7 (PROJ 9.5), Transformer.from_crs(4528, 4326, always_xy=True):
        // (40528561.2, 3465000.0) -> (120.300020187262, 31.306540774019).
        let t = Crs::from_epsg(4528)
            .expect("4528")
            .to_wgs84()
            .expect("transform");
        let c = t
            .apply(Coord {
                x: 40_528_561.2,
                y: 3_465_000.0,
            })
            .expect("inside");
        assert!((c.x - 120.300_020_187_262).abs() < 1e-9, "{c:?}");
        assert!((c.y - 31.306_540_774_019).abs() < 1e-9, "{c:?}");
    }

    #[test]
    fn projected_numbers_without_a_system_are_diagnosed() {
        let d = diagnose_projected(Coord {
            x: 40_528_561.0,
            y: 3_465_000.0,
        })
        .expect("projected");
        assert!(d.contains("zone 40") && d.contains("EPSG:4528"), "{d}");
        assert!(diagnose_projected(Coord { x: 120.3, y: 31.3 }).is_none());
    }
}
