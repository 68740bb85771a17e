//! One frame of the window: the panels around the map, the map, and the map's overlays.

use std::path::PathBuf;

use egui::{Color32, Rect, RichText, Ui};

use crate::core::Role;
use crate::session::analysis::AnalysisResult;
use crate::session::layer::{LayerKey, MapLayer};

use super::super::analysis_panel::AnalysisPanelInput;
use super::super::command::{Command, Commands};
use super::super::edit_panel::EditPanelInput;
use super::super::i18n::Lang;
use super::super::layers_panel::layers_ui;
use super::super::map_view::{CoverageOverlay, MapView};
use super::super::menu::menu_bar_ui;
use super::super::scenario_view::ScenarioInput;
use super::super::status_bar::StatusBar;
use super::super::tools::Tool;
use super::ZonemapApp;

impl ZonemapApp {
    /// The whole window for one frame.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx);
        let lang = self.session.lang;
        let mut commands = std::mem::take(&mut self.commands);
        self.take_dropped_files(&ctx, &mut commands);
        if self.tools.tool == Tool::Select
            && !ctx.egui_wants_keyboard_input()
            && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        {
            commands.push(Command::ClearSelection);
        }
        self.update_title(&ctx);
        // The window's close button (or the system's) with unsaved edits: ask first.
        if ctx.input(|i| i.viewport().close_requested()) && !self.closing && self.session.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.quit_prompt = true;
        }

        // The map first: the panels keep the sizes the user dragged them to (remembered with
        // the session), never grow by themselves (their contents scroll), and in a small
        // window (down to the 640 × 400 minimum) the left-hand column takes at most 30% of
        // its width and the dock 40% of its height, so the map keeps the rest.
        let window = ui.max_rect();
        let side_max = (window.width() * 0.3).max(120.0);
        let dock_max = (window.height() * 0.4).max(80.0);
        let layout = self.layout;
        // When the window's size changes, the panels start afresh from the sizes kept in
        // `layout`, clamped to the new window: egui would otherwise keep sizes (and rectangles)
        // worked out for the old one.
        if (window.size() - self.last_window).length() > 0.5 {
            self.panel_epoch += 1;
            self.last_window = window.size();
        }
        let epoch = self.panel_epoch;
        self.panels = Default::default();
        egui::Panel::top("menu").show(ui, |ui| {
            menu_bar_ui(
                ui,
                super::super::menu::MenuInput {
                    lang,
                    undo: self.session.history.undo_label(),
                    redo: self.session.history.redo_label(),
                    has_proposals: self.session.proposals_key().is_some(),
                    has_layers: !self.session.layers.is_empty(),
                    selection: &self.session.selection,
                    proposals: self.session.proposals_key(),
                    tool: self.tools.tool,
                    layout: self.layout,
                    map_tiles: self.tiles.enabled,
                },
                super::super::menu::MenuText {
                    open_path: &mut self.open_path,
                    project_path: &mut self.project_path_text,
                    export_path: &mut self.export_path_text,
                },
                &mut commands,
            );
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            StatusBar {
                cursor_lonlat: self.cursor_lonlat,
                viewport: &self.session.map.viewport,
                layers: &self.session.layers,
                selected: self.session.selection.len(),
                loads: self.session.loads(),
                analysing: self.session.analysis.is_running(),
                notice: self.session.notice.as_deref(),
                lang,
            }
            .ui(ui);
        });
        if self.session.show_analysis {
            let latest = self
                .session
                .analysis
                .latest(&self.session.layers, &self.session.coverage_choice);
            let proposals = self.session.proposals_key();
            let layers = &self.session.layers;
            let name_of = |key: Option<LayerKey>| {
                key.and_then(|k| layers.iter().find(|l| l.key == k))
                    .map_or("", |l| l.layer.name.as_str())
            };
            let scenario = match (proposals, self.session.scenario.diff()) {
                (None, _) => ScenarioInput::NoProposals,
                (Some(_), None) => ScenarioInput::Running,
                (Some(p), Some(diff)) => ScenarioInput::Ready {
                    diff,
                    before: name_of(self.session.proposals_base),
                    after: name_of(Some(p)),
                },
            };
            // Until the user drags it, the dock takes a quarter of the window, at most 240
            // points.
            let dock_auto = (window.height() * 0.25).min(240.0);
            let dock_asked = if layout.dock_height > 0.0 {
                layout.dock_height
            } else {
                dock_auto
            }
            .clamp(140.0_f32.min(dock_max), dock_max);
            let dock = egui::Panel::bottom(egui::IdSalt::new(("coverage", epoch)))
                .resizable(true)
                .default_size(dock_asked)
                .size_range(140.0_f32.min(dock_max)..=dock_max)
                .show(ui, |ui| {
                    // Fill the dock: egui sizes a panel to its contents, and the dock keeps
                    // the height it was given (or dragged to), whichever tab is shown.
                    ui.set_min_height(ui.available_height());
                    self.analysis_panel.ui(
                        ui,
                        AnalysisPanelInput {
                            layers: &self.session.layers,
                            choice: &self.session.coverage_choice,
                            latest: latest.map(|(r, stale)| (r.as_ref(), stale)),
                            running: self.session.analysis.is_running(),
                            coverage_map: self.session.coverage_map,
                            selection: &self.session.selection,
                            scenario,
                            lang,
                        },
                        &mut commands,
                    );
                });
            self.panels.dock = Some(dock.response.rect);
            let got = dock.response.rect.height();
            if (got - dock_asked).abs() > 1.0 {
                // Dragged (or squeezed by a smaller window): keep what it is now.
                self.layout.dock_height = got;
            }
        }
        let analysis = self.session.current_analysis();
        if layout.show_layers || layout.show_side {
            // One column on the left, as in QGIS: the layers above, the details (proposals
            // and the selection) below, split where the user drags it.
            let column_asked = layout.layers_width.clamp(120.0_f32.min(side_max), side_max);
            let panel = egui::Panel::left(egui::IdSalt::new(("column", epoch)))
                .resizable(true)
                .default_size(column_asked)
                .size_range(120.0_f32.min(side_max)..=side_max)
                .show(ui, |ui| {
                    if layout.show_side && layout.show_layers {
                        let column = ui.available_height();
                        let most = (column * 0.8).max(60.0);
                        let least = 100.0_f32.min(most);
                        let asked = if layout.details_height > 0.0 {
                            layout.details_height
                        } else {
                            column * 0.5
                        }
                        .clamp(least, most);
                        let details = egui::Panel::bottom(egui::IdSalt::new(("details", epoch)))
                            .resizable(true)
                            .default_size(asked)
                            .size_range(least..=most)
                            .show(ui, |ui| {
                                self.details_ui(ui, analysis.as_deref(), &mut commands);
                            });
                        self.panels.details = Some(details.response.rect);
                        let got = details.response.rect.height();
                        if (got - asked).abs() > 1.0 {
                            self.layout.details_height = got;
                        }
                        egui::CentralPanel::no_frame().show(ui, |ui| {
                            self.layers_section_ui(ui, &mut commands);
                        });
                    } else if layout.show_side {
                        self.details_ui(ui, analysis.as_deref(), &mut commands);
                    } else {
                        self.layers_section_ui(ui, &mut commands);
                    }
                });
            // Dragged: keep the width. Squeezed by a small window: keep the width asked for, so
            // that the column comes back when the window grows again.
            let got = panel.response.rect.width();
            if (got - column_asked).abs() > 1.0 {
                self.layout.layers_width = got;
            }
            self.panels.column = Some(panel.response.rect);
        }
        egui::CentralPanel::no_frame().show(ui, |ui| {
            self.panels.map_column = ui.max_rect();
            super::super::layer_files::crs_prompts_ui(&mut self.session, ui, &mut commands);
            // The notices (recovery, split offers, errors) take at most a third of the map's
            // column, scrolling beyond, so that in a small window the map stays in view.
            let notices_max = (ui.available_height() / 3.0).max(40.0);
            egui::ScrollArea::vertical()
                .id_salt("notices")
                .max_height(notices_max)
                .auto_shrink([false, true])
                .show(ui, |ui| self.errors_ui(ui, &mut commands));
            self.toolbar_ui(ui, &mut commands);
            self.map_rect = ui.available_rect_before_wrap();
            let proposals = self.session.proposals_key();
            // Known before the map is drawn, so that the legend and the labels keep clear.
            let note = self.approximate_note(ui);
            let legend = self
                .legend
                .block(&self.session, (self.map_rect.height() * 0.6).max(80.0));
            let coverage = match (&analysis, self.session.coverage_map) {
                (Some(result), true) => Some(CoverageOverlay {
                    result: result.as_ref(),
                    shapes: &mut self.session.analysis.overlap_shapes,
                }),
                _ => None,
            };
            let target = self
                .session
                .selection
                .iter()
                .find(|f| Some(f.layer) == proposals)
                .copied();
            let out = MapView {
                layers: &mut self.session.layers,
                selection: &self.session.selection,
                analysis: analysis.as_deref(),
                coverage,
                tools: &mut self.tools,
                proposals,
                target,
                lang,
                labels: &mut self.labels_drawn,
                label_memory: &mut self.label_memory,
                legend: legend.as_deref(),
                outlines: &mut self.outlines,
                tiles: &mut self.tiles,
                banner: note.as_ref().map(|(r, _)| *r),
            }
            .ui(ui, &mut self.session.map);
            self.hovered = out.hovered;
            self.cursor_lonlat = out.cursor_lonlat;
            commands.append(out.commands);
            if out.shapes_incomplete {
                ctx.request_repaint();
            }
            self.paint_approximate_note(ui, note);
            if let Some(live) = &self.tools.live {
                live_measure_ui(ui, self.map_rect, live);
            }
            if ctx.input(|i| !i.raw.hovered_files.is_empty()) {
                drop_overlay(ui, self.map_rect, lang);
            }
        });
        self.export.ui(&self.session, &ctx, &mut commands);
        self.layer_export.ui(&self.session, &ctx, &mut commands);
        self.dissolve.ui(&self.session, &ctx, &mut commands);
        super::super::layer_files::table_picker_ui(
            &mut self.table_picker,
            lang,
            &ctx,
            &mut commands,
        );
        super::super::save_dialog::save_dialog_ui(&mut self.save_dialog, lang, &ctx, &mut commands);
        if self.quit_prompt {
            let unsaved = self
                .session
                .generation
                .saturating_sub(self.session.saved_generation());
            self.quit_prompt = super::super::save_dialog::quit_prompt_ui(
                unsaved,
                self.session.project_path.is_some(),
                lang,
                &ctx,
                &mut commands,
            );
        }
        self.apply(commands.take(), &ctx);
    }

    /// The layers, in the left-hand column.
    fn layers_section_ui(&self, ui: &mut Ui, commands: &mut Commands) {
        egui::ScrollArea::vertical()
            .id_salt("layers_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                layers_ui(
                    ui,
                    &self.session.layers,
                    self.session.active_layer,
                    &self.session.selection,
                    self.session.lang,
                    commands,
                );
            });
    }

    /// The proposals' tools and the selection, at the foot of the left-hand column.
    fn details_ui(
        &mut self,
        ui: &mut Ui,
        analysis: Option<&AnalysisResult>,
        commands: &mut Commands,
    ) {
        let lang = self.session.lang;
        egui::ScrollArea::vertical()
            .id_salt("details_scroll")
            .auto_shrink([false, false])
            .show(ui, |ui| {
                self.edit_panel.ui(
                    ui,
                    EditPanelInput {
                        layers: &self.session.layers,
                        selection: &self.session.selection,
                        proposals: self.session.proposals_key(),
                        zones: self
                            .session
                            .coverage_choice
                            .resolve(&self.session.layers, Role::Zones),
                        tool: self.tools.tool,
                        undo: self.session.history.undo_label(),
                        redo: self.session.history.redo_label(),
                        lang,
                    },
                    commands,
                );
                self.selection_panel.ui(
                    ui,
                    &self.session.layers,
                    &self.session.selection,
                    analysis,
                    lang,
                    commands,
                );
            });
    }

    /// The window's title: the project's file name, and whether there are unsaved edits.
    fn update_title(&mut self, ctx: &egui::Context) {
        let name = self
            .session
            .project_path
            .as_ref()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned());
        let unsaved = self.session.lang.t().unsaved;
        let title = match (name, self.session.is_dirty()) {
            (Some(n), true) => format!("zonemap · {n} ({unsaved})"),
            (Some(n), false) => format!("zonemap · {n}"),
            (None, true) => format!("zonemap ({unsaved})"),
            (None, false) => "zonemap".to_owned(),
        };
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Names the visible layers whose boundaries are approximations, in the map's corner, so
    /// that no screenshot of them passes for survey data.
    /// The note over the map's top left naming the layers whose boundaries are approximate,
    /// with its box (background included), if any layer is.
    fn approximate_note(&self, ui: &Ui) -> Option<(Rect, std::sync::Arc<egui::Galley>)> {
        let names: Vec<&str> = self
            .session
            .layers
            .iter()
            .filter(|l| l.style.visible && l.approximate)
            .map(|l| l.layer.name.as_str())
            .collect();
        if names.is_empty() {
            return None;
        }
        let text = format!(
            "≈ {}: {}",
            names.join("、"),
            self.session.lang.t().approximate
        );
        let galley = ui.painter().layout_no_wrap(
            text,
            egui::FontId::proportional(13.0),
            Color32::from_rgb(160, 70, 0),
        );
        // Top left: the scale bar has the bottom-left corner, the legend picks its own.
        let pos = self.map_rect.left_top() + egui::vec2(8.0, 8.0);
        Some((Rect::from_min_size(pos, galley.size()).expand(4.0), galley))
    }

    fn paint_approximate_note(&self, ui: &Ui, note: Option<(Rect, std::sync::Arc<egui::Galley>)>) {
        let Some((bg, galley)) = note else { return };
        let painter = ui.painter_at(self.map_rect);
        painter.rect_filled(bg, 3.0, Color32::from_white_alpha(220));
        painter.galley(
            bg.min + egui::vec2(4.0, 4.0),
            galley,
            Color32::from_rgb(160, 70, 0),
        );
    }

    fn toolbar_ui(&self, ui: &mut Ui, commands: &mut Commands) {
        let t = self.session.lang.t();
        // Wrapped: in a narrow window the buttons take two rows rather than widen the map.
        ui.horizontal_wrapped(|ui| {
            ui.add_space(6.0);
            if ui.button("＋").on_hover_text("+").clicked() {
                commands.push(Command::Zoom(1.5));
            }
            if ui.button("－").on_hover_text("-").clicked() {
                commands.push(Command::Zoom(1.0 / 1.5));
            }
            if ui.button(t.zoom_all).clicked() {
                commands.push(Command::ZoomToAll);
            }
            let active = self
                .session
                .active_layer
                .or(self.session.layers.first().map(|l| l.key));
            if ui
                .add_enabled(active.is_some(), egui::Button::new(t.zoom_layer))
                .clicked()
                && let Some(key) = active
            {
                commands.push(Command::ZoomToLayer(key));
            }
            if ui
                .add_enabled(
                    !self.session.selection.is_empty(),
                    egui::Button::new(t.zoom_selection),
                )
                .clicked()
            {
                commands.push(Command::ZoomToSelection);
            }
            ui.separator();
            if ui
                .selectable_label(self.session.show_analysis, t.coverage_table)
                .clicked()
            {
                commands.push(Command::ShowAnalysisPanel(!self.session.show_analysis));
            }
            if ui
                .selectable_label(self.session.coverage_map, t.coverage_map)
                .clicked()
            {
                commands.push(Command::SetCoverageMap(!self.session.coverage_map));
            }
        });
    }

    fn errors_ui(&self, ui: &mut Ui, commands: &mut Commands) {
        if let Some(offer) = &self.session.recovery_offer {
            let t = self.session.lang.t();
            egui::Frame::new()
                .fill(Color32::from_rgb(255, 243, 205))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        let mut text = format!(
                            "{}: {} {}",
                            t.recovery_found, offer.window.unsaved_edits, t.edits
                        );
                        if let Some(age) = offer.age {
                            text.push_str(&format!(" · {} {}", age.as_secs() / 60, t.minutes_ago));
                        }
                        if let Some(p) = &offer.window.project_path {
                            text.push_str(&format!(" · {}", p.display()));
                        }
                        ui.label(RichText::new(text).strong());
                        if ui.button(t.restore).clicked() {
                            commands.push(Command::RestoreRecovery);
                        }
                        if ui.button(t.discard).clicked() {
                            commands.push(Command::DiscardRecovery);
                        }
                    });
                });
        }
        let t = self.session.lang.t();
        for (i, offer) in self.session.split_offers.iter().enumerate() {
            egui::Frame::new()
                .fill(Color32::from_rgb(222, 236, 250))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal_wrapped(|ui| {
                        let shown: Vec<&str> =
                            offer.values.iter().take(4).map(String::as_str).collect();
                        let mut values = shown.join(t.sheet_list_separator);
                        if offer.values.len() > shown.len() {
                            values.push('…');
                        }
                        let n = offer.values.len().to_string();
                        // Dark on the light band, in both themes.
                        ui.colored_label(
                            Color32::from_rgb(20, 40, 70),
                            crate::core::lang::fill(
                                t.split_offer,
                                &[
                                    ("layer", &offer.name),
                                    ("field", &offer.field),
                                    ("n", &n),
                                    ("values", &values),
                                ],
                            ),
                        );
                        if ui.button(t.split_into_layers).clicked() {
                            commands.push(Command::AcceptSplitOffer(i));
                        }
                        if ui.button(t.keep_one_layer).clicked() {
                            commands.push(Command::DismissSplitOffer(i));
                        }
                    });
                });
        }
        for (i, error) in self.session.errors.iter().enumerate() {
            egui::Frame::new()
                .fill(Color32::from_rgb(253, 226, 222))
                .inner_margin(6.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.colored_label(Color32::from_rgb(150, 20, 0), format!("△ {error}"));
                        if ui.small_button(self.session.lang.t().dismiss).clicked() {
                            commands.push(Command::DismissError(i));
                        }
                    });
                });
        }
    }

    fn take_dropped_files(&self, ctx: &egui::Context, commands: &mut Commands) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if !dropped.is_empty() {
            commands.push(Command::OpenFiles(dropped));
        }
    }
}

