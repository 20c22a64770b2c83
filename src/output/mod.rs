//! The output set: every dataset as Parquet and/or CSV, `datapackage.json`, `manifest.json`
//! (written last) and `run.json`, staged in a sibling folder and swapped in as a whole (see
//! [`swap`]), so that at any instant a reader sees one complete, self-consistent set.

mod files;
pub mod findings;
pub mod stream;
pub mod swap;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::config::Format;
use crate::datapackage;
use crate::dataset::{Dataset, KeyCell, KeyOrder};
use crate::error::{Error, Result};
use crate::set::{
    ConfigRecord, DatasetRecord, FileRecord, InputRecord, MANIFEST, Manifest, REPORT, RUN,
};
use rayon::prelude::*;

pub use files::parquet_metadata;
use swap::{Layout, checkpoint};

/// A dataset kept from the previous set (one `--only` did not name): its record, its
/// datapackage resources, and the folder its files are in.
pub struct Carried {
    pub record: DatasetRecord,
    pub resources: Vec<serde_json::Value>,
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
    pub run_key: String,
    /// Datasets kept as they were from the previous set.
    pub carried: Vec<Carried>,
    /// The run's summary, kept as `run.json`.
    pub run_json: String,
    /// Every dataset name the configuration can write: their files in the folder are iomtally's,
    /// whether or not a manifest lists them.
    pub owned: Vec<String>,
}

/// Files iomtally writes into an output folder besides the datasets.
const OWN_FILES: &[&str] = &[MANIFEST, RUN, datapackage::FILE, REPORT];

/// The staging folder of a run that writes: made (after removing what killed runs left) before
/// extraction, so that large datasets can stream into it; removed unless installed.
pub struct Staging {
    layout: Layout,
    pub dir: PathBuf,
    installed: bool,
}

