//! Reading a written dataset back as text cells (header + rows), from its CSV or Parquet file:
//! what `diff`, `--only` and the report need, whatever formats the set was written in.

use std::fs;
use std::path::Path;

use polars::prelude::{DataFrame, DataType, ParquetReader, PolarsResult, SerReader, Series};

use crate::dataset::ColumnView;

use crate::error::{Error, Result};

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A written CSV or Parquet file; nulls read as empty cells, as the CSV writes them. A Parquet
/// file's cells are printed as its CSV prints them, so a set reads the same in either format.
pub fn table(path: &Path) -> Result<Table> {
    let mut rows = Vec::new();
    let push = |_: &[String], row: &[&str]| rows.push(row.iter().map(|c| c.to_string()).collect());
    let header = match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => each_parquet_row(path, None, push)?,
        _ => each_csv_row(path, push)?,
    };
    Ok(Table { header, rows })
}

/// A written CSV's rows one at a time, with its header; the HXL tag row (`--hxl`) is skipped.
/// A row's cells are lent, not copied: a reader keeps the few it needs. Returns the header.
pub fn each_csv_row(path: &Path, mut take: impl FnMut(&[String], &[&str])) -> Result<Vec<String>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::output(path, e))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| Error::output(path, e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut first = true;
    let mut rec = csv::StringRecord::new();
    while reader
        .read_record(&mut rec)
        .map_err(|e| Error::output(path, e))?
    {
        if std::mem::take(&mut first) && rec.get(0).is_some_and(|c| c.starts_with('#')) {
            continue;
        }
        let cells: Vec<&str> = rec.iter().collect();
        take(&header, &cells);
    }
    Ok(header)
}

/// Rows read from a Parquet file at a time: a large dataset is never held whole.
const PARQUET_SLICE: usize = 65_536;

/// A written Parquet file's rows one at a time as text cells, as the CSV writes them (a null
/// as the empty cell), only the columns `keep` names when it is given, in the file's order. The
/// file is read a slice at a time and only those columns are decoded. Returns the header.
pub fn each_parquet_row(
    path: &Path,
    keep: Option<&[&str]>,
    mut take: impl FnMut(&[String], &[&str]),
) -> Result<Vec<String>> {
    let open = || fs::File::open(path).map_err(|e| Error::output(path, e));
    let mut reader = ParquetReader::new(open()?);
    let schema = reader.schema().map_err(|e| Error::output(path, e))?;
    let rows = reader.num_rows().map_err(|e| Error::output(path, e))?;
    let header: Vec<String> = schema
        .iter_names()
        .map(|n| n.to_string())
        .filter(|n| keep.is_none_or(|k| k.contains(&n.as_str())))
        .collect();
    let mut text = String::new();
    let mut ends = Vec::with_capacity(header.len());
    for from in (0..rows).step_by(PARQUET_SLICE) {
        let mut frame = ParquetReader::new(open()?)
            .with_columns(Some(header.clone()))
            .with_slice(Some((from, PARQUET_SLICE)))
            .finish()
            .map_err(|e| Error::output(path, e))?;
        frame.rechunk_mut();
        let series = printable(&frame, &header).map_err(|e| Error::output(path, e))?;
        let columns: Vec<ColumnView> = series
            .iter()
            .map(ColumnView::of)
            .collect::<Option<_>>()
            .ok_or_else(|| Error::output(path, "a column does not read back as text"))?;
        for row in 0..frame.height() {
            text.clear();
            ends.clear();
            for column in &columns {
                column.write(row, &mut text);
                ends.push(text.len());
            }
            let mut start = 0;
            let cells: Vec<&str> = ends
                .iter()
                .map(|&end| &text[std::mem::replace(&mut start, end)..end])
                .collect();
            take(&header, &cells);
        }
    }
    Ok(header)
}

/// A frame's columns `names`, in that order, each of a type a dataset holds (printed as the
/// CSV prints it): anything else cast to text.
fn printable(frame: &DataFrame, names: &[String]) -> PolarsResult<Vec<Series>> {
    names
        .iter()
        .map(|name| {
            let series = frame.column(name)?.as_materialized_series().clone();
            match ColumnView::of(&series) {
                Some(_) => Ok(series),
                None => series.cast(&DataType::String),
            }
        })
        .collect()
}
