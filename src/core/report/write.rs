//! The report written out: as a plain-text table, CSV and JSON, and the matrix and unit
//! tables the coverage dock copies and saves.

use super::*;

impl Report {
    /// Pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain structs of strings and numbers cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Tables for people, aligned by display width (a Chinese character is two columns).
    pub fn to_table(&self) -> String {
        let mut out = String::new();
        let c = &self.coverage;
        let _ = writeln!(
            out,
            "Coverage: {} of {} units covered ({} full, {} partial), {} uncovered; {} in more than one zone",
            c.full + c.partial,
            c.units,
            c.full,
            c.partial,
            c.uncovered,
            c.multi_zone_units
        );
        let _ = writeln!(
            out,
            "Unit area {} km², covered {} km² ({}%), uncovered {} km²\n",
            km2(c.unit_area_km2),
            km2(c.covered_km2),
            fixed(percent(c.covered_km2, c.unit_area_km2), 1),
            km2(c.uncovered_km2)
        );
        let official = self.zones.iter().any(|z| z.official_km2.is_some());
        let zone_notes = self.zones.iter().any(|z| !z.notes.is_empty());
        let outside = self.zones.iter().any(|z| z.outside_km2 > 0.0);
        let mut header = vec!["id", "name", "km²"];
        let mut right = vec![false, false, true];
        if outside {
            header.push("in no unit km²");
            right.push(true);
        }
        if official {
            header.extend(["official km²", "difference", "%"]);
            right.extend([true, true, true]);
        }
        if zone_notes {
            header.push("notes");
            right.push(false);
        }
        out += &table(
            "Zones",
            &header,
            &right,
            self.zones
                .iter()
                .map(|z| {
                    let mut row = vec![z.id.clone(), z.name.clone(), km2(z.area_km2)];
                    if outside {
                        row.push(km2(z.outside_km2));
                    }
                    if official {
                        let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".to_owned());
                        row.push(or_dash(z.official_km2.map(km2)));
                        row.push(or_dash(z.official_diff_km2.map(|d| signed(d, 2))));
                        row.push(or_dash(z.official_diff_pct.map(|p| signed(p, 1) + "%")));
                    }
                    if zone_notes {
                        row.push(z.notes.join(", "));
                    }
                    row
                })
                .collect(),
        );
        let unit_notes = self.units.iter().any(|u| !u.notes.is_empty());
        out += &table(
            "Units",
            &[
                "id",
                "name",
                "km²",
                "covered km²",
                "covered",
                "status",
                "zones",
                "notes",
            ][..if unit_notes { 8 } else { 7 }],
            &[false, false, true, true, true, false, false, false]
                [..if unit_notes { 8 } else { 7 }],
            self.units
                .iter()
                .map(|u| {
                    let mut row = vec![
                        u.id.clone(),
                        u.name.clone(),
                        km2(u.area_km2),
                        km2(u.covered_km2),
                        format!("{}%", fixed(percent(u.covered_km2, u.area_km2), 1)),
                        u.status.as_str().to_string(),
                        u.zones.join(", "),
                    ];
                    if unit_notes {
                        row.push(u.notes.join(", "));
                    }
                    row
                })
                .collect(),
        );
        out += &table(
            "Overlaps (zone × unit)",
            &["zone", "unit", "km²", "of unit", "of zone"],
            &[false, false, true, true, true],
            self.overlaps
                .iter()
                .map(|o| {
                    vec![
                        o.zone_name.clone(),
                        o.unit_name.clone(),
                        km2(o.area_km2),
                        format!("{}%", fixed(o.share_of_unit * 100.0, 1)),
                        format!("{}%", fixed(o.share_of_zone * 100.0, 1)),
                    ]
                })
                .collect(),
        );
        out += &table(
            "Zone overlaps (area counted in two zones)",
            &["zone", "zone", "km²", "units in both"],
            &[false, false, true, false],
            self.zone_overlaps
                .iter()
                .map(|o| {
                    vec![
                        o.zone_a_name.clone(),
                        o.zone_b_name.clone(),
                        km2(o.area_km2),
                        o.units.join(", "),
                    ]
                })
                .collect(),
        );
        if !self.outside.is_empty() {
            out += &table(
                "Zone land in no unit (drawn past the units)",
                &["zone", "km²", "where"],
                &[false, true, false],
                self.outside
                    .iter()
                    .map(|o| {
                        vec![
                            o.zone_name.clone(),
                            km2(o.area_km2),
                            format!(
                                "{:.3}–{:.3}°E, {:.3}–{:.3}°N",
                                o.extent[0], o.extent[2], o.extent[1], o.extent[3]
                            ),
                        ]
                    })
                    .collect(),
            );
        }
        for p in &self.pilots {
            let title = format!(
                "Pilot {}: {} ({} km², {}% of the unit area)",
                p.pilot,
                p.zones.join(", "),
                km2(p.area_km2),
                fixed(p.share_of_units * 100.0, 1)
            );
            out += &table(
                &title,
                &["id", "unit", "km² in pilot", "how"],
                &[false, false, true, false],
                p.units
                    .iter()
                    .map(|u| {
                        vec![
                            u.id.clone(),
                            u.name.clone(),
                            km2(u.area_km2),
                            if u.added { "added" } else { "zone" }.to_string(),
                        ]
                    })
                    .collect(),
            );
        }
        if !self.warnings.is_empty() {
            out += "Warnings\n";
            for w in &self.warnings {
                let _ = writeln!(out, "  {}", w.message);
            }
        }
        out
    }

