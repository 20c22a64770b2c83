//! Writing datasets: Parquet (zstd, with key/value metadata) and CSV, plus a manifest.
//! Everything is written into a staging folder first and renamed into place only when every
//! file is complete, so a failed run leaves the previous outputs as they were.

use std::collections::BTreeMap;
use std::fs;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use polars::prelude::{KeyValueMetadata, ParquetCompression, ParquetWriter};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::config::Format;
use crate::datapackage;
use crate::dataset::Dataset;
use crate::document::hex;
use crate::error::{Error, Result};

pub const MANIFEST: &str = "manifest.json";

/// What the manifest says about one input document.
#[derive(Debug, Clone, Serialize)]
pub struct InputRecord {
    pub id: String,
    pub path: String,
    pub title: String,
    pub sha256: String,
    pub lines: usize,
}

#[derive(Debug, Serialize)]
pub struct FileRecord {
    pub path: String,
    pub format: &'static str,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct DatasetRecord {
    pub name: String,
    pub rows: usize,
    pub sources: Vec<String>,
    pub files: Vec<FileRecord>,
}

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub iomtally_version: &'static str,
    pub config: ConfigRecord,
    /// Files the config points to that shape the outputs (country table, metrics catalogue).
    pub references: Vec<ConfigRecord>,
    pub inputs: Vec<InputRecord>,
    pub datasets: Vec<DatasetRecord>,
    /// Checks by status (pass / fail / inferred), and failed checks of severity error.
    pub checks: BTreeMap<String, usize>,
    pub hxl: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigRecord {
    pub path: String,
    pub sha256: String,
}

pub struct WriteOptions<'a> {
    pub dir: &'a Path,
    pub formats: &'a [Format],
    pub inputs: &'a [InputRecord],
    pub config: ConfigRecord,
    pub references: Vec<ConfigRecord>,
    pub checks: BTreeMap<String, usize>,
    /// Add the HXL hashtag row under each CSV header.
    pub hxl: bool,
}

/// Writes every dataset and the manifest; returns the manifest written. A dataset whose
/// primary key repeats is refused before anything is written.
pub fn write_all(datasets: &[Dataset], opts: WriteOptions) -> Result<Manifest> {
    for ds in datasets {
        check_primary_key(ds, opts.dir)?;
    }
    fs::create_dir_all(opts.dir).map_err(|e| Error::output(opts.dir, e))?;
    let staging = opts.dir.join(format!(".staging-{}", std::process::id()));
    let result = stage(datasets, &opts, &staging).and_then(|(manifest, files)| {
        for name in &files {
            let to = opts.dir.join(name);
            fs::rename(staging.join(name), &to).map_err(|e| Error::output(&to, e))?;
        }
        Ok(manifest)
    });
    let _ = fs::remove_dir_all(&staging);
    result
}

/// Every row's primary key is unique: a repeated key means two rows claim to be the same
/// fact (a document read twice, a table printed twice), which a reader must not be given.
pub fn check_primary_key(ds: &Dataset, dir: &Path) -> Result<()> {
    let columns: Vec<usize> = ds
        .primary_key
        .iter()
        .filter_map(|k| ds.fields.iter().position(|f| &f.name == k))
        .collect();
    let mut seen = std::collections::HashSet::with_capacity(ds.rows());
    for row in 0..ds.rows() {
        let key: Vec<String> = columns.iter().map(|&c| ds.cell_text(c, row)).collect();
        if !seen.insert(key.clone()) {
            return Err(Error::Output {
                path: dir.join(format!("{}.*", ds.name)),
                message: format!(
                    "dataset '{}' has two rows with the primary key ({}) = ({}); nothing was written",
                    ds.name,
                    ds.primary_key.join(", "),
                    key.join(", ")
                ),
            });
        }
    }
    Ok(())
}

