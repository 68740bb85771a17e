//! Reading what a coordinate system is: EPSG codes in text, WKT names, PROJ parameters and
//! ellipsoids, and guessing the Gauss-Krüger zone of unlabelled metres from the coordinates.

use super::*;

/// The EPSG code a text names: `EPSG:4528`, `4528`, `urn:ogc:def:crs:EPSG::4528`, or the last
/// `AUTHORITY["EPSG","4528"]` / `ID["EPSG",4528]` of a WKT (the system's own, not its parts').
pub(super) fn epsg_code_in(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    let upper = t.to_ascii_uppercase();
    for prefix in ["EPSG:", "URN:OGC:DEF:CRS:EPSG::", "URN:OGC:DEF:CRS:EPSG:"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            let digits = rest.rsplit(':').next().unwrap_or(rest);
            return digits.trim().parse().ok();
        }
    }
    if let Some(rest) = upper.strip_prefix("HTTP://WWW.OPENGIS.NET/DEF/CRS/EPSG/") {
        return rest.rsplit('/').next()?.parse().ok();
    }
    if !t.contains('[') {
        return None;
    }
    // The system's own identifier closes the WKT: the last one before the final bracket, at
    // the top level.
    let mut depth = 0i32;
    let mut last_top: Option<u32> = None;
    let bytes = upper.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'(' => depth += 1,
            b']' | b')' => depth -= 1,
            _ => {}
        }
        if depth == 1 {
            for key in ["AUTHORITY[\"EPSG\",", "ID[\"EPSG\","] {
                // By bytes: the text may hold any character, and `i` need not be at one's start.
                if bytes[i..].starts_with(key.as_bytes()) {
                    let digits: String = bytes[i + key.len()..]
                        .iter()
                        .skip_while(|c| **c == b'"' || **c == b' ')
                        .take_while(|c| c.is_ascii_digit())
                        .map(|c| char::from(*c))
                        .collect();
                    last_top = digits.parse().ok().or(last_top);
                }
            }
        }
        i += 1;
    }
    last_top
}

/// The name a WKT gives its system: its first quoted string.
pub(super) fn wkt_name(wkt: &str) -> Option<String> {
    let start = wkt.find('"')? + 1;
    let len = wkt[start..].find('"')?;
    Some(wkt[start..start + len].to_owned())
}

/// A PROJ string's parameters as name → value (`+proj=tmerc` → ("proj", "tmerc")).
pub(super) fn proj_params(definition: &str) -> Vec<(String, String)> {
    definition
        .split_whitespace()
        .filter_map(|p| p.strip_prefix('+'))
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (p.to_owned(), String::new()),
        })
        .collect()
}

/// Semi-major axis and inverse flattening of a PROJ string's ellipsoid.
pub(super) fn ellipsoid(params: &[(String, String)]) -> Option<(f64, f64)> {
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let num = |k: &str| get(k).and_then(|v| v.parse::<f64>().ok());
    match get("ellps").or(get("datum")) {
        Some("GRS80") => return Some((6_378_137.0, 298.257_222_101)),
        Some("WGS84") => return Some((6_378_137.0, 298.257_223_563)),
        Some("krass") => return Some((6_378_245.0, 298.3)),
        _ => {}
    }
    let a = num("a")?;
    if let Some(rf) = num("rf") {
        return Some((a, rf));
    }
    let b = num("b")?;
    Some((a, a / (a - b)))
}

/// The EPSG code of one of China's systems (or WGS-84's) that a PROJ string defines, matched by
/// its projection, parameters and ellipsoid: how a `.prj` written by ArcGIS
/// (`CGCS2000_3_Degree_GK_Zone_40`) is known as EPSG:4528.
pub(super) fn known_code_for(definition: &str) -> Option<u16> {
    let params = proj_params(definition);
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let proj = get("proj")?;
    let ell = ellipsoid(&params)?;
    let candidates = (4491u16..=4554)
        .chain(2327..=2390)
        .chain(2401..=2442)
        .chain(21413..=21423)
        .chain(21453..=21463)
        .chain([4214, 4610, 3857]);
    let number = |p: &[(String, String)], k: &str| -> f64 {
        p.iter()
            .find(|(n, _)| n == k)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(if k == "k" || k == "k_0" { 1.0 } else { 0.0 })
    };
    for code in candidates {
        let Some(def) = crs_definitions::from_code(code) else {
            continue;
        };
        let cand = proj_params(def.proj4);
        let cand_proj = cand
            .iter()
            .find(|(n, _)| n == "proj")
            .map(|(_, v)| v.as_str());
        if cand_proj != Some(proj) {
            continue;
        }
        let Some(cand_ell) = ellipsoid(&cand) else {
            continue;
        };
        if (cand_ell.0 - ell.0).abs() > 1e-3 || (cand_ell.1 - ell.1).abs() > 1e-6 {
            continue;
        }
        let same = ["lon_0", "lat_0", "x_0", "y_0"]
            .iter()
            .all(|k| (number(&cand, k) - number(&params, k)).abs() < 1e-9)
            && (number(&cand, "k").max(number(&cand, "k_0"))
                - number(&params, "k").max(number(&params, "k_0")))
            .abs()
                < 1e-12;
        if same {
            return Some(code);
        }
    }
    None
}

