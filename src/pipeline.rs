//! The plan (what to read, extract and write, checked before any work) and its execution:
//! ingest → extract (each dataset's extractor, ordered by what it needs) → validate → write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};
use tracing::info;

use crate::config::Config;
use crate::countries::CountryTable;
use crate::dataset::{Dataset, TableBuilder};
use crate::document::{Document, Source, hex};
use crate::error::EXIT_OK;
use crate::error::{Error, Result};
use crate::extract::{self, Context, Extractor, RowGroups};
use crate::lock;
use crate::output::findings::FindingLog;
use crate::output::stream::{Sink, Streamed};
use crate::output::swap::Layout;
use crate::output::{self, Carried, Staging, WriteOptions};
use crate::set::{self, ConfigRecord, InputRecord, Manifest};
use crate::stated::Stated;
use crate::summary::{self, Clock, DatasetRows, FailOn, Failed, RunSummary, Tally};
use crate::validate::{self, Finding};
use rayon::prelude::*;

pub use crate::document::Library;
pub use crate::summary::FAILED_LISTED;

pub mod carry;
mod wave;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub config: PathBuf,
    pub output: Option<PathBuf>,
    pub only: Vec<String>,
    /// False for `check`: everything but writing.
    pub write: bool,
    /// HXL hashtag row under each CSV header.
    pub hxl: bool,
    /// How long to wait for another run's lock on the output folder.
    pub wait: Duration,
    /// Run even when nothing changed since the output set was written.
    pub force: bool,
    /// Which failed findings make the exit code 1.
    pub fail_on: FailOn,
}

/// One dataset to extract.
pub struct Step {
    pub dataset: String,
    pub extractor: Box<dyn Extractor>,
    /// False for a dataset run only because a selected one needs its figures: its datasets
    /// and findings are not part of this run's output.
    pub emit: bool,
}

/// A validated plan: every extractor built (catalogues loaded and checked), ordered so that a
/// dataset runs after the ones it needs, and the documents they read.
pub struct Plan {
    pub config: Config,
    pub steps: Vec<Step>,
    /// Document ids to ingest, in declaration order.
    pub documents: Vec<String>,
    pub output_dir: PathBuf,
    pub write: bool,
    pub hxl: bool,
    /// True when `--only` named datasets: the others are kept from the previous set.
    pub partial: bool,
    pub wait: Duration,
    pub force: bool,
    pub fail_on: FailOn,
}

impl Plan {
    pub fn new(opts: &RunOptions) -> Result<Plan> {
        let config = Config::load(&opts.config)?;
        let selected = select(&config, &opts.only, &opts.config)?;
        let steps = order_steps(&config, &selected)?;
        let needed: BTreeSet<&str> = steps
            .iter()
            .flat_map(|s| config.documents_of(&s.dataset))
            .map(String::as_str)
            .collect();
        let documents = config
            .raw
            .documents
            .iter()
            .map(|d| d.id.get_ref().clone())
            .filter(|id| needed.contains(id.as_str()))
            .collect();
        let output_dir = output::resolve_dir(opts.output.as_deref(), config.output_dir());
        Ok(Plan {
            config,
            steps,
            documents,
            output_dir,
            write: opts.write,
            hxl: opts.hxl,
            partial: !opts.only.is_empty(),
            wait: opts.wait,
            force: opts.force,
            fail_on: opts.fail_on,
        })
    }
}

/// The datasets `--only` names (all when it names none), each checked to exist.
fn select(config: &Config, only: &[String], path: &Path) -> Result<Vec<String>> {
    let known: Vec<&String> = config.raw.datasets.keys().collect();
    for name in only {
        if !config.raw.datasets.contains_key(name) {
            let names: Vec<&str> = known.iter().map(|s| s.as_str()).collect();
            return Err(Error::Usage(format!(
                "unknown dataset '{name}' in --only; {} declares: {}",
                path.display(),
                names.join(", ")
            )));
        }
    }
    Ok(known
        .into_iter()
        .filter(|n| only.is_empty() || only.contains(n))
        .cloned()
        .collect())
}

