//! A figure a catalogue asked for, as found in a document: what the metrics dataset holds a
//! row of, what relations are checked on, and what other datasets check their own figures
//! against. Kept apart from the extractor that finds it, so that the checks that read it
//! (`relations`, the AVRR checks) import it without importing the extractor.

use crate::numbers::Quantity;

/// A figure the catalogue asked for, as found.
#[derive(Debug, Clone)]
pub struct Stated {
    pub key: String,
    pub year: i32,
    pub unit: String,
    pub headline: bool,
    pub quantity: Quantity,
    /// The figure with its sign applied (a "27% decrease" is -27).
    pub value: f64,
    pub raw: String,
    pub doc_id: String,
    pub line: usize,
    pub page: Option<u32>,
    pub quote: String,
    /// Byte span of the figure in the document's repaired text.
    pub span: std::ops::Range<usize>,
}

impl Stated {
    /// Interval of true values consistent with the printing (see [`Quantity::interval`]).
    pub fn interval(&self) -> (f64, f64) {
        let (lo, hi) = self.quantity.interval();
        if self.value < 0.0 {
            (-hi, -lo)
        } else {
            (lo, hi)
        }
    }

    pub fn cite(&self) -> String {
        format!("[{}:{}] {}", self.doc_id, self.line, self.quote)
    }
}
