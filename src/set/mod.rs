//! What an output set is on disk, for the modules that write it (`output`), read it back
//! (`report`, `diff`, `explain`, `--only`) or describe it (`datapackage`): the manifest's
//! records, the set's own file names, file hashes, and readers of its data files. It sits
//! below all of them, so that none imports another to learn the set's shape.

pub mod read;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The page a person checks the set with (written by `report`).
pub const REPORT: &str = "report.html";
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

/// A file's SHA-256, read a buffer at a time (an output set's files can be gigabytes).
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::Digest;
    use std::io::Read;
    let mut file = fs::File::open(path).map_err(|e| Error::output(path, e))?;
    let mut hasher = sha2::Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => hasher.update(&buffer[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::output(path, e)),
        }
    }
    Ok(crate::document::hex(&hasher.finalize()))
}

pub fn sha256_bytes(bytes: &[u8]) -> String {
    crate::document::hex(&<sha2::Sha256 as sha2::Digest>::digest(bytes))
}