/// The EPSG code of the CGCS2000 Gauss-Krüger zone whose number leads an easting (40 528 561 m
/// is zone 40: EPSG:4528), when the numbers read so.
pub fn likely_epsg(sample: Coord<f64>) -> Option<u32> {
    if sample.x < 1e7 || !(1_500_000.0..6_200_000.0).contains(&sample.y) {
        return None;
    }
    let zone = (sample.x / 1e6).floor() as i64;
    match zone {
        25..=45 => Some(4513 + (zone - 25) as u32),
        13..=23 => Some(4491 + (zone - 13) as u32),
        _ => None,
    }
}

/// What the numbers of a file with no coordinate system say about it: `None` when they read
/// as degrees, else a sentence naming the likely system (from a Gauss-Krüger easting's zone
/// number), for the error that asks the user for it.
pub fn diagnose_projected(sample: Coord<f64>) -> Option<String> {
    if sample.x.abs() <= 180.0 && sample.y.abs() <= 90.0 {
        return None;
    }
    let looks = format!(
        "coordinates such as ({:.1}, {:.1}) are projected metres, not degrees, and the file names no coordinate system",
        sample.x, sample.y
    );
    Some(match guess_projected(sample) {
        Some(g) => format!("{looks}; {g}; give it with --crs{}", suggested_code(sample)),
        None => format!("{looks}; give it with --crs"),
    })
}

/// ` EPSG:NNNN` for the system [`likely_epsg`] reads off the numbers, else nothing.
pub(super) fn suggested_code(sample: Coord<f64>) -> String {
    likely_epsg(sample)
        .map(|code| format!(" EPSG:{code}"))
        .unwrap_or_default()
}

/// The system projected metres are likely in, as a phrase ("its easting starts with 40:
/// CGCS2000 3° Gauss-Krüger zone 40 (EPSG:4528) is likely"), read off a Gauss-Krüger
/// easting's zone number or its central-meridian form; Web Mercator is named beside a 6° zone,
/// whose numbers it shares in eastern China.
pub fn guess_projected(sample: Coord<f64>) -> Option<String> {
    let zone = (sample.x / 1e6).floor() as i64;
    let northing_in_china = (1_500_000.0..6_200_000.0).contains(&sample.y);
    // Web Mercator puts China at x 8.1–15.1 million m, y 2.0–7.1 million m.
    let mercator = (8_100_000.0..15_200_000.0).contains(&sample.x)
        && (2_000_000.0..7_200_000.0).contains(&sample.y);
    if sample.x >= 1e7 && northing_in_china {
        if (25..=45).contains(&zone) {
            let code = 4513 + (zone - 25) as u32;
            Some(format!(
                "its easting starts with {zone}: CGCS2000 3° Gauss-Krüger zone {zone} (EPSG:{code}) is likely"
            ))
        } else if (13..=23).contains(&zone) {
            let code = 4491 + (zone - 13) as u32;
            let also = if mercator {
                " (or Web Mercator, EPSG:3857, if it came from a web map)"
            } else {
                ""
            };
            Some(format!(
                "its easting starts with {zone}: CGCS2000 6° Gauss-Krüger zone {zone} (EPSG:{code}) is likely{also}"
            ))
        } else if mercator {
            Some("the numbers fit Web Mercator (EPSG:3857)".to_owned())
        } else {
            None
        }
    } else if (100_000.0..900_000.0).contains(&sample.x) && northing_in_china {
        Some("its easting has no zone number in front: a Gauss-Krüger zone by its central meridian (CGCS2000: EPSG:4534–4554 for 3° zones, EPSG:4502–4512 for 6°)".to_owned())
    } else if mercator {
        Some("the numbers fit Web Mercator (EPSG:3857)".to_owned())
    } else {
        None
    }
}
