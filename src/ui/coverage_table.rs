//! The coverage table (覆盖): one row per unit with its area, the part the zones cover, the
//! zones covering it and its status; totals above, sortable columns, a name and status filter.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::core::analysis::CoverageClass;

use super::coverage_map::class_fill;
use super::i18n::Lang;
use crate::session::analysis::AnalysisResult;
use crate::session::layer::FeatureRef;
use crate::ui::command::{Command, Commands, WindowCommand};
use crate::ui::projector::color32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    /// The units layer's own order.
    #[default]
    Layer,
    Name,
    Area,
    Covered,
    Share,
    Zones,
    Status,
}

/// The table's sorting and filtering, and its rows in that order.
#[derive(Default)]
pub struct CoverageTable {
    pub sort: SortKey,
    pub descending: bool,
    pub filter: String,
    pub class: Option<CoverageClass>,
    /// Row order for (result, sort, descending, filter, class), kept until one changes.
    rows: Option<(RowsKey, Vec<usize>)>,
    /// Each row's height, in points, for (rows, name and zones column widths): a name or a
    /// list of zones too long for its column wraps onto more lines instead of being cut.
    heights: Option<(HeightsKey, Vec<f32>)>,
}

type HeightsKey = (RowsKey, u32, u32);

type RowsKey = (u64, SortKey, bool, String, Option<CoverageClass>);

