//! The plan (what to read, extract and write, checked before any work) and its execution:
//! ingest → extract → validate → write.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use tracing::info;

use crate::catalogue::Catalogue;
use crate::config::{Config, ExtractorKind};
use crate::countries::CountryTable;
use crate::dataset::Dataset;
use crate::document::{Document, hex};
use crate::error::{Error, Result};
use crate::extract::{self, avrr, funding, mentions, metrics};
use crate::output::{self, ConfigRecord, InputRecord, WriteOptions};
use crate::relations;
use crate::validate::{self, Finding, Status};

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

/// A validated plan: the config, the datasets to run (in name order) and where to write.
pub struct Plan {
    pub config: Config,
    pub datasets: Vec<String>,
    pub output_dir: PathBuf,
    pub write: bool,
    pub hxl: bool,
}

impl Plan {
    pub fn new(opts: &RunOptions) -> Result<Plan> {
        let config = Config::load(&opts.config)?;
        let known: Vec<&String> = config.raw.datasets.keys().collect();
        for name in &opts.only {
            if !config.raw.datasets.contains_key(name) {
                return Err(Error::Usage(format!(
                    "unknown dataset '{name}' in --only; {} declares: {}",
                    opts.config.display(),
                    known
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        let datasets = known
            .into_iter()
            .filter(|n| opts.only.is_empty() || opts.only.contains(n))
            .cloned()
            .collect();
        let output_dir = output::resolve_dir(opts.output.as_deref(), config.output_dir());
        Ok(Plan {
            config,
            datasets,
            output_dir,
            write: opts.write,
            hxl: opts.hxl,
        })
    }
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

/// Documents read once, shared by every extractor that needs them.
pub struct Library {
    docs: Vec<Document>,
}

impl Library {
    pub fn get(&self, id: &str) -> &Document {
        self.docs
            .iter()
            .find(|d| d.id == id)
            .expect("plan only names declared documents, all loaded")
    }
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
    Ok(Library { docs })
}

pub fn execute(plan: &Plan) -> Result<Summary> {
    let config = &plan.config;
    let mut needed: Vec<&str> = Vec::new();
    for name in &plan.datasets {
        let ds = &config.raw.datasets[name];
        // A dataset whose checks read another dataset's figures needs that one's documents too.
        let mut names = vec![name.as_str()];
        if let Some(a) = &ds.avrr {
            names.push(&a.metrics_dataset);
        }
        for n in names {
            for id in config.raw.datasets[n].documents.get_ref() {
                if !needed.contains(&id.as_str()) {
                    needed.push(id);
                }
            }
        }
    }
    let library = ingest(config, &needed)?;
    let countries = CountryTable::load(
        &config.countries_path(),
        &config.raw.countries.not_countries,
    )?;

    let mut datasets: Vec<Dataset> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    let mut metrics_runs = BTreeMap::new();
    for name in &plan.datasets {
        let out = run_extractor(config, &library, &countries, &mut metrics_runs, name)?;
        for ds in &out.datasets {
            info!(dataset = %ds.name, rows = ds.rows(), "extracted");
        }
        datasets.extend(out.datasets);
        findings.extend(out.findings);
    }
    let sources: Vec<String> = needed.iter().map(|s| s.to_string()).collect();
    datasets.push(validate::to_dataset(&findings, sources));

    let mut checks: BTreeMap<String, usize> = BTreeMap::new();
    for status in [Status::Pass, Status::Fail, Status::Inferred] {
        checks.insert(status.as_str().into(), 0);
    }
    for f in &findings {
        *checks.entry(f.status.as_str().into()).or_default() += 1;
    }
    let error_findings = findings.iter().filter(|f| f.is_error()).count();
    checks.insert("fail_error".into(), error_findings);

    let mut output_dir = None;
    if plan.write {
        let inputs: Vec<InputRecord> = library
            .docs
            .iter()
            .map(|d| {
                let cfg = config
                    .document(&d.id)
                    .expect("loaded documents are declared");
                InputRecord {
                    id: d.id.clone(),
                    path: cfg.path.get_ref().clone(),
                    title: cfg.title.clone(),
                    sha256: d.sha256.clone(),
                    lines: d.lines.len(),
                }
            })
            .collect();
        output::write_all(
            &datasets,
            WriteOptions {
                dir: &plan.output_dir,
                formats: &config.formats(),
                inputs: &inputs,
                config: ConfigRecord {
                    path: file_name(&config.path),
                    sha256: hex(&Sha256::digest(config.source_text.as_bytes())),
                },
                references: references(config, &plan.datasets)?,
                checks: checks.clone(),
                hxl: plan.hxl,
            },
        )?;
        output_dir = Some(plan.output_dir.clone());
    }
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

/// The reference files this run read, with their hashes, in a stable order.
fn references(config: &Config, datasets: &[String]) -> Result<Vec<ConfigRecord>> {
    let mut paths = vec![config.raw.countries.table.get_ref().clone()];
    for name in datasets {
        let ds = &config.raw.datasets[name];
        let metrics = ds
            .metrics
            .as_ref()
            .map(|m| m.catalogue.clone())
            .or_else(|| {
                let a = ds.avrr.as_ref()?;
                config.raw.datasets[&a.metrics_dataset]
                    .metrics
                    .as_ref()
                    .map(|m| m.catalogue.clone())
            });
        if let Some(p) = metrics
            && !paths.contains(&p)
        {
            paths.push(p);
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

/// A metrics dataset's catalogue and what it found, computed once per run and shared with the
/// datasets whose checks compare against it.
struct MetricsRun {
    catalogue: Catalogue,
    extraction: metrics::Extraction,
}

fn metrics_run<'c>(
    config: &Config,
    library: &Library,
    runs: &'c mut BTreeMap<String, MetricsRun>,
    name: &str,
) -> Result<&'c MetricsRun> {
    if !runs.contains_key(name) {
        let ds = &config.raw.datasets[name];
        let cfg = ds
            .metrics
            .as_ref()
            .expect("checked when the config was loaded");
        let ids = ds.documents.get_ref();
        let catalogue = Catalogue::load(&config.base_dir.join(&cfg.catalogue), ids)?;
        let docs: Vec<&Document> = ids.iter().map(|id| library.get(id)).collect();
        let extraction = metrics::extract(&catalogue, &docs)?;
        runs.insert(
            name.to_string(),
            MetricsRun {
                catalogue,
                extraction,
            },
        );
    }
    Ok(&runs[name])
}

fn run_extractor(
    config: &Config,
    library: &Library,
    countries: &CountryTable,
    metrics_runs: &mut BTreeMap<String, MetricsRun>,
    name: &str,
) -> Result<extract::Output> {
    let ds = &config.raw.datasets[name];
    let tolerance = config.raw.validation.usd_tolerance;
    let mut out = extract::Output::default();
    match ds.extractor.get_ref() {
        ExtractorKind::Funding => {
            let cfg = ds
                .funding
                .as_ref()
                .expect("checked when the config was loaded");
            let mut cells = Vec::new();
            let mut totals = Vec::new();
            for id in ds.documents.get_ref() {
                let doc = library.get(id);
                let ex = funding::extract(doc, cfg, tolerance)?;
                out.findings.extend(ex.findings);
                out.findings
                    .extend(funding::check_totals(doc, &ex.tables, cfg, tolerance));
                let (c, t) = funding::datasets(doc, &ex.tables, cfg, countries, &mut out.findings);
                cells.push(c);
                totals.push(t);
            }
            out.datasets.push(concat(cells));
            out.datasets.push(concat(totals));
        }
        ExtractorKind::Mentions => {
            let docs: Vec<_> = ds
                .documents
                .get_ref()
                .iter()
                .map(|id| {
                    let doc = library.get(id);
                    (doc, mentions::extract(doc))
                })
                .collect();
            out.datasets.push(mentions::dataset(&docs));
        }
        ExtractorKind::Metrics => {
            let run = metrics_run(config, library, metrics_runs, name)?;
            let ex = &run.extraction;
            out.findings.extend(ex.findings.iter().cloned());
            out.findings
                .extend(relations::evaluate(&run.catalogue, &ex.stated));
            let ids = ds.documents.get_ref().clone();
            let (long, wide) = metrics::datasets(&run.catalogue, &ex.stated, ids);
            out.datasets.push(long);
            out.datasets.push(wide);
        }
        ExtractorKind::Avrr => {
            let cfg = ds
                .avrr
                .as_ref()
                .expect("checked when the config was loaded");
            let stated = &metrics_run(config, library, metrics_runs, &cfg.metrics_dataset)?
                .extraction
                .stated;
            let mut parts = Vec::new();
            for id in ds.documents.get_ref() {
                let doc = library.get(id);
                let panels = avrr::extract(doc, cfg)?;
                out.findings
                    .extend(avrr::checks(doc, &panels, cfg, countries, stated));
                parts.push(avrr::dataset(
                    doc,
                    &panels,
                    cfg,
                    countries,
                    &mut out.findings,
                ));
            }
            out.datasets.push(concat(parts));
        }
    }
    Ok(out)
}

/// One dataset from the same dataset read off several documents (editions of one report).
fn concat(mut parts: Vec<Dataset>) -> Dataset {
    let mut first = parts.remove(0);
    for part in parts {
        first
            .frame
            .vstack_mut(&part.frame)
            .expect("same extractor, same schema");
        for s in part.sources {
            if !first.sources.contains(&s) {
                first.sources.push(s);
            }
        }
    }
    first.frame.rechunk_mut();
    first
}
