//! What the report reads from an output set: the manifest and `run.json`, the findings, and the
//! datasets it draws (found by their columns, so that any dataset names work): funding cells
//! and totals, AVRR rows, the metrics pivot, claims. Every table is read as text cells.

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::output::read::{Table, table};
use crate::output::{DatasetRecord, Manifest};

/// One row of `validation_results`.
#[derive(Debug, Clone)]
pub struct FindingRow {
    pub check_id: String,
    pub dataset: String,
    pub kind: String,
    pub subject: String,
    pub stated: Option<f64>,
    pub computed: Option<f64>,
    pub difference: Option<f64>,
    pub tolerance: Option<f64>,
    pub status: String,
    pub severity: String,
    pub doc_id: String,
    pub line: Option<usize>,
    pub evidence: String,
    pub message: String,
}

impl FindingRow {
    /// Failed errors, failed warnings, then inferences: what a reader looks at first.
    pub fn priority(&self) -> Option<u8> {
        match (self.status.as_str(), self.severity.as_str()) {
            ("fail", "error") => Some(0),
            ("fail", "warning") => Some(1),
            ("inferred", _) => Some(2),
            ("fail", _) => Some(3),
            _ => None,
        }
    }
}

/// A table's cells by column name.
pub struct Rows {
    header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Rows {
    fn from(t: Table) -> Rows {
        Rows {
            header: t.header,
            rows: t.rows,
        }
    }

    pub fn has(&self, column: &str) -> bool {
        self.header.iter().any(|h| h == column)
    }

    pub fn columns(&self) -> &[String] {
        &self.header
    }

    /// The cell of `row` under `column` ("" when the column is absent).
    pub fn get<'r>(&self, row: &'r [String], column: &str) -> &'r str {
        self.header
            .iter()
            .position(|h| h == column)
            .and_then(|i| row.get(i))
            .map_or("", String::as_str)
    }

    pub fn number(&self, row: &[String], column: &str) -> Option<f64> {
        self.get(row, column).parse().ok()
    }
}

/// A funding dataset: its cells and its printed totals.
pub struct Funding {
    pub name: String,
    pub cells: Rows,
    pub totals: Option<Rows>,
}

pub struct Loaded {
    pub manifest: Manifest,
    pub run: serde_json::Value,
    pub findings: Vec<FindingRow>,
    pub funding: Vec<Funding>,
    pub avrr: Vec<Rows>,
    pub metrics_wide: Vec<Rows>,
    pub claims: Vec<Rows>,
}

fn read_dataset(dir: &Path, record: &DatasetRecord) -> Result<Option<Rows>> {
    // CSV first: it reads faster as text than Parquet does.
    let mut files: Vec<_> = record.files.iter().collect();
    files.sort_by_key(|f| f.format != "csv");
    match files.first() {
        Some(f) => Ok(Some(Rows::from(table(&dir.join(&f.path))?))),
        None => Ok(None),
    }
}

fn float(s: &str) -> Option<f64> {
    s.parse().ok()
}

fn findings(rows: &Rows) -> Vec<FindingRow> {
    rows.rows
        .iter()
        .map(|r| FindingRow {
            check_id: rows.get(r, "check_id").into(),
            dataset: rows.get(r, "dataset").into(),
            kind: rows.get(r, "kind").into(),
            subject: rows.get(r, "subject").into(),
            stated: float(rows.get(r, "stated")),
            computed: float(rows.get(r, "computed")),
            difference: float(rows.get(r, "difference")),
            tolerance: float(rows.get(r, "tolerance")),
            status: rows.get(r, "status").into(),
            severity: rows.get(r, "severity").into(),
            doc_id: rows.get(r, "doc_id").into(),
            line: rows.get(r, "line").parse().ok(),
            evidence: rows.get(r, "evidence").into(),
            message: rows.get(r, "message").into(),
        })
        .collect()
}

/// Columns that mark a dataset the report draws.
const DRAWN: &[&str] = &[
    "claim_id",
    "amount_usd",
    "stated_usd",
    "migrants_assisted",
    "metric_key",
];

/// Reads an output set. Datasets the report does not draw (mentions) are never read: their
/// header says so.
pub fn load(dir: &Path, manifest: Manifest, run_json: &str) -> Result<Loaded> {
    let run: serde_json::Value = serde_json::from_str(run_json).map_err(|e| Error::Input {
        path: dir.join(crate::output::RUN),
        message: format!("run.json does not parse: {e}"),
    })?;
    let mut by_name: BTreeMap<String, Rows> = BTreeMap::new();
    for record in &manifest.datasets {
        let findings = record.name == crate::validate::DATASET;
        let drawn =
            header_of(dir, record).is_some_and(|h| h.iter().any(|c| DRAWN.contains(&c.as_str())));
        if !(findings || drawn) {
            continue;
        }
        if let Some(rows) = read_dataset(dir, record)? {
            by_name.insert(record.name.clone(), rows);
        }
    }
    let findings = by_name
        .remove(crate::validate::DATASET)
        .map(|r| findings(&r))
        .unwrap_or_default();
    Ok(sort_out(manifest, run, findings, by_name))
}

/// A dataset's column names, from the CSV's first line or the Parquet schema.
fn header_of(dir: &Path, record: &DatasetRecord) -> Option<Vec<String>> {
    use std::io::BufRead;
    if let Some(f) = record.files.iter().find(|f| f.format == "csv") {
        let file = std::fs::File::open(dir.join(&f.path)).ok()?;
        let mut line = String::new();
        std::io::BufReader::new(file).read_line(&mut line).ok()?;
        return Some(line.trim_end().split(',').map(str::to_string).collect());
    }
    let f = record.files.iter().find(|f| f.format == "parquet")?;
    let file = std::fs::File::open(dir.join(&f.path)).ok()?;
    let schema = {
        use polars::prelude::SerReader;
        polars::prelude::ParquetReader::new(file).schema().ok()?
    };
    Some(schema.iter_names().map(|n| n.to_string()).collect())
}

fn sort_out(
    manifest: Manifest,
    run: serde_json::Value,
    findings: Vec<FindingRow>,
    mut by_name: BTreeMap<String, Rows>,
) -> Loaded {
    let names: Vec<String> = by_name.keys().cloned().collect();
    let mut loaded = Loaded {
        manifest,
        run,
        findings,
        funding: Vec::new(),
        avrr: Vec::new(),
        metrics_wide: Vec::new(),
        claims: Vec::new(),
    };
    for name in &names {
        let Some(rows) = by_name.remove(name) else {
            continue;
        };
        if rows.has("claim_id") {
            loaded.claims.push(rows);
        } else if rows.has("amount_usd") && rows.has("category_code") {
            let totals = names
                .iter()
                .find(|n| *n == &format!("{name}_totals"))
                .cloned();
            loaded.funding.push(Funding {
                name: name.clone(),
                cells: rows,
                totals: totals.and_then(|t| by_name.remove(&t)),
            });
        } else if rows.has("migrants_assisted") && rows.has("role") {
            loaded.avrr.push(rows);
        } else if rows.has("metric_key") && rows.columns().iter().any(|c| c.starts_with("value_")) {
            loaded.metrics_wide.push(rows);
        }
    }
    loaded
}
