//! One extractor per dataset kind, behind one interface: what it needs (other datasets'
//! figures), what it reads (documents, reference files) and what it produces (datasets,
//! findings, and figures for the datasets that need them). The pipeline orders extractors by
//! their needs, hands each the documents it reads (one shared analysis per document) and
//! runs them without knowing which is which.

pub mod analysis;
pub mod avrr;
pub mod claims;
pub mod figures;
pub mod funding;
pub mod mentions;
pub mod metrics;
pub mod phrase;

use std::any::Any;
use std::collections::BTreeMap;

use crate::config::{Config, DatasetConfig, DocumentOverrides};
use crate::countries::CountryTable;
use crate::dataset::{Dataset, Rows, TableBuilder};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::output::findings::FindingLog;
use crate::output::stream::{Background, DatasetStream, Sink, Streamed};
use crate::stated::Stated;

pub use analysis::Analysis;

/// What an extractor hands back to the pipeline.
#[derive(Default)]
pub struct Output {
    pub datasets: Vec<Dataset>,
    /// The findings, in the order made (spilled to the staging folder by extractors that make
    /// many, when the run writes).
    pub findings: FindingLog,
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
    pub countries: &'a CountryTable,
    /// Figures produced by the datasets this one needs, by dataset name.
    pub figures: &'a BTreeMap<String, Vec<Stated>>,
    /// Where large datasets stream their rows when the run writes (None for `check`).
    pub sink: Option<&'a Sink>,
}

impl<'a> Context<'a> {
    pub fn document_ids(&self) -> Vec<String> {
        self.config.documents_of(self.dataset).to_vec()
    }

    pub fn overrides(&self, doc: &Document) -> DocumentOverrides {
        self.config.overrides(&doc.id)
    }

    /// Where the dataset's findings go as they are made: spilled into the staging folder when
    /// the run writes, else held.
    pub fn finding_log(&self) -> Result<FindingLog> {
        FindingLog::open(self.sink.map(|s| s.dir.as_path()), self.dataset)
    }

    /// Figures of a dataset this one declared as a need (empty when it produced none).
    pub fn figures_of(&self, dataset: &str) -> &'a [Stated] {
        self.figures.get(dataset).map_or(&[], Vec::as_slice)
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

    /// Lines around a section of a long document that this extractor's reading looks at, when
    /// it can read one section at a time ([`analysis::Section`]); None when it reads documents
    /// whole (tables, catalogues).
    fn section_margin(&self) -> Option<usize> {
        None
    }

    /// Names of the datasets it writes.
    fn outputs(&self) -> Vec<String>;

    /// Begins the extractor's run: what reads its documents as the plan hands them over.
    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> Result<Box<dyn Reading + 'a>>;
}

/// One extractor's part of one document, handed back to the reading that made it.
pub struct Part(Box<dyn Any + Send>);

/// An extractor's run over its documents, driven by the plan: [`Reading::read`] is called
/// for each document it reads, in parallel and in any order (it must not touch shared state);
/// [`Reading::take`] gets each batch's parts in selection order; [`Reading::finish`] makes the
/// output. A [`Error::Malformed`] from `read` becomes that document's error finding.
pub trait Reading: Sync {
    fn read(&self, doc: &Analysis) -> Result<Part>;
    fn take(&mut self, parts: Vec<Part>) -> Result<()>;
    fn finish(self: Box<Self>) -> Result<Output>;
}

/// [`Reading`] with a typed part: what extractors implement ([`reading`] erases the type).
pub trait DocumentReader: Sync {
    type Part: Send + 'static;
    fn read(&self, doc: &Analysis) -> Result<Self::Part>;
    fn take(&mut self, parts: Vec<Self::Part>) -> Result<()>;
    fn finish(self) -> Result<Output>;
}

/// A typed reader as the plan drives it.
pub fn reading<'a, R: DocumentReader + 'a>(reader: R) -> Result<Box<dyn Reading + 'a>> {
    Ok(Box::new(Typed(reader)))
}

struct Typed<R>(R);

impl<R: DocumentReader> Reading for Typed<R> {
    fn read(&self, doc: &Analysis) -> Result<Part> {
        Ok(Part(Box::new(self.0.read(doc)?)))
    }

