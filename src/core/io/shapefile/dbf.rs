//! The attribute table: which text encoding a `.dbf` is in (its `.cpg`, its language driver
//! byte, else a guess between GBK and UTF-8), and its records as GeoJSON properties.

use super::*;

impl Encoding {
    /// By a `.cpg`'s or the user's label: `UTF-8`, `GBK`, `GB2312`, `GB18030`, `936`, `CP936`,
    /// `950`, `1252`, ...
    pub(crate) fn named(label: &str) -> Option<Encoding> {
        let l = label.trim().to_ascii_uppercase();
        let numeric = l
            .strip_prefix("CP")
            .or_else(|| l.strip_prefix("ANSI "))
            .or_else(|| l.strip_prefix("WINDOWS-"))
            .unwrap_or(&l);
        let by_page = match numeric {
            "65001" => Some(encoding_rs::UTF_8),
            "936" | "54936" => Some(encoding_rs::GBK),
            "950" => Some(encoding_rs::BIG5),
            "949" => Some(encoding_rs::EUC_KR),
            "932" => Some(encoding_rs::SHIFT_JIS),
            "866" => Some(encoding_rs::IBM866),
            "874" => Some(encoding_rs::WINDOWS_874),
            p if p.len() == 4 && p.starts_with("125") => {
                encoding_rs::Encoding::for_label(format!("windows-{p}").as_bytes())
            }
            _ => None,
        };
        by_page
            .or_else(|| encoding_rs::Encoding::for_label(label.trim().as_bytes()))
            .map(Encoding)
    }

    /// Its name as GDAL and QGIS print it: `UTF-8`, `GBK`, `GB18030`, `Big5`.
    pub(crate) fn name(self) -> &'static str {
        match self.0.name() {
            "gb18030" => "GB18030",
            other => other,
        }
    }

    pub(crate) fn get(self) -> &'static encoding_rs::Encoding {
        self.0
    }
}

/// The DBF's encoding and how it was found, as GDAL, QGIS and mapshaper look: the `.cpg`, the
/// language-driver byte, then the text itself.
pub(super) fn detect_encoding(cpg: Option<&str>, dbf: &[u8]) -> (Encoding, String) {
    if let Some(label) = cpg.filter(|c| !c.is_empty())
        && let Some(e) = Encoding::named(label)
    {
        return (e, format!("{} (from the .cpg)", e.name()));
    }
    let ldid = dbf.get(29).copied().unwrap_or(0);
    let by_ldid = match ldid {
        0x4D | 0x7A => Some(encoding_rs::GBK),
        0x78 => Some(encoding_rs::BIG5),
        0x79 => Some(encoding_rs::EUC_KR),
        0x13 | 0x7B => Some(encoding_rs::SHIFT_JIS),
        0x03 => Some(encoding_rs::WINDOWS_1252),
        0x65 => Some(encoding_rs::IBM866),
        _ => None,
    };
    if let Some(e) = by_ldid {
        return (
            Encoding(e),
            format!("{} (from the DBF's language driver 0x{ldid:02X})", e.name()),
        );
    }
    let text = character_bytes(dbf);
    if text.iter().all(u8::is_ascii) {
        return (
            Encoding(encoding_rs::UTF_8),
            "UTF-8 (the text is ASCII)".to_owned(),
        );
    }
    if std::str::from_utf8(&text).is_ok() {
        return (
            Encoding(encoding_rs::UTF_8),
            "UTF-8 (guessed: the text is valid UTF-8)".to_owned(),
        );
    }
    (
        Encoding(encoding_rs::GB18030),
        "GB18030 (guessed: the text is not UTF-8; GB18030 reads GBK and GB2312 too)".to_owned(),
    )
}