impl CoverageTable {
    /// Indices into the result's units, filtered and sorted.
    pub fn rows(&mut self, result: &AnalysisResult) -> &[usize] {
        let key: RowsKey = (
            result.run,
            self.sort,
            self.descending,
            self.filter.clone(),
            self.class,
        );
        if self.rows.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = sorted_rows(result, self.sort, self.descending, &self.filter, self.class);
            self.rows = Some((key, rows));
        }
        self.rows.as_ref().map_or(&[], |(_, rows)| rows.as_slice())
    }

    pub fn ui(
        &mut self,
        ui: &mut Ui,
        result: &AnalysisResult,
        selection: &[FeatureRef],
        lang: Lang,
        commands: &mut Commands,
    ) {
        let t = lang.t();
        ui.label(RichText::new(lang.totals(&result.report.coverage)).strong());
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(t.filter);
            ui.add(
                egui::TextEdit::singleline(&mut self.filter)
                    .hint_text(t.filter_hint)
                    .desired_width(160.0),
            )
            .labelled_by(label.id);
            let label = ui.label(t.status);
            egui::ComboBox::from_id_salt("class_filter")
                .selected_text(self.class.map_or(t.all, |c| lang.class(c)))
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.class, None, t.all);
                    for c in CoverageClass::ALL {
                        ui.selectable_value(&mut self.class, Some(c), lang.class(c));
                    }
                })
                .response
                .labelled_by(label.id);
            if ui.button(t.copy_csv).clicked() {
                commands.push(WindowCommand::CopyText(result.report.units_csv()));
            }
            // The rows shown, on the filter's line: the dock's height goes to the table.
            let rows = self.rows(result).len();
            ui.weak(format!("{rows} / {} {}", result.report.units.len(), t.rows));
        });
        let rows = self.rows(result).to_vec();
        let line_height = ui.text_style_height(&egui::TextStyle::Body);
        let text_height = line_height + 6.0;
        let mut clicked_sort = None;
        // The columns share the dock's width: each at least as wide as its header (bold, with
        // room for the sort arrow), the name and the zones taking what is left, so that at
        // the smallest window nothing is cut.
        let titles = [
            t.name,
            t.area_km2,
            t.covered_km2,
            t.covered_share,
            t.status,
            t.covering_zones,
        ];
        // The width the table may take: the dock's, and never past the window's edge (a panel
        // widened by last frame's contents would otherwise keep itself wide).
        let avail = ui
            .available_width()
            .min(ui.ctx().content_rect().right() - 8.0 - ui.cursor().left());
        let measure = |text: &str| {
            let font = egui::TextStyle::Body.resolve(ui.style());
            ui.fonts_mut(|f| {
                f.layout_no_wrap(text.to_owned(), font, Color32::WHITE)
                    .size()
                    .x
            }) + 10.0
        };
        // The status column as wide as its widest status with its swatch; figures as wide as
        // the widest the table writes.
        let widest_status = CoverageClass::ALL
            .iter()
            .map(|&c| measure(&format!("■ {}", lang.class(c))))
            .fold(0.0, f32::max)
            + ui.spacing().item_spacing.x;
        let figure = measure("00000.0000");
        let least_body = [80.0, figure, figure, measure("100.0%"), widest_status, 60.0];
        let spacing = ui.spacing().item_spacing.x;
        // Headers on one line where they fit; where the dock is too narrow for that, each
        // header wraps onto two lines, at a space (or, in Chinese, anywhere).
        let one_line: Vec<f32> = titles.iter().map(|t| measure(&format!("{t} ↓"))).collect();
        let two_lines: Vec<f32> = titles
            .iter()
            .map(|t| {
                let words: Vec<&str> = t.split_whitespace().collect();
                if words.len() > 1 {
                    words
                        .iter()
                        .map(|w| measure(&format!("{w} ↓")))
                        .fold(0.0, f32::max)
                } else {
                    let half = t.chars().count().div_ceil(2);
                    measure(&format!("{} ↓", t.chars().take(half).collect::<String>()))
                }
            })
            .collect();
        let total = |least: &[f32]| -> f32 {
            least
                .iter()
                .zip(least_body)
                .map(|(h, b)| h.max(b))
                .sum::<f32>()
                + 5.0 * spacing
        };
        let wrap_headers = total(&one_line) > avail;
        let least: Vec<f32> = if wrap_headers { two_lines } else { one_line }
            .into_iter()
            .zip(least_body)
            .map(|(h, b)| h.max(b))
            .collect();
        let header_height = if wrap_headers {
            2.0 * line_height + 6.0
        } else {
            text_height
        };
        let status_least = least[4];
        let fixed = least[1] + least[2] + least[3] + status_least;
        let spare = (avail - fixed - least[0] - least[5] - 5.0 * spacing).max(0.0);
        let name_width = (least[0] + spare * 0.45).min(190.0).max(least[0]);
        let zones_width = (avail - name_width - fixed - 5.0 * spacing)
            .max(least[5])
            .floor();
        let heights = self.heights(
            ui,
            result,
            &rows,
            name_width - 2.0 * ui.spacing().button_padding.x,
            zones_width,
            line_height,
        );
        TableBuilder::new(ui)
            .min_scrolled_height(40.0)
            .id_salt("coverage_table")
            .striped(true)
            .resizable(true)
            .auto_shrink([false, false])
            .column(Column::initial(name_width).at_least(least[0]).clip(true))
            .column(Column::initial(least[1]).at_least(least[1]))
            .column(Column::initial(least[2]).at_least(least[2]))
            .column(Column::initial(least[3]).at_least(least[3]))
            .column(Column::initial(status_least).at_least(least[4]))
            .column(Column::remainder().at_least(least[5]).clip(true))
            .header(header_height, |mut header| {
                for (key, title) in [
                    SortKey::Name,
                    SortKey::Area,
                    SortKey::Covered,
                    SortKey::Share,
                    SortKey::Status,
                    SortKey::Zones,
                ]
                .into_iter()
                .zip(titles)
                {
                    header.col(|ui| {
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
                        let arrow = match (self.sort == key, self.descending) {
                            (true, false) => " ↑",
                            (true, true) => " ↓",
                            (false, _) => "",
                        };
                        if ui
                            .add(
                                egui::Button::new(
                                    RichText::new(format!("{title}{arrow}")).strong(),
                                )
                                .frame(false),
                            )
                            .on_hover_text(t.sort_hint)
                            .clicked()
                        {
                            clicked_sort = Some(key);
                        }
                    });
                }
            })
            .body(|body| {
                body.heterogeneous_rows(heights.into_iter(), |mut row| {
                    let i = rows[row.index()];
                    let unit_row = &result.report.units[i];
                    let coverage = &result.analysis.units[i];
                    let unit = result.unit_ref(coverage.unit);
                    let selected = selection.contains(&unit);
                    row.set_selected(selected);
                    row.col(|ui| {
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
                        if ui.selectable_label(selected, &unit_row.name).clicked() {
                            commands.push(Command::Select(vec![unit]));
                            commands.push(Command::ZoomToFeature(unit));
                        }
                    });
                    row.col(|ui| {
                        ui.label(format!("{:.4}", unit_row.area_km2));
                    });
                    row.col(|ui| {
                        ui.label(format!("{:.4}", unit_row.covered_km2));
                    });
                    row.col(|ui| {
                        ui.label(format!("{:.1}%", coverage.covered_share() * 100.0));
                    });
                    row.col(|ui| {
                        let class = coverage.class();
                        ui.horizontal(|ui| {
                            ui.label(RichText::new("■").color(color32(class_fill(class), 0.9)));
                            ui.label(lang.class(class));
                        });
                    });
                    row.col(|ui| {
                        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Wrap);
                        let text = if unit_row.zones.is_empty() {
                            "—".to_owned()
                        } else {
                            unit_row.zones.join("、")
                        };
                        let text = RichText::new(text);
                        let text = if unit_row.zones.len() > 1 {
                            // Counted twice: as loud as the map's colour for it.
                            let colour = if ui.visuals().dark_mode {
                                egui::Color32::from_rgb(200, 140, 220)
                            } else {
                                color32(class_fill(CoverageClass::SeveralZones), 1.0)
                            };
                            text.color(colour)
                        } else {
                            text
                        };
                        ui.label(text);
                    });
                });
            });
        if let Some(key) = clicked_sort {
            if self.sort == key {
                self.descending = !self.descending;
            } else {
                self.sort = key;
                // Big figures first is what a planner looks for; names read A to Z.
                self.descending = !matches!(key, SortKey::Name);
            }
        }
    }
}