/// Counts the labels that would show missing-glyph boxes, once per label field.
pub(super) fn check_glyphs(layer: &mut MapLayer, ctx: &egui::Context) {
    let field = layer.style.label_field.clone();
    if layer
        .missing_glyphs
        .as_ref()
        .is_some_and(|(f, _)| *f == field)
    {
        return;
    }
    let font = egui::FontId::proportional(13.0);
    let missing = layer
        .layer
        .features
        .iter()
        .filter_map(|f| layer.label_text(f))
        .filter(|text| !ctx.fonts_mut(|fonts| fonts.has_glyphs(&font, text)))
        .count();
    layer.missing_glyphs = Some((field, missing));
}

/// The live area and perimeter of what is being drawn, at the top of the map.
fn live_measure_ui(ui: &Ui, map: Rect, text: &str) {
    let area = egui::Area::new(egui::Id::unique("live_measure"))
        .pivot(egui::Align2::CENTER_TOP)
        .fixed_pos(map.center_top() + egui::vec2(0.0, 10.0))
        .order(egui::Order::Foreground)
        .interactable(false);
    area.show(ui.ctx(), |ui| {
        egui::Frame::popup(ui.style()).show(ui, |ui| {
            ui.add(
                egui::Label::new(RichText::new(text).strong().size(15.0))
                    .wrap_mode(egui::TextWrapMode::Extend),
            );
        });
    });
}

fn drop_overlay(ui: &Ui, rect: Rect, lang: Lang) {
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, Color32::from_black_alpha(120));
    painter.text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        lang.t().drop_files,
        egui::FontId::proportional(22.0),
        Color32::WHITE,
    );
}
