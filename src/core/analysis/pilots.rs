//! Pilot programmes: zones that share a `pilot` property value, such as Suzhou's
//! 功能区+镇(街道) pilot, taken together with the units they cover.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{COVERAGE_TOLERANCE, Overlap};
use crate::core::measure::Area;
use crate::core::model::{FeatureId, Layer, scalar_text};
use crate::core::topology::overlay::covered_by;

pub use crate::core::model::{PILOT_ADDS_FIELD, PILOT_FIELD};

/// A unit in a pilot.
#[derive(Clone, Debug, PartialEq)]
pub struct PilotUnit {
    /// The unit, in the units layer.
    pub unit: FeatureId,
    /// The part of the unit in the pilot: what its zones cover, or all of it when added.
    pub area: Area,
    /// Whether the pilot takes the unit in through `pilot_adds` rather than its zones' outline.
    pub added: bool,
}

/// One pilot programme.
#[derive(Clone, Debug, PartialEq)]
pub struct Pilot {
    /// The value its zones share in their `pilot` property.
    pub name: String,
    /// The zones with that `pilot` value, in the zones layer's order.
    pub zones: Vec<FeatureId>,
    /// Units the pilot's zones cover (at least [`COVERAGE_TOLERANCE`] of each), then added ones.
    pub units: Vec<PilotUnit>,
    /// Area of the units in the pilot (the parts its zones cover, whole added units).
    pub area: Area,
    /// `area` over the area of all units, 0..1.
    pub share_of_units: f64,
}

pub(super) fn pilots(
    zones: &Layer,
    units: &Layer,
    overlaps: &[Overlap],
    unit_areas: &[Area],
    total_unit_area: Area,
) -> Vec<Pilot> {
    let mut by_name: BTreeMap<String, Vec<FeatureId>> = BTreeMap::new();
    for id in zones.ids() {
        if let Some(name) = zones.feature(id).property_text(PILOT_FIELD)
            && !name.trim().is_empty()
        {
            by_name.entry(name).or_default().push(id);
        }
    }
    by_name
        .into_iter()
        .map(|(name, pilot_zones)| {
            let mut per_unit: BTreeMap<FeatureId, Vec<&Overlap>> = BTreeMap::new();
            for o in overlaps.iter().filter(|o| pilot_zones.contains(&o.zone)) {
                per_unit.entry(o.unit).or_default().push(o);
            }
            let mut pilot_units = Vec::new();
            for (unit, parts) in per_unit {
                let area = if parts.len() == 1 {
                    parts[0].area
                } else {
                    // Several of the pilot's zones in one unit: measure their union there.
                    let shapes: Vec<Vec<_>> = parts
                        .iter()
                        .map(|o| zones.feature(o.zone).polygons())
                        .collect();
                    covered_by(&units.feature(unit).polygons(), &shapes, 0.0).area
                };
                if area.m2 >= COVERAGE_TOLERANCE * unit_areas[unit.index()].m2 {
                    pilot_units.push(PilotUnit {
                        unit,
                        area,
                        added: false,
                    });
                }
            }
            for zone in &pilot_zones {
                for added in listed_ids(zones.feature(*zone).properties.get(PILOT_ADDS_FIELD)) {
                    let Some(unit) = units.find(&added) else {
                        continue;
                    };
                    let full = unit_areas[unit.index()];
                    match pilot_units.iter_mut().find(|u| u.unit == unit) {
                        Some(u) => u.area = full,
                        None => pilot_units.push(PilotUnit {
                            unit,
                            area: full,
                            added: true,
                        }),
                    }
                }
            }
            let area = Area::from_m2(pilot_units.iter().map(|u| u.area.m2).sum());
            Pilot {
                name,
                zones: pilot_zones,
                units: pilot_units,
                area,
                share_of_units: if total_unit_area.m2 > 0.0 {
                    area.m2 / total_unit_area.m2
                } else {
                    0.0
                },
            }
        })
        .collect()
}

/// Ids from a property holding one id or a list of them.
fn listed_ids(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(v) => scalar_text(v).into_iter().collect(),
        None => Vec::new(),
    }
}
