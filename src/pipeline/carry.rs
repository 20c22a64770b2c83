//! `--only` keeps the output set whole: the datasets it does not name stay as they were, with
//! their files, manifest records, datapackage resources and findings.

use std::fs;
use std::path::Path;

use tracing::warn;

use crate::datapackage;
use crate::error::Result;
use crate::output::Carried;
use crate::set::{Manifest, read};
use crate::validate::{self, Finding, Severity, Status};

/// The previous set's datasets other than `written` (and the findings dataset), and its
/// findings. An absent or unreadable previous set keeps nothing (with a warning).
pub fn previous(dir: &Path, written: &[&str]) -> Result<(Vec<Carried>, Vec<Finding>)> {
    let Some(manifest) = Manifest::read(dir) else {
        if dir.exists() {
            warn!(dir = %dir.display(), "--only: no readable manifest in the output folder; other datasets are not kept");
        }
        return Ok((Vec::new(), Vec::new()));
    };
    let package: serde_json::Value = fs::read_to_string(dir.join(datapackage::FILE))
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    let resources = package["resources"].as_array().cloned().unwrap_or_default();
    let carried = manifest
        .datasets
        .into_iter()
        .filter(|d| !written.contains(&d.name.as_str()) && d.name != validate::DATASET)
        .map(|record| {
            let paths: Vec<&str> = record.files.iter().map(|f| f.path.as_str()).collect();
            let resources = resources
                .iter()
                .filter(|r| r["path"].as_str().is_some_and(|p| paths.contains(&p)))
                .cloned()
                .collect();
            Carried { record, resources }
        })
        .collect();
    Ok((carried, read_findings(dir)?))
}

/// The findings of a written set, from its CSV or else its Parquet file.
pub fn read_findings(dir: &Path) -> Result<Vec<Finding>> {
    let csv = dir.join(format!("{}.csv", validate::DATASET));
    let parquet = dir.join(format!("{}.parquet", validate::DATASET));
    let table = if csv.exists() {
        read::table(&csv)?
    } else if parquet.exists() {
        read::table(&parquet)?
    } else {
        return Ok(Vec::new());
    };
    Ok(table.rows.iter().filter_map(|r| finding(r)).collect())
}

/// A findings row in the column order of [`validate::fields`].
pub fn finding(r: &[String]) -> Option<Finding> {
    let num = |s: &String| s.parse::<f64>().ok();
    let status = Status::parse(r.get(8)?)?;
    let severity = Severity::parse(r.get(9)?)?;
    Some(Finding {
        check_id: r[0].clone(),
        dataset: r[1].clone(),
        kind: r[2].clone(),
        subject: r[3].clone(),
        stated: num(&r[4]),
        computed: num(&r[5]),
        tolerance: num(&r[7]),
        status,
        severity,
        doc_id: r[10].clone(),
        line: r[11].parse().ok(),
        evidence: r.get(12)?.clone(),
        message: r.get(13)?.clone(),
    })
}
