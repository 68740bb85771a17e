//! A small JSON reader specialised for GeoJSON.
//!
//! General-purpose JSON parsers spend most of a 100 MB GeoJSON file converting numbers into a
//! generic value tree. This reader knows where coordinates are: it reads `coordinates` arrays
//! straight into one flat `Vec<Coord>` with the nesting kept as end offsets, parses decimals with
//! an exact fast path, and hands each feature's bytes to a thread of its own. The small values
//! (`properties`, `id`) still go through serde_json.
//!
//! It is lenient where GeoJSON allows a feature to be skipped (a string where a coordinate
//! belongs, mixed nesting, `NaN`, a feature that is not an object) and strict about JSON syntax:
//! a syntax error stops the file with its byte offset.

use std::borrow::Cow;
use std::ops::Range;

use geo::Coord;
use serde_json::Value;

pub(crate) mod stream;

/// A JSON syntax error at a byte offset of the whole file.
#[derive(Debug)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

type Result<T> = std::result::Result<T, SyntaxError>;

/// Flat coordinates of one geometry.
#[derive(Debug, Default)]
pub(crate) struct RawCoords {
    pub xy: Vec<Coord<f64>>,
    /// `ends[0]`: end of each list of positions in `xy`; `ends[1]`: end of each list of such
    /// lists in `ends[0]`; `ends[2]`: likewise one level up.
    pub ends: [Vec<u32>; 3],
    /// Nesting height: 0 for a position, 1 for a list of positions, ...; `None` if empty.
    pub height: Option<u8>,
    /// Why the array cannot be used, if it cannot.
    pub problem: Option<String>,
    /// Whether a position has a third value, a height (left out: the working frame is 2D).
    pub heights: bool,
}

impl RawCoords {
    fn fail(&mut self, why: impl Into<String>) {
        if self.problem.is_none() {
            self.problem = Some(why.into());
        }
    }
}

/// A member that should hold an object: what we found there.
#[derive(Debug, Default)]
pub(crate) enum Member<T> {
    #[default]
    Missing,
    Null,
    Object(T),
    /// Some other JSON value: "a string", "an array", ...
    Other(&'static str),
}

/// The members of any GeoJSON object that we read; which are present tells what it is.
#[derive(Debug, Default)]
pub(crate) struct RawObject {
    pub kind: Option<Value>,
    pub id: Option<Value>,
    pub properties: Option<Value>,
    pub features: Option<Vec<Member<RawObject>>>,
    pub geometry: Member<Box<RawObject>>,
    pub coordinates: Option<RawCoords>,
    pub geometries: Option<Vec<Member<RawObject>>>,
    /// A foreign member naming the datum (`"GCJ-02"`), as zonemap writes it.
    pub datum: Option<Value>,
    /// The legacy (GeoJSON 2008) `crs` member, as older GDAL writes it.
    pub crs: Option<Value>,
}

/// Parses a whole document whose top level should be a GeoJSON object.
///
/// If the top level has a `features` array, each element is handed to `build` (with its index)
/// on the thread pool as soon as its end is found, and the results come back in order; the
/// returned object's `features` is then `None`.
pub(crate) fn parse_document<T: Send>(
    bytes: &[u8],
    build: &(dyn Fn(usize, Member<RawObject>) -> T + Sync),
) -> Result<(Member<RawObject>, Option<Vec<T>>)> {
    let mut r = Reader {
        b: bytes,
        pos: 0,
        depth: 0,
    };
    let mut built = None;
    let root = if r.peek()? == b'{' {
        Member::Object(r.object(Some((build, &mut built)))?)
    } else {
        r.object_member()?
    };
    r.ws();
    if r.pos < r.b.len() {
        return Err(r.error("trailing characters after the JSON value"));
    }
    Ok((root, built))
}

/// Parses the feature at `span` of `bytes` (an element of the top-level `features` array, two
/// levels deep) and builds it.
fn parse_feature<T>(
    bytes: &[u8],
    index: usize,
    span: Range<usize>,
    build: &(dyn Fn(usize, Member<RawObject>) -> T + Sync),
) -> Result<T> {
    let mut r = Reader {
        b: &bytes[..span.end],
        pos: span.start,
        depth: 2,
    };
    r.object_member().map(|m| build(index, m))
}

type Builder<'x, T> = (
    &'x (dyn Fn(usize, Member<RawObject>) -> T + Sync),
    &'x mut Option<Vec<T>>,
);

