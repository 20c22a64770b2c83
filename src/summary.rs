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
    pub fn counts(self, f: &Finding) -> bool {
        f.status == Status::Fail
            && match self {
                FailOn::Error => f.severity == Severity::Error,
                FailOn::Warning => f.severity != Severity::Info,
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

/// dataset → status → severity → count.
pub fn checks_by_dataset(
    findings: &[Finding],
) -> BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>> {
    let mut out: BTreeMap<String, BTreeMap<String, BTreeMap<String, usize>>> = BTreeMap::new();
    for f in findings {
        *out.entry(f.dataset.clone())
            .or_default()
            .entry(f.status.as_str().to_string())
            .or_default()
            .entry(f.severity.as_str().to_string())
            .or_default() += 1;
    }
    out
}

/// The exit code findings give under `fail_on`, and why.
pub fn findings_exit(findings: &[Finding], fail_on: FailOn) -> (i32, String) {
    let failing: Vec<&Finding> = findings.iter().filter(|f| fail_on.counts(f)).collect();
    match failing.first() {
        None => (EXIT_OK, "no failed check counts against the run".into()),
        Some(first) => (
            EXIT_FINDINGS,
            format!(
                "{} failed check(s) count against the run (--fail-on {}), first {}",
                failing.len(),
                match fail_on {
                    FailOn::Error => "error",
                    FailOn::Warning => "warning",
                    FailOn::Never => "never",
                },
                first.check_id
            ),
        ),
    }
}
