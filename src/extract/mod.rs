//! One extractor per dataset kind, behind one interface: what it needs (other datasets'
//! figures), what it reads (documents, reference files) and what it produces (datasets,
//! findings, and figures for the datasets that need them). The pipeline orders extractors by
//! their needs and runs them without knowing which is which.

pub mod avrr;
pub mod claims;
pub mod funding;
pub mod mentions;
pub mod metrics;

use std::collections::BTreeMap;

use crate::config::{Config, DatasetConfig, DocumentOverrides};
use crate::countries::CountryTable;
use crate::dataset::Dataset;
use crate::document::{Document, Library};
use crate::error::{Error, Result};
use crate::output::stream::{Sink, Streamed};
use crate::stated::Stated;
use crate::validate::{Finding, extraction_failure};
use rayon::prelude::*;

/// What an extractor hands back to the pipeline.
#[derive(Default)]
pub struct Output {
    pub datasets: Vec<Dataset>,
    pub findings: Vec<Finding>,
    /// Figures other datasets may check against (the metrics catalogue's stated values).
    pub figures: Vec<Stated>,
    /// Datasets already written into the run's staging folder as their documents finished.
    pub streamed: Vec<Streamed>,
}

/// Everything an extractor may read while it runs.
pub struct Context<'a> {
    /// The dataset's name (its key under `[datasets]`): names its files and check ids.
    pub dataset: &'a str,
    pub config: &'a Config,
    pub library: &'a Library,
    pub countries: &'a CountryTable,
    /// Figures produced by the datasets this one needs, by dataset name.
    pub figures: &'a BTreeMap<String, Vec<Stated>>,
    /// Where large datasets stream their rows when the run writes (None for `check`).
    pub sink: Option<&'a Sink>,
}

/// Documents read in parallel per batch by [`Context::per_document_in_batches`]: a fixed size,
/// so that what a streamed dataset writes (one row group per batch) is the same whatever the
/// number of threads.
const BATCH: usize = 64;

impl<'a> Context<'a> {
    pub fn document_ids(&self) -> Vec<String> {
        self.config.documents_of(self.dataset).to_vec()
    }

    pub fn overrides(&self, doc: &Document) -> DocumentOverrides {
        self.config.overrides(&doc.id)
    }

    /// Figures of a dataset this one declared as a need (empty when it produced none).
    pub fn figures_of(&self, dataset: &str) -> &'a [Stated] {
        self.figures.get(dataset).map_or(&[], Vec::as_slice)
    }

    /// Like [`Context::per_document`], but hands each batch of results to `take`, in order, as
    /// soon as the batch is read, so that only one batch is held at a time.
    pub fn per_document_in_batches<T: Send>(
        &self,
        findings: &mut Vec<Finding>,
        read: impl Fn(&Document) -> Result<T> + Sync,
        mut take: impl FnMut(Vec<T>) -> Result<()>,
    ) -> Result<()> {
        for batch in self.config.documents_of(self.dataset).chunks(BATCH) {
            let results: Vec<(String, Result<T>)> = batch
                .par_iter()
                .map(|id| {
                    (
                        id.clone(),
                        self.library.fetch(id).and_then(|doc| read(&doc)),
                    )
                })
                .collect();
            let ok = self.sort_out(results, findings)?;
            take(ok.into_iter().map(|(_, t)| t).collect())?;
        }
        Ok(())
    }

    /// Results in order; a malformed document becomes its error finding, other errors stop.
    fn sort_out<T>(
        &self,
        results: Vec<(String, Result<T>)>,
        findings: &mut Vec<Finding>,
    ) -> Result<Vec<(String, T)>> {
        let mut read_ok = Vec::new();
        for (id, result) in results {
            match result {
                Ok(t) => read_ok.push((id, t)),
                Err(e @ Error::Malformed { .. }) => {
                    tracing::warn!(dataset = self.dataset, doc = %id, "{e}");
                    findings.push(extraction_failure(self.dataset, &id, &e));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(read_ok)
    }

    /// Reads every document of the dataset with `read`, in parallel, each document loaded for
    /// its turn and dropped after (what `read` returns must own its data). Results come back
    /// in selection order whatever the thread count. A document whose table cannot be read (a
    /// malformed layout) becomes an error finding and contributes nothing; other errors stop
    /// the run.
    pub fn per_document<T: Send>(
        &self,
        findings: &mut Vec<Finding>,
        read: impl Fn(&Document) -> Result<T> + Sync,
    ) -> Result<Vec<(String, T)>> {
        let ids = self.config.documents_of(self.dataset);
        let results: Vec<(String, Result<T>)> = ids
            .par_iter()
            .map(|id| {
                let result = self.library.fetch(id).and_then(|doc| read(&doc));
                (id.clone(), result)
            })
            .collect();
        self.sort_out(results, findings)
    }
}

pub trait Extractor: Sync {
    /// Datasets whose figures this one reads; they run first.
    fn needs(&self) -> Vec<String> {
        Vec::new()
    }

    /// Reference files this extractor reads besides the country table (config-relative
    /// paths), recorded with their hashes in the manifest.
    fn references(&self) -> Vec<String> {
        Vec::new()
    }

    /// Names of the datasets it writes.
    fn outputs(&self) -> Vec<String>;

    fn run(&self, ctx: &Context) -> Result<Output>;
}

/// The extractor a dataset's configuration declares, with everything it loads up front (a
/// metrics catalogue is parsed and checked here, before any document is read).
pub fn build(name: &str, ds: &DatasetConfig, config: &Config) -> Result<Box<dyn Extractor>> {
    Ok(match ds {
        DatasetConfig::Funding(c) => Box::new(funding::FundingExtractor::new(name, c.clone())),
        DatasetConfig::Avrr(c) => Box::new(avrr::AvrrExtractor::new(name, c.clone())),
        DatasetConfig::Mentions(_) => Box::new(mentions::MentionsExtractor::new(name)),
        DatasetConfig::Claims(_) => Box::new(claims::ClaimsExtractor::new(name)),
        DatasetConfig::Metrics(c) => Box::new(metrics::MetricsExtractor::load(name, c, config)?),
    })
}
