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
}
