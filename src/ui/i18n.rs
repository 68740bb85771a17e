//! The window's language: the core's [`Lang`] and its [`Texts`], and the system locale.

pub use crate::core::lang::{Lang, Texts};

impl Lang {
    /// The language of the system locale.
    pub fn system() -> Lang {
        Lang::from_locale(sys_locale::get_locale().as_deref())
    }
}
