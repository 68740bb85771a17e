//! The window's words in 中文 and English.

use crate::core::Role;
use crate::core::analysis::CoverageStatus;

/// The interface language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// Chinese for a `zh*` locale (zh-CN, zh_TW.UTF-8, …), English otherwise.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("zh") => Lang::Zh,
            _ => Lang::En,
        }
    }

    /// The language of the system locale.
    pub fn system() -> Lang {
        Lang::from_locale(sys_locale::get_locale().as_deref())
    }

    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

    /// The name of a role, as the layer list shows it.
    pub fn role(self, role: Role) -> &'static str {
        let t = self.t();
        match role {
            Role::Zones => t.role_zones,
            Role::Units => t.role_units,
            Role::Context => t.role_context,
        }
    }

    pub fn status(self, status: CoverageStatus) -> &'static str {
        let t = self.t();
        match status {
            CoverageStatus::Full => t.status_full,
            CoverageStatus::Partial => t.status_partial,
            CoverageStatus::Uncovered => t.status_uncovered,
        }
    }
}

/// Every fixed string of the interface.
pub struct Texts {
    pub file: &'static str,
    pub open: &'static str,
    pub open_path: &'static str,
    pub open_button: &'static str,
    pub open_path_hint: &'static str,
    pub open_bundled: &'static str,
    pub quit: &'static str,
    pub view: &'static str,
    pub language: &'static str,
    pub zoom_all: &'static str,
    pub zoom_layer: &'static str,
    pub zoom_selection: &'static str,
    pub layers: &'static str,
    pub selection: &'static str,
    pub role_zones: &'static str,
    pub role_units: &'static str,
    pub role_context: &'static str,
    pub role: &'static str,
    pub visible: &'static str,
    pub fill: &'static str,
    pub style: &'static str,
    pub opacity: &'static str,
    pub outline: &'static str,
    pub width: &'static str,
    pub label_field: &'static str,
    pub category_field: &'static str,
    pub none: &'static str,
    pub remove: &'static str,
    pub move_up: &'static str,
    pub move_down: &'static str,
    pub features: &'static str,
    pub crs: &'static str,
    pub legend: &'static str,
    pub approximate: &'static str,
    pub approximate_feature: &'static str,
    pub nothing_selected: &'static str,
    pub properties: &'static str,
    pub area: &'static str,
    pub perimeter: &'static str,
    pub km2: &'static str,
    pub hectares: &'static str,
    pub mu: &'static str,
    pub km: &'static str,
    pub covers_units: &'static str,
    pub covered_by: &'static str,
    pub covers_nothing: &'static str,
    pub covered_by_nothing: &'static str,
    pub share_of_unit: &'static str,
    pub share_of_zone: &'static str,
    pub name: &'static str,
    pub coverage: &'static str,
    pub status_full: &'static str,
    pub status_partial: &'static str,
    pub status_uncovered: &'static str,
    pub selected_count: &'static str,
    pub total_area: &'static str,
    pub union_area: &'static str,
    pub computing: &'static str,
    pub analysing: &'static str,
    pub loading: &'static str,
    pub drop_files: &'static str,
    pub dismiss: &'static str,
    pub scale: &'static str,
    pub layer_count: &'static str,
    pub feature_count: &'static str,
    pub selected: &'static str,
    pub warnings: &'static str,
    pub missing_glyphs: &'static str,
    pub no_geometry: &'static str,
    pub help_select: &'static str,
    pub kind: &'static str,
    pub layer: &'static str,
    pub underneath: &'static str,
}

