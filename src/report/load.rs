//! What the report reads from an output set: the manifest and `run.json`, the findings, and the
//! datasets it draws (found by their columns, so that any dataset names work): funding cells
//! and totals, AVRR rows, the metrics pivot, claims. Every table is read as text cells, from
//! its Parquet file when the set has one (only the columns drawn), else from its CSV.

use std::collections::{BTreeMap, BTreeSet};

use super::parts::GRIDS;
use std::path::Path;

use crate::error::{Error, Result};
use crate::set::read::{each_csv_row, each_parquet_row};
use crate::set::{DatasetRecord, Manifest};
use crate::validate::{Finding, Severity, Status};

/// A table's cells by column name.
pub struct Rows {
    header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Rows {
    pub fn has(&self, column: &str) -> bool {
        self.header.iter().any(|h| h == column)
    }

    pub fn columns(&self) -> &[String] {
        &self.header
    }

    /// The cell of `row` under `column` ("" when the column is absent).
    pub fn get<'r, S: AsRef<str>>(&self, row: &'r [S], column: &str) -> &'r str {
        self.header
            .iter()
            .position(|h| h == column)
            .and_then(|i| row.get(i))
            .map_or("", AsRef::as_ref)
    }

    pub fn number<S: AsRef<str>>(&self, row: &[S], column: &str) -> Option<f64> {
        self.get(row, column).parse().ok()
    }
}

/// A funding dataset: the cells and printed totals of the tables the page draws, how many
/// tables it has in all, and its requirements summed by (region, category) in USD million.
pub struct Funding {
    pub name: String,
    pub cells: Rows,
    pub totals: Option<Rows>,
    pub tables: usize,
    pub sums: Vec<((String, String), f64)>,
}

pub struct Loaded {
    pub manifest: Manifest,
    pub run: serde_json::Value,
    pub findings: Vec<Finding>,
    pub funding: Vec<Funding>,
    pub avrr: Vec<Rows>,
    pub metrics_wide: Vec<Rows>,
    /// Claims by kind, in the order the kinds first appear: (kind, passed, failed).
    pub claims: Vec<(String, usize, usize)>,
}

/// Columns the report reads of the funding datasets (the rest are never held).
const FUNDING_COLUMNS: &[&str] = &[
    "doc_id",
    "region",
    "country",
    "category",
    "category_code",
    "amount_usd",
    "stated_usd",
    "cell_status",
    "line",
];

/// Reads a dataset's rows one at a time, handing `take` the header and each row: from its
/// Parquet file when the set has one (only the `keep` columns decoded, a slice at a time), else
/// from its CSV, streamed.
fn each_row(
    dir: &Path,
    record: &DatasetRecord,
    keep: Option<&[&str]>,
    take: impl FnMut(&[String], &[&str]),
) -> Result<()> {
    let file = |format: &str| record.files.iter().find(|f| f.format == format);
    if let Some(f) = file("parquet") {
        return each_parquet_row(&dir.join(&f.path), keep, take).map(|_| ());
    }
    match file("csv") {
        Some(f) => each_csv_row(&dir.join(&f.path), take).map(|_| ()),
        None => Ok(()),
    }
}

/// A dataset's rows, only `keep`'s columns when given, only the rows `wanted` takes (a row
/// is copied only when taken).
fn read_dataset(
    dir: &Path,
    record: &DatasetRecord,
    keep: Option<&[&str]>,
    mut wanted: impl FnMut(&Rows, &[&str]) -> bool,
) -> Result<Rows> {
    let mut out = Rows {
        header: Vec::new(),
        rows: Vec::new(),
    };
    let mut picked: Vec<usize> = Vec::new();
    each_row(dir, record, keep, |header, row| {
        if out.header.is_empty() {
            picked = (0..header.len())
                .filter(|&i| keep.is_none_or(|k| k.contains(&header[i].as_str())))
                .collect();
            out.header = picked.iter().map(|&i| header[i].clone()).collect();
        }
        let row: Vec<&str> = picked
            .iter()
            .map(|&i| row.get(i).copied().unwrap_or_default())
            .collect();
        if wanted(&out, &row) {
            out.rows.push(row.iter().map(|c| c.to_string()).collect());
        }
    })?;
    Ok(out)
}

