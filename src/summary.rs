//! The machine-readable outcome of a run: printed by `--summary json` and kept as `run.json` in
//! the output set. One JSON object: run id, start and end, time per stage, inputs, datasets and
//! rows, checks by status and severity per dataset, exit code and its reason.

use std::collections::BTreeMap;
use std::time::{Instant, SystemTime};

use serde::Serialize;

use crate::error::{EXIT_FINDINGS, EXIT_OK};
use crate::set::InputRecord;
use crate::validate::{Finding, Severity, Status};

/// Which failed findings make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum FailOn {
    /// A failed check of severity error (the default).
    #[default]
    Error,
    /// A failed check of severity error or warning.
    Warning,
    /// Never: findings are reported, the exit code stays 0.
    Never,
}

impl FailOn {
    /// A failed check of this severity counts against the run.
    pub fn counts_failed(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity == Severity::Error,
            FailOn::Warning => severity != Severity::Info,
            FailOn::Never => false,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct StageTime {
    pub stage: String,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct DatasetRows {
    pub name: String,
    pub rows: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunSummary {
    pub run_id: String,
    pub iomtally_version: String,
    pub started: String,
    pub ended: String,
    /// `written`, `checked` (nothing written by design), `up_to_date` (nothing to do), `failed`.
    pub outcome: String,
    pub exit_code: i32,
    pub reason: String,
    pub stages: Vec<StageTime>,
    pub inputs: Vec<InputRecord>,
    pub datasets: Vec<DatasetRows>,
    /// dataset → status → severity → count.
    pub checks: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
    pub output_dir: Option<String>,
}

/// Times the stages of a run as it goes.
pub struct Clock {
    started: SystemTime,
    last: Instant,
    pub stages: Vec<StageTime>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::start()
    }
}

impl Clock {
    pub fn start() -> Clock {
        Clock {
            started: SystemTime::now(),
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the current stage, naming it.
    pub fn lap(&mut self, stage: impl Into<String>) {
        let now = Instant::now();
        self.stages.push(StageTime {
            stage: stage.into(),
            seconds: (now - self.last).as_secs_f64(),
        });
        self.last = now;
    }

    pub fn run_id(&self) -> String {
        let stamp = humantime::format_rfc3339_seconds(self.started).to_string();
        let compact: String = stamp
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        format!("{compact}-{}", std::process::id())
    }

    pub fn started(&self) -> String {
        humantime::format_rfc3339_millis(self.started).to_string()
    }
}

pub fn now() -> String {
    humantime::format_rfc3339_millis(SystemTime::now()).to_string()
}

/// Failed checks listed on the terminal at most: a dense document fails thousands, which a
/// log cannot be read for; all of them are in the validation dataset and the report.
pub const FAILED_LISTED: usize = 50;

/// The failed checks: how many of each severity, and the first [`FAILED_LISTED`], errors
/// first, then warnings, then notes, each in the validation dataset's order.
#[derive(Debug, Default)]
pub struct Failed {
    pub errors: usize,
    pub warnings: usize,
    pub info: usize,
    pub listed: Vec<Finding>,
}

impl Failed {
    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.info
    }
}

/// What a run's summary says of its findings, counted as they pass into the validation
/// dataset (none need be held): checks by dataset, status and severity; the failed ones by
/// severity, the first of each kept for the terminal; and, for the exit code, the failed
/// findings of this run (not those kept from the previous set) by severity.
#[derive(Default)]
pub struct Tally {
    /// dataset → status → severity → count.
    pub by_dataset: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>>,
    by_status: BTreeMap<String, usize>,
    /// By severity (error, warning, info): how many failed, and the first of them.
    failed: [(usize, Vec<Finding>); 3],
    /// By severity: this run's failed findings, and the first's place and check id.
    failing: [(usize, Option<(usize, String)>); 3],
    seen: usize,
}

impl Tally {
    /// Counts one finding; `this_run` when the run made it (not kept from the previous set).
    pub fn add(&mut self, f: &Finding, this_run: bool) {
        *self
            .by_dataset
            .entry(f.dataset.clone())
            .or_default()
            .entry(f.status.as_str().to_string())
            .or_default()
            .entry(f.severity.as_str().to_string())
            .or_default() += 1;
        *self.by_status.entry(f.status.as_str().into()).or_default() += 1;
        let at = Severity::ALL
            .iter()
            .position(|&s| s == f.severity)
            .unwrap_or(0);
        if f.status == Status::Fail {
            let (count, first) = &mut self.failed[at];
            *count += 1;
            if first.len() < FAILED_LISTED {
                first.push(f.clone());
            }
            if this_run {
                let (count, first) = &mut self.failing[at];
                *count += 1;
                first.get_or_insert_with(|| (self.seen, f.check_id.clone()));
            }
        }
        self.seen += 1;
    }

    /// Findings by status (every status, 0 included), and the failed ones of severity error
    /// (`fail_error`).
    pub fn checks(&self) -> BTreeMap<String, usize> {
        let mut checks = self.by_status.clone();
        for status in Status::ALL {
            checks.entry(status.as_str().into()).or_default();
        }
        checks.insert("fail_error".into(), self.failed[0].0);
        checks
    }

    /// The exit code this run's findings give under `fail_on`, and why.
    pub fn exit(&self, fail_on: FailOn) -> (i32, String) {
        let counted = Severity::ALL
            .iter()
            .zip(&self.failing)
            .filter(|(sev, _)| fail_on.counts_failed(**sev));
        let failing: usize = counted.clone().map(|(_, (n, _))| n).sum();
        let first = counted.filter_map(|(_, (_, first))| first.as_ref()).min();
        match first {
            None => (EXIT_OK, "no failed check counts against the run".into()),
            Some((_, check_id)) => (
                EXIT_FINDINGS,
                format!(
                    "{failing} failed check(s) count against the run (--fail-on {}), first {check_id}",
                    match fail_on {
                        FailOn::Error => "error",
                        FailOn::Warning => "warning",
                        FailOn::Never => "never",
                    },
                ),
            ),
        }
    }

    /// The failed checks, for the terminal.
    pub fn failed(&self) -> Failed {
        let [errors, warnings, info] = &self.failed;
        Failed {
            errors: errors.0,
            warnings: warnings.0,
            info: info.0,
            listed: [errors, warnings, info]
                .into_iter()
                .flat_map(|(_, first)| first.iter().cloned())
                .take(FAILED_LISTED)
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(id: &str, status: Status, severity: Severity) -> Finding {
        Finding {
            check_id: id.into(),
            dataset: id.split(':').next().unwrap_or_default().into(),
            kind: "k".into(),
            subject: String::new(),
            stated: None,
            computed: None,
            tolerance: None,
            status,
            severity,
            doc_id: "d".into(),
            line: None,
            evidence: String::new(),
            message: String::new(),
        }
    }

    /// The exit code counts only this run's failures of the severities `--fail-on` names, and
    /// names the first of them in the validation dataset's order; the counts include the
    /// findings kept from the previous set.
    #[test]
    fn a_tally_gives_the_exit_and_counts_a_list_of_findings_would() {
        let mut tally = Tally::default();
        let findings = [
            (finding("a:kept", Status::Fail, Severity::Error), false),
            (finding("b:pass", Status::Pass, Severity::Error), true),
            (finding("b:warn", Status::Fail, Severity::Warning), true),
            (finding("c:err", Status::Fail, Severity::Error), true),
            (finding("c:info", Status::Fail, Severity::Info), true),
        ];
        for (f, this_run) in &findings {
            tally.add(f, *this_run);
        }
        let (code, reason) = tally.exit(FailOn::Error);
        assert_eq!(code, EXIT_FINDINGS);
        assert!(reason.starts_with("1 failed check(s)"), "{reason}");
        assert!(reason.ends_with("first c:err"), "{reason}");
        let (code, reason) = tally.exit(FailOn::Warning);
        assert_eq!(code, EXIT_FINDINGS);
        assert!(reason.starts_with("2 failed check(s)"), "{reason}");
        assert!(reason.ends_with("first b:warn"), "{reason}");
        assert_eq!(tally.exit(FailOn::Never).0, EXIT_OK);
        let checks = tally.checks();
        assert_eq!(checks["fail"], 4);
        assert_eq!(checks["pass"], 1);
        assert_eq!(checks["skipped"], 0);
        assert_eq!(checks["fail_error"], 2);
        assert_eq!(tally.by_dataset["c"]["fail"]["info"], 1);
        let failed = tally.failed();
        let listed: Vec<&str> = failed.listed.iter().map(|f| f.check_id.as_str()).collect();
        assert_eq!(listed, ["a:kept", "c:err", "b:warn", "c:info"]);
        assert_eq!((failed.errors, failed.warnings, failed.info), (2, 1, 1));
    }
}