impl CoverageTable {
    /// The rows' heights: one line, or as many as the longer of the name (at `name_width`) and
    /// the zones (at `zones_width`) wraps onto. Kept until the rows or the widths change.
    fn heights(
        &mut self,
        ui: &Ui,
        result: &AnalysisResult,
        rows: &[usize],
        name_width: f32,
        zones_width: f32,
        line_height: f32,
    ) -> Vec<f32> {
        let key: HeightsKey = (
            self.rows
                .as_ref()
                .map(|(k, _)| k.clone())
                .unwrap_or_default(),
            name_width.max(0.0) as u32,
            zones_width.max(0.0) as u32,
        );
        if let Some((k, heights)) = &self.heights
            && *k == key
            && heights.len() == rows.len()
        {
            return heights.clone();
        }
        let font = egui::TextStyle::Body.resolve(ui.style());
        // No glyph is wider than the font is tall: text with fewer characters than fit at
        // that width takes one line without being laid out.
        let lines = |text: &str, width: f32| -> f32 {
            if text.chars().count() as f32 * font.size <= width {
                return 1.0;
            }
            ui.fonts_mut(|f| {
                f.layout(text.to_owned(), font.clone(), Color32::WHITE, width)
                    .rows
                    .len()
            })
            .max(1) as f32
        };
        let heights: Vec<f32> = rows
            .iter()
            .map(|&i| {
                let unit = &result.report.units[i];
                let zones = unit.zones.join("、");
                let n = lines(&unit.name, name_width).max(lines(&zones, zones_width));
                n * line_height + 6.0
            })
            .collect();
        self.heights = Some((key, heights.clone()));
        heights
    }
}

/// The units' row order: filtered by name (or covering zone's name) and class, then sorted.
pub fn sorted_rows(
    result: &AnalysisResult,
    sort: SortKey,
    descending: bool,
    filter: &str,
    class: Option<CoverageClass>,
) -> Vec<usize> {
    let filter = filter.trim().to_lowercase();
    let units = &result.report.units;
    let coverage = &result.analysis.units;
    let mut rows: Vec<usize> = (0..units.len())
        .filter(|&i| class.is_none_or(|c| coverage[i].class() == c))
        .filter(|&i| {
            filter.is_empty()
                || units[i].name.to_lowercase().contains(&filter)
                || units[i].id.to_lowercase().contains(&filter)
                || units[i]
                    .zones
                    .iter()
                    .any(|z| z.to_lowercase().contains(&filter))
        })
        .collect();
    let cmp = |&a: &usize, &b: &usize| {
        let (ua, ub) = (&units[a], &units[b]);
        let (ca, cb) = (&coverage[a], &coverage[b]);
        match sort {
            SortKey::Layer => a.cmp(&b),
            SortKey::Name => ua.name.cmp(&ub.name),
            SortKey::Area => ua.area_km2.total_cmp(&ub.area_km2),
            SortKey::Covered => ua.covered_km2.total_cmp(&ub.covered_km2),
            SortKey::Share => ca.covered_share().total_cmp(&cb.covered_share()),
            SortKey::Zones => ua.zones.len().cmp(&ub.zones.len()),
            SortKey::Status => ca.class().cmp(&cb.class()),
        }
        .then(a.cmp(&b))
    };
    rows.sort_by(cmp);
    if descending {
        rows.reverse();
    }
    rows
}