/// Features handed to a thread at a time.
const BATCH: usize = 16;

struct Reader<'a> {
    b: &'a [u8],
    pos: usize,
    /// How many arrays and objects the cursor is inside; bounded by [`MAX_DEPTH`].
    depth: u32,
}

/// The deepest nesting of arrays and objects read (GeoJSON needs 6 for a MultiPolygon in a
/// FeatureCollection; serde_json allows 128). Deeper input is refused with a syntax error
/// instead of overflowing the stack.
pub(crate) const MAX_DEPTH: u32 = 128;

enum Element {
    Number(f64),
    NonFinite,
    /// An array with its height (`None` if empty).
    Node(Option<u8>),
    Other(&'static str),
}

impl<'a> Reader<'a> {
    fn error(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            offset: self.pos,
            message: message.into(),
        }
    }

    /// One level deeper; refused past [`MAX_DEPTH`].
    #[inline]
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(format!(
                "arrays and objects nested more than {MAX_DEPTH} deep"
            )));
        }
        Ok(())
    }

    #[inline]
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    #[inline]
    fn ws(&mut self) {
        while let Some(&c) = self.b.get(self.pos) {
            if !matches!(c, b' ' | b'\n' | b'\r' | b'\t') {
                break;
            }
            self.pos += 1;
        }
    }

    #[inline]
    fn peek(&mut self) -> Result<u8> {
        self.ws();
        match self.b.get(self.pos) {
            Some(&c) => Ok(c),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    fn expect(&mut self, c: u8, what: &str) -> Result<()> {
        if self.peek()? == c {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(format!("expected {what}")))
        }
    }

    /// Reads a string (cursor on its opening quote).
    fn string(&mut self) -> Result<Cow<'a, str>> {
        let start = self.pos + 1;
        let mut i = start;
        let mut escaped = false;
        loop {
            match self.b.get(i) {
                None => {
                    self.pos = i;
                    return Err(self.error("EOF while parsing a string"));
                }
                Some(b'"') => break,
                Some(b'\\') => {
                    escaped = true;
                    i += 2;
                }
                Some(&c) if c < 0x20 => {
                    self.pos = i;
                    return Err(self.error("control character in a string"));
                }
                Some(_) => i += 1,
            }
        }
        let raw = &self.b[start..i];
        self.pos = i + 1;
        if !escaped {
            return std::str::from_utf8(raw)
                .map(Cow::Borrowed)
                .map_err(|e| SyntaxError {
                    offset: start + e.valid_up_to(),
                    message: "invalid unicode code point".into(),
                });
        }
        serde_json::from_slice::<String>(&self.b[start - 1..i + 1])
            .map(Cow::Owned)
            .map_err(|e| SyntaxError {
                offset: start,
                message: strip_position(&e),
            })
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.b[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("expected value"))
        }
    }

    /// Skips any JSON value, checking its syntax; returns its bytes.
    fn skip_value(&mut self) -> Result<&'a [u8]> {
        let c = self.peek()?;
        let start = self.pos;
        match c {
            b'{' => {
                self.enter()?;
                self.pos += 1;
                if self.peek()? == b'}' {
                    self.pos += 1;
                } else {
                    loop {
                        if self.peek()? != b'"' {
                            return Err(self.error("key must be a string"));
                        }
                        self.string()?;
                        self.expect(b':', "`:`")?;
                        self.skip_value()?;
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b'}' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(self.error("expected `,` or `}`")),
                        }
                    }
                }
                self.leave();
            }
            b'[' => {
                self.enter()?;
                self.pos += 1;
                if self.peek()? == b']' {
                    self.pos += 1;
                } else {
                    loop {
                        self.skip_value()?;
                        match self.peek()? {
                            b',' => self.pos += 1,
                            b']' => {
                                self.pos += 1;
                                break;
                            }
                            _ => return Err(self.error("expected `,` or `]`")),
                        }
                    }
                }
                self.leave();
            }
            b'"' => {
                self.string()?;
            }
            b't' => self.literal(b"true")?,
            b'f' => self.literal(b"false")?,
            b'n' => self.literal(b"null")?,
            b'-' | b'0'..=b'9' => {
                // Only scanned here; whoever reads the value parses (and checks) it.
                while self.b.get(self.pos).is_some_and(|&c| {
                    c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E')
                }) {
                    self.pos += 1;
                }
            }
            _ => return Err(self.error("expected value")),
        }
        Ok(&self.b[start..self.pos])
    }

    /// Finds the end of a value by counting brackets, without checking its syntax: the reader
    /// that parses the value checks it. This is the one pass over the whole file that is not
    /// parallel, so it does as little as it can.
    fn scan_value(&mut self) -> Result<()> {
        if !matches!(self.peek()?, b'{' | b'[') {
            self.skip_value()?;
            return Ok(());
        }
        let b = self.b;
        let mut depth = 0usize;
        let mut i = self.pos;
        while i < b.len() {
            // Eight bytes at a time to the next quote or bracket (coordinates are mostly
            // digits, commas and spaces); byte by byte in the last few.
            if let Some(word) = b.get(i..i + 8).and_then(|w| <[u8; 8]>::try_from(w).ok()) {
                let m = structural_mask(u64::from_le_bytes(word));
                if m == 0 {
                    i += 8;
                    continue;
                }
                i += (m.trailing_zeros() / 8) as usize;
            }
            match b[i] {
                b'"' => {
                    i += 1;
                    while i < b.len() && b[i] != b'"' {
                        i += if b[i] == b'\\' { 2 } else { 1 };
                    }
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = i + 1;
                        return Ok(());
                    }
                }
                _ => {}
            }
            i += 1;
        }
        self.pos = b.len();
        Err(self.error("EOF while parsing a value"))
    }

    /// A small value, handed to serde_json.
    fn value(&mut self) -> Result<Value> {
        let start = self.pos;
        let raw = self.skip_value()?;
        serde_json::from_slice(raw).map_err(|e| SyntaxError {
            offset: start,
            message: strip_position(&e),
        })
    }

    fn kind_of_next(&mut self) -> Result<&'static str> {
        Ok(match self.peek()? {
            b'[' => "an array",
            b'"' => "a string",
            b't' | b'f' => "a boolean",
            b'n' => "null",
            b'{' => "an object",
            _ => "a number",
        })
    }

    /// A member that should be an object.
    fn object_member(&mut self) -> Result<Member<RawObject>> {
        match self.peek()? {
            b'{' => self.object::<()>(None).map(Member::Object),
            b'n' => {
                self.literal(b"null")?;
                Ok(Member::Null)
            }
            _ => {
                let kind = self.kind_of_next()?;
                self.skip_value()?;
                Ok(Member::Other(kind))
            }
        }
    }

    /// An array of objects, each read with `read`; `None` (value skipped) if not an array.
    fn each_in_array(&mut self, read: impl FnMut(&mut Self, usize) -> Result<()>) -> Result<bool> {
        if self.peek()? != b'[' {
            self.skip_value()?;
            return Ok(false);
        }
        self.enter()?;
        let out = self.array_elements(read);
        self.leave();
        out
    }

    fn array_elements(
        &mut self,
        mut read: impl FnMut(&mut Self, usize) -> Result<()>,
    ) -> Result<bool> {
        self.pos += 1;
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(true);
        }
        let mut index = 0;
        loop {
            self.ws();
            read(self, index)?;
            index += 1;
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Ok(true);
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object_list(&mut self) -> Result<Option<Vec<Member<RawObject>>>> {
        let mut out = Vec::new();
        let is_array = self.each_in_array(|r, _| {
            out.push(r.object_member()?);
            Ok(())
        })?;
        Ok(is_array.then_some(out))
    }

    /// The top-level `features` array: this thread finds where each feature ends and hands
    /// batches of them to the pool, which parses and builds them while the scan goes on.
    fn features_in_parallel<T: Send>(
        &mut self,
        build: &(dyn Fn(usize, Member<RawObject>) -> T + Sync),
    ) -> Result<Option<Vec<T>>> {
        let b = self.b;
        let done = std::sync::Mutex::new(Vec::<(usize, Result<T>)>::new());
        let parse_batch = |batch: Vec<(usize, Range<usize>)>| {
            let results: Vec<(usize, Result<T>)> = batch
                .into_iter()
                .map(|(index, span)| (index, parse_feature(b, index, span, build)))
                .collect();
            if let Ok(mut done) = done.lock() {
                done.extend(results);
            }
        };
        let mut is_array = Ok(false);
        rayon::scope(|scope| {
            let mut batch = Vec::with_capacity(BATCH);
            is_array = self.each_in_array(|r, index| {
                let start = r.pos;
                r.scan_value()?;
                batch.push((index, start..r.pos));
                if batch.len() == BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                    scope.spawn(|_| parse_batch(full));
                }
                Ok(())
            });
            parse_batch(batch);
        });
        if !is_array? {
            return Ok(None);
        }
        let mut done = done
            .into_inner()
            .map_err(|_| self.error("a thread reading features panicked"))?;
        done.sort_unstable_by_key(|(index, _)| *index);
        done.into_iter()
            .map(|(_, r)| r)
            .collect::<Result<Vec<T>>>()
            .map(Some)
    }

    fn object<T: Send>(&mut self, builder: Option<Builder<'_, T>>) -> Result<RawObject> {
        self.enter()?;
        let out = self.object_members(builder);
        self.leave();
        out
    }

    fn object_members<T: Send>(
        &mut self,
        mut builder: Option<Builder<'_, T>>,
    ) -> Result<RawObject> {
        let mut out = RawObject::default();
        self.expect(b'{', "`{`")?;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(out);
        }
        loop {
            if self.peek()? != b'"' {
                return Err(self.error("key must be a string"));
            }
            let key = self.string()?;
            self.expect(b':', "`:`")?;
            match key.as_ref() {
                "type" => out.kind = Some(self.value()?),
                "id" => out.id = Some(self.value()?),
                "datum" => out.datum = Some(self.value()?),
                "crs" => out.crs = Some(self.value()?),
                "properties" => out.properties = Some(self.value()?),
                "features" => match builder.as_mut() {
                    Some((build, built)) => **built = self.features_in_parallel(*build)?,
                    None => out.features = self.object_list()?,
                },
                "geometries" => out.geometries = self.object_list()?,
                "geometry" => {
                    out.geometry = match self.object_member()? {
                        Member::Object(g) => Member::Object(Box::new(g)),
                        Member::Null => Member::Null,
                        Member::Other(k) => Member::Other(k),
                        Member::Missing => Member::Missing,
                    }
                }
                "coordinates" => {
                    let mut c = RawCoords::default();
                    match self.coords(&mut c)? {
                        Element::Node(h) => c.height = h,
                        Element::Number(_) | Element::NonFinite => {
                            c.fail("`coordinates` is a number, not an array")
                        }
                        Element::Other(what) => {
                            c.fail(format!("`coordinates` is {what}, not an array"))
                        }
                    }
                    out.coordinates = Some(c);
                }
                _ => {
                    self.skip_value()?;
                }
            }
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Ok(out);
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    /// One element of a coordinate array.
    fn coords(&mut self, c: &mut RawCoords) -> Result<Element> {
        if self.peek()? != b'[' {
            return self.coord_element(c);
        }
        self.enter()?;
        let out = self.coord_element(c);
        self.leave();
        out
    }

    fn coord_element(&mut self, c: &mut RawCoords) -> Result<Element> {
        match self.peek()? {
            b'[' => {}
            b'-' if self.b[self.pos..].starts_with(b"-Infinity") => {
                self.pos += 9;
                return Ok(Element::NonFinite);
            }
            b'-' | b'0'..=b'9' => return self.number().map(Element::Number),
            b'n' => {
                self.literal(b"null")?;
                return Ok(Element::NonFinite);
            }
            // Python's json module writes these; they are not JSON, but we know what they mean.
            b'N' => {
                self.literal(b"NaN")?;
                return Ok(Element::NonFinite);
            }
            b'I' => {
                self.literal(b"Infinity")?;
                return Ok(Element::NonFinite);
            }
            _ => {
                let kind = self.kind_of_next()?;
                self.skip_value()?;
                return Ok(Element::Other(kind));
            }
        }
        self.pos += 1;
        if let Some(position) = self.position(c)? {
            return Ok(position);
        }
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(Element::Node(None));
        }
        // Whether this array is a position (of numbers) or a list shows in its first element.
        let mut numbers = 0usize;
        let mut xy = [0.0f64; 2];
        let mut child_height: Option<u8> = None;
        loop {
            let e = self.coords(c)?;
            match e {
                Element::Number(_) | Element::NonFinite if child_height.is_some() => {
                    c.fail("an array mixes numbers and arrays")
                }
                Element::Number(v) => {
                    if numbers < 2 {
                        xy[numbers] = v;
                    }
                    numbers += 1;
                }
                Element::NonFinite => {
                    c.fail("a coordinate is NaN, infinite or null");
                    numbers += 1;
                }
                Element::Node(h) => match (numbers, child_height, h) {
                    (1.., _, _) => c.fail("an array mixes numbers and arrays"),
                    (_, _, None) => c.fail("an empty array inside `coordinates`"),
                    (_, None, Some(h)) => child_height = Some(h),
                    (_, Some(prev), Some(h)) if prev != h => {
                        c.fail("arrays at one level are nested to different depths")
                    }
                    _ => {}
                },
                Element::Other(what) => c.fail(format!("a coordinate is {what}")),
            }
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    break;
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
        if numbers > 0 {
            if numbers < 2 {
                c.fail("a position has fewer than two numbers");
            }
            c.xy.push(Coord { x: xy[0], y: xy[1] });
            return Ok(Element::Node(Some(0)));
        }
        let Some(h) = child_height else {
            return Ok(Element::Node(None));
        };
        let end = match h {
            0 => c.xy.len(),
            1 => c.ends[0].len(),
            2 => c.ends[1].len(),
            _ => {
                c.fail("`coordinates` is nested too deep");
                return Ok(Element::Node(Some(h.saturating_add(1))));
            }
        };
        c.ends[h as usize].push(end as u32);
        Ok(Element::Node(Some(h + 1)))
    }

    /// The common case of a position of plain numbers `[x, y(, z...)]`, cursor after `[`;
    /// `None` (cursor unmoved) for anything else, which the general path then reads.
    #[inline]
    fn position(&mut self, c: &mut RawCoords) -> Result<Option<Element>> {
        let start = self.pos;
        let mut xy = [0.0f64; 2];
        let mut n = 0usize;
        loop {
            self.ws();
            match self.b.get(self.pos) {
                Some(b'0'..=b'9') => {}
                Some(b'-') if !self.b[self.pos..].starts_with(b"-I") => {}
                _ => {
                    self.pos = start;
                    return Ok(None);
                }
            }
            let v = self.number()?;
            if n < 2 {
                xy[n] = v;
            }
            n += 1;
            self.ws();
            match self.b.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') if n >= 2 => {
                    self.pos += 1;
                    c.heights |= n > 2;
                    c.xy.push(Coord { x: xy[0], y: xy[1] });
                    return Ok(Some(Element::Node(Some(0))));
                }
                _ => {
                    self.pos = start;
                    return Ok(None);
                }
            }
        }
    }

    /// A JSON number. Decimals of up to 15 significant digits with a small exponent take
    /// Clinger's fast path (one exact integer and one correctly rounded multiply or divide);
    /// anything else goes to the standard library's correctly rounded parser.
    #[inline]
    fn number(&mut self) -> Result<f64> {
        let b = self.b;
        let start = self.pos;
        let mut i = start;
        let negative = b.get(i) == Some(&b'-');
        if negative {
            i += 1;
        }
        let mut mantissa: u64 = 0;
        let mut digits = 0u32;
        let int_start = i;
        while let Some(&d) = b.get(i) {
            if !d.is_ascii_digit() {
                break;
            }
            if digits < 19 {
                mantissa = mantissa * 10 + (d - b'0') as u64;
            }
            if mantissa != 0 {
                digits += 1;
            }
            i += 1;
        }
        if i == int_start || (b[int_start] == b'0' && i - int_start > 1) {
            self.pos = int_start;
            return Err(self.error("invalid number"));
        }
        let mut exp10: i32 = 0;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let frac_start = i;
            while let Some(&d) = b.get(i) {
                if !d.is_ascii_digit() {
                    break;
                }
                if digits < 19 {
                    mantissa = mantissa * 10 + (d - b'0') as u64;
                    exp10 -= 1;
                }
                if mantissa != 0 {
                    digits += 1;
                }
                i += 1;
            }
            if i == frac_start {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        let mut slow = digits > 15;
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            let exp_start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == exp_start {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
            slow = true;
        }
        self.pos = i;
        if !slow && exp10 >= -22 {
            let m = mantissa as f64;
            let v = if exp10 < 0 {
                m / POW10[(-exp10) as usize]
            } else {
                m
            };
            return Ok(if negative { -v } else { v });
        }
        let text = std::str::from_utf8(&b[start..i]).map_err(|_| self.error("invalid number"))?;
        text.parse::<f64>()
            .map_err(|_| self.error("invalid number"))
            .and_then(|v| {
                if v.is_finite() {
                    Ok(v)
                } else {
                    Err(SyntaxError {
                        offset: start,
                        message: "number out of range".into(),
                    })
                }
            })
    }
}

