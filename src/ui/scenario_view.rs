//! The Scenario tab: the proposals against the zones they were started from, over the same
//! units: each zone's area before and after, the units that changed zone, and the coverage
//! totals before and after. Both sides are analysed in the background by the same
//! [`AnalysisJob`] the coverage dock uses, and compared by [`crate::core::scenario::compare`],
//! as `zonemap diff` does.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::core::scenario::ScenarioDiff;

use super::i18n::Lang;
use crate::ui::command::{Command, Commands, WindowCommand};

/// What the tab shows.
pub enum ScenarioInput<'a> {
    /// There are no proposals yet.
    NoProposals,
    Running,
    Ready {
        diff: &'a ScenarioDiff,
        before: &'a str,
        after: &'a str,
    },
}

pub fn scenario_ui(ui: &mut Ui, input: &ScenarioInput, lang: Lang, commands: &mut Commands) {
    let t = lang.t();
    let (diff, before, after) = match input {
        ScenarioInput::NoProposals => {
            ui.label(t.no_proposals);
            if ui.button(t.new_proposals).clicked() {
                commands.push(Command::NewProposals(None));
            }
            return;
        }
        ScenarioInput::Running => {
            ui.horizontal_wrapped(|ui| {
                ui.spinner();
                ui.label(t.analysing);
            });
            return;
        }
        ScenarioInput::Ready {
            diff,
            before,
            after,
        } => (*diff, *before, *after),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(format!("{}: {before}", t.before)).strong());
        ui.label("→");
        ui.label(RichText::new(format!("{}: {after}", t.after)).strong());
        if ui.button(t.copy_table).clicked() {
            commands.push(WindowCommand::CopyText(diff.to_table()));
        }
    });
    ui.label(format!("{}: {}", t.before, lang.totals(&diff.before)));
    ui.label(format!("{}: {}", t.after, lang.totals(&diff.after)));
    ui.separator();
    ui.columns(2, |cols| {
        zones_table(&mut cols[0], diff, lang);
        units_list(&mut cols[1], diff, lang);
    });
}

fn zones_table(ui: &mut Ui, diff: &ScenarioDiff, lang: Lang) {
    let t = lang.t();
    ui.strong(t.zone_changes);
    let km2 = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{v:.3}"));
    ui.push_id("scenario_zones", |ui| {
        TableBuilder::new(ui)
            .min_scrolled_height(40.0)
            .striped(true)
            .column(Column::remainder().at_least(120.0))
            .columns(Column::auto().at_least(70.0), 3)
            .header(20.0, |mut h| {
                for title in [t.name, t.before, t.after, t.change] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(20.0, diff.zones.len(), |mut row| {
                    let z = &diff.zones[row.index()];
                    row.col(|ui| {
                        let mut name = z.name.clone();
                        if let Some(old) = &z.renamed_from {
                            name.push_str(&format!(" ({old})"));
                        }
                        ui.label(name);
                    });
                    row.col(|ui| {
                        ui.label(km2(z.before_km2));
                    });
                    row.col(|ui| {
                        ui.label(km2(z.after_km2));
                    });
                    row.col(|ui| {
                        let change = z.change_km2();
                        let colour = if change > 1e-6 {
                            Color32::from_rgb(0, 120, 40)
                        } else if change < -1e-6 {
                            Color32::from_rgb(170, 30, 0)
                        } else {
                            ui.visuals().weak_text_color()
                        };
                        ui.colored_label(colour, crate::core::format::signed(change, 3));
                    });
                });
            });
    });
}

fn units_list(ui: &mut Ui, diff: &ScenarioDiff, lang: Lang) {
    let t = lang.t();
    ui.strong(format!("{} ({})", t.units_changed, diff.units.len()));
    if diff.units.is_empty() {
        ui.weak(t.none);
    }
    let list = |z: &[String]| {
        if z.is_empty() {
            t.none.to_owned()
        } else {
            z.join("、")
        }
    };
    egui::ScrollArea::vertical()
        .id_salt("scenario_units")
        .show(ui, |ui| {
            for u in &diff.units {
                ui.label(format!(
                    "{}: {} → {}",
                    u.name,
                    list(&u.before),
                    list(&u.after)
                ));
            }
        });
}
