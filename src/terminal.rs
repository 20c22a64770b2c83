//! What a run says on the terminal: the closing summary as text on stderr, or the run's JSON
//! object on stdout (`--summary json`).

use std::collections::BTreeMap;

use crate::pipeline::Summary;
use crate::summary::{self, RunSummary};
use crate::validate::Severity;

pub fn print_summary(summary: &Summary) {
    if summary.run.outcome == "up_to_date" {
        eprintln!("up to date: nothing written ({})", summary.run.reason);
        return;
    }
    let failed = &summary.failed;
    for f in &failed.listed {
        let label = match f.severity {
            Severity::Error => "FAIL",
            Severity::Warning => "WARN",
            Severity::Info => "INFO",
        };
        eprintln!(
            "{label} {} ({}:{}): {}",
            f.check_id,
            f.doc_id,
            f.line.map_or("-".to_string(), |l| l.to_string()),
            f.message
        );
    }
    if let Some(more) = failed
        .total()
        .checked_sub(failed.listed.len())
        .filter(|&n| n > 0)
    {
        eprintln!(
            "… and {more} more failed checks (the first {} are listed, errors first): every check is in the validation dataset and the report",
            failed.listed.len()
        );
    }
    for (name, rows) in &summary.datasets {
        eprintln!("{name:<24} {rows:>7} rows");
    }
    let get = |k: &str| summary.checks.get(k).copied().unwrap_or(0);
    eprintln!(
        "checks: {} passed, {} failed ({} errors, {} warnings, {} info), {} inferred, {} skipped",
        get("pass"),
        get("fail"),
        failed.errors,
        failed.warnings,
        failed.info,
        get("inferred"),
        get("skipped")
    );
    match &summary.output_dir {
        Some(dir) => eprintln!("written to {}", dir.display()),
        None => eprintln!("check only: nothing written"),
    }
}

pub fn print_json(run: &RunSummary) {
    match serde_json::to_string(run) {
        Ok(json) => println!("{json}"),
        Err(e) => eprintln!("iomtally: error: cannot print the summary: {e}"),
    }
}

/// The outcome of a run that stopped with an error (exit 2, 3 or 4): nothing was written.
pub fn failed_run(e: &crate::Error) -> RunSummary {
    let now = summary::now();
    RunSummary {
        run_id: format!("failed-{}", std::process::id()),
        iomtally_version: env!("CARGO_PKG_VERSION").to_string(),
        started: now.clone(),
        ended: now,
        outcome: "failed".into(),
        exit_code: e.exit_code(),
        reason: e.to_string(),
        stages: Vec::new(),
        inputs: Vec::new(),
        datasets: Vec::new(),
        checks: BTreeMap::new(),
        output_dir: None,
    }
}
