//! A dataset = a documented schema + a typed Polars DataFrame. Extractors fill rows through
//! [`TableBuilder`], which keeps every column typed from the start (integer money stays Int64).

use std::borrow::Cow;

use polars::prelude::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DType {
    Int64,
    Float64,
    Utf8,
    Bool,
}

impl DType {
    pub fn name(self) -> &'static str {
        match self {
            DType::Int64 => "Int64",
            DType::Float64 => "Float64",
            DType::Utf8 => "Utf8",
            DType::Bool => "Boolean",
        }
    }
}

/// One column of a dataset's contract.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub dtype: DType,
    pub nullable: bool,
    pub description: String,
    /// HXL hashtag for the CSV tag row (`--hxl`), e.g. `#country+code`.
    pub hxl: Option<String>,
    /// The only values the column may hold, when it is a closed vocabulary.
    pub allowed: Vec<String>,
}

impl Field {
    pub fn new(name: &str, dtype: DType, nullable: bool, description: &str) -> Field {
        Field {
            name: name.to_string(),
            dtype,
            nullable,
            description: description.to_string(),
            hxl: None,
            allowed: Vec::new(),
        }
    }

    pub fn hxl(mut self, tag: &str) -> Field {
        self.hxl = Some(tag.to_string());
        self
    }

    pub fn allowed(mut self, values: &[&str]) -> Field {
        self.allowed = values.iter().map(|v| v.to_string()).collect();
        self
    }
}

/// A cell on its way into a column. Text is borrowed where the caller has it (a document id,
/// a sentence of the document): it is copied once, into its column.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Int(Option<i64>),
    Float(Option<f64>),
    Str(Option<Cow<'a, str>>),
    Bool(Option<bool>),
}

impl From<i64> for Value<'_> {
    fn from(v: i64) -> Self {
        Value::Int(Some(v))
    }
}
impl From<Option<i64>> for Value<'_> {
    fn from(v: Option<i64>) -> Self {
        Value::Int(v)
    }
}
impl From<f64> for Value<'_> {
    fn from(v: f64) -> Self {
        Value::Float(Some(v))
    }
}
impl From<Option<f64>> for Value<'_> {
    fn from(v: Option<f64>) -> Self {
        Value::Float(v)
    }
}
impl<'a> From<&'a str> for Value<'a> {
    fn from(v: &'a str) -> Self {
        Value::Str(Some(Cow::Borrowed(v)))
    }
}
impl From<String> for Value<'_> {
    fn from(v: String) -> Self {
        Value::Str(Some(Cow::Owned(v)))
    }
}
impl From<Option<String>> for Value<'_> {
    fn from(v: Option<String>) -> Self {
        Value::Str(v.map(Cow::Owned))
    }
}
impl<'a> From<Option<&'a str>> for Value<'a> {
    fn from(v: Option<&'a str>) -> Self {
        Value::Str(v.map(Cow::Borrowed))
    }
}
impl From<bool> for Value<'_> {
    fn from(v: bool) -> Self {
        Value::Bool(Some(v))
    }
}
impl From<usize> for Value<'_> {
    fn from(v: usize) -> Self {
        Value::Int(Some(v as i64))
    }
}
impl From<Option<u32>> for Value<'_> {
    fn from(v: Option<u32>) -> Self {
        Value::Int(v.map(i64::from))
    }
}

/// A text column as one buffer and where each cell is in it: a row adds no allocation of its
/// own, and a cell that repeats the one above (a document id, the sentence of the figure
/// before) is kept once.
#[derive(Default)]
struct TextColumn {
    text: String,
    /// Byte range of each cell in `text`; None for a null.
    cells: Vec<Option<(usize, usize)>>,
}

impl TextColumn {
    fn push(&mut self, v: Option<&str>) {
        let cell = v.map(|v| match self.cells.last() {
            Some(&Some((start, end))) if &self.text[start..end] == v => (start, end),
            _ => {
                let start = self.text.len();
                self.text.push_str(v);
                (start, self.text.len())
            }
        });
        self.cells.push(cell);
    }

