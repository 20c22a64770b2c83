//! One document as every extractor of a run reads it: loaded, repaired and paginated once, its
//! figures scanned once (when the first reader asks for them), handed by the plan to each
//! extractor that reads the document, and dropped when the last of them has read it.

use std::sync::{Arc, OnceLock};

use crate::document::Document;
use crate::extract::figures::{self, Mention};

pub struct Analysis<'a> {
    pub document: std::borrow::Cow<'a, Document>,
    figures: OnceLock<Arc<Vec<Mention>>>,
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
        self.shared_figures()
    }

    /// The figures, for a reader that turns them into rows later than it reads (they outlive
    /// the analysis while it holds them).
    pub fn shared_figures(&self) -> &Arc<Vec<Mention>> {
        self.figures
            .get_or_init(|| Arc::new(figures::scan(&self.document)))
    }
}