pub static EN: Texts = Texts {
    file: "File",
    open: "Open…",
    open_path: "Open path:",
    open_button: "Open",
    open_path_hint: "path to a .geojson file",
    open_bundled: "Open the bundled Suzhou data",
    quit: "Quit",
    view: "View",
    language: "Language",
    zoom_all: "Zoom to all",
    zoom_layer: "Zoom to layer",
    zoom_selection: "Zoom to selection",
    layers: "Layers",
    selection: "Selection",
    role_zones: "zones",
    role_units: "units",
    role_context: "context",
    role: "Role",
    visible: "Visible",
    fill: "Fill",
    style: "Style",
    opacity: "Opacity",
    outline: "Outline",
    width: "Width",
    label_field: "Labels",
    category_field: "Colour by",
    none: "(none)",
    remove: "Remove",
    move_up: "Move up",
    move_down: "Move down",
    features: "Features",
    crs: "Coordinates",
    legend: "Legend",
    approximate: "approximate boundaries",
    approximate_feature: "Approximate boundary: not survey data",
    nothing_selected: "Nothing selected.",
    properties: "Properties",
    area: "Area",
    perimeter: "Perimeter",
    km2: "km²",
    hectares: "ha",
    mu: "mu (亩)",
    km: "km",
    covers_units: "Units it covers",
    covered_by: "Zones covering it",
    covers_nothing: "Covers no unit.",
    covered_by_nothing: "No zone covers it.",
    share_of_unit: "of unit",
    share_of_zone: "of zone",
    name: "Name",
    coverage: "Coverage",
    status_full: "fully covered",
    status_partial: "partly covered",
    status_uncovered: "not covered",
    selected_count: "features selected",
    total_area: "Total area",
    union_area: "Area of their union",
    computing: "computing…",
    analysing: "Refreshing coverage…",
    loading: "Loading",
    drop_files: "Drop GeoJSON files to add them as layers",
    dismiss: "Dismiss",
    scale: "Scale",
    layer_count: "layers",
    feature_count: "features",
    selected: "selected",
    warnings: "skipped features",
    missing_glyphs: "labels have characters that no font here can show",
    no_geometry: "no geometry",
    help_select: "Click a feature on the map or in the layer list to select it; Shift-click adds to the selection, Alt-click picks the layer underneath, Escape clears.",
    kind: "Kind",
    layer: "Layer",
    underneath: "Underneath",
};

pub static ZH: Texts = Texts {
    file: "文件",
    open: "打开…",
    open_path: "打开路径：",
    open_button: "打开",
    open_path_hint: ".geojson 文件路径",
    open_bundled: "打开内置苏州数据",
    quit: "退出",
    view: "视图",
    language: "语言",
    zoom_all: "缩放到全部",
    zoom_layer: "缩放到图层",
    zoom_selection: "缩放到所选",
    layers: "图层",
    selection: "所选要素",
    role_zones: "功能区",
    role_units: "镇(街道)",
    role_context: "参考",
    role: "角色",
    visible: "显示",
    fill: "填充",
    style: "样式",
    opacity: "不透明度",
    outline: "边线",
    width: "宽度",
    label_field: "标注",
    category_field: "分类着色",
    none: "（无）",
    remove: "移除",
    move_up: "上移",
    move_down: "下移",
    features: "要素",
    crs: "坐标系",
    legend: "图例",
    approximate: "示意边界",
    approximate_feature: "示意边界，非测绘数据",
    nothing_selected: "未选择要素。",
    properties: "属性",
    area: "面积",
    perimeter: "周长",
    km2: "平方公里",
    hectares: "公顷",
    mu: "亩",
    km: "公里",
    covers_units: "覆盖的镇(街道)",
    covered_by: "覆盖它的功能区",
    covers_nothing: "未覆盖任何镇(街道)。",
    covered_by_nothing: "没有功能区覆盖。",
    share_of_unit: "占镇(街道)",
    share_of_zone: "占功能区",
    name: "名称",
    coverage: "覆盖",
    status_full: "全部覆盖",
    status_partial: "部分覆盖",
    status_uncovered: "未覆盖",
    selected_count: "个要素已选",
    total_area: "面积合计",
    union_area: "合并后面积",
    computing: "计算中…",
    analysing: "正在更新覆盖分析…",
    loading: "正在加载",
    drop_files: "拖放 GeoJSON 文件以添加图层",
    dismiss: "关闭",
    scale: "比例尺",
    layer_count: "个图层",
    feature_count: "个要素",
    selected: "已选",
    warnings: "个要素被跳过",
    missing_glyphs: "个标注含现有字体无法显示的字符",
    no_geometry: "无几何",
    help_select: "在地图或图层列表中点击要素以选择；Shift 点击加选，Alt 点击选下层，Esc 清除。",
    kind: "类型",
    layer: "图层",
    underneath: "下层",
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_locales_pick_chinese() {
        assert_eq!(Lang::from_locale(Some("zh-CN")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("zh_TW.UTF-8")), Lang::Zh);
        assert_eq!(Lang::from_locale(Some("en-US")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }
}