fn stage(
    datasets: &[Dataset],
    opts: &WriteOptions,
    staging: &Path,
) -> Result<(Manifest, Vec<String>)> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(|e| Error::output(staging, e))?;
    }
    fs::create_dir_all(staging).map_err(|e| Error::output(staging, e))?;
    let mut files = Vec::new();
    let mut records = Vec::new();
    for ds in datasets {
        let mut file_records = Vec::new();
        for &format in opts.formats {
            let (name, fmt) = match format {
                Format::Parquet => (format!("{}.parquet", ds.name), "parquet"),
                Format::Csv => (format!("{}.csv", ds.name), "csv"),
            };
            let path = staging.join(&name);
            match format {
                Format::Parquet => write_parquet(ds, opts.inputs, &path)?,
                Format::Csv => write_csv(ds, &path, opts.hxl)?,
            }
            file_records.push(FileRecord {
                path: name.clone(),
                format: fmt,
                sha256: sha256_file(&path)?,
            });
            files.push(name);
        }
        records.push(DatasetRecord {
            name: ds.name.clone(),
            rows: ds.rows(),
            sources: ds.sources.clone(),
            files: file_records,
        });
    }
    let manifest = Manifest {
        iomtally_version: env!("CARGO_PKG_VERSION"),
        config: ConfigRecord {
            path: opts.config.path.clone(),
            sha256: opts.config.sha256.clone(),
        },
        references: opts.references.clone(),
        inputs: opts.inputs.to_vec(),
        datasets: records,
        checks: opts.checks.clone(),
        hxl: opts.hxl,
    };
    let package = datapackage::package(datasets, opts.formats, opts.inputs, opts.hxl);
    let path = staging.join(datapackage::FILE);
    let json = serde_json::to_string_pretty(&package).map_err(|e| Error::output(&path, e))?;
    write_file(&path, format!("{json}\n").as_bytes())?;
    files.push(datapackage::FILE.to_string());

    let path = staging.join(MANIFEST);
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| Error::output(&path, e))?;
    write_file(&path, format!("{json}\n").as_bytes())?;
    files.push(MANIFEST.to_string());
    Ok((manifest, files))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = fs::File::create(path).map_err(|e| Error::output(path, e))?;
    f.write_all(bytes).map_err(|e| Error::output(path, e))?;
    f.sync_all().map_err(|e| Error::output(path, e))
}

pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::output(path, e))?;
    Ok(hex(&Sha256::digest(&bytes)))
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

fn write_parquet(ds: &Dataset, inputs: &[InputRecord], path: &Path) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| Error::output(path, e))?;
    let mut frame = ds.frame.clone();
    ParquetWriter::new(BufWriter::new(file))
        .with_compression(ParquetCompression::Zstd(None))
        .with_key_value_metadata(Some(KeyValueMetadata::from_static(parquet_metadata(
            ds, inputs,
        ))))
        .finish(&mut frame)
        .map_err(|e| Error::output(path, e))?;
    Ok(())
}

fn write_csv(ds: &Dataset, path: &Path, hxl: bool) -> Result<()> {
    let file = fs::File::create(path).map_err(|e| Error::output(path, e))?;
    let mut w = csv::Writer::from_writer(BufWriter::new(file));
    let err = |e: csv::Error| Error::output(path, e);
    w.write_record(ds.fields.iter().map(|f| f.name.as_str()))
        .map_err(err)?;
    if hxl {
        w.write_record(ds.fields.iter().map(|f| f.hxl.as_deref().unwrap_or("")))
            .map_err(err)?;
    }
    let width = ds.fields.len();
    let mut record = Vec::with_capacity(width);
    for row in 0..ds.rows() {
        record.clear();
        record.extend((0..width).map(|c| ds.cell_text(c, row)));
        w.write_record(&record).map_err(err)?;
    }
    w.flush().map_err(|e| Error::output(path, e))?;
    Ok(())
}

/// Where output files go: the directory named on the command line, else the config's.
pub fn resolve_dir(cli: Option<&Path>, configured: PathBuf) -> PathBuf {
    cli.map(Path::to_path_buf).unwrap_or(configured)
}