const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

fn strip_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message,
    }
}

/// For eight bytes read little-endian: a mask whose lowest set bit is the high bit of the
/// first byte that is a quote or a bracket (`"`, `[`, `]`, `{`, `}`), or 0 if none is. (The
/// zero-byte test `(v − 0x01…) & !v & 0x80…` is exact for the lowest zero byte; `& 0xDF`
/// folds braces onto brackets and nothing else onto them.)
#[inline(always)]
fn structural_mask(w: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
    let folded = w & (0xDF * ONES);
    zero(w ^ (u64::from(b'"') * ONES))
        | zero(folded ^ (u64::from(b'[') * ONES))
        | zero(folded ^ (u64::from(b']') * ONES))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> f64 {
        let mut r = Reader {
            b: s.as_bytes(),
            pos: 0,
            depth: 0,
        };
        r.number().expect("a number")
    }

    #[test]
    fn the_eight_byte_scan_finds_the_first_quote_or_bracket_as_a_byte_at_a_time_would() {
        let first = |w: [u8; 8]| w.iter().position(|b| b"\"[]{}".contains(b));
        let by_mask = |w: [u8; 8]| {
            let m = structural_mask(u64::from_le_bytes(w));
            (m != 0).then(|| (m.trailing_zeros() / 8) as usize)
        };
        // Every byte value at every place, alone among digits and before a later bracket.
        for place in 0..8 {
            for v in 0..=255u8 {
                let mut w = *b"12345678";
                w[place] = v;
                assert_eq!(by_mask(w), first(w), "{w:?}");
                if place < 7 {
                    w[7] = b']';
                    assert_eq!(by_mask(w), first(w), "{w:?}");
                }
            }
        }
        // And words of bytes drawn at random, weighted toward what JSON holds.
        let pool = b"0123456789.,- \"[]{}:e\\\x80\xc3\xdb\xfb\xdd\xfd\x7b\x00\xff";
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..200_000 {
            let mut w = [0u8; 8];
            for b in &mut w {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                *b = pool[(seed >> 33) as usize % pool.len()];
            }
            assert_eq!(by_mask(w), first(w), "{w:?}");
        }
    }

    #[test]
    fn numbers_parse_exactly_as_std_does() {
        for s in [
            "0",
            "-0",
            "120.580584",
            "-33.5",
            "31.2817890000001",
            "1e3",
            "1.5E-7",
            "123456789012345678901",
            "0.1",
            "0.30000000000000004",
            "89.99999999999999",
            "2.2250738585072014e-308",
            // "0.000…" with the first non-zero digit far along, and only zeros.
            "0.0000000000000000001234",
            "0.00000001",
            "0.0",
            "0.000000000",
            "-0.00000000",
        ] {
            assert_eq!(
                num(s).to_bits(),
                s.parse::<f64>().expect("std").to_bits(),
                "{s}"
            );
        }
    }

    #[test]
    fn decimals_of_every_length_parse_exactly_as_std_does_whatever_follows_them() {
        // Integer and fraction parts of 0 to 24 digits, with leading zeros, the number alone
        // and followed by what follows numbers in files (so that the eight-byte reads meet
        // the number's end at every place), against the standard library's parser.
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut digits = |n: usize, zeros: usize| -> String {
            (0..n)
                .map(|k| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    if k < zeros {
                        '0'
                    } else {
                        char::from(b'0' + ((seed >> 33) % 10) as u8)
                    }
                })
                .collect()
        };
        let mut checked = 0;
        for int_len in 1..=24 {
            for frac_len in 0..=24 {
                for zeros in [0, 1, 3, 9] {
                    let mut int = digits(int_len, 0);
                    if int.len() > 1 && int.starts_with('0') {
                        int.replace_range(0..1, "7");
                    }
                    let text = if frac_len == 0 {
                        int
                    } else {
                        format!("{int}.{}", digits(frac_len, zeros.min(frac_len)))
                    };
                    for sign in ["", "-"] {
                        let want = format!("{sign}{text}").parse::<f64>().expect("std");
                        for tail in ["", ",", "]", ", 31.5]", "e2", "   ", "0123456789"] {
                            if tail == "0123456789" && frac_len == 0 {
                                continue; // "0" then digits is refused, as it should be
                            }
                            let whole = format!("{sign}{text}{tail}");
                            let mut r = Reader {
                                b: whole.as_bytes(),
                                pos: 0,
                                depth: 0,
                            };
                            let Ok(got) = r.number() else {
                                panic!("{whole} refused");
                            };
                            let want = if tail.starts_with('e') {
                                format!("{sign}{text}e2").parse::<f64>().expect("std")
                            } else {
                                want
                            };
                            if tail == "0123456789" {
                                // The digits continue: the number is all of them.
                                let all = whole.parse::<f64>().expect("std");
                                assert_eq!(got.to_bits(), all.to_bits(), "{whole}");
                                continue;
                            }
                            assert_eq!(got.to_bits(), want.to_bits(), "{whole}");
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 10_000, "{checked}");
    }

    #[test]
    fn bad_numbers_are_syntax_errors() {
        for s in ["01", "1.", "-", "1e", "1e999"] {
            let mut r = Reader {
                b: s.as_bytes(),
                pos: 0,
                depth: 0,
            };
            assert!(r.number().is_err(), "{s}");
        }
    }
}