/// The selected datasets and those they need, each after its needs (name order otherwise).
fn order_steps(config: &Config, selected: &[String]) -> Result<Vec<Step>> {
    let mut steps: Vec<Step> = Vec::new();
    let mut visiting: Vec<String> = Vec::new();
    for name in selected {
        visit(config, name, true, &mut steps, &mut visiting)?;
    }
    Ok(steps)
}

fn visit(
    config: &Config,
    name: &str,
    emit: bool,
    steps: &mut Vec<Step>,
    visiting: &mut Vec<String>,
) -> Result<()> {
    if let Some(step) = steps.iter_mut().find(|s| s.dataset == name) {
        step.emit |= emit;
        return Ok(());
    }
    let ds = config.raw.datasets.get(name).ok_or_else(|| Error::Config {
        path: config.path.clone(),
        line: None,
        column: None,
        message: format!("a dataset needs '{name}', which is not declared under [datasets]"),
    })?;
    if visiting.iter().any(|v| v == name) {
        return Err(config.error_at(
            ds.span(),
            format!(
                "datasets need each other in a cycle: {} -> {name}",
                visiting.join(" -> ")
            ),
        ));
    }
    let extractor = extract::build(name, ds.get_ref(), config)?;
    visiting.push(name.to_string());
    for need in extractor.needs() {
        visit(config, &need, false, steps, visiting)?;
    }
    visiting.pop();
    steps.push(Step {
        dataset: name.to_string(),
        extractor,
        emit,
    });
    Ok(())
}

#[derive(Debug)]
pub struct Summary {
    /// (dataset, rows), in write order.
    pub datasets: Vec<(String, usize)>,
    pub checks: BTreeMap<String, usize>,
    pub error_findings: usize,
    pub output_dir: Option<PathBuf>,
    /// The checks that failed, for the terminal to count and list in part (every finding,
    /// passed ones too, is in the validation dataset).
    pub failed: Failed,
    /// The machine-readable outcome (also `run.json` in the output set).
    pub run: RunSummary,
}

/// Where a declared document is; an input error naming its declaration when it is not there.
fn document_path(config: &Config, doc_cfg: &crate::config::DocumentConfig) -> Result<PathBuf> {
    let path = config.base_dir.join(doc_cfg.path.get_ref());
    if path.is_file() {
        return Ok(path);
    }
    Err(Error::Input {
        message: format!(
            "document '{}' not found (declared at {}:{})",
            doc_cfg.id.get_ref(),
            config.path.display(),
            config.document_line(doc_cfg)
        ),
        path,
    })
}

/// Reads the documents `ids` into memory (for callers that want them all at hand).
pub fn ingest(config: &Config, ids: &[&str]) -> Result<Library> {
    let mut docs = Vec::new();
    for doc_cfg in &config.raw.documents {
        let id = doc_cfg.id.get_ref();
        if !ids.contains(&id.as_str()) {
            continue;
        }
        let path = document_path(config, doc_cfg)?;
        let doc = Document::load(id, &path, &doc_cfg.repairs)?;
        info!(doc = %id, lines = doc.lines.len(), "ingested");
        docs.push(doc);
    }
    Ok(Library::new(docs))
}

/// What the emitted steps produced, gathered in dataset name order so that the output does
/// not depend on the order the plan ran them in.
#[derive(Default)]
struct Results {
    datasets: BTreeMap<String, Vec<Dataset>>,
    streamed: BTreeMap<String, Vec<Streamed>>,
    findings: BTreeMap<String, FindingLog>,
}

/// Everything the run read, and the digest that says whether its outputs could differ from
/// the set already written.
struct Read {
    library: Library,
    countries: CountryTable,
    inputs: Vec<InputRecord>,
    references: Vec<ConfigRecord>,
    config: ConfigRecord,
    run_key: String,
}

