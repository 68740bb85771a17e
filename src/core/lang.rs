//! The one language type: the window's interface, the map sheets' own words and the command
//! line's `--lang` all say 中文 or English with it. (The window's string table is in
//! `ui::i18n`, the sheets' in `core::render::furniture`.)

/// 中文 or English. Chinese is the default: zonemap is for Chinese planners.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    #[default]
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

    /// From a command line's word: `zh`, `中文`, `en`, `english` (any case).
    pub fn parse(text: &str) -> Result<Lang, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "zh" | "中文" | "chinese" | "zh-cn" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("no language is called {other:?}: zh or en")),
        }
    }
}
