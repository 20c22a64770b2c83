//! The plan (what to read, extract and write, checked before any work) and its execution:
//! ingest → extract (each dataset's extractor, ordered by what it needs) → validate → write.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tracing::info;

use crate::config::Config;
use crate::countries::CountryTable;
use crate::dataset::Dataset;
use crate::document::{Document, hex};
use crate::error::{Error, Result};
use crate::extract::{self, Context, Extractor};
use crate::output::{self, ConfigRecord, InputRecord, WriteOptions};
use crate::validate::{self, Finding, Status};

pub use crate::document::Library;

#[derive(Debug, Clone)]
pub struct RunOptions {
    pub config: PathBuf,
    pub output: Option<PathBuf>,
    pub only: Vec<String>,
    /// False for `check`: everything but writing.
    pub write: bool,
    /// HXL hashtag row under each CSV header.
    pub hxl: bool,
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
    pub findings: Vec<Finding>,
}

pub fn ingest(config: &Config, ids: &[&str]) -> Result<Library> {
    let mut docs = Vec::new();
    for doc_cfg in &config.raw.documents {
        let id = doc_cfg.id.get_ref();
        if !ids.contains(&id.as_str()) {
            continue;
        }
        let path = config.base_dir.join(doc_cfg.path.get_ref());
        if !path.is_file() {
            return Err(Error::Input {
                path: path.clone(),
                message: format!(
                    "document '{id}' not found (declared at {}:{})",
                    config.path.display(),
                    config.document_line(doc_cfg)
                ),
            });
        }
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
    findings: BTreeMap<String, Vec<Finding>>,
}

pub fn execute(plan: &Plan) -> Result<Summary> {
    let config = &plan.config;
    let ids: Vec<&str> = plan.documents.iter().map(String::as_str).collect();
    let library = ingest(config, &ids)?;
    let countries = CountryTable::load(
        &config.countries_path(),
        &config.raw.countries.not_countries,
    )?;
    let mut figures = BTreeMap::new();
    let mut results = Results::default();
    for step in &plan.steps {
        let ctx = Context {
            dataset: &step.dataset,
            config,
            library: &library,
            countries: &countries,
            figures: &figures,
        };
        let out = step.extractor.run(&ctx)?;
        for ds in &out.datasets {
            info!(dataset = %ds.name, rows = ds.rows(), "extracted");
        }
        figures.insert(step.dataset.clone(), out.figures);
        if step.emit {
            results.datasets.insert(step.dataset.clone(), out.datasets);
            results.findings.insert(step.dataset.clone(), out.findings);
        }
    }
    let findings: Vec<Finding> = results.findings.into_values().flatten().collect();
    let mut datasets: Vec<Dataset> = results.datasets.into_values().flatten().collect();
    datasets.push(validate::to_dataset(&findings, plan.documents.clone()));
    let checks = count_checks(&findings);
    let error_findings = checks.get("fail_error").copied().unwrap_or(0);
    let output_dir = if plan.write {
        write(plan, &library, &datasets, &checks)?;
        Some(plan.output_dir.clone())
    } else {
        None
    };
    Ok(Summary {
        datasets: datasets
            .iter()
            .map(|d| (d.name.clone(), d.rows()))
            .collect(),
        checks,
        error_findings,
        output_dir,
        findings,
    })
}

/// Findings by status, and the failed ones of severity error (`fail_error`).
fn count_checks(findings: &[Finding]) -> BTreeMap<String, usize> {
    let mut checks: BTreeMap<String, usize> = BTreeMap::new();
    for status in [
        Status::Pass,
        Status::Fail,
        Status::Inferred,
        Status::Skipped,
    ] {
        checks.insert(status.as_str().into(), 0);
    }
    for f in findings {
        *checks.entry(f.status.as_str().into()).or_default() += 1;
    }
    checks.insert(
        "fail_error".into(),
        findings.iter().filter(|f| f.is_error()).count(),
    );
    checks
}

fn write(
    plan: &Plan,
    library: &Library,
    datasets: &[Dataset],
    checks: &BTreeMap<String, usize>,
) -> Result<()> {
    let config = &plan.config;
    let inputs: Vec<InputRecord> = library
        .iter()
        .filter_map(|d| {
            let cfg = config.document(&d.id)?;
            Some(InputRecord {
                id: d.id.clone(),
                path: cfg.path.get_ref().clone(),
                title: cfg.title.clone(),
                sha256: d.sha256.clone(),
                lines: d.lines.len(),
            })
        })
        .collect();
    output::write_all(
        datasets,
        WriteOptions {
            dir: &plan.output_dir,
            formats: &config.formats(),
            inputs: &inputs,
            config: ConfigRecord {
                path: file_name(&config.path),
                sha256: hex(&Sha256::digest(config.source_text.as_bytes())),
            },
            references: references(plan)?,
            checks: checks.clone(),
            hxl: plan.hxl,
        },
    )?;
    Ok(())
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