impl Staging {
    /// The caller holds the folder's lock.
    pub fn begin(target: &Path) -> Result<Staging> {
        let layout = Layout::of(target)?;
        layout.clean_leftovers()?;
        let dir = layout.staging();
        fs::create_dir_all(&dir).map_err(|e| Error::output(&dir, e))?;
        checkpoint("staging created");
        Ok(Staging {
            layout,
            dir,
            installed: false,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.installed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes the whole set (no report) and swaps it in; returns the manifest written. A dataset
/// whose primary key repeats is refused before anything is written. The caller holds the
/// folder's lock.
pub fn write_all(datasets: &[Dataset], opts: WriteOptions) -> Result<Manifest> {
    let staging = Staging::begin(opts.dir)?;
    stage_set(staging, datasets, Vec::new(), opts)?.install()
}

/// A staging folder whose data files, `datapackage.json` and `run.json` are written: what is
/// left is any page made from them, then the manifest and the swap ([`Staged::install`]).
pub struct Staged {
    staging: Staging,
    manifest: Manifest,
}

impl Staged {
    /// The staging folder: the set as it will be installed.
    pub fn dir(&self) -> &Path {
        &self.staging.dir
    }

    /// The manifest the set will be installed with.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Adds a file of iomtally's own (the report) to the set before it is installed.
    pub fn add_file(&self, name: &str, bytes: &[u8]) -> Result<()> {
        files::write_bytes(&self.staging.dir.join(name), bytes)?;
        checkpoint("page written");
        Ok(())
    }

    /// Writes the manifest last (a set with a manifest is complete) and swaps the set in.
    pub fn install(mut self) -> Result<Manifest> {
        write_json(&self.staging.dir.join(MANIFEST), &self.manifest)?;
        checkpoint("manifest written");
        self.staging.layout.install(&self.staging.dir)?;
        self.staging.installed = true;
        Ok(self.manifest)
    }
}

/// Completes a staging folder that may already hold streamed datasets with the other data
/// files, `datapackage.json` and `run.json`; the manifest is written by [`Staged::install`].
pub fn stage_set(
    staging: Staging,
    datasets: &[Dataset],
    streamed: Vec<stream::Streamed>,
    opts: WriteOptions,
) -> Result<Staged> {
    datasets
        .par_iter()
        .try_for_each(|ds| check_primary_key(ds, opts.dir))?;
    let previous = Manifest::read(opts.dir);
    let ours = |file: &str| {
        let stem = file.strip_suffix(".csv").or(file.strip_suffix(".parquet"));
        OWN_FILES.contains(&file)
            || stem.is_some_and(|s| opts.owned.iter().any(|o| o == s))
            || previous
                .iter()
                .flat_map(|m| &m.datasets)
                .flat_map(|d| &d.files)
                .any(|f| f.path == file)
    };
    let foreign = staging.layout.foreign_files(&ours)?;
    let manifest = stage(datasets, streamed, &opts, &staging.dir, &foreign)?;
    Ok(Staged { staging, manifest })
}

fn stage(
    datasets: &[Dataset],
    streamed: Vec<stream::Streamed>,
    opts: &WriteOptions,
    staging: &Path,
    foreign: &[PathBuf],
) -> Result<Manifest> {
    // Each dataset's files are its own: written side by side.
    let mut records = datasets
        .par_iter()
        .map(|ds| stage_dataset(ds, opts, staging))
        .collect::<Result<Vec<_>>>()?;
    // Steps a test can stop the writer at (on this thread, where the test watches).
    for _ in &records {
        checkpoint("dataset written");
    }
    let mut described: Vec<Dataset> = datasets.to_vec();
    for s in streamed {
        records.push(DatasetRecord {
            name: s.meta.name.clone(),
            rows: s.rows,
            sources: s.meta.sources.clone(),
            files: s.files,
        });
        described.push(s.meta);
    }
    described.sort_by(|a, b| a.name.cmp(&b.name));
    let mut resources = Vec::new();
    for carried in &opts.carried {
        for f in &carried.record.files {
            swap::carry(&opts.dir.join(&f.path), &staging.join(&f.path))?;
        }
        records.push(carried.record.clone());
        resources.extend(carried.resources.iter().cloned());
        checkpoint("carried dataset copied");
    }
    for file in foreign {
        if let Some(name) = file.file_name() {
            swap::carry(file, &staging.join(name))?;
        }
    }
    records.sort_by(|a, b| a.name.cmp(&b.name));
    let mut package = datapackage::package(&described, opts.formats, opts.inputs, opts.hxl);
    if let Some(list) = package["resources"].as_array_mut() {
        list.extend(resources);
        list.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    }
    write_json(&staging.join(datapackage::FILE), &package)?;
    checkpoint("datapackage written");
    files::write_bytes(&staging.join(RUN), opts.run_json.as_bytes())?;
    checkpoint("run summary written");
    let manifest = Manifest {
        iomtally_version: env!("CARGO_PKG_VERSION").to_string(),
        run_key: opts.run_key.clone(),
        config: opts.config.clone(),
        references: opts.references.clone(),
        inputs: opts.inputs.to_vec(),
        datasets: records,
        checks: opts.checks.clone(),
        hxl: opts.hxl,
    };
    Ok(manifest)
}

fn stage_dataset(ds: &Dataset, opts: &WriteOptions, staging: &Path) -> Result<DatasetRecord> {
    let file_records = opts
        .formats
        .par_iter()
        .map(|&format| {
            let (name, fmt) = match format {
                Format::Parquet => (format!("{}.parquet", ds.name), "parquet"),
                Format::Csv => (format!("{}.csv", ds.name), "csv"),
            };
            let path = staging.join(&name);
            let sha256 = match format {
                Format::Parquet => files::write_parquet(ds, opts.inputs, &path)?,
                Format::Csv => files::write_csv(ds, &path, opts.hxl)?,
            };
            Ok(FileRecord {
                path: name,
                format: fmt.to_string(),
                sha256,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(DatasetRecord {
        name: ds.name.clone(),
        rows: ds.rows(),
        sources: ds.sources.clone(),
        files: file_records,
    })
}

fn write_json(path: &Path, value: &impl Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(|e| Error::output(path, e))?;
    files::write_bytes(path, format!("{json}\n").as_bytes())?;
    Ok(())
}

/// Every row's primary key is unique: a repeated key means two rows claim to be the same
/// fact (a document read twice, a table printed twice), which a reader must not be given.
pub fn check_primary_key(ds: &Dataset, dir: &Path) -> Result<()> {
    let mut keys = KeyCheck::of(ds);
    keys.add(ds, &ds.name).map_err(|e| match e {
        Error::Output { message, .. } => Error::Output {
            path: dir.join(format!("{}.*", ds.name)),
            message,
        },
        other => other,
    })
}

/// The check of a dataset's primary key as its rows come, in the way its order allows.
pub enum KeyCheck {
    Set(KeySet),
    Grouped(GroupedKeys),
}

impl KeyCheck {
    pub fn of(ds: &Dataset) -> KeyCheck {
        match ds.key_order {
            KeyOrder::Any => KeyCheck::Set(KeySet::default()),
            KeyOrder::Grouped => KeyCheck::Grouped(GroupedKeys::default()),
        }
    }

    /// Adds a batch's keys to those before; a repeated key is an error naming it.
    pub fn add(&mut self, batch: &Dataset, name: &str) -> Result<()> {
        match self {
            KeyCheck::Set(seen) => check_new_keys(batch, seen, name),
            KeyCheck::Grouped(keys) => keys.add(batch, name),
        }
    }
}

/// The keys of rows that come grouped ([`KeyOrder::Grouped`]): the digests of the groups
/// begun, and the current group's digest and last key. A row that breaks the order is an
/// error (the extractor broke its promise), never a key let through unchecked.
#[derive(Default)]
pub struct GroupedKeys {
    started: KeySet,
    current: Option<(u128, Vec<KeyCell>)>,
}

impl GroupedKeys {
    fn add(&mut self, ds: &Dataset, name: &str) -> Result<()> {
        let columns = key_columns(ds);
        let Some((group_column, rest)) = columns.split_first() else {
            return Ok(());
        };
        let (mut group_bytes, mut key) = (Vec::new(), Vec::new());
        for row in 0..ds.rows() {
            group_bytes.clear();
            group_column.key_bytes(row, &mut group_bytes);
            let group = xxhash_rust::xxh3::xxh3_128(&group_bytes);
            key.clear();
            key.extend(rest.iter().map(|c| c.key_cell(row)));
            let fault = match &mut self.current {
                Some((g, last)) if *g == group => match key_order(&key, last) {
                    std::cmp::Ordering::Greater => None,
                    std::cmp::Ordering::Equal => Some("has two rows with the primary key"),
                    std::cmp::Ordering::Less => Some("breaks its rows' key order at"),
                },
                _ => (!self.started.insert(group)).then_some("breaks its rows' grouping at"),
            };
            if let Some(fault) = fault {
                return Err(key_error(ds, &columns, row, name, fault));
            }
            // The row's key becomes the last one; the last one's list is reused for the next.
            match &mut self.current {
                Some((g, last)) => {
                    *g = group;
                    std::mem::swap(last, &mut key);
                }
                None => self.current = Some((group, std::mem::take(&mut key))),
            }
        }
        Ok(())
    }
}

/// Keys compared cell by cell, in the key's order.
fn key_order(a: &[KeyCell], b: &[KeyCell]) -> std::cmp::Ordering {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.order(y))
        .find(|o| o.is_ne())
        .unwrap_or(std::cmp::Ordering::Equal)
}

fn key_columns(ds: &Dataset) -> Vec<crate::dataset::ColumnView<'_>> {
    ds.primary_key
        .iter()
        .filter_map(|k| ds.fields.iter().position(|f| &f.name == k))
        .filter_map(|c| ds.column(c))
        .collect()
}

/// `fault` at a row, with its key's cells.
fn key_error(
    ds: &Dataset,
    columns: &[crate::dataset::ColumnView],
    row: usize,
    name: &str,
    fault: &str,
) -> Error {
    let cells: Vec<String> = columns
        .iter()
        .map(|col| {
            let mut c = String::new();
            col.write(row, &mut c);
            c
        })
        .collect();
    Error::Output {
        path: PathBuf::from(format!("{name}.*")),
        message: format!(
            "dataset '{name}' {fault} ({}) = ({}); nothing was written",
            ds.primary_key.join(", "),
            cells.join(", ")
        ),
    }
}

/// The primary keys of the rows written so far, each held as a 128-bit digest of its
/// cells (16 bytes a row, not the key's text: a dense document's mentions are millions of
/// rows). Equal keys have equal digests, so no repeat is missed; two different keys share a
/// digest with a chance of about n² / 2¹²⁹ (under 10⁻²⁴ for ten million rows), and that would
/// stop the run with the key named, never pass silently.
#[derive(Default)]
pub struct KeySet(std::collections::HashSet<u128, std::hash::BuildHasherDefault<DigestHasher>>);

impl KeySet {
    /// True when the key was not seen before.
    fn insert(&mut self, key: u128) -> bool {
        self.0.insert(key)
    }
}

/// The set's own hash of a digest: its low 64 bits, already uniform (hashing them again, as
/// the default hasher would, only costs time).
#[derive(Default)]
pub struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write_u128(&mut self, digest: u128) {
        self.0 = digest as u64;
    }

    /// Only digests are hashed; anything else is folded in byte by byte (FNV-1a).
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x100_0000_01b3);
        }
    }
}

/// Adds a batch's keys to those `seen` (each row's key cells typed and length-prefixed, so
/// that no two different keys read the same); a key seen before is an error naming it.
pub fn check_new_keys(ds: &Dataset, seen: &mut KeySet, name: &str) -> Result<()> {
    let columns = key_columns(ds);
    let mut key = Vec::new();
    for row in 0..ds.rows() {
        key.clear();
        for col in &columns {
            col.key_bytes(row, &mut key);
        }
        if !seen.insert(xxhash_rust::xxh3::xxh3_128(&key)) {
            return Err(key_error(
                ds,
                &columns,
                row,
                name,
                "has two rows with the primary key",
            ));
        }
    }
    Ok(())
}

/// Where output files go: the directory named on the command line, else the config's.
pub fn resolve_dir(cli: Option<&Path>, configured: PathBuf) -> PathBuf {
    cli.map(Path::to_path_buf).unwrap_or(configured)
}

#[cfg(test)]
mod tests;
