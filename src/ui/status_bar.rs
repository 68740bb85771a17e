//! The status bar: cursor position, scale, coordinate systems, counts, and work in progress.

use egui::Ui;
use geo::Coord;

use crate::core::view::Viewport;

use super::i18n::Lang;
use crate::session::layer::MapLayer;
use crate::session::loader::LoadJob;

pub struct StatusBar<'a> {
    pub cursor_lonlat: Option<Coord<f64>>,
    pub viewport: &'a Viewport,
    pub layers: &'a [MapLayer],
    pub selected: usize,
    pub loads: &'a [LoadJob],
    pub analysing: bool,
    pub notice: Option<&'a str>,
    pub lang: Lang,
}

impl StatusBar<'_> {
    pub fn ui(self, ui: &mut Ui) {
        let t = self.lang.t();
        // Wrapped: in a narrow window the bar takes two lines rather than cut its text.
        ui.horizontal_wrapped(|ui| {
            // As wide with the pointer off the map as on it, so that the rest of the bar stays
            // where it is.
            let text = match self.cursor_lonlat {
                Some(c) => format!("{:.6}°E {:.6}°N", c.x, c.y),
                None => "—".to_owned(),
            };
            let font = egui::TextStyle::Monospace.resolve(ui.style());
            let width = ui.fonts_mut(|f| {
                f.layout_no_wrap(
                    "000.000000°E 00.000000°N".to_owned(),
                    font,
                    egui::Color32::WHITE,
                )
                .size()
                .x
            });
            ui.add_sized(
                [width, ui.spacing().interact_size.y],
                egui::Label::new(egui::RichText::new(text).monospace()),
            );
            ui.separator();
            ui.label(format!(
                "{} 1:{}",
                t.scale,
                group_thousands(self.viewport.scale_denominator())
            ));
            ui.separator();
            // Every layer is drawn in WGS-84; say what each was moved from.
            let mut systems: Vec<String> = self
                .layers
                .iter()
                .filter(|l| l.style.visible)
                .filter_map(|l| l.layer.crs.transform_note())
                .collect();
            systems.sort_unstable();
            systems.dedup();
            let text = if systems.is_empty() {
                "WGS-84".to_owned()
            } else {
                format!("WGS-84 ({})", systems.join(", "))
            };
            ui.label(format!("{}: {text}", t.crs));
            ui.separator();
            let features: usize = self.layers.iter().map(|l| l.layer.features.len()).sum();
            ui.label(format!(
                "{} {}, {} {}, {} {}",
                self.layers.len(),
                t.layer_count,
                features,
                t.feature_count,
                self.selected,
                t.selected
            ));
            for job in self.loads {
                ui.separator();
                ui.add(
                    egui::ProgressBar::new(job.progress())
                        .desired_width(160.0)
                        .text(format!("{} {}", t.loading, short_name(&job.label))),
                );
            }
            if self.analysing {
                ui.separator();
                ui.spinner();
                ui.label(t.analysing);
            }
            if let Some(notice) = self.notice {
                ui.separator();
                ui.label(notice);
            }
        });
    }
}

fn short_name(label: &str) -> &str {
    label.rsplit(['/', '\\']).next().unwrap_or(label)
}

/// 1234567.8 → "1,234,568".
pub fn group_thousands(value: f64) -> String {
    let digits = format!("{:.0}", value.max(0.0));
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::group_thousands;

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0.4), "0");
        assert_eq!(group_thousands(999.0), "999");
        assert_eq!(group_thousands(1_234_567.8), "1,234,568");
    }
}