pub fn execute(plan: &Plan) -> Result<Summary> {
    let mut clock = Clock::start();
    if plan.write {
        crate::output::swap::check_location(&plan.output_dir)?;
    }
    let _lock = match plan.write {
        true => Some(lock::acquire(
            &Layout::of(&plan.output_dir)?.lock_path(),
            plan.wait,
        )?),
        false => None,
    };
    let read = read_inputs(plan)?;
    clock.lap("ingest");
    if plan.write && !plan.force && up_to_date(&plan.output_dir, &read.run_key) {
        info!(dir = %plan.output_dir.display(), "up to date");
        return Ok(up_to_date_summary(plan, &clock, read.inputs));
    }
    // Large datasets stream into the staging folder while their documents are read.
    let staging = match plan.write {
        true => Some(Staging::begin(&plan.output_dir)?),
        false => None,
    };
    let sink = staging.as_ref().map(|s| Sink {
        dir: s.dir.clone(),
        formats: plan.config.formats(),
        hxl: plan.hxl,
        inputs: read.inputs.clone(),
    });
    let results = extract_all(plan, &read, sink.as_ref(), &mut clock)?;
    let (mut made, findings, carried) = assemble(plan, results)?;
    let tally = validation_results(findings, sink.as_ref(), plan, &mut made)?;
    clock.lap("validate");
    let (exit_code, reason) = tally.exit(plan.fail_on);
    let checks = tally.checks();
    let mut run = RunSummary {
        run_id: clock.run_id(),
        iomtally_version: env!("CARGO_PKG_VERSION").to_string(),
        started: clock.started(),
        ended: String::new(),
        outcome: if plan.write { "written" } else { "checked" }.into(),
        exit_code,
        reason,
        stages: clock.stages.clone(),
        inputs: read.inputs.clone(),
        datasets: made.rows(),
        checks: tally.by_dataset.clone(),
        output_dir: plan.write.then(|| plan.output_dir.display().to_string()),
    };
    let failed = tally.failed();
    if let Some(staging) = staging {
        run.ended = summary::now();
        write(plan, &read, staging, made, &checks, carried, &run)?;
        clock.lap("write");
        run.stages = clock.stages.clone();
    }
    run.ended = summary::now();
    Ok(Summary {
        datasets: run
            .datasets
            .iter()
            .map(|d| (d.name.clone(), d.rows))
            .collect(),
        error_findings: checks.get("fail_error").copied().unwrap_or(0),
        checks,
        output_dir: plan.write.then(|| plan.output_dir.clone()),
        failed,
        run,
    })
}

/// What the run made: datasets held in memory, and datasets already streamed to staging.
struct Made {
    datasets: Vec<Dataset>,
    streamed: Vec<Streamed>,
}

impl Made {
    /// Every dataset's rows, in name order, the findings last.
    fn rows(&self) -> Vec<DatasetRows> {
        let mut rows: Vec<DatasetRows> = self
            .datasets
            .iter()
            .map(|d| DatasetRows {
                name: d.name.clone(),
                rows: d.rows(),
            })
            .chain(self.streamed.iter().map(|s| DatasetRows {
                name: s.meta.name.clone(),
                rows: s.rows,
            }))
            .collect();
        rows.sort_by(|a, b| {
            (a.name == validate::DATASET, &a.name).cmp(&(b.name == validate::DATASET, &b.name))
        });
        rows
    }
}

fn read_inputs(plan: &Plan) -> Result<Read> {
    let config = &plan.config;
    let (library, inputs) = scan(config, &plan.documents)?;
    let countries = CountryTable::load(
        &config.countries_path(),
        &config.raw.countries.not_countries,
    )?;
    let references = references(plan)?;
    let config_record = ConfigRecord {
        path: file_name(&config.path),
        sha256: hex(&Sha256::digest(config.source_text.as_bytes())),
    };
    let run_key = run_key(plan, &config_record, &inputs, &references);
    Ok(Read {
        library,
        countries,
        inputs,
        references,
        config: config_record,
        run_key,
    })
}

