//! One document as every extractor of a run reads it: loaded, repaired and paginated once, its
//! figures scanned once (when the first reader asks for them), handed by the plan to each
//! extractor that reads the document, and dropped when the last of them has read it.

use std::sync::OnceLock;

use crate::document::Document;
use crate::extract::figures::{self, Mention};

pub struct Analysis<'a> {
    pub document: std::borrow::Cow<'a, Document>,
    figures: OnceLock<Vec<Mention>>,
}

impl<'a> Analysis<'a> {
    pub fn new(document: std::borrow::Cow<'a, Document>) -> Analysis<'a> {
        Analysis {
            document,
            figures: OnceLock::new(),
        }
    }

    /// Every figure the document prints, scanned on the first call and kept for the others.
    pub fn figures(&self) -> &[Mention] {
        self.figures.get_or_init(|| figures::scan(&self.document))
    }
}
