//! One document as every extractor of a run reads it: loaded, repaired and paginated once, its
//! figures scanned once (when the first reader asks for them), handed by the plan to each
//! extractor that reads the document, and dropped when the last of them has read it.
//!
//! A long document is read in sections: byte ranges of its text cut between sentences, each
//! analysed on its own (in parallel, and dropped when read), so that what is held at once is
//! a few sections' figures, never a whole dense document's.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use crate::document::Document;
use crate::extract::figures::{Found, Mention};

/// The part of a document an analysis covers: byte ranges of [`Document::flat`], cut between
/// sentences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// What the analysis reports on: its figures are this section's own.
    pub own: Range<usize>,
    /// The section with whole sentences around it, for readers that look at nearby text (a
    /// chart printed before the prose that describes it); the figures there belong to the
    /// sections around.
    pub reach: Range<usize>,
}

pub struct Analysis<'a> {
    pub document: Cow<'a, Document>,
    section: Option<(Section, &'a Found)>,
    figures: OnceLock<Arc<Vec<Mention>>>,
}

impl<'a> Analysis<'a> {
    /// The whole document.
    pub fn new(document: Cow<'a, Document>) -> Analysis<'a> {
        Analysis {
            document,
            section: None,
            figures: OnceLock::new(),
        }
    }

    /// One section of a document whose figures were found already.
    pub fn section(document: &'a Document, found: &'a Found, section: Section) -> Analysis<'a> {
        Analysis {
            document: Cow::Borrowed(document),
            section: Some((section, found)),
            figures: OnceLock::new(),
        }
    }

    /// Every figure this analysis reports on (the section's own, or the whole document's).
    pub fn figures(&self) -> &[Mention] {
        let (all, own) = self.figures_in_reach();
        &all[own]
    }

    /// The figures of the section's reach, scanned on the first call and kept for the other
    /// readers, with the indices of its own among them (all of them for a whole document).
    pub fn figures_in_reach(&self) -> (&Arc<Vec<Mention>>, Range<usize>) {
        let all = self.figures.get_or_init(|| {
            Arc::new(match &self.section {
                None => crate::extract::figures::scan(&self.document),
                Some((s, found)) => found.read(&self.document, s.reach.clone()),
            })
        });
        let own = match &self.section {
            None => 0..all.len(),
            Some((s, _)) => {
                let from = all.partition_point(|m| m.span.start < s.own.start);
                let to = all.partition_point(|m| m.span.start < s.own.end);
                from..to.max(from)
            }
        };
        (all, own)
    }

    /// The bytes of [`Document::flat`] this analysis reports on.
    pub fn own_bytes(&self) -> Range<usize> {
        match &self.section {
            None => 0..self.document.flat.len(),
            Some((s, _)) => s.own.clone(),
        }
    }
}

/// Where a long document is cut: sections of about `size` bytes, each reaching `margin` lines
/// beyond its ends (both widened to the nearest cuts between sentences). A document shorter
/// than `size` is one section.
pub fn sections(doc: &Document, found: &Found, size: usize, margin: usize) -> Vec<Section> {
    let len = doc.flat.len();
    let mut cuts = vec![0];
    while let Some(&last) = cuts.last() {
        if last >= len {
            break;
        }
        let next = found.cut_at_or_after(last.saturating_add(size.max(1)), len);
        cuts.push(next.max(last + 1).min(len));
    }
    cuts.windows(2)
        .map(|w| {
            let line_of = |offset: usize| doc.line_at(offset.min(len.saturating_sub(1))).number;
            let before = line_of(w[0]).saturating_sub(margin).max(1);
            let after = line_of(w[1]).saturating_add(margin);
            let reach_start = found.cut_at_or_before(doc.line_start(before)).min(w[0]);
            let reach_end = match after.checked_sub(1).filter(|&i| i < doc.lines.len()) {
                Some(_) => found.cut_at_or_after(doc.line_start(after), len).max(w[1]),
                None => len,
            };
            Section {
                own: w[0]..w[1],
                reach: reach_start..reach_end,
            }
        })
        .collect()
}