/// Checks every input is readable text and records its hash and line count, in parallel,
/// without keeping any: the extraction passes read each document when its turn comes.
fn scan(config: &Config, ids: &[String]) -> Result<(Library, Vec<InputRecord>)> {
    let records: Vec<Result<(String, Source, InputRecord)>> =
        ids.par_iter().map(|id| scan_one(config, id)).collect();
    let mut sources = BTreeMap::new();
    let mut inputs = Vec::new();
    for r in records {
        let (id, source, record) = r?;
        info!(doc = %id, lines = record.lines, "ingested");
        sources.insert(id, source);
        inputs.push(record);
    }
    Ok((Library::lazy(sources), inputs))
}

fn scan_one(config: &Config, id: &str) -> Result<(String, Source, InputRecord)> {
    let doc_cfg = config
        .document(id)
        .ok_or_else(|| Error::Usage(format!("document '{id}' is not declared")))?;
    let path = document_path(config, doc_cfg)?;
    let bytes = std::fs::read(&path).map_err(|e| Error::Input {
        path: path.clone(),
        message: format!("cannot read document '{id}': {e}"),
    })?;
    let text = crate::document::as_text(id, &path, &bytes)?;
    let record = InputRecord {
        id: id.to_string(),
        path: doc_cfg.path.get_ref().clone(),
        title: doc_cfg.title.clone(),
        sha256: hex(&Sha256::digest(&bytes)),
        lines: crate::document::split_lines(text).count(),
    };
    let source = Source {
        path,
        repairs: doc_cfg.repairs.clone(),
    };
    Ok((id.to_string(), source, record))
}

/// Digest of what decides the output set: iomtally's version, the configuration, every input
/// and reference file, the datasets run and the output options.
fn run_key(
    plan: &Plan,
    config: &ConfigRecord,
    inputs: &[InputRecord],
    references: &[ConfigRecord],
) -> String {
    let emitted: Vec<&str> = plan
        .steps
        .iter()
        .filter(|s| s.emit)
        .map(|s| s.dataset.as_str())
        .collect();
    let key = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "config": config,
        "inputs": inputs,
        "references": references,
        "datasets": emitted,
        "partial": plan.partial,
        "formats": plan.config.formats().iter().map(|f| format!("{f:?}")).collect::<Vec<_>>(),
        "hxl": plan.hxl,
    });
    hex(&Sha256::digest(key.to_string().as_bytes()))
}

/// The set in `dir` was written from exactly these inputs and is intact on disk (its report
/// too, which the manifest does not hash).
fn up_to_date(dir: &Path, run_key: &str) -> bool {
    let Some(manifest) = Manifest::read(dir) else {
        return false;
    };
    let files: Vec<_> = manifest.datasets.iter().flat_map(|d| &d.files).collect();
    // Streamed and in parallel: a dense document's set holds gigabytes of CSV.
    manifest.run_key == run_key
        && dir.join(crate::report::FILE).is_file()
        && files
            .par_iter()
            .all(|f| set::sha256_file(&dir.join(&f.path)).is_ok_and(|h| h == f.sha256))
}

fn up_to_date_summary(plan: &Plan, clock: &Clock, inputs: Vec<InputRecord>) -> Summary {
    let run = RunSummary {
        run_id: clock.run_id(),
        iomtally_version: env!("CARGO_PKG_VERSION").to_string(),
        started: clock.started(),
        ended: summary::now(),
        outcome: "up_to_date".into(),
        exit_code: EXIT_OK,
        reason: "up to date: inputs, configuration, reference files and version are those of the output set; nothing written (--force runs anyway)".into(),
        stages: clock.stages.clone(),
        inputs,
        datasets: Vec::new(),
        checks: BTreeMap::new(),
        output_dir: Some(plan.output_dir.display().to_string()),
    };
    Summary {
        datasets: Vec::new(),
        checks: BTreeMap::new(),
        error_findings: 0,
        output_dir: None,
        failed: Failed::default(),
        run,
    }
}