fn float(s: &str) -> Option<f64> {
    s.parse().ok()
}

/// The findings as the set wrote them, passing ones without their texts (the page only
/// counts and lists them). A status or severity the set cannot hold is an error naming the
/// file and row.
fn findings(dir: &Path, record: &DatasetRecord) -> Result<Vec<Finding>> {
    let mut out = Vec::new();
    let mut bad: Option<String> = None;
    each_row(dir, record, None, |header, row| {
        let get = |c: &str| {
            header
                .iter()
                .position(|h| h == c)
                .and_then(|i| row.get(i))
                .map_or("", |c| c)
        };
        let (Some(status), Some(severity)) = (
            Status::parse(get("status")),
            Severity::parse(get("severity")),
        ) else {
            bad.get_or_insert_with(|| {
                format!(
                    "row {}: status '{}' / severity '{}' is not one iomtally writes",
                    out.len() + 1,
                    get("status"),
                    get("severity")
                )
            });
            return;
        };
        let text = |c: &str| {
            if status == Status::Pass {
                String::new()
            } else {
                get(c).to_string()
            }
        };
        out.push(Finding {
            check_id: get("check_id").into(),
            dataset: get("dataset").into(),
            kind: get("kind").into(),
            subject: text("subject"),
            stated: float(get("stated")),
            computed: float(get("computed")),
            tolerance: float(get("tolerance")),
            status,
            severity,
            doc_id: get("doc_id").into(),
            line: get("line").parse().ok(),
            evidence: text("evidence"),
            message: text("message"),
        });
    })?;
    match bad {
        Some(message) => Err(Error::Input {
            path: dir.join(record.files.first().map_or("", |f| f.path.as_str())),
            message,
        }),
        None => Ok(out),
    }
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
        path: dir.join(crate::set::RUN),
        message: format!("run.json does not parse: {e}"),
    })?;
    let mut by_name: BTreeMap<String, Rows> = BTreeMap::new();
    let mut picks: BTreeMap<String, FundingPick> = BTreeMap::new();
    let mut claims = Vec::new();
    // The findings first: they say which funding tables failed, which the page draws (the
    // manifest lists the validation dataset after the funding ones).
    let is_findings = |r: &&DatasetRecord| r.name == crate::validate::DATASET;
    let found = match manifest.datasets.iter().find(is_findings) {
        Some(record) => findings(dir, record)?,
        None => Vec::new(),
    };
    for record in &manifest.datasets {
        if is_findings(&record) {
            continue;
        }
        let Some(header) = header_of(dir, record) else {
            continue;
        };
        if !header.iter().any(|c| DRAWN.contains(&c.as_str())) {
            continue;
        }
        if header.iter().any(|c| c == "claim_id") {
            tally_claims(dir, record, &mut claims)?;
            continue;
        }
        let rows = if header
            .iter()
            .any(|c| c == "amount_usd" || c == "stated_usd")
        {
            let base = record.name.strip_suffix("_totals").unwrap_or(&record.name);
            let pick = picks
                .entry(base.to_string())
                .or_insert_with(|| FundingPick::new(base, &found));
            read_dataset(dir, record, Some(FUNDING_COLUMNS), |rows, row| {
                pick.take(rows, row)
            })?
        } else {
            read_dataset(dir, record, None, |_, _| true)?
        };
        by_name.insert(record.name.clone(), rows);
    }
    let mut loaded = sort_out(manifest, run, found, by_name);
    loaded.claims = claims;
    for f in &mut loaded.funding {
        if let Some(pick) = picks.remove(&f.name) {
            f.tables = pick.seen.len();
            f.sums = pick.sums;
        }
    }
    Ok(loaded)
}