    fn append(&mut self, other: TextColumn) {
        let base = self.text.len();
        self.text.push_str(&other.text);
        self.cells.extend(
            other
                .cells
                .into_iter()
                .map(|c| c.map(|(start, end)| (start + base, end + base))),
        );
    }

    /// The cells from `at` on, as a column of their own (this one keeps those before).
    fn split_off(&mut self, at: usize) -> TextColumn {
        let cells = self.cells.split_off(at);
        // Cells are pushed in order, so the tail's text starts at its first cell's.
        let base = cells.iter().flatten().map(|&(start, _)| start).next();
        let base = base.unwrap_or(self.text.len());
        let tail = TextColumn {
            text: self.text[base..].to_string(),
            cells: cells
                .into_iter()
                .map(|c| c.map(|(start, end)| (start - base, end - base)))
                .collect(),
        };
        let kept = self
            .cells
            .iter()
            .rev()
            .flatten()
            .map(|&(_, end)| end)
            .next();
        self.text.truncate(kept.unwrap_or(0));
        tail
    }

    fn cells(&self) -> impl Iterator<Item = Option<&str>> {
        self.cells
            .iter()
            .map(|c| c.map(|(start, end)| &self.text[start..end]))
    }
}

enum ColumnData {
    Int(Vec<Option<i64>>),
    Float(Vec<Option<f64>>),
    Str(TextColumn),
    Bool(Vec<Option<bool>>),
}

pub struct TableBuilder {
    fields: Vec<Field>,
    columns: Vec<ColumnData>,
    rows: usize,
}

impl TableBuilder {
    pub fn new(fields: Vec<Field>) -> Self {
        let columns = fields
            .iter()
            .map(|f| match f.dtype {
                DType::Int64 => ColumnData::Int(Vec::new()),
                DType::Float64 => ColumnData::Float(Vec::new()),
                DType::Utf8 => ColumnData::Str(TextColumn::default()),
                DType::Bool => ColumnData::Bool(Vec::new()),
            })
            .collect();
        TableBuilder {
            fields,
            columns,
            rows: 0,
        }
    }

    /// Appends one row. The values must follow the schema; a mismatch is a bug in the
    /// extractor (not an input problem), so it stops the program with the column's name.
    pub fn push(&mut self, row: Vec<Value>) {
        assert_eq!(
            row.len(),
            self.fields.len(),
            "row width does not match schema"
        );
        for ((value, column), field) in row.into_iter().zip(&mut self.columns).zip(&self.fields) {
            assert!(
                field.nullable || !is_null(&value),
                "null in non-nullable column {}",
                field.name
            );
            match (column, value) {
                (ColumnData::Int(c), Value::Int(v)) => c.push(v),
                (ColumnData::Float(c), Value::Float(v)) => c.push(v),
                (ColumnData::Float(c), Value::Int(v)) => c.push(v.map(|v| v as f64)),
                (ColumnData::Str(c), Value::Str(v)) => c.push(v.as_deref()),
                (ColumnData::Bool(c), Value::Bool(v)) => c.push(v),
                (_, v) => panic!("value {v:?} does not fit column {}", field.name),
            }
        }
        self.rows += 1;
    }

    pub fn len(&self) -> usize {
        self.rows
    }