/// Runs the steps in waves (each wave's steps need only figures of earlier waves). A wave
/// reads its documents in one pass: each document is analysed once and handed to every step
/// of the wave that reads it, then dropped.
fn extract_all(
    plan: &Plan,
    read: &Read,
    sink: Option<&Sink>,
    clock: &mut Clock,
) -> Result<Results> {
    let mut figures: BTreeMap<String, Vec<Stated>> = BTreeMap::new();
    let mut results = Results::default();
    for wave in waves(&plan.steps) {
        let contexts: Vec<Context> = wave
            .iter()
            .map(|step| Context {
                dataset: &step.dataset,
                config: &plan.config,
                countries: &read.countries,
                figures: &figures,
                sink: sink.filter(|_| step.emit),
            })
            .collect();
        let outputs = wave::run(plan, &read.library, &wave, &contexts)?;
        let mut made = Vec::new();
        for (step, out) in wave.iter().zip(outputs) {
            for ds in &out.datasets {
                info!(dataset = %ds.name, rows = ds.rows(), "extracted");
            }
            made.push((step, out));
        }
        drop(contexts);
        let names: Vec<&str> = wave.iter().map(|s| s.dataset.as_str()).collect();
        clock.lap(format!("extract: {}", names.join(", ")));
        for (step, out) in made {
            figures.insert(step.dataset.clone(), out.figures);
            if step.emit {
                results.datasets.insert(step.dataset.clone(), out.datasets);
                results.streamed.insert(step.dataset.clone(), out.streamed);
                results.findings.insert(step.dataset.clone(), out.findings);
            }
        }
    }
    Ok(results)
}

/// The plan's steps in waves: each step in the first wave after every step it needs.
fn waves(steps: &[Step]) -> Vec<Vec<&Step>> {
    let mut wave_of: BTreeMap<&str, usize> = BTreeMap::new();
    let mut waves: Vec<Vec<&Step>> = Vec::new();
    // Steps come ordered after their needs, so each need has its wave already.
    for step in steps {
        let wave = step
            .extractor
            .needs()
            .iter()
            .filter_map(|n| wave_of.get(n.as_str()))
            .map(|w| w + 1)
            .max()
            .unwrap_or(0);
        wave_of.insert(&step.dataset, wave);
        if waves.len() <= wave {
            waves.resize_with(wave + 1, Vec::new);
        }
        waves[wave].push(step);
    }
    waves
}

/// Each dataset's findings in dataset name order, with whether this run made them (else they
/// are kept from the previous set, for a dataset `--only` did not name).
type Findings = Vec<(FindingLog, bool)>;

fn assemble(plan: &Plan, results: Results) -> Result<(Made, Findings, Vec<Carried>)> {
    let made = Made {
        datasets: results.datasets.into_values().flatten().collect(),
        streamed: results.streamed.into_values().flatten().collect(),
    };
    let mut carried = Vec::new();
    let mut kept: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
    if plan.write && plan.partial {
        let written: Vec<&str> = made
            .datasets
            .iter()
            .map(|d| d.name.as_str())
            .chain(made.streamed.iter().map(|s| s.meta.name.as_str()))
            .collect();
        let (kept_datasets, kept_findings) = carry::previous(&plan.output_dir, &written)?;
        carried = kept_datasets;
        let kept_names: Vec<&str> = carried.iter().map(|c| c.record.name.as_str()).collect();
        for f in kept_findings {
            if kept_names.contains(&f.dataset.as_str()) {
                kept.entry(f.dataset.clone()).or_default().push(f);
            }
        }
    }
    // By dataset name; a dataset's own findings before any kept under its name.
    let mut by_name: BTreeMap<String, Findings> = BTreeMap::new();
    for (name, log) in results.findings {
        by_name.entry(name).or_default().push((log, true));
    }
    for (name, findings) in kept {
        by_name
            .entry(name)
            .or_default()
            .push((findings.into(), false));
    }
    Ok((made, by_name.into_values().flatten().collect(), carried))
}