    /// CSV: one table per section (zones, units, overlaps, zone overlaps, pilot units,
    /// coverage, warnings, and the pieces of zones in no unit), each with its own header row,
    /// separated by blank lines.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let mut section = |header: &[&str], rows: Vec<Vec<String>>| {
            if !out.is_empty() {
                out.push('\n');
            }
            out += &csv_line(header.iter().map(|s| s.to_string()));
            for r in rows {
                out += &csv_line(r);
            }
        };
        let opt = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        section(
            &[
                "zone_id",
                "zone_name",
                "area_km2",
                "official_km2",
                "official_diff_km2",
                "official_diff_pct",
                "notes",
                "outside_km2",
            ],
            self.zones
                .iter()
                .map(|z| {
                    vec![
                        z.id.clone(),
                        z.name.clone(),
                        z.area_km2.to_string(),
                        opt(z.official_km2),
                        opt(z.official_diff_km2),
                        opt(z.official_diff_pct),
                        z.notes.join("; "),
                        z.outside_km2.to_string(),
                    ]
                })
                .collect(),
        );
        let (header, rows) = self.units_table();
        section(&header, rows);
        section(
            &[
                "zone",
                "zone_name",
                "unit",
                "unit_name",
                "area_km2",
                "share_of_unit",
                "share_of_zone",
            ],
            self.overlaps
                .iter()
                .map(|o| {
                    vec![
                        o.zone.clone(),
                        o.zone_name.clone(),
                        o.unit.clone(),
                        o.unit_name.clone(),
                        o.area_km2.to_string(),
                        o.share_of_unit.to_string(),
                        o.share_of_zone.to_string(),
                    ]
                })
                .collect(),
        );
        section(
            &[
                "zone_a",
                "zone_a_name",
                "zone_b",
                "zone_b_name",
                "area_km2",
                "units",
            ],
            self.zone_overlaps
                .iter()
                .map(|o| {
                    vec![
                        o.zone_a.clone(),
                        o.zone_a_name.clone(),
                        o.zone_b.clone(),
                        o.zone_b_name.clone(),
                        o.area_km2.to_string(),
                        o.units.join("; "),
                    ]
                })
                .collect(),
        );
        section(
            &["pilot", "unit_id", "unit_name", "area_km2", "added"],
            self.pilots
                .iter()
                .flat_map(|p| {
                    p.units.iter().map(|u| {
                        vec![
                            p.pilot.clone(),
                            u.id.clone(),
                            u.name.clone(),
                            u.area_km2.to_string(),
                            u.added.to_string(),
                        ]
                    })
                })
                .collect(),
        );
        let c = &self.coverage;
        section(
            &[
                "units",
                "full",
                "partial",
                "uncovered",
                "multi_zone_units",
                "unit_area_km2",
                "covered_km2",
                "uncovered_km2",
            ],
            vec![vec![
                c.units.to_string(),
                c.full.to_string(),
                c.partial.to_string(),
                c.uncovered.to_string(),
                c.multi_zone_units.to_string(),
                c.unit_area_km2.to_string(),
                c.covered_km2.to_string(),
                c.uncovered_km2.to_string(),
            ]],
        );
        section(
            &["file", "feature", "id", "name", "kind", "message"],
            self.warnings
                .iter()
                .map(|w| {
                    vec![
                        w.file.clone(),
                        w.feature.map(|i| i.to_string()).unwrap_or_default(),
                        w.id.clone().unwrap_or_default(),
                        w.name.clone().unwrap_or_default(),
                        w.kind.clone(),
                        w.message.clone(),
                    ]
                })
                .collect(),
        );
        section(
            &[
                "zone",
                "zone_name",
                "outside_km2",
                "west",
                "south",
                "east",
                "north",
            ],
            self.outside
                .iter()
                .map(|o| {
                    let mut row = vec![o.zone.clone(), o.zone_name.clone(), o.area_km2.to_string()];
                    row.extend(o.extent.iter().map(|v| v.to_string()));
                    row
                })
                .collect(),
        );
        out
    }
}