    /// Appends another builder's rows (same schema: built by the same extractor).
    pub fn append(&mut self, other: TableBuilder) {
        assert_eq!(self.fields.len(), other.fields.len(), "same schema");
        for (mine, theirs) in self.columns.iter_mut().zip(other.columns) {
            match (mine, theirs) {
                (ColumnData::Int(a), ColumnData::Int(b)) => a.extend(b),
                (ColumnData::Float(a), ColumnData::Float(b)) => a.extend(b),
                (ColumnData::Str(a), ColumnData::Str(b)) => a.append(b),
                (ColumnData::Bool(a), ColumnData::Bool(b)) => a.extend(b),
                _ => panic!("appending a builder of another schema"),
            }
        }
        self.rows += other.rows;
    }

    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The parts' rows in order, as one builder sized once for all of them (appending one
    /// part after another would copy the rows again each time the buffers grow).
    pub fn concat(fields: Vec<Field>, parts: Vec<TableBuilder>) -> TableBuilder {
        let mut out = TableBuilder::new(fields);
        let rows: usize = parts.iter().map(|p| p.rows).sum();
        for (c, column) in out.columns.iter_mut().enumerate() {
            match column {
                ColumnData::Int(v) => v.reserve(rows),
                ColumnData::Float(v) => v.reserve(rows),
                ColumnData::Bool(v) => v.reserve(rows),
                ColumnData::Str(t) => {
                    let text = parts.iter().map(|p| match &p.columns[c] {
                        ColumnData::Str(t) => t.text.len(),
                        _ => 0,
                    });
                    t.text.reserve(text.sum());
                    t.cells.reserve(rows);
                }
            }
        }
        for part in parts {
            out.append(part);
        }
        out
    }

    /// The rows from `at` on, as a builder of their own (this one keeps those before).
    pub fn split_off(&mut self, at: usize) -> TableBuilder {
        let at = at.min(self.rows);
        let columns = self
            .columns
            .iter_mut()
            .map(|c| match c {
                ColumnData::Int(v) => ColumnData::Int(v.split_off(at)),
                ColumnData::Float(v) => ColumnData::Float(v.split_off(at)),
                ColumnData::Str(v) => ColumnData::Str(v.split_off(at)),
                ColumnData::Bool(v) => ColumnData::Bool(v.split_off(at)),
            })
            .collect();
        let tail = TableBuilder {
            fields: self.fields.clone(),
            columns,
            rows: self.rows - at,
        };
        self.rows = at;
        tail
    }

    pub fn finish(self, name: &str, sources: Vec<String>, primary_key: Vec<String>) -> Dataset {
        let columns: Vec<Column> = self
            .columns
            .into_iter()
            .zip(&self.fields)
            .map(|(data, field)| {
                let n: PlSmallStr = field.name.as_str().into();
                match data {
                    ColumnData::Int(v) => Column::new(n, v),
                    ColumnData::Float(v) => Column::new(n, v),
                    ColumnData::Str(v) => {
                        StringChunked::from_iter_options(n, v.cells()).into_column()
                    }
                    ColumnData::Bool(v) => Column::new(n, v),
                }
            })
            .collect();
        let frame = DataFrame::new(self.rows, columns)
            .expect("columns built row by row have equal lengths and unique names");
        Dataset {
            name: name.to_string(),
            fields: self.fields,
            frame,
            sources,
            primary_key,
            key_order: KeyOrder::Any,
        }
    }
}

/// Rows on their way into a dataset, made into its columns where they are written (a streamed
/// dataset's writer thread): a [`TableBuilder`], or what an extractor holds already (mentions
/// hand over their figures, not copies of them).
pub trait Rows: Send {
    fn len(&self) -> usize;

    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The rows as a dataset like `empty`: its name, schema, sources and key.
    fn into_dataset(self: Box<Self>, empty: &Dataset) -> Dataset;
}

impl Rows for TableBuilder {
    fn len(&self) -> usize {
        self.rows
    }

    fn into_dataset(self: Box<Self>, empty: &Dataset) -> Dataset {
        self.finish(
            &empty.name,
            empty.sources.clone(),
            empty.primary_key.clone(),
        )
    }
}

fn is_null(v: &Value) -> bool {
    matches!(
        v,
        Value::Int(None) | Value::Float(None) | Value::Str(None) | Value::Bool(None)
    )
}

/// A finished dataset, ready to validate and write.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub name: String,
    pub fields: Vec<Field>,
    pub frame: DataFrame,
    /// Document ids the rows come from.
    pub sources: Vec<String>,
    /// Columns that identify a row.
    pub primary_key: Vec<String>,
    /// How the rows come, which says how their keys are checked.
    pub key_order: KeyOrder,
}

