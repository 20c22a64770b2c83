//! Reading a written dataset back as text cells (header + rows), from its CSV or Parquet file:
//! what `diff` and `--only` need, whatever formats the set was written in.

use std::fs;
use std::path::Path;

use polars::prelude::{ParquetReader, SerReader};

use crate::error::{Error, Result};

pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// A written CSV or Parquet file; nulls read as empty cells, as the CSV writes them.
pub fn table(path: &Path) -> Result<Table> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("parquet") => parquet(path),
        _ => csv(path),
    }
}

fn csv(path: &Path) -> Result<Table> {
    let mut rows = Vec::new();
    let header = each_csv_row(path, |_, row| {
        rows.push(row.iter().map(|c| c.to_string()).collect())
    })?;
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

fn parquet(path: &Path) -> Result<Table> {
    let file = fs::File::open(path).map_err(|e| Error::output(path, e))?;
    let frame = ParquetReader::new(file)
        .finish()
        .map_err(|e| Error::output(path, e))?;
    let columns = frame.columns();
    let header = columns.iter().map(|c| c.name().to_string()).collect();
    let rows = (0..frame.height())
        .map(|i| {
            columns
                .iter()
                .map(|c| match c.get(i) {
                    Ok(v) if v.is_null() => String::new(),
                    Ok(v) => v.str_value().to_string(),
                    Err(_) => String::new(),
                })
                .collect()
        })
        .collect();
    Ok(Table { header, rows })
}