/// Findings handed on to the validation dataset at a time.
const FINDINGS_PER_BATCH: usize = 8192;

/// Every finding into the validation dataset, in order (streamed into the staging folder in
/// row groups when the run writes, else held), counted for the run's summary as it passes:
/// no finding outlives this but the few the terminal lists.
fn validation_results(
    findings: Findings,
    sink: Option<&Sink>,
    plan: &Plan,
    made: &mut Made,
) -> Result<Tally> {
    let empty = TableBuilder::new(validate::fields()).finish(
        validate::DATASET,
        plan.documents.clone(),
        vec!["check_id".into()],
    );
    let mut rows = RowGroups::to(sink, empty)?;
    let mut tally = Tally::default();
    let mut batch = TableBuilder::new(validate::fields());
    for (log, this_run) in findings {
        log.drain(|f| {
            tally.add(&f, this_run);
            validate::push_row(&mut batch, &f);
            if batch.len() >= FINDINGS_PER_BATCH {
                rows.push(std::mem::replace(
                    &mut batch,
                    TableBuilder::new(validate::fields()),
                ));
            }
            Ok(())
        })?;
    }
    rows.push(batch);
    let mut out = crate::extract::Output::default();
    rows.finish(&mut out)?;
    made.datasets.extend(out.datasets);
    made.streamed.extend(out.streamed);
    Ok(tally)
}

/// Sequences the set: data files, `datapackage.json` and `run.json`; the report, made from
/// those; the manifest last; then the swap.
fn write(
    plan: &Plan,
    read: &Read,
    staging: Staging,
    made: Made,
    checks: &BTreeMap<String, usize>,
    carried: Vec<Carried>,
    run: &RunSummary,
) -> Result<()> {
    let run_json = serde_json::to_string_pretty(run)
        .map_err(|e| Error::output(plan.output_dir.join(set::RUN), e))?;
    let run_json = format!("{run_json}\n");
    let staged = output::stage_set(
        staging,
        &made.datasets,
        made.streamed,
        WriteOptions {
            dir: &plan.output_dir,
            formats: &plan.config.formats(),
            inputs: &read.inputs,
            config: read.config.clone(),
            references: read.references.clone(),
            checks: checks.clone(),
            hxl: plan.hxl,
            run_key: read.run_key.clone(),
            carried,
            run_json: run_json.clone(),
            owned: owned_names(&plan.config),
        },
    )?;
    let html = crate::report::render(
        staged.dir(),
        staged.manifest(),
        &run_json,
        &plan.config.base_dir,
    )?;
    staged.add_file(set::REPORT, html.as_bytes())?;
    staged.install()?;
    Ok(())
}

/// Every dataset name the configuration can write, companions and findings included.
fn owned_names(config: &Config) -> Vec<String> {
    let mut names = vec![validate::DATASET.to_string()];
    for (name, ds) in &config.raw.datasets {
        names.push(name.clone());
        names.extend(
            crate::config::companions(ds.get_ref())
                .iter()
                .map(|c| format!("{name}_{c}")),
        );
    }
    names
}

/// The reference files this run read, with their hashes, in a stable order.
fn references(plan: &Plan) -> Result<Vec<ConfigRecord>> {
    let config = &plan.config;
    let mut paths = vec![config.raw.countries.table.get_ref().clone()];
    for step in &plan.steps {
        for p in step.extractor.references() {
            if !paths.contains(&p) {
                paths.push(p);
            }
        }
    }
    paths
        .into_iter()
        .map(|p| {
            let full = config.base_dir.join(&p);
            let bytes = std::fs::read(&full).map_err(|e| Error::Input {
                path: full.clone(),
                message: format!("cannot read reference file: {e}"),
            })?;
            Ok(ConfigRecord {
                path: p,
                sha256: hex(&Sha256::digest(&bytes)),
            })
        })
        .collect()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
