//! One pass over the documents of a wave of steps: each document is analysed once and handed
//! to every step that reads it, then dropped. A long document is read section by section by
//! the steps that can ([`Extractor::section_margin`]), a few sections at a time, so that its
//! figures are never all held.

use std::borrow::Cow;
use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{Plan, Step};
use crate::document::{Document, Library};
use crate::error::{Error, Result};
use crate::extract::analysis::{self, Section};
use crate::extract::figures::Found;
use crate::extract::{Analysis, Context, Output, Part, Reading};
use crate::validate::{self, Finding};

/// Documents read in parallel per batch: a fixed size, so that what a streamed dataset writes
/// (its row groups) is the same whatever the number of threads.
const BATCH: usize = 16;

/// A document longer than this (bytes of text) is read in sections of about this size.
const SECTION_BYTES: usize = 1 << 20;

/// Sections read in parallel at a time: enough to keep the threads busy, few enough that
/// their figures stay small beside the document.
const SECTIONS_AT_ONCE: usize = 4;

/// Each step's part of one document (None for a step that does not read it).
type Parts = Vec<Option<Result<Part>>>;

/// The steps of a wave as they read: their readings, which documents each reads, and whether
/// each reads long documents in sections (with the lines around each it looks at).
struct Wave<'a> {
    steps: &'a [&'a Step],
    readings: Vec<Box<dyn Reading + 'a>>,
    reads: Vec<BTreeSet<&'a str>>,
    margins: Vec<Option<usize>>,
    /// Documents a step could not read: each one's finding, first among the step's.
    failures: Vec<Vec<Finding>>,
}

/// One pass over the documents of a wave's steps; returns each step's output, in wave order.
pub fn run(
    plan: &Plan,
    library: &Library,
    steps: &[&Step],
    contexts: &[Context],
) -> Result<Vec<Output>> {
    let mut wave = Wave::start(plan, steps, contexts)?;
    let documents: Vec<&str> = plan
        .documents
        .iter()
        .map(String::as_str)
        .filter(|id| wave.reads.iter().any(|r| r.contains(id)))
        .collect();
    for batch in documents.chunks(BATCH) {
        wave.read_batch(library, batch)?;
    }
    wave.finish()
}

/// A document as analysed in a batch: every step's part, or, for a long document, the parts
/// of the steps that read it whole and the document for the others to read in sections.
enum Analysed<'l> {
    Whole(Parts),
    Long(Cow<'l, Document>, Parts),
}

impl<'a> Wave<'a> {
    fn start(plan: &'a Plan, steps: &'a [&'a Step], contexts: &'a [Context<'a>]) -> Result<Self> {
        let readings = steps
            .iter()
            .zip(contexts)
            .map(|(step, ctx)| step.extractor.start(ctx))
            .collect::<Result<_>>()?;
        let reads = steps
            .iter()
            .map(|s| {
                let docs = plan.config.documents_of(&s.dataset);
                docs.iter().map(String::as_str).collect()
            })
            .collect();
        Ok(Wave {
            steps,
            readings,
            reads,
            margins: steps.iter().map(|s| s.extractor.section_margin()).collect(),
            failures: vec![Vec::new(); steps.len()],
        })
    }

    /// Reads a batch of documents in parallel and hands each step its parts in document order.
    fn read_batch(&mut self, library: &Library, batch: &[&str]) -> Result<()> {
        let analysed: Vec<Result<Analysed>> = batch
            .par_iter()
            .map(|id| self.analyse(library, id))
            .collect();
        let mut by_step: Vec<Vec<Part>> = self.steps.iter().map(|_| Vec::new()).collect();
        for (id, analysed) in batch.iter().zip(analysed) {
            match analysed? {
                Analysed::Whole(parts) => self.file(id, parts, &mut by_step)?,
                Analysed::Long(doc, parts) => {
                    self.file(id, parts, &mut by_step)?;
                    // The sections' parts follow what earlier documents handed over.
                    self.take(&mut by_step)?;
                    self.read_sections(&doc, id)?;
                }
            }
        }
        self.take(&mut by_step)
    }

    /// One document, analysed once and read by each step that reads it whole (and by every
    /// step that reads it, when it is short).
    fn analyse<'l>(&self, library: &'l Library, id: &str) -> Result<Analysed<'l>> {
        let doc = library.fetch(id)?;
        let long = doc.flat.len() > SECTION_BYTES && self.sectioned_readers(id).next().is_some();
        let parts = {
            let analysis = Analysis::new(Cow::Borrowed(&*doc));
            self.readings
                .iter()
                .enumerate()
                .map(|(s, reading)| {
                    let whole = !long || self.margins[s].is_none();
                    (self.reads[s].contains(id) && whole).then(|| reading.read(&analysis))
                })
                .collect()
        };
        Ok(match long {
            true => Analysed::Long(doc, parts),
            false => Analysed::Whole(parts),
        })
    }

