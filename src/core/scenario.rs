//! Before and after: what a proposal changes, from the coverage reports of the zones as they
//! were and as proposed, over the same units.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::core::format::{fixed, signed};

use crate::core::report::{CoverageRow, Report};

/// One zone's area before and after; `None` where the zone is not on that side (a new or a
/// removed zone). Zones are matched by id.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ZoneChange {
    /// The zone's id, on either side.
    pub id: String,
    /// The name after, or before for a removed zone.
    pub name: String,
    /// The name before, where it was another.
    pub renamed_from: Option<String>,
    /// Its area before, km².
    pub before_km2: Option<f64>,
    /// Its area after, km².
    pub after_km2: Option<f64>,
}

impl ZoneChange {
    /// After less before, a missing side counting as zero.
    pub fn change_km2(&self) -> f64 {
        self.after_km2.unwrap_or(0.0) - self.before_km2.unwrap_or(0.0)
    }

    /// Whether anything about the zone changed (area by more than 1 m², name, or existence).
    pub fn changed(&self) -> bool {
        self.change_km2().abs() > 1e-6
            || self.renamed_from.is_some()
            || self.before_km2.is_none()
            || self.after_km2.is_none()
    }
}

/// A unit whose zones are not the same after.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitChange {
    /// The unit's id.
    pub id: String,
    /// The unit's name before.
    pub name: String,
    /// Names of the zones covering it, largest share first.
    pub before: Vec<String>,
    /// As `before`, after the change.
    pub after: Vec<String>,
}

/// Everything the comparison shows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScenarioDiff {
    /// Every zone of either side: those before in their order, then the new ones.
    pub zones: Vec<ZoneChange>,
    /// The units that changed zone.
    pub units: Vec<UnitChange>,
    /// Coverage totals before.
    pub before: CoverageRow,
    /// Coverage totals after.
    pub after: CoverageRow,
}

/// Compares the report of the zones before with the report of the zones after, over the same
/// units.
pub fn compare(before: &Report, after: &Report) -> ScenarioDiff {
    let mut zones: Vec<ZoneChange> = before
        .zones
        .iter()
        .map(|b| {
            let a = after.zones.iter().find(|a| a.id == b.id);
            ZoneChange {
                id: b.id.clone(),
                name: a.map_or(&b.name, |a| &a.name).clone(),
                renamed_from: a.filter(|a| a.name != b.name).map(|_| b.name.clone()),
                before_km2: Some(b.area_km2),
                after_km2: a.map(|a| a.area_km2),
            }
        })
        .collect();
    zones.extend(
        after
            .zones
            .iter()
            .filter(|a| !before.zones.iter().any(|b| b.id == a.id))
            .map(|a| ZoneChange {
                id: a.id.clone(),
                name: a.name.clone(),
                renamed_from: None,
                before_km2: None,
                after_km2: Some(a.area_km2),
            }),
    );
    let units = before
        .units
        .iter()
        .filter_map(|b| {
            let a = after.units.iter().find(|a| a.id == b.id)?;
            let set = |z: &[String]| z.iter().cloned().collect::<BTreeSet<_>>();
            (set(&a.zones) != set(&b.zones)).then(|| UnitChange {
                id: b.id.clone(),
                name: b.name.clone(),
                before: b.zones.clone(),
                after: a.zones.clone(),
            })
        })
        .collect();
    ScenarioDiff {
        zones,
        units,
        before: before.coverage.clone(),
        after: after.coverage.clone(),
    }
}

impl ScenarioDiff {
    /// Aligned tables, as `zonemap diff` prints them.
    pub fn to_table(&self) -> String {
        let km2 = |v: Option<f64>| v.map_or("-".to_owned(), |v| fixed(v, 3));
        let mut out = String::from("Zones (km²)\n");
        let width = self
            .zones
            .iter()
            .map(|z| unicode_width::UnicodeWidthStr::width(z.name.as_str()))
            .max()
            .unwrap_or(4)
            .max(4);
        let pad = |s: &str| {
            let w = unicode_width::UnicodeWidthStr::width(s);
            format!("{s}{}", " ".repeat(width.saturating_sub(w)))
        };
        out.push_str(&format!(
            "  {}  {:>12}  {:>12}  {:>12}\n",
            pad("zone"),
            "before",
            "after",
            "change"
        ));
        for z in &self.zones {
            let mut name = pad(&z.name);
            if let Some(old) = &z.renamed_from {
                name.push_str(&format!(" (was {old})"));
            }
            out.push_str(&format!(
                "  {name}  {:>12}  {:>12}  {:>12}\n",
                km2(z.before_km2),
                km2(z.after_km2),
                signed(z.change_km2(), 3)
            ));
        }
        out.push_str("\nUnits that changed zone\n");
        if self.units.is_empty() {
            out.push_str("  none\n");
        }
        for u in &self.units {
            let list = |z: &[String]| {
                if z.is_empty() {
                    "(none)".to_owned()
                } else {
                    z.join(", ")
                }
            };
            out.push_str(&format!(
                "  {}: {} -> {}\n",
                u.name,
                list(&u.before),
                list(&u.after)
            ));
        }
        out.push_str("\nCoverage         before      after\n");
        let rows = [
            ("units", self.before.units, self.after.units),
            ("fully covered", self.before.full, self.after.full),
            ("partly covered", self.before.partial, self.after.partial),
            ("not covered", self.before.uncovered, self.after.uncovered),
            (
                "in several zones",
                self.before.multi_zone_units,
                self.after.multi_zone_units,
            ),
        ];
        for (label, b, a) in rows {
            out.push_str(&format!("  {label:<16} {b:>6}     {a:>6}\n"));
        }
        out.push_str(&format!(
            "  {:<16} {:>10} {:>10}\n",
            "covered km²",
            fixed(self.before.covered_km2, 3),
            fixed(self.after.covered_km2, 3)
        ));
        out
    }
}
