//! The output set: every dataset as Parquet and/or CSV, `datapackage.json`, `manifest.json`
//! (written last) and `run.json`, staged in a sibling folder and swapped in as a whole (see
//! [`swap`]), so that at any instant a reader sees one complete, self-consistent set.

mod files;
pub mod read;
pub mod stream;
pub mod swap;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::Format;
use crate::datapackage;
use crate::dataset::Dataset;
use crate::error::{Error, Result};

pub use files::parquet_metadata;
use swap::{Layout, checkpoint};

pub const MANIFEST: &str = "manifest.json";
pub const RUN: &str = "run.json";

/// What the manifest says about one input document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct InputRecord {
    pub id: String,
    pub path: String,
    pub title: String,
    pub sha256: String,
    pub lines: usize,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileRecord {
    pub path: String,
    pub format: String,
    pub sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DatasetRecord {
    pub name: String,
    pub rows: usize,
    pub sources: Vec<String>,
    pub files: Vec<FileRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub iomtally_version: String,
    /// Digest of everything that decides the outputs (version, configuration, inputs,
    /// reference files, datasets and options): equal keys mean an identical set.
    #[serde(default)]
    pub run_key: String,
    pub config: ConfigRecord,
    /// Files the config points to that shape the outputs (country table, metrics catalogue).
    pub references: Vec<ConfigRecord>,
    pub inputs: Vec<InputRecord>,
    pub datasets: Vec<DatasetRecord>,
    /// Checks by status (pass / fail / inferred / skipped), and failed checks of severity error.
    pub checks: BTreeMap<String, usize>,
    pub hxl: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ConfigRecord {
    pub path: String,
    pub sha256: String,
}

impl Manifest {
    /// The manifest of an output folder, if it holds one that parses.
    pub fn read(dir: &Path) -> Option<Manifest> {
        let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
        serde_json::from_str(&text).ok()
    }
}

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
    /// Write `report.html`, reading source lines from the inputs under this folder.
    pub report_base: Option<PathBuf>,
}

/// Files iomtally writes into an output folder besides the datasets.
const OWN_FILES: &[&str] = &[MANIFEST, RUN, datapackage::FILE, crate::report::FILE];

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

/// Writes the whole set and swaps it in; returns the manifest written. A dataset whose primary
/// key repeats is refused before anything is written. The caller holds the folder's lock.
pub fn write_all(datasets: &[Dataset], opts: WriteOptions) -> Result<Manifest> {
    let staging = Staging::begin(opts.dir)?;
    write_staged(staging, datasets, Vec::new(), opts)
}

/// Completes a staging folder that may already hold streamed datasets, and swaps it in.
pub fn write_staged(
    mut staging: Staging,
    datasets: &[Dataset],
    streamed: Vec<stream::Streamed>,
    opts: WriteOptions,
) -> Result<Manifest> {
    for ds in datasets {
        check_primary_key(ds, opts.dir)?;
    }
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
    staging.layout.install(&staging.dir)?;
    staging.installed = true;
    Ok(manifest)
}

fn stage(
    datasets: &[Dataset],
    streamed: Vec<stream::Streamed>,
    opts: &WriteOptions,
    staging: &Path,
    foreign: &[PathBuf],
) -> Result<Manifest> {
    let mut records = Vec::new();
    for ds in datasets {
        records.push(stage_dataset(ds, opts, staging)?);
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
    files::write_bytes(&staging.join(RUN), opts.run_json.as_bytes())?;
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
    if let Some(base) = &opts.report_base {
        let html = crate::report::render(staging, &manifest, &opts.run_json, base)?;
        files::write_bytes(&staging.join(crate::report::FILE), html.as_bytes())?;
        checkpoint("report written");
    }
    // Last: a set with a manifest is complete.
    write_json(&staging.join(MANIFEST), &manifest)?;
    checkpoint("manifest written");
    Ok(manifest)
}

fn stage_dataset(ds: &Dataset, opts: &WriteOptions, staging: &Path) -> Result<DatasetRecord> {
    let mut file_records = Vec::new();
    for &format in opts.formats {
        let (name, fmt) = match format {
            Format::Parquet => (format!("{}.parquet", ds.name), "parquet"),
            Format::Csv => (format!("{}.csv", ds.name), "csv"),
        };
        let path = staging.join(&name);
        let sha256 = match format {
            Format::Parquet => files::write_parquet(ds, opts.inputs, &path)?,
            Format::Csv => files::write_csv(ds, &path, opts.hxl)?,
        };
        checkpoint("data file written");
        file_records.push(FileRecord {
            path: name,
            format: fmt.to_string(),
            sha256,
        });
    }
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
    let mut seen = std::collections::HashSet::with_capacity(ds.rows());
    check_new_keys(ds, &mut seen, &ds.name).map_err(|e| match e {
        Error::Output { message, .. } => Error::Output {
            path: dir.join(format!("{}.*", ds.name)),
            message,
        },
        other => other,
    })
}

/// Adds a batch's keys to those `seen` (length-prefixed cells, so that no two different keys
/// read the same); a key seen before is an error naming it.
pub fn check_new_keys(
    ds: &Dataset,
    seen: &mut std::collections::HashSet<String>,
    name: &str,
) -> Result<()> {
    let columns: Vec<crate::dataset::ColumnView> = ds
        .primary_key
        .iter()
        .filter_map(|k| ds.fields.iter().position(|f| &f.name == k))
        .filter_map(|c| ds.column(c))
        .collect();
    let mut cell = String::new();
    for row in 0..ds.rows() {
        let mut key = String::new();
        for col in &columns {
            cell.clear();
            col.write(row, &mut cell);
            key.push_str(&cell.len().to_string());
            key.push(':');
            key.push_str(&cell);
        }
        if !seen.insert(key) {
            let cells: Vec<String> = columns
                .iter()
                .map(|col| {
                    let mut c = String::new();
                    col.write(row, &mut c);
                    c
                })
                .collect();
            return Err(Error::Output {
                path: PathBuf::from(format!("{name}.*")),
                message: format!(
                    "dataset '{name}' has two rows with the primary key ({}) = ({}); nothing was written",
                    ds.primary_key.join(", "),
                    cells.join(", ")
                ),
            });
        }
    }
    Ok(())
}

pub fn sha256_file(path: &Path) -> Result<String> {
    let bytes = fs::read(path).map_err(|e| Error::output(path, e))?;
    Ok(sha256_bytes(&bytes))
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    crate::document::hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes))
}

/// Where output files go: the directory named on the command line, else the config's.
pub fn resolve_dir(cli: Option<&Path>, configured: PathBuf) -> PathBuf {
    cli.map(Path::to_path_buf).unwrap_or(configured)
}

#[cfg(test)]
mod tests;
