//! Numbers as people read them: fixed decimals that never print a negative zero ("-0.00"
//! for -0.001 is wrong twice: no change is not negative), signed changes, and the rounding of
//! figures in machine-readable output.

/// `v` with `decimals` decimals; a value that rounds to zero prints as zero, never "-0.00".
pub fn fixed(v: f64, decimals: usize) -> String {
    let text = format!("{v:.decimals$}");
    match text.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => text,
    }
}

/// A change with its sign: "+1.234", "-0.500", "+0.000" (never "-0.000").
pub fn signed(v: f64, decimals: usize) -> String {
    let text = fixed(v, decimals);
    if text.starts_with('-') {
        text
    } else {
        format!("+{text}")
    }
}

/// `v` rounded to 6 decimals (1 m² in km², a millionth of a share), with no negative zero.
pub fn round6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 { 0.0 } else { r }
}

/// A figure that bounds a class of a graduated style (or a density), as the window's legend and
/// the printed legend both show it: whole numbers and figures of 1000 and more without
/// decimals, then 1, 2 or 4 decimals as the figure gets smaller, so that neighbouring bounds
/// stay apart. No negative zero.
pub fn class_bound(v: f64) -> String {
    let a = v.abs();
    let decimals = if a >= 1000.0 || v == v.trunc() {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 0.1 {
        2
    } else {
        4
    };
    fixed(v, decimals)
}

/// A class of a graduated style as a legend shows it: `lower – upper (count)`.
pub fn class_range(lower: f64, upper: f64, count: usize) -> String {
    format!("{} – {} ({count})", class_bound(lower), class_bound(upper))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_negative_zero_anywhere() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.0, 3), "0.000");
        assert_eq!(fixed(-0.006, 2), "-0.01");
        assert_eq!(signed(-0.0004, 3), "+0.000");
        assert_eq!(signed(-36.763, 3), "-36.763");
        assert_eq!(signed(36.763, 3), "+36.763");
        assert!(round6(-1e-9).is_sign_positive());
        assert_eq!(format!("{}", round6(-1e-9)), "0");
        assert_eq!(round6(10.034_901_827), 10.034902);
    }

    #[test]
    fn class_bounds_read_alike_in_the_window_and_on_the_sheet() {
        assert_eq!(class_bound(1234.6), "1235");
        assert_eq!(class_bound(12.34), "12.3");
        assert_eq!(class_bound(0.567), "0.57");
        assert_eq!(class_bound(0.01234), "0.0123");
        assert_eq!(class_bound(-0.00001), "0.0000");
        assert_eq!(class_range(7.43, 145.46, 8), "7.43 – 145.5 (8)");
    }
}
