//! `mentions`: every figure printed in every document, with its sentence, as rows (the scan
//! itself is [`crate::extract::figures`], shared with the other readers of a document).

use crate::dataset::{DType, Dataset, Field, TableBuilder};
use crate::error::Result;
use crate::extract::figures::Mention;
use crate::extract::{
    Analysis, Context, DocumentReader, Extractor, Output, ROW_GROUP, Reading, RowGroups, reading,
};
use rayon::prelude::*;
use std::sync::Arc;

/// Rows made per parallel task: a typical report's mentions are one task.
const ROWS_PER_TASK: usize = 8192;

#[rustfmt::skip]
pub fn fields() -> Vec<Field> {
    use DType::*;
    vec![
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml).").hxl("#meta+source"),
        Field::new("line", Int64, false, "1-based line where the figure starts.").hxl("#meta+line"),
        Field::new("column", Int64, false, "1-based character column where the figure starts on its line.").hxl("#meta+column"),
        Field::new("page", Int64, true, "Page, where the document has page markers.").hxl("#meta+page"),
        Field::new("value", Float64, false, "The figure as a number: scale words applied (4.2 million = 4200000), percentages as printed (68), fractions as 0-1.").hxl("#value"),
        Field::new("raw", Utf8, false, "The figure as printed, qualifier included, whitespace collapsed.").hxl("#value+raw"),
        Field::new("qualifier", Utf8, true, "over | at_least | nearly | up_to | approximately; null for a plain figure.").hxl("#value+qualifier").allowed(&["over", "at_least", "nearly", "up_to", "approximately"]),
        Field::new("unit", Utf8, true, "Best guess from the printing and the next words: persons, countries, offices, percent, usd, eur, days, ...; null when unknown.").hxl("#indicator+unit"),
        Field::new("year", Int64, true, "Year the sentence is about (nearest year before the figure in its sentence, else after), where stated.").hxl("#date+year"),
        Field::new("context", Utf8, false, "The sentence around the figure, whitespace collapsed.").hxl("#description"),
    ]
}

/// One document's mentions as rows.
pub fn rows(doc_id: &str, mentions: &[Mention]) -> TableBuilder {
    let mut table = TableBuilder::new(fields());
    for m in mentions {
        table.push(vec![
            doc_id.into(),
            m.line.into(),
            m.column.into(),
            m.page.into(),
            m.quantity.value.into(),
            m.raw.as_str().into(),
            m.quantity.qualifier.map(|q| q.as_str()).into(),
            m.unit.into(),
            crate::dataset::Value::Int(m.year.map(i64::from)),
            (&*m.context).into(),
        ]);
    }
    table
}

fn finish(name: &str, table: TableBuilder, sources: Vec<String>) -> Dataset {
    table.finish(
        name,
        sources,
        vec!["doc_id".into(), "line".into(), "column".into()],
    )
}

/// Every figure printed in the dataset's documents.
pub struct MentionsExtractor {
    name: String,
}

impl MentionsExtractor {
    pub fn new(name: &str) -> Self {
        MentionsExtractor {
            name: name.to_string(),
        }
    }
}

impl Extractor for MentionsExtractor {
    /// Each figure is read on its own: a section needs nothing around it.
    fn section_margin(&self) -> Option<usize> {
        Some(0)
    }

    fn outputs(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    /// Written as documents finish (in batches, one row group each) when the run writes; a
    /// corpus's mentions are never held whole.
    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> Result<Box<dyn Reading + 'a>> {
        let empty = finish(&self.name, TableBuilder::new(fields()), ctx.document_ids());
        reading(MentionsReading {
            rows: RowGroups::open(ctx, empty)?,
        })
    }
}

struct MentionsReading {
    rows: RowGroups,
}

/// A document's figures, made into rows when their turn comes: the rows of a long document
/// are made and handed on a row group at a time, never held whole beside its figures.
pub struct DocumentFigures {
    doc_id: String,
    figures: Arc<Vec<Mention>>,
    /// The figures of the part read (a section's own, among those of its reach).
    own: std::ops::Range<usize>,
}

impl DocumentReader for MentionsReading {
    type Part = DocumentFigures;

    fn read(&self, doc: &Analysis) -> Result<DocumentFigures> {
        let (figures, own) = doc.figures_in_reach();
        Ok(DocumentFigures {
            doc_id: doc.document.id.clone(),
            figures: figures.clone(),
            own,
        })
    }

    /// Rows made in parallel chunks, a row group's worth at a time, handed on in order.
    fn take(&mut self, parts: Vec<DocumentFigures>) -> Result<()> {
        for part in parts {
            for group in part.figures[part.own.clone()].chunks(ROW_GROUP) {
                let chunks: Vec<TableBuilder> = group
                    .par_chunks(ROWS_PER_TASK)
                    .map(|chunk| rows(&part.doc_id, chunk))
                    .collect();
                for chunk in chunks {
                    self.rows.push(chunk);
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Result<Output> {
        let mut out = Output::default();
        self.rows.finish(&mut out)?;
        Ok(out)
    }
}