    fn take(&mut self, parts: Vec<Part>) -> Result<()> {
        let typed = parts
            .into_iter()
            .map(|p| {
                p.0.downcast::<R::Part>().map(|b| *b).map_err(|_| {
                    Error::Usage("internal: a part handed to a reading that did not make it".into())
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.0.take(typed)
    }

    fn finish(self: Box<Self>) -> Result<Output> {
        self.0.finish()
    }
}

/// Where a dataset's rows go as its documents finish: streamed into the staging folder (on a
/// writer thread, one row group per batch handed to it) when the run writes, else held for
/// `check`.
pub enum RowsInto {
    Stream(Background),
    /// The dataset with no rows (name, schema, sources, key) and the batches so far.
    Memory(Dataset, Vec<Dataset>),
}

impl RowsInto {
    /// `empty`: the dataset with no rows, which says what to write.
    pub fn open(ctx: &Context, empty: Dataset) -> Result<RowsInto> {
        RowsInto::to(ctx.sink, empty)
    }

    /// Into `sink` when there is one, else held.
    pub fn to(sink: Option<&Sink>, empty: Dataset) -> Result<RowsInto> {
        Ok(match sink {
            Some(sink) => RowsInto::Stream(DatasetStream::open(sink, empty)?.in_background(sink)?),
            None => RowsInto::Memory(empty, Vec::new()),
        })
    }

    pub fn append(&mut self, rows: impl Rows + 'static) {
        match self {
            RowsInto::Stream(stream) => stream.append(Box::new(rows)),
            RowsInto::Memory(empty, batches) => batches.push(Box::new(rows).into_dataset(empty)),
        }
    }

    /// The dataset into `out`: as streamed, or as held (its batches joined).
    pub fn finish(self, out: &mut Output) -> Result<()> {
        match self {
            RowsInto::Stream(stream) => out.streamed.push(stream.finish()?),
            RowsInto::Memory(mut whole, batches) => {
                for batch in batches {
                    whole.frame.vstack_mut_owned(batch.frame).map_err(|e| {
                        Error::Usage(format!("internal: rows that do not fit their dataset: {e}"))
                    })?;
                }
                whole.frame.rechunk_mut();
                out.datasets.push(whole);
            }
        }
        Ok(())
    }
}

/// Rows per row group of a streamed dataset.
pub const ROW_GROUP: usize = 65_536;

/// A dataset's rows handed on in row groups of exactly [`ROW_GROUP`] rows (the last may hold
/// fewer), so that the groups written do not depend on where documents or their sections end.
/// The parts of a group are held as they came and joined once, when the group is full.
pub struct RowGroups {
    into: RowsInto,
    fields: Vec<crate::dataset::Field>,
    parts: Vec<TableBuilder>,
    rows: usize,
}

impl RowGroups {
    /// `empty`: the dataset with no rows, which says what to write.
    pub fn open(ctx: &Context, empty: Dataset) -> Result<RowGroups> {
        RowGroups::to(ctx.sink, empty)
    }

    /// Into `sink` when there is one, else held.
    pub fn to(sink: Option<&Sink>, empty: Dataset) -> Result<RowGroups> {
        Ok(RowGroups {
            fields: empty.fields.clone(),
            into: RowsInto::to(sink, empty)?,
            parts: Vec::new(),
            rows: 0,
        })
    }

    pub fn push(&mut self, mut rows: TableBuilder) {
        while self.rows + rows.len() >= ROW_GROUP {
            let rest = rows.split_off(ROW_GROUP - self.rows);
            self.parts.push(rows);
            self.hand_on();
            rows = rest;
        }
        if !rows.is_empty() {
            self.rows += rows.len();
            self.parts.push(rows);
        }
    }

    /// Hands on the rows held, as one group.
    fn hand_on(&mut self) {
        let parts = std::mem::take(&mut self.parts);
        let group = match <[TableBuilder; 1]>::try_from(parts) {
            Ok([one]) => one,
            Err(parts) => TableBuilder::concat(self.fields.clone(), parts),
        };
        self.rows = 0;
        if !group.is_empty() {
            self.into.append(group);
        }
    }

    /// The dataset into `out`, its last rows with it.
    pub fn finish(mut self, out: &mut Output) -> Result<()> {
        self.hand_on();
        self.into.finish(out)
    }
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
