//! `zonemap export`: a map sheet (PNG or SVG) from layers or a project.

use std::path::Path;

use super::args::*;
use zonemap::core::Role;
use zonemap::core::lang::Lang;
use zonemap::core::project::Project;

pub(crate) fn export(r: ExportArgs) -> Result<String, String> {
    use zonemap::core::render::{self, Extent, SheetOptions, input};
    let out_name = r.out.display().to_string();
    let svg = match r
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(e) if e == "svg" => true,
        Some(e) if e == "png" => false,
        _ => return Err(format!("{out_name}: --out must end in .png or .svg")),
    };
    let is_project = |p: &String| {
        Path::new(p)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case(zonemap::core::project::EXTENSION))
    };
    let (mut map, view, project_lang) = match r.files.as_slice() {
        [] => (input::bundled_map()?, None, None),
        [one] if is_project(one) => {
            let one = Path::new(one);
            let input = input::from_project(one)?;
            let lang = Project::read(one).ok().and_then(|p| p.shown().lang);
            (input.map, input.view, lang)
        }
        files if files.iter().any(is_project) => {
            return Err("a project file must be the only FILE".to_owned());
        }
        files => (
            input::from_files(files, &r.input.options(None)?)?,
            None,
            None,
        ),
    };
    if let Some(field) = &r.categories {
        let Some(top) = map.layers.first_mut() else {
            return Err("--categories: there is no layer".to_owned());
        };
        if !top
            .layer
            .features
            .iter()
            .any(|f| f.properties.contains_key(field))
        {
            return Err(format!(
                "--categories {field}: no feature of \"{}\" has that property",
                top.layer.name
            ));
        }
        let mut style = top.style.clone();
        style.category_field = Some(field.clone());
        style.graduated = None;
        style.fill_opacity = style.fill_opacity.max(0.6);
        *top = render::SheetLayer {
            source: top.source.clone(),
            ..render::SheetLayer::styled(top.layer.clone(), style, &[])
        };
    }
    if r.coverage {
        let find = |role| map.layers.iter().position(|l| l.layer.role == role);
        match (find(Role::Zones), find(Role::Units)) {
            (Some(z), Some(u)) => input::show_coverage(&mut map, z, u),
            _ => return Err("--coverage needs a zones layer and a units layer".to_owned()),
        }
    }
    let lang = match (r.lang, project_lang) {
        (Some(lang), _) | (None, Some(lang)) => lang,
        (None, None) => Lang::Zh,
    };
    let extent = match r.extent.as_deref().map(str::trim) {
        None => view.map_or(Extent::All, Extent::Box),
        Some(all) if all.eq_ignore_ascii_case("all") => Extent::All,
        Some(name) => {
            let by_name = map.layers.iter().position(|l| l.layer.name == name);
            let by_place = name
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=map.layers.len()).contains(n))
                .map(|n| n - 1);
            let names: Vec<String> = map
                .layers
                .iter()
                .map(|l| format!("\"{}\"", l.layer.name))
                .collect();
            Extent::Layer(by_name.or(by_place).ok_or_else(|| {
                format!(
                    "--extent {name}: no such layer (the layers are {})",
                    names.join(", ")
                )
            })?)
        }
    };
    let size_px = match r.size {
        SheetSize::Px(px) => px,
        SheetSize::Mm(mm) => SheetOptions::px_for_mm(mm, r.dpi),
    };
    let date = r.date.unwrap_or_else(render::today);
    let source_line = (!r.no_source).then(|| {
        r.source
            .unwrap_or_else(|| render::source_line(&map, lang, &date))
    });
    let options = SheetOptions {
        size_px,
        dpi: r.dpi,
        title: r.title,
        legend: !r.no_legend,
        scale_bar: !r.no_scale_bar,
        north_arrow: !r.no_north_arrow,
        labels: !r.no_labels,
        source_line,
        lang,
        extent,
    };
    let sheet = render::compose(&map, &options).map_err(|e| format!("{out_name}: {e}"))?;
    let format = if svg {
        render::SheetFormat::Svg
    } else {
        render::SheetFormat::Png
    };
    render::write_sheet(&sheet, &r.out, format).map_err(|e| format!("{out_name}: {e}"))?;
    let [w_mm, h_mm] = options.size_mm();
    let mut summary = format!(
        "wrote {out_name}: {} × {} px at {} dpi ({w_mm:.1} × {h_mm:.1} mm), {} features, {} labels",
        size_px[0],
        size_px[1],
        r.dpi,
        sheet.layout.features_drawn,
        sheet.layout.labels.len()
    );
    if sheet.layout.labels_missing_glyphs > 0 {
        summary.push_str(&format!(
            "; {} label(s) lost characters no font here has (see the sheet's note)",
            sheet.layout.labels_missing_glyphs
        ));
    }
    Ok(summary)
}