impl Report {
    const UNITS_HEADER: [&'static str; 7] = [
        "unit_id",
        "unit_name",
        "area_km2",
        "covered_km2",
        "status",
        "zones",
        "notes",
    ];

    fn units_table(&self) -> ([&'static str; 7], Vec<Vec<String>>) {
        let rows = self
            .units
            .iter()
            .map(|u| {
                vec![
                    u.id.clone(),
                    u.name.clone(),
                    u.area_km2.to_string(),
                    u.covered_km2.to_string(),
                    u.status.as_str().to_string(),
                    u.zones.join("; "),
                    u.notes.join("; "),
                ]
            })
            .collect();
        (Self::UNITS_HEADER, rows)
    }

    /// The units section of [`Report::to_csv`] alone: one row per unit.
    pub fn units_csv(&self) -> String {
        let (header, rows) = self.units_table();
        let mut out = csv_line(header.iter().map(|s| s.to_string()));
        for r in rows {
            out += &csv_line(r);
        }
        out
    }

    /// The zone × unit matrix as CSV: one row per zone, and for each unit three columns: the
    /// overlap in km², its share of the unit and its share of the zone (0 where they do not
    /// overlap). What `zonemap report --format matrix` prints and the window copies.
    pub fn matrix_csv(&self) -> String {
        let mut header = vec![
            "zone_id".to_owned(),
            "zone_name".to_owned(),
            "zone_area_km2".to_owned(),
        ];
        for u in &self.units {
            header.push(format!("{} km2", u.name));
            header.push(format!("{} share_of_unit", u.name));
            header.push(format!("{} share_of_zone", u.name));
        }
        let mut out = csv_line(header);
        let overlaps = self.overlaps_by_pair();
        for z in &self.zones {
            let mut row = vec![z.id.clone(), z.name.clone(), z.area_km2.to_string()];
            for u in &self.units {
                match overlaps.get(&(z.id.as_str(), u.id.as_str())) {
                    Some(o) => row.extend([
                        o.area_km2.to_string(),
                        o.share_of_unit.to_string(),
                        o.share_of_zone.to_string(),
                    ]),
                    None => row.extend(["0".to_owned(), "0".to_owned(), "0".to_owned()]),
                }
            }
            out += &csv_line(row);
        }
        out
    }

    /// Each overlap by its (zone id, unit id): a matrix's cells.
    pub fn overlaps_by_pair(&self) -> std::collections::HashMap<(&str, &str), &OverlapRow> {
        self.overlaps
            .iter()
            .map(|o| ((o.zone.as_str(), o.unit.as_str()), o))
            .collect()
    }
}

pub(super) fn percent(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole * 100.0
    } else {
        0.0
    }
}

pub(super) fn km2(v: f64) -> String {
    fixed(v, 2)
}

pub(super) fn csv_line(cells: impl IntoIterator<Item = String>) -> String {
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| {
            if c.contains([',', '"', '\n', '\r']) {
                format!("\"{}\"", c.replace('"', "\"\""))
            } else {
                c
            }
        })
        .collect();
    cells.join(",") + "\n"
}

/// A titled table aligned by display width; `right` marks right-aligned (numeric) columns.
pub(super) fn table(
    title: &str,
    header: &[&str],
    right: &[bool],
    rows: Vec<Vec<String>>,
) -> String {
    let mut out = format!("{title}\n");
    if rows.is_empty() {
        out += "  (none)\n\n";
        return out;
    }
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::from(" ");
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            s.push(' ');
            if right[i] {
                s += &pad;
                s += cell;
            } else {
                s += cell;
                if i + 1 < cells.len() {
                    s += &pad;
                }
            }
            if i + 1 < cells.len() {
                s.push(' ');
            }
        }
        s.trim_end().to_string() + "\n"
    };
    out += &line(header.to_vec());
    for r in &rows {
        out += &line(r.iter().map(String::as_str).collect());
    }
    out.push('\n');
    out
}
