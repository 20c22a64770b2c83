//! One extractor per dataset kind, behind one interface: what it needs (other datasets'
//! figures), what it reads (documents, reference files) and what it produces (datasets,
//! findings, and figures for the datasets that need them). The pipeline orders extractors by
//! their needs and runs them without knowing which is which.

pub mod avrr;
pub mod funding;
pub mod mentions;
pub mod metrics;

use std::collections::BTreeMap;

use crate::config::{Config, DatasetConfig, DocumentOverrides};
use crate::countries::CountryTable;
use crate::dataset::Dataset;
use crate::document::{Document, Library};
use crate::error::{Error, Result};
use crate::extract::metrics::Stated;
use crate::validate::{Finding, extraction_failure};

/// What an extractor hands back to the pipeline.
#[derive(Default)]
pub struct Output {
    pub datasets: Vec<Dataset>,
    pub findings: Vec<Finding>,
    /// Figures other datasets may check against (the metrics catalogue's stated values).
    pub figures: Vec<Stated>,
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
}

impl<'a> Context<'a> {
    /// The dataset's documents, in selection order.
    pub fn documents(&self) -> impl Iterator<Item = &'a Document> + '_ {
        self.config
            .documents_of(self.dataset)
            .iter()
            .map(|id| self.library.get(id))
    }

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

    /// Reads every document with `read`. A document whose table cannot be read (a malformed
    /// layout) becomes an error finding and contributes nothing; other errors stop the run.
    pub fn per_document<T>(
        &self,
        findings: &mut Vec<Finding>,
        mut read: impl FnMut(&'a Document) -> Result<T>,
    ) -> Result<Vec<(&'a Document, T)>> {
        let mut read_ok = Vec::new();
        for doc in self.documents() {
            match read(doc) {
                Ok(t) => read_ok.push((doc, t)),
                Err(e @ Error::Malformed { .. }) => {
                    tracing::warn!(dataset = self.dataset, doc = %doc.id, "{e}");
                    findings.push(extraction_failure(self.dataset, &doc.id, &e));
                }
                Err(e) => return Err(e),
            }
        }
        Ok(read_ok)
    }
}

pub trait Extractor {
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
        DatasetConfig::Metrics(c) => Box::new(metrics::MetricsExtractor::load(name, c, config)?),
    })
}