/// The bytes of the character fields of a DBF's first thousand records, read from its layout
/// (a 32-byte header, 32-byte field descriptors, fixed-width records).
pub(super) fn character_bytes(dbf: &[u8]) -> Vec<u8> {
    let le16 = |at: usize| -> usize {
        dbf.get(at..at + 2)
            .map_or(0, |b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let (header_len, record_len) = (le16(8), le16(10));
    let mut fields = Vec::new();
    let mut at = 32;
    let mut offset = 1; // the deletion flag
    while at + 32 <= dbf.len() && at + 32 <= header_len && dbf[at] != 0x0D {
        let kind = dbf[at + 11];
        let len = usize::from(dbf[at + 16]);
        if kind == b'C' || kind == b'M' {
            fields.push((offset, len));
        }
        offset += len;
        at += 32;
    }
    let mut out = Vec::new();
    if record_len == 0 {
        return out;
    }
    for r in 0..1000 {
        let start = header_len + r * record_len;
        let Some(record) = dbf.get(start..start + record_len) else {
            break;
        };
        for &(o, len) in &fields {
            if let Some(b) = record.get(o..o + len) {
                out.extend_from_slice(b);
            }
        }
    }
    out
}

/// A DBF record's fields in their order.
pub(super) struct OrderedRecord(pub(super) Vec<(String, FieldValue)>);

impl dbase::ReadableRecord for OrderedRecord {
    fn read_using<Source, MemoSource>(
        fields: &mut dbase::FieldIterator<Source, MemoSource>,
    ) -> Result<Self, dbase::FieldError>
    where
        Source: std::io::Read + std::io::Seek,
        MemoSource: std::io::Read + std::io::Seek,
    {
        let mut out = Vec::new();
        loop {
            match fields.read_next_field() {
                Ok(field) => out.push((field.name.to_owned(), field.value)),
                Err(e) if matches!(e.kind(), dbase::ErrorKind::EndOfRecord) => break,
                Err(e) => return Err(e),
            }
        }
        Ok(OrderedRecord(out))
    }
}

/// The DBF's field names and records. A record that cannot be read ends the table there (a
/// DBF whose header counts more records than it holds): the ones before it are kept, and the
/// place and reason come back to be said.
pub(super) fn read_records(
    dbf: &[u8],
    encoding: Encoding,
    path: &Path,
) -> Result<DbfTable, LoadError> {
    let dbf_name = path.with_extension("dbf").display().to_string();
    // A dBase header is 32 bytes and a field list ending in 0x0D.
    if dbf.len() < 33 {
        return Err(error(
            path,
            format!(
                "{dbf_name}: not a dBase table: {} bytes, too short for its header",
                dbf.len()
            ),
        ));
    }
    let mut reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding.get()))
        .build(Cursor::new(dbf))
        .map_err(|e| error(path, format!("{dbf_name}: not a dBase table: {e}")))?;
    let fields: Vec<String> = reader
        .fields()
        .iter()
        .map(|f| f.name().to_owned())
        .collect();
    let declared = reader.header().num_records as usize;
    let mut records = Vec::with_capacity(declared.min(1 << 20));
    let mut problem = None;
    for (i, r) in reader.iter_records_as::<OrderedRecord>().enumerate() {
        match r {
            Ok(r) => records.push(r),
            Err(e) => {
                let reason = match &e.kind() {
                    dbase::ErrorKind::IoError(io)
                        if io.kind() == std::io::ErrorKind::UnexpectedEof =>
                    {
                        format!(
                            "{dbf_name} ends inside record {i}, though its header counts {declared} records (truncated?)"
                        )
                    }
                    _ => format!("{dbf_name}: record {i} cannot be read: {e}"),
                };
                problem = Some((i, reason));
                break;
            }
        }
    }
    Ok(DbfTable {
        fields,
        records,
        problem,
    })
}

pub(super) struct DbfTable {
    pub(super) fields: Vec<String>,
    pub(super) records: Vec<OrderedRecord>,
    /// Where the table stopped early, and why.
    pub(super) problem: Option<(usize, String)>,
}

/// A record as GeoJSON-like properties.
pub(super) fn properties(_fields: &[String], record: OrderedRecord) -> Map<String, Value> {
    let mut out = Map::with_capacity(record.0.len());
    for (name, value) in record.0 {
        let v = match value {
            FieldValue::Character(s) => {
                s.map_or(Value::Null, |s| Value::String(s.trim().to_owned()))
            }
            FieldValue::Memo(s) => Value::String(s),
            FieldValue::Numeric(n) => n.map_or(Value::Null, number),
            FieldValue::Float(n) => n.map_or(Value::Null, |n| number(f64::from(n))),
            FieldValue::Double(n) | FieldValue::Currency(n) => number(n),
            FieldValue::Integer(n) => Value::Number(n.into()),
            FieldValue::Logical(b) => b.map_or(Value::Null, Value::Bool),
            FieldValue::Date(d) => d.map_or(Value::Null, |d| {
                Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            }),
            FieldValue::DateTime(dt) => {
                let d = dt.date();
                let t = dt.time();
                Value::String(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    d.year(),
                    d.month(),
                    d.day(),
                    t.hours(),
                    t.minutes(),
                    t.seconds()
                ))
            }
        };
        out.insert(name, v);
    }
    out
}

/// A number as JSON: whole numbers as integers (codes stay `320505`, not `320505.0`).
pub(super) fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9e15 {
        Value::Number((n as i64).into())
    } else {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

/// The text encoding a label names, for messages and the window's choices.
pub fn encoding_name(label: &str) -> Option<Cow<'static, str>> {
    Encoding::named(label).map(|e| Cow::Borrowed(e.name()))
}