/// How a dataset's rows come, as far as the check of its primary key is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KeyOrder {
    /// In any order: every key is held (as a digest) to find a repeat.
    #[default]
    Any,
    /// Grouped by the key's first column, each group in one run, and within a group rising
    /// strictly by the rest of the key (a document's figures in reading order): a repeat can
    /// only be the row before, so only the last key and the groups' digests are held.
    Grouped,
}

impl Dataset {
    /// A dataset like this one (name, schema, sources, key) holding `columns`, one per field
    /// in schema order, each `height` rows long.
    pub fn like(&self, height: usize, columns: Vec<Column>) -> Dataset {
        let frame = DataFrame::new(height, columns)
            .expect("columns built for the schema have equal lengths and unique names");
        Dataset {
            name: self.name.clone(),
            fields: self.fields.clone(),
            frame,
            sources: self.sources.clone(),
            primary_key: self.primary_key.clone(),
            key_order: self.key_order,
        }
    }

    pub fn rows(&self) -> usize {
        self.frame.height()
    }

    /// Cell as text for CSV: nulls are empty, floats in shortest round-trip form.
    pub fn cell_text(&self, column: usize, row: usize) -> String {
        let mut out = String::new();
        if let Some(col) = self.column(column) {
            col.write(row, &mut out);
        }
        out
    }

    /// A typed view of one column, fetched once for many rows.
    pub fn column(&self, column: usize) -> Option<ColumnView<'_>> {
        let series = self.frame.columns().get(column)?.as_materialized_series();
        Some(match self.fields.get(column)?.dtype {
            DType::Int64 => ColumnView::Int(series.i64().ok()?),
            DType::Float64 => ColumnView::Float(series.f64().ok()?),
            DType::Utf8 => ColumnView::Str(series.str().ok()?),
            DType::Bool => ColumnView::Bool(series.bool().ok()?),
        })
    }

    /// Every column's view, in schema order.
    pub fn columns(&self) -> Vec<ColumnView<'_>> {
        (0..self.fields.len())
            .filter_map(|c| self.column(c))
            .collect()
    }
}

