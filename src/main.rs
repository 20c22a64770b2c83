//! Command line: parse and check arguments, build a plan, run it, report, exit with a code
//! that says what happened (see README, "Exit codes").

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use iomtally::error::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use iomtally::pipeline::{self, Plan, RunOptions, Summary};
use iomtally::validate::{Severity, Status};

#[derive(Parser)]
#[command(
    name = "iomtally",
    version,
    about = "Extract datasets from IOM report text and check their printed totals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log level for progress messages on stderr (error, warn, info, debug).
    #[arg(long, global = true, default_value = "warn")]
    log: String,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Pipeline configuration.
    #[arg(long, default_value = "pipeline.toml")]
    config: PathBuf,
    /// Run only these datasets (names as in pipeline.toml); repeatable.
    #[arg(long = "only", value_name = "DATASET")]
    only: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest, extract, validate and write the datasets and manifest.
    Run {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: [output].dir of the config).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Add the HXL hashtag row under each CSV header (for HDX).
        #[arg(long)]
        hxl: bool,
    },
    /// Everything `run` does except writing.
    Check {
        #[command(flatten)]
        common: Common,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    let Ok(level) = cli.log.parse::<tracing::Level>() else {
        eprintln!("iomtally: usage: --log takes one of error, warn, info, debug, trace");
        return ExitCode::from(EXIT_USAGE as u8);
    };
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_max_level(level)
        .init();

    let opts = match cli.command {
        Command::Run {
            common,
            output,
            hxl,
        } => RunOptions {
            config: common.config,
            output,
            only: common.only,
            write: true,
            hxl,
        },
        Command::Check { common } => RunOptions {
            config: common.config,
            output: None,
            only: common.only,
            write: false,
            hxl: false,
        },
    };
    let result = Plan::new(&opts).and_then(|plan| pipeline::execute(&plan));
    match result {
        Ok(summary) => {
            report(&summary);
            let code = if summary.error_findings > 0 {
                EXIT_FINDINGS
            } else {
                EXIT_OK
            };
            ExitCode::from(code as u8)
        }
        Err(e) => {
            eprintln!("iomtally: error: {e}");
            ExitCode::from(e.exit_code() as u8)
        }
    }
}

fn report(summary: &Summary) {
    for f in summary.findings.iter().filter(|f| f.status == Status::Fail) {
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
    for (name, rows) in &summary.datasets {
        eprintln!("{name:<24} {rows:>7} rows");
    }
    let get = |k: &str| summary.checks.get(k).copied().unwrap_or(0);
    let failed = |sev: Severity| {
        summary
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail && f.severity == sev)
            .count()
    };
    eprintln!(
        "checks: {} passed, {} failed ({} errors, {} warnings, {} info), {} inferred, {} skipped",
        get("pass"),
        get("fail"),
        failed(Severity::Error),
        failed(Severity::Warning),
        failed(Severity::Info),
        get("inferred"),
        get("skipped")
    );
    match &summary.output_dir {
        Some(dir) => eprintln!("written to {}", dir.display()),
        None => eprintln!("check only: nothing written"),
    }
}