/// Counts a claims dataset's rows by kind and outcome as they are read (the page draws only
/// the counts; a dense document's claims are never held).
fn tally_claims(
    dir: &Path,
    record: &DatasetRecord,
    tally: &mut Vec<(String, usize, usize)>,
) -> Result<()> {
    let mut columns: Option<(usize, usize)> = None;
    each_row(dir, record, Some(&["kind", "status"]), |header, row| {
        let (kind, status) = *columns.get_or_insert_with(|| {
            let at = |c: &str| header.iter().position(|h| h == c).unwrap_or(usize::MAX);
            (at("kind"), at("status"))
        });
        let cell = |i: usize| row.get(i).map_or("", |c| c);
        let i = match tally.iter().position(|(k, _, _)| k == cell(kind)) {
            Some(i) => i,
            None => {
                tally.push((cell(kind).to_string(), 0, 0));
                tally.len() - 1
            }
        };
        match cell(status) == "pass" {
            true => tally[i].1 += 1,
            false => tally[i].2 += 1,
        }
    })
}

/// Which funding tables the page draws (the first [`GRIDS`] printed, and every table with a
/// failed total), and the sums its chart shows: a corpus's cells are never all held.
struct FundingPick {
    failing: BTreeSet<(String, String)>,
    seen: BTreeSet<(String, String)>,
    drawn: BTreeSet<(String, String)>,
    sums: Vec<((String, String), f64)>,
    /// The last table asked about (document, region) and whether it is drawn: rows come
    /// table by table.
    last: Option<(String, String, bool)>,
}

impl FundingPick {
    fn new(dataset: &str, findings: &[Finding]) -> FundingPick {
        // Check ids are `dataset:doc:kind:region:...`, the region slugged.
        let failing = findings
            .iter()
            .filter(|f| f.dataset == dataset && f.status == Status::Fail)
            .filter_map(|f| {
                let mut parts = f.check_id.split(':').skip(3);
                Some((f.doc_id.clone(), parts.next()?.to_string()))
            })
            .collect();
        FundingPick {
            failing,
            seen: BTreeSet::new(),
            drawn: BTreeSet::new(),
            sums: Vec::new(),
            last: None,
        }
    }

    fn take(&mut self, rows: &Rows, row: &[&str]) -> bool {
        let (doc, region) = (rows.get(row, "doc_id"), rows.get(row, "region"));
        let cells = rows.has("amount_usd");
        if cells {
            let v = rows.number(row, "amount_usd").unwrap_or(0.0) / 1e6;
            self.add(region, rows.get(row, "category"), v);
        }
        // Whether a table is drawn is settled at its first row and never changes.
        if let Some((d, r, drawn)) = &self.last
            && d == doc
            && r == region
        {
            return *drawn;
        }
        let key = (doc.to_string(), region.to_string());
        if cells && self.seen.insert(key.clone()) {
            let fails = self
                .failing
                .contains(&(key.0.clone(), crate::validate::slug(region)));
            if fails || self.drawn.len() < GRIDS {
                self.drawn.insert(key.clone());
            }
        }
        let drawn = self.drawn.contains(&key);
        self.last = Some((key.0, key.1, drawn));
        drawn
    }

    /// Adds a cell's amount (USD million) to its region and category's sum.
    fn add(&mut self, region: &str, category: &str, v: f64) {
        let at = self
            .sums
            .iter_mut()
            .find(|((r, c), _)| r == region && c == category);
        match at {
            Some((_, total)) => *total += v,
            None => self
                .sums
                .push(((region.to_string(), category.to_string()), v)),
        }
    }
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
    findings: Vec<Finding>,
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
        if rows.has("amount_usd") && rows.has("category_code") {
            let totals = names
                .iter()
                .find(|n| *n == &format!("{name}_totals"))
                .cloned();
            loaded.funding.push(Funding {
                name: name.clone(),
                cells: rows,
                totals: totals.and_then(|t| by_name.remove(&t)),
                tables: 0,
                sums: Vec::new(),
            });
        } else if rows.has("migrants_assisted") && rows.has("role") {
            loaded.avrr.push(rows);
        } else if rows.has("metric_key") && rows.columns().iter().any(|c| c.starts_with("value_")) {
            loaded.metrics_wide.push(rows);
        }
    }
    loaded
}
