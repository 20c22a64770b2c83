//! Command line: parse and check arguments, build a plan, run it, report, exit with a code
//! that says what happened (see README, "Exit codes").

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand, ValueEnum};

use iomtally::diff;
use iomtally::error::{EXIT_OK, EXIT_USAGE};
use iomtally::pipeline::{self, Plan, RunOptions};
use iomtally::summary::FailOn;
use iomtally::terminal;

/// Extraction makes and drops many small strings across threads; mimalloc's per-thread heaps
/// take a fifth of the corpus run's time that the system allocator spent in malloc and free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `purge_delay` (its place in `mi_option_e`, mimalloc.h; the Rust bindings leave
/// it unnamed).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed pages go back to the system after 10 ms instead of mimalloc's second: the corpus
/// run's peak memory falls by a quarter (203 → 149 MiB, without huge pages: see Cargo.toml)
/// for about 10% more time, the dense document's by 130 MiB. `MIMALLOC_PURGE_DELAY` in the
/// environment still decides.
fn allocator_defaults() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one of the allocator's options, which it reads when it next purges; it
        // touches no memory of the program's.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10) };
    }
}

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
    /// Log lines as text or as JSON objects (one per line).
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    log_format: Format,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(clap::Args, Clone)]
struct Common {
    /// Pipeline configuration.
    #[arg(long, default_value = "pipeline.toml")]
    config: PathBuf,
    /// Run only these datasets (names as in pipeline.toml); repeatable. The others stay in
    /// the output set as they were.
    #[arg(long = "only", value_name = "DATASET")]
    only: Vec<String>,
    /// Which failed checks make the exit code 1.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// The closing summary: text on stderr, or one JSON object on stdout.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    summary: Format,
    /// Threads that read documents in parallel (default: one per core). Outputs are the same
    /// whatever the count.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest, extract, validate and write the output set.
    Run {
        #[command(flatten)]
        common: Common,
        /// Output folder (default: [output].dir of the config).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Add the HXL hashtag row under each CSV header (for HDX).
        #[arg(long)]
        hxl: bool,
        /// Seconds to wait for another run holding the output folder (default: fail at once).
        #[arg(long, value_name = "SECONDS", default_value_t = 0)]
        wait: u64,
        /// Run even when nothing changed since the output set was written.
        #[arg(long)]
        force: bool,
    },
    /// Everything `run` does except writing.
    Check {
        #[command(flatten)]
        common: Common,
    },
    /// Year-bound or compared figures no catalogue source reads, with entries to paste;
    /// exit 1 when there are any.
    Suggest {
        /// Pipeline configuration.
        #[arg(long, default_value = "pipeline.toml")]
        config: PathBuf,
        /// The metrics dataset whose catalogue to extend (default: the only one).
        #[arg(long)]
        dataset: Option<String>,
        /// Link figures no source reads into series across years and editions by their frames
        /// (the words around them), each with a catalogue entry.
        #[arg(long)]
        series: bool,
        /// With --series: take each catalogued metric of two or more years out in turn and
        /// print whether the linker proposes it back (how far the linker can be trusted).
        #[arg(long, requires = "series")]
        leave_one_out: bool,
    },
    /// Rebuild report.html in an output folder from its files.
    Report {
        /// The output folder.
        dir: PathBuf,
        /// The configuration the set was written with: input paths are relative to its folder.
        #[arg(long, default_value = "pipeline.toml")]
        config: PathBuf,
    },
    /// Show one finding with its source lines and the figures underlined.
    Explain {
        /// The finding's check id (validation_results.check_id).
        check_id: String,
        /// The output folder (default: [output].dir of the config).
        #[arg(long)]
        output: Option<PathBuf>,
        /// The configuration the set was written with.
        #[arg(long, default_value = "pipeline.toml")]
        config: PathBuf,
    },
    /// What changed between two output sets, by primary key; exit 1 when they differ.
    Diff {
        old: PathBuf,
        new: PathBuf,
        /// One JSON object on stdout instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn init_logging(level: &str, format: Format) -> Result<(), String> {
    let level: tracing::Level = level
        .parse()
        .map_err(|_| "--log takes one of error, warn, info, debug, trace".to_string())?;
    let builder = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_max_level(level);
    match format {
        Format::Text => builder.init(),
        Format::Json => builder.json().init(),
    }
    Ok(())
}

/// Sizes the pool of threads that read documents.
fn init_threads(threads: Option<usize>) -> Result<(), String> {
    match threads {
        Some(0) => Err("--threads takes a number of threads from 1".into()),
        Some(n) => rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
            .map_err(|e| e.to_string()),
        None => Ok(()),
    }
}

fn options(command: Command) -> Result<(RunOptions, Format, Option<usize>), Command> {
    match command {
        Command::Run {
            common,
            output,
            hxl,
            wait,
            force,
        } => Ok((
            RunOptions {
                config: common.config,
                output,
                only: common.only,
                write: true,
                hxl,
                wait: Duration::from_secs(wait),
                force,
                fail_on: common.fail_on,
            },
            common.summary,
            common.threads,
        )),
        Command::Check { common } => Ok((
            RunOptions {
                config: common.config,
                output: None,
                only: common.only,
                write: false,
                hxl: false,
                wait: Duration::ZERO,
                force: true,
                fail_on: common.fail_on,
            },
            common.summary,
            common.threads,
        )),
        other => Err(other),
    }
}

fn suggest_command(config: &std::path::Path, dataset: Option<&str>) -> i32 {
    let found = iomtally::config::Config::load(config)
        .and_then(|c| iomtally::suggest::suggestions(&c, dataset));
    match found {
        Ok(list) if list.is_empty() => {
            eprintln!(
                "nothing to suggest: every year-bound or compared figure is catalogued or excluded"
            );
            EXIT_OK
        }
        Ok(list) => {
            print!("{}", iomtally::suggest::text(&list));
            let figures: usize = list.iter().map(|s| s.entries.len()).sum();
            eprintln!(
                "{figures} figure(s) in {} sentence(s) are neither catalogued nor excluded",
                list.len()
            );
            iomtally::error::EXIT_FINDINGS
        }
        Err(e) => {
            eprintln!("iomtally: error: {e}");
            e.exit_code()
        }
    }
}

/// `suggest --series`: the candidate series, or (`leave_one_out`) the linker's recall table.
fn series_command(config: &std::path::Path, dataset: Option<&str>, leave_one_out: bool) -> i32 {
    use iomtally::suggest::series;
    let corpus =
        iomtally::config::Config::load(config).and_then(|c| series::Corpus::load(&c, dataset));
    let corpus = match corpus {
        Ok(corpus) => corpus,
        Err(e) => {
            eprintln!("iomtally: error: {e}");
            return e.exit_code();
        }
    };
    if leave_one_out {
        print!("{}", series::recall_table(&series::leave_one_out(&corpus)));
        return EXIT_OK;
    }
    let found = series::series(&corpus);
    if found.is_empty() {
        eprintln!("no series to suggest: every linked figure is catalogued or excluded");
        return EXIT_OK;
    }
    print!("{}", series::text(&corpus, &found));
    eprintln!(
        "{} candidate series are neither catalogued nor excluded",
        found.len()
    );
    iomtally::error::EXIT_FINDINGS
}

/// The folder the configuration's relative paths start from.
fn base_of(config: &std::path::Path) -> PathBuf {
    match config.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn report_command(dir: &std::path::Path, config: &std::path::Path) -> i32 {
    match iomtally::report::rebuild(dir, &base_of(config)) {
        Ok(path) => {
            eprintln!("written {}", path.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("iomtally: error: {e}");
            e.exit_code()
        }
    }
}

fn explain_command(id: &str, output: Option<PathBuf>, config: &std::path::Path) -> i32 {
    // The configured output folder when none is given (a config that does not load: "output").
    let dir = output.unwrap_or_else(|| {
        iomtally::config::Config::load(config)
            .map(|c| c.output_dir())
            .unwrap_or_else(|_| base_of(config).join("output"))
    });
    iomtally::explain::command(&dir, id, &base_of(config))
}

fn main() -> ExitCode {
    allocator_defaults();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code as u8);
        }
    };
    if let Err(m) = init_logging(&cli.log, cli.log_format) {
        eprintln!("iomtally: usage: {m}");
        return ExitCode::from(EXIT_USAGE as u8);
    }
    let (opts, summary, threads) = match options(cli.command) {
        Ok(o) => o,
        Err(Command::Diff { old, new, json }) => {
            return ExitCode::from(diff::command(&old, &new, json) as u8);
        }
        Err(Command::Suggest {
            config,
            dataset,
            series,
            leave_one_out,
        }) => {
            let code = if series {
                series_command(&config, dataset.as_deref(), leave_one_out)
            } else {
                suggest_command(&config, dataset.as_deref())
            };
            return ExitCode::from(code as u8);
        }
        Err(Command::Report { dir, config }) => {
            return ExitCode::from(report_command(&dir, &config) as u8);
        }
        Err(Command::Explain {
            check_id,
            output,
            config,
        }) => {
            return ExitCode::from(explain_command(&check_id, output, &config) as u8);
        }
        Err(_) => return ExitCode::from(EXIT_USAGE as u8),
    };
    if let Err(m) = init_threads(threads) {
        eprintln!("iomtally: usage: {m}");
        return ExitCode::from(EXIT_USAGE as u8);
    }
    let result = Plan::new(&opts).and_then(|plan| pipeline::execute(&plan));
    let code = match &result {
        Ok(s) => s.run.exit_code,
        Err(e) => e.exit_code(),
    };
    match (summary, result) {
        (Format::Text, Ok(s)) => terminal::print_summary(&s),
        (Format::Json, Ok(s)) => terminal::print_json(&s.run),
        (Format::Text, Err(e)) => eprintln!("iomtally: error: {e}"),
        (Format::Json, Err(e)) => {
            eprintln!("iomtally: error: {e}");
            terminal::print_json(&terminal::failed_run(&e));
        }
    }
    ExitCode::from(code as u8)
}