    /// The steps that read document `id` in sections, with the lines each looks around one.
    fn sectioned_readers<'b>(&'b self, id: &'b str) -> impl Iterator<Item = (usize, usize)> + 'b {
        (0..self.steps.len())
            .filter(move |&s| self.reads[s].contains(id))
            .filter_map(|s| self.margins[s].map(|m| (s, m)))
    }

    /// A long document's sections, a few at a time in parallel, each handed to the steps that
    /// read in sections as soon as it is read.
    fn read_sections(&mut self, doc: &Document, id: &str) -> Result<()> {
        let margin = self
            .sectioned_readers(id)
            .map(|(_, m)| m)
            .max()
            .unwrap_or(0);
        let found = Found::of(doc);
        let sections = analysis::sections(doc, &found, SECTION_BYTES, margin);
        for group in sections.chunks(SECTIONS_AT_ONCE) {
            let analysed: Vec<Parts> = group
                .par_iter()
                .map(|section| self.read_section(doc, &found, section, id))
                .collect();
            let mut by_step: Vec<Vec<Part>> = self.steps.iter().map(|_| Vec::new()).collect();
            for parts in analysed {
                self.file(id, parts, &mut by_step)?;
            }
            self.take(&mut by_step)?;
        }
        Ok(())
    }

    fn read_section(&self, doc: &Document, found: &Found, section: &Section, id: &str) -> Parts {
        let analysis = Analysis::section(doc, found, section.clone());
        let mut parts: Parts = self.steps.iter().map(|_| None).collect();
        for (s, _) in self.sectioned_readers(id) {
            parts[s] = Some(self.readings[s].read(&analysis));
        }
        parts
    }

    /// Files a document's parts by step; a document a step could not read becomes that step's
    /// finding (once, however many of its sections failed).
    fn file(&mut self, id: &str, parts: Parts, by_step: &mut [Vec<Part>]) -> Result<()> {
        for (s, part) in parts.into_iter().enumerate() {
            match part {
                None => {}
                Some(Ok(part)) => by_step[s].push(part),
                Some(Err(e @ Error::Malformed { .. })) => {
                    let dataset = &self.steps[s].dataset;
                    if !self.failures[s].iter().any(|f| f.doc_id == id) {
                        tracing::warn!(dataset = %dataset, doc = %id, "{e}");
                        self.failures[s].push(validate::extraction_failure(dataset, id, &e));
                    }
                }
                Some(Err(e)) => return Err(e),
            }
        }
        Ok(())
    }

    /// Hands each step the parts filed so far, in order.
    fn take(&mut self, by_step: &mut [Vec<Part>]) -> Result<()> {
        for (reading, parts) in self.readings.iter_mut().zip(by_step) {
            if !parts.is_empty() {
                reading.take(std::mem::take(parts))?;
            }
        }
        Ok(())
    }

    /// Each step's output; a document that could not be read comes first among its step's
    /// findings.
    fn finish(self) -> Result<Vec<Output>> {
        self.readings
            .into_iter()
            .zip(self.failures)
            .map(|(reading, findings)| {
                let mut out = reading.finish()?;
                out.findings.put_first(findings);
                Ok(out)
            })
            .collect()
    }
}
