//! `iomtally diff OLD NEW`: what changed between two output sets, by primary key. Rows added,
//! removed and changed (old → new, per column) for every dataset, and failed findings that
//! appeared or were resolved. What the reviewer of a scheduled run reads.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use crate::datapackage;
use crate::error::{EXIT_FINDINGS, EXIT_OK, Error, Result};
use crate::pipeline::carry::read_findings;
use crate::set::{Manifest, read};
use crate::validate::{self, Finding, Status};

/// Rows printed per dataset and direction in the text form (the JSON form has them all).
const TEXT_ROWS: usize = 20;

#[derive(Debug, Serialize, Default)]
pub struct Diff {
    pub datasets: Vec<DatasetDiff>,
    /// Failed findings in NEW that were not failed in OLD.
    pub appeared: Vec<FindingBrief>,
    /// Failed findings in OLD that are no longer failed in NEW.
    pub resolved: Vec<FindingBrief>,
}

#[derive(Debug, Serialize)]
pub struct DatasetDiff {
    pub name: String,
    /// `changed`, `added` (only in NEW) or `removed` (only in OLD).
    pub status: String,
    pub key: Vec<String>,
    pub added: Vec<BTreeMap<String, String>>,
    pub removed: Vec<BTreeMap<String, String>>,
    pub changed: Vec<RowChange>,
}

#[derive(Debug, Serialize)]
pub struct RowChange {
    pub key: BTreeMap<String, String>,
    /// column → (old, new)
    pub columns: BTreeMap<String, (String, String)>,
}

#[derive(Debug, Serialize)]
pub struct FindingBrief {
    pub check_id: String,
    pub severity: String,
    pub message: String,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.datasets.is_empty() && self.appeared.is_empty() && self.resolved.is_empty()
    }
}

/// Runs the command; returns the exit code (0 equal, 1 different, 3 unreadable).
pub fn command(old: &Path, new: &Path, json: bool) -> i32 {
    match compare(old, new) {
        Ok(diff) => {
            if json {
                match serde_json::to_string_pretty(&diff) {
                    Ok(j) => println!("{j}"),
                    Err(e) => eprintln!("iomtally: error: {e}"),
                }
            } else {
                print!("{}", text(&diff));
            }
            if diff.is_empty() {
                EXIT_OK
            } else {
                EXIT_FINDINGS
            }
        }
        Err(e) => {
            eprintln!("iomtally: error: {e}");
            e.exit_code()
        }
    }
}

fn manifest(dir: &Path) -> Result<Manifest> {
    Manifest::read(dir).ok_or_else(|| Error::Input {
        path: dir.join(crate::set::MANIFEST),
        message: "not an iomtally output set (no readable manifest.json)".into(),
    })
}

pub fn compare(old: &Path, new: &Path) -> Result<Diff> {
    let (m_old, m_new) = (manifest(old)?, manifest(new)?);
    let mut diff = Diff::default();
    let mut names: Vec<&str> = m_old
        .datasets
        .iter()
        .chain(&m_new.datasets)
        .map(|d| d.name.as_str())
        .filter(|n| *n != validate::DATASET)
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let a = dataset_table(old, &m_old, name)?;
        let b = dataset_table(new, &m_new, name)?;
        if let Some(d) = compare_dataset(name, a, b) {
            diff.datasets.push(d);
        }
    }
    let (f_old, f_new) = (read_findings(old)?, read_findings(new)?);
    diff.appeared = failed_only_in(&f_new, &f_old);
    diff.resolved = failed_only_in(&f_old, &f_new);
    Ok(diff)
}

/// A dataset's table (preferring the Parquet file) and primary key, if the set has it.
fn dataset_table(
    dir: &Path,
    manifest: &Manifest,
    name: &str,
) -> Result<Option<(read::Table, Vec<String>)>> {
    let Some(record) = manifest.datasets.iter().find(|d| d.name == name) else {
        return Ok(None);
    };
    let Some(file) = record
        .files
        .iter()
        .find(|f| f.format == "parquet")
        .or(record.files.first())
    else {
        return Ok(None);
    };
    let table = read::table(&dir.join(&file.path))?;
    Ok(Some((table, primary_key(dir, &file.path))))
}