/// One column, typed: what the CSV writer and the key check read row by row.
pub enum ColumnView<'a> {
    Int(&'a Int64Chunked),
    Float(&'a Float64Chunked),
    Str(&'a StringChunked),
    Bool(&'a BooleanChunked),
}

impl<'a> ColumnView<'a> {
    /// The view of a column of one of the types a dataset holds (read back from its Parquet
    /// file, say); None for any other type.
    pub fn of(series: &'a Series) -> Option<ColumnView<'a>> {
        Some(match series.dtype() {
            DataType::Int64 => ColumnView::Int(series.i64().ok()?),
            DataType::Float64 => ColumnView::Float(series.f64().ok()?),
            DataType::String => ColumnView::Str(series.str().ok()?),
            DataType::Boolean => ColumnView::Bool(series.bool().ok()?),
            _ => return None,
        })
    }
}

impl ColumnView<'_> {
    /// Appends the cell's text (nothing for a null), as the CSV writes it.
    pub fn write(&self, row: usize, out: &mut String) {
        use std::fmt::Write;
        let _ = match self {
            ColumnView::Int(c) => c.get(row).map(|v| {
                out.push_str(itoa::Buffer::new().format(v));
                Ok(())
            }),
            ColumnView::Float(c) => c.get(row).map(|v| write!(out, "{v}")),
            ColumnView::Str(c) => c.get(row).map(|v| {
                out.push_str(v);
                Ok(())
            }),
            ColumnView::Bool(c) => c.get(row).map(|v| write!(out, "{v}")),
        };
    }

    /// The cell as the grouped key check compares it; a null text is the empty text, as the
    /// CSV prints them alike.
    pub fn key_cell(&self, row: usize) -> KeyCell {
        let cell = match self {
            ColumnView::Int(c) => c.get(row).map(KeyCell::Int),
            ColumnView::Float(c) => c.get(row).map(KeyCell::Float),
            ColumnView::Bool(c) => c.get(row).map(KeyCell::Bool),
            ColumnView::Str(c) => Some(KeyCell::Text(c.get(row).unwrap_or_default().to_string())),
        };
        cell.unwrap_or(KeyCell::Null)
    }

    /// Appends the cell as a primary key's part: a null mark, or a value mark and the value's
    /// bytes; text length-prefixed, null text as empty text and every NaN alike, as the CSV
    /// prints them alike. A column's type is fixed, so two cells give the same bytes exactly
    /// when the CSV prints them the same.
    pub fn key_bytes(&self, row: usize, out: &mut Vec<u8>) {
        match self {
            ColumnView::Int(c) => marked(out, c.get(row).map(i64::to_le_bytes)),
            ColumnView::Float(c) => marked(
                out,
                c.get(row)
                    .map(|v| if v.is_nan() { f64::NAN } else { v })
                    .map(|v| v.to_bits().to_le_bytes()),
            ),
            ColumnView::Bool(c) => marked(out, c.get(row).map(|v| [u8::from(v)])),
            // A null prints as the empty text.
            ColumnView::Str(c) => {
                let text = c.get(row).unwrap_or_default();
                out.extend_from_slice(&(text.len() as u64).to_le_bytes());
                out.extend_from_slice(text.as_bytes());
            }
        }
    }
}

/// A key's cell as the grouped key check compares it: nulls first, then values in their
/// type's order (text by bytes, numbers by value, every NaN alike and last).
#[derive(Debug, Clone, PartialEq)]
pub enum KeyCell {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
}

impl KeyCell {
    pub fn order(&self, other: &KeyCell) -> std::cmp::Ordering {
        use KeyCell::*;
        use std::cmp::Ordering;
        let nan_alike = |v: f64| if v.is_nan() { f64::NAN } else { v };
        match (self, other) {
            (Int(a), Int(b)) => a.cmp(b),
            (Float(a), Float(b)) => nan_alike(*a).total_cmp(&nan_alike(*b)),
            (Text(a), Text(b)) => a.as_bytes().cmp(b.as_bytes()),
            (Bool(a), Bool(b)) => a.cmp(b),
            (Null, Null) => Ordering::Equal,
            (Null, _) => Ordering::Less,
            (_, Null) => Ordering::Greater,
            // A column holds one type: cells of two types are never compared.
            _ => Ordering::Equal,
        }
    }
}

/// A null mark, or a value mark and the value's bytes.
fn marked<const N: usize>(out: &mut Vec<u8>, value: Option<[u8; N]>) {
    match value {
        None => out.push(0),
        Some(bytes) => {
            out.push(1);
            out.extend_from_slice(&bytes);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[(i64, Option<&str>)]) -> TableBuilder {
        let mut t = TableBuilder::new(vec![
            Field::new("n", DType::Int64, false, "n"),
            Field::new("s", DType::Utf8, true, "s"),
        ]);
        for &(n, s) in rows {
            t.push(vec![n.into(), s.into()]);
        }
        t
    }

    fn cells(t: TableBuilder) -> Vec<String> {
        let d = t.finish("t", Vec::new(), Vec::new());
        (0..d.rows())
            .map(|r| format!("{}|{}", d.cell_text(0, r), d.cell_text(1, r)))
            .collect()
    }

    /// Split anywhere (a repeated cell across the cut, a null, the ends), each side holds its
    /// own rows and the two appended again are the table.
    #[test]
    fn a_split_table_keeps_every_cell_on_its_side() {
        let rows = [
            (1, Some("a")),
            (2, Some("same")),
            (3, Some("same")),
            (4, None),
            (5, Some("")),
            (6, Some("é last")),
        ];
        let whole = cells(table(&rows));
        assert_eq!(whole.len(), rows.len());
        for at in 0..=rows.len() {
            let mut head = table(&rows);
            let tail = head.split_off(at);
            assert_eq!(cells(head), whole[..at], "head at {at}");
            assert_eq!(cells(tail), whole[at..], "tail at {at}");
            let mut head = table(&rows);
            let tail = head.split_off(at);
            head.append(tail);
            assert_eq!(cells(head), whole, "joined at {at}");
        }
    }
}
