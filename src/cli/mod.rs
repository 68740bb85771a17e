//! The command line's subcommands, one file each; `main` dispatches to them.

/// `println!` that never panics: see [`say`].
macro_rules! sayln {
    ($($arg:tt)*) => {
        $crate::cli::say(&format!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) mod args;
pub(crate) mod dissolve;
pub(crate) mod edit;
pub(crate) mod export;
pub(crate) mod files;
pub(crate) mod report;

/// Writes `text` to standard output. Output cut short by a closed pipe (`zonemap … | head`)
/// ends the program quietly with status 0, as it does `cat` or `grep`; any other failure to
/// write is said on standard error, with status 1. Never a panic (as `print!` would).
pub(crate) fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("zonemap: cannot write to standard output: {e}");
        std::process::exit(1);
    }
}