/// The primary key the data package declares for a file (empty: every column).
fn primary_key(dir: &Path, file: &str) -> Vec<String> {
    let package: serde_json::Value = std::fs::read_to_string(dir.join(datapackage::FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    package["resources"]
        .as_array()
        .and_then(|rs| rs.iter().find(|r| r["path"] == file))
        .and_then(|r| r["schema"]["primaryKey"].as_array())
        .map(|k| {
            k.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

type Keyed = BTreeMap<Vec<String>, BTreeMap<String, String>>;

fn keyed(table: &read::Table, key: &[String]) -> Keyed {
    let idx: Vec<usize> = if key.is_empty() {
        (0..table.header.len()).collect()
    } else {
        key.iter()
            .filter_map(|k| table.header.iter().position(|h| h == k))
            .collect()
    };
    table
        .rows
        .iter()
        .map(|r| {
            let k = idx.iter().map(|&i| r[i].clone()).collect();
            let row = table
                .header
                .iter()
                .cloned()
                .zip(r.iter().cloned())
                .collect();
            (k, row)
        })
        .collect()
}

fn compare_dataset(
    name: &str,
    old: Option<(read::Table, Vec<String>)>,
    new: Option<(read::Table, Vec<String>)>,
) -> Option<DatasetDiff> {
    let key = new
        .as_ref()
        .or(old.as_ref())
        .map(|t| t.1.clone())
        .unwrap_or_default();
    let status = match (&old, &new) {
        (None, Some(_)) => "added",
        (Some(_), None) => "removed",
        _ => "changed",
    };
    let a = old.map(|t| keyed(&t.0, &key)).unwrap_or_default();
    let b = new.map(|t| keyed(&t.0, &key)).unwrap_or_default();
    let key_map = |k: &Vec<String>| key.iter().cloned().zip(k.iter().cloned()).collect();
    let mut d = DatasetDiff {
        name: name.to_string(),
        status: status.to_string(),
        key: key.clone(),
        added: b
            .iter()
            .filter(|(k, _)| !a.contains_key(*k))
            .map(|(_, r)| r.clone())
            .collect(),
        removed: a
            .iter()
            .filter(|(k, _)| !b.contains_key(*k))
            .map(|(_, r)| r.clone())
            .collect(),
        changed: Vec::new(),
    };
    for (k, row_b) in &b {
        let Some(row_a) = a.get(k) else { continue };
        let columns: BTreeMap<String, (String, String)> = row_b
            .iter()
            .filter(|(c, v)| row_a.get(*c) != Some(v))
            .map(|(c, v)| {
                (
                    c.clone(),
                    (row_a.get(c).cloned().unwrap_or_default(), v.clone()),
                )
            })
            .collect();
        if !columns.is_empty() {
            d.changed.push(RowChange {
                key: key_map(k),
                columns,
            });
        }
    }
    let differs = !d.added.is_empty() || !d.removed.is_empty() || !d.changed.is_empty();
    differs.then_some(d)
}

fn failed_only_in(this: &[Finding], other: &[Finding]) -> Vec<FindingBrief> {
    let failed_other: std::collections::BTreeSet<&str> = other
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| f.check_id.as_str())
        .collect();
    this.iter()
        .filter(|f| f.status == Status::Fail && !failed_other.contains(f.check_id.as_str()))
        .map(|f| FindingBrief {
            check_id: f.check_id.clone(),
            severity: f.severity.as_str().to_string(),
            message: f.message.clone(),
        })
        .collect()
}

fn brief(row: &BTreeMap<String, String>, key: &[String]) -> String {
    let parts: Vec<String> = if key.is_empty() {
        row.iter().map(|(c, v)| format!("{c}={v}")).collect()
    } else {
        key.iter()
            .map(|k| format!("{k}={}", row.get(k).map_or("", String::as_str)))
            .collect()
    };
    parts.join(", ")
}

/// The readable form.
pub fn text(diff: &Diff) -> String {
    if diff.is_empty() {
        return "no differences\n".into();
    }
    let mut out = String::new();
    for d in &diff.datasets {
        out.push_str(&format!(
            "dataset {} ({}): {} added, {} removed, {} changed\n",
            d.name,
            d.status,
            d.added.len(),
            d.removed.len(),
            d.changed.len()
        ));
        for r in d.added.iter().take(TEXT_ROWS) {
            out.push_str(&format!("  + {}\n", brief(r, &d.key)));
        }
        for r in d.removed.iter().take(TEXT_ROWS) {
            out.push_str(&format!("  - {}\n", brief(r, &d.key)));
        }
        for c in d.changed.iter().take(TEXT_ROWS) {
            let cols: Vec<String> = c
                .columns
                .iter()
                .map(|(col, (a, b))| format!("{col}: {a} -> {b}"))
                .collect();
            let key: Vec<String> = c.key.iter().map(|(k, v)| format!("{k}={v}")).collect();
            out.push_str(&format!("  ~ {}: {}\n", key.join(", "), cols.join("; ")));
        }
        let shown = d.added.len().min(TEXT_ROWS)
            + d.removed.len().min(TEXT_ROWS)
            + d.changed.len().min(TEXT_ROWS);
        let total = d.added.len() + d.removed.len() + d.changed.len();
        if total > shown {
            out.push_str(&format!("  … {} more (see --json)\n", total - shown));
        }
    }
    out.push_str(&format!(
        "findings: {} appeared, {} resolved\n",
        diff.appeared.len(),
        diff.resolved.len()
    ));
    for f in &diff.appeared {
        out.push_str(&format!(
            "  + {} {}: {}\n",
            f.severity, f.check_id, f.message
        ));
    }
    for f in &diff.resolved {
        out.push_str(&format!(
            "  - {} {}: {}\n",
            f.severity, f.check_id, f.message
        ));
    }
    out
}
