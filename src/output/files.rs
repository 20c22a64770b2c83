//! One dataset as Parquet (zstd, key/value metadata) or CSV, hashed while it is written and
//! synced to disk before the writer reports it done.

use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use polars::prelude::{KeyValueMetadata, ParquetCompression, ParquetWriter};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::dataset::{ColumnView, Dataset};
use crate::document::hex;
use crate::error::{Error, Result};

use super::InputRecord;

/// A writer that hashes every byte on its way to the file.
pub struct Hashing<W: Write> {
    inner: W,
    hash: Sha256,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Self {
        Hashing {
            inner,
            hash: Sha256::new(),
        }
    }
}

impl Hashing<BufWriter<fs::File>> {
    /// Flushes and syncs the file; returns the sha256 of everything written.
    pub fn finish(mut self, path: &Path) -> Result<String> {
        self.flush().map_err(|e| Error::output(path, e))?;
        let file = self
            .inner
            .into_inner()
            .map_err(|e| Error::output(path, e.error()))?;
        file.sync_all().map_err(|e| Error::output(path, e))?;
        Ok(hex(&self.hash.finalize()))
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Creates `path`, lets `fill` write it, syncs it, and returns its sha256.
fn hashed_file(
    path: &Path,
    fill: impl FnOnce(&mut Hashing<BufWriter<fs::File>>) -> Result<()>,
) -> Result<String> {
    let file = fs::File::create(path).map_err(|e| Error::output(path, e))?;
    let mut w = Hashing::new(BufWriter::new(file));
    fill(&mut w)?;
    w.finish(path)
}

/// Writes bytes to a new file, synced; returns its sha256.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<String> {
    hashed_file(path, |w| {
        w.write_all(bytes).map_err(|e| Error::output(path, e))
    })
}

#[derive(Serialize)]
struct ColumnMeta<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    dtype: &'static str,
    nullable: bool,
    description: &'a str,
}

/// File-level metadata that travels with the Parquet file.
pub fn parquet_metadata(ds: &Dataset, inputs: &[InputRecord]) -> Vec<(String, String)> {
    let columns: Vec<ColumnMeta> = ds
        .fields
        .iter()
        .map(|f| ColumnMeta {
            name: &f.name,
            dtype: f.dtype.name(),
            nullable: f.nullable,
            description: &f.description,
        })
        .collect();
    let sources: Vec<&InputRecord> = inputs
        .iter()
        .filter(|i| ds.sources.contains(&i.id))
        .collect();
    let mut kv = vec![
        (
            "iomtally.version".to_string(),
            env!("CARGO_PKG_VERSION").to_string(),
        ),
        ("iomtally.dataset".to_string(), ds.name.clone()),
        (
            "iomtally.source_documents".to_string(),
            serde_json::to_string(&sources).unwrap_or_default(),
        ),
        (
            "iomtally.columns".to_string(),
            serde_json::to_string(&columns).unwrap_or_default(),
        ),
        ("iomtally.primary_key".to_string(), ds.primary_key.join(",")),
    ];
    for f in &ds.fields {
        kv.push((format!("iomtally.column.{}", f.name), f.description.clone()));
    }
    kv
}

/// zstd at level 1: its files are at most a few per cent larger than at the default level (3)
/// (a dense document's, within 1%), and a dense document's run is 3% faster.
pub fn compression() -> ParquetCompression {
    ParquetCompression::Zstd(polars_parquet::write::ZstdLevel::try_new(1).ok())
}

pub fn write_parquet(ds: &Dataset, inputs: &[InputRecord], path: &Path) -> Result<String> {
    let mut frame = ds.frame.clone();
    hashed_file(path, |w| {
        ParquetWriter::new(w)
            .with_compression(compression())
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(parquet_metadata(
                ds, inputs,
            ))))
            .finish(&mut frame)
            .map(|_| ())
            .map_err(|e| Error::output(path, e))
    })
}

pub fn write_csv(ds: &Dataset, path: &Path, hxl: bool) -> Result<String> {
    hashed_file(path, |w| {
        let header = csv_header(ds, hxl).map_err(|e| Error::output(path, e))?;
        w.write_all(&header).map_err(|e| Error::output(path, e))?;
        csv_rows(w, ds, &mut Vec::new()).map_err(|e| Error::output(path, e))
    })
}

/// The header row, and the HXL tag row under it when asked, as CSV bytes.
pub fn csv_header(ds: &Dataset, hxl: bool) -> csv::Result<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(ds.fields.iter().map(|f| f.name.as_str()))?;
    if hxl {
        csv.write_record(ds.fields.iter().map(|f| f.hxl.as_deref().unwrap_or("")))?;
    }
    csv.into_inner().map_err(|e| e.into_error().into())
}

/// Rows a task formats at a time, and tasks formatted before their bytes are written: the
/// formatting runs on every core while memory stays a few megabytes whatever the dataset.
pub(super) const CSV_ROWS_PER_TASK: usize = 2048;
pub(super) const CSV_TASKS_AT_ONCE: usize = 4;

/// Every row, each column read through its typed view: slices of rows formatted side by side,
/// their bytes written in order (the same bytes as one writer writing row after row).
/// `buffers` hold the slices' bytes; kept by a caller that writes many batches, so that its
/// memory is reused rather than fresh for each.
pub fn csv_rows(out: &mut impl Write, ds: &Dataset, buffers: &mut Vec<Vec<u8>>) -> csv::Result<()> {
    use rayon::prelude::*;
    let columns = ds.columns();
    let starts: Vec<usize> = (0..ds.rows()).step_by(CSV_ROWS_PER_TASK).collect();
    buffers.resize_with(CSV_TASKS_AT_ONCE, Vec::new);
    for window in starts.chunks(CSV_TASKS_AT_ONCE) {
        buffers[..window.len()]
            .par_iter_mut()
            .zip(window)
            .map(|(bytes, &start)| {
                let end = (start + CSV_ROWS_PER_TASK).min(ds.rows());
                bytes.clear();
                format_csv_rows(&columns, start..end, bytes)
            })
            .collect::<csv::Result<()>>()?;
        for bytes in &buffers[..window.len()] {
            out.write_all(bytes)?;
        }
    }
    Ok(())
}

/// Rows `rows` of a dataset's columns as CSV bytes, appended to `bytes`.
fn format_csv_rows(
    columns: &[ColumnView],
    rows: std::ops::Range<usize>,
    bytes: &mut Vec<u8>,
) -> csv::Result<()> {
    let mut csv = csv::WriterBuilder::new()
        .buffer_capacity(64 << 10)
        .from_writer(bytes);
    let mut cell = String::new();
    for row in rows {
        for col in columns {
            cell.clear();
            col.write(row, &mut cell);
            csv.write_field(&cell)?;
        }
        csv.write_record(None::<&[u8]>)?;
    }
    csv.flush().map_err(csv::Error::from)
}
