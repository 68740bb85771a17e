//! The one language type: the window's interface, the map sheets' own words and the command
//! line's `--lang` all say 中文 or English with it; [`Lang::t`] gives the interface's words
//! ([`Texts`]).

mod en;
mod texts;
mod zh;

pub use en::EN;
pub use texts::Texts;
pub use zh::ZH;

/// 中文 or English. Chinese is the default: zonemap is for Chinese planners.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Lang {
    /// Chinese (中文), the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The interface's words in this language.
    pub fn t(self) -> &'static Texts {
        match self {
            Lang::Zh => &ZH,
            Lang::En => &EN,
        }
    }

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

/// A template of the string table with its `{key}`s filled in, in one pass (a value that
/// holds a `{key}` of its own is left as it is).
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let key = &after[..close];
            values
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| (*v, close))
        });
        match value {
            Some((v, close)) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

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
