//! `mentions`: every figure printed in every document, with its sentence, as rows (the scan
//! itself is [`crate::extract::figures`], shared with the other readers of a document).

use crate::dataset::{DType, Dataset, Field, TableBuilder};
use crate::error::Result;
use crate::extract::figures::Mention;
use crate::extract::{
    Analysis, Context, DocumentReader, Extractor, Output, Reading, RowsInto, reading,
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
    fn outputs(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    /// Written as documents finish (in batches, one row group each) when the run writes; a
    /// corpus's mentions are never held whole.
    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> Result<Box<dyn Reading + 'a>> {
        let empty = finish(&self.name, TableBuilder::new(fields()), ctx.document_ids());
        reading(MentionsReading {
            into: RowsInto::open(ctx, empty)?,
            pending: TableBuilder::new(fields()),
        })
    }
}

struct MentionsReading {
    into: RowsInto,
    /// Rows not yet handed on: they go in row groups of [`ROW_GROUP`] rows or a few more.
    pending: TableBuilder,
}

/// Rows per row group of the written mentions: groups of one size whatever the documents, and
/// a long document's rows handed on as they are made into groups rather than whole.
const ROW_GROUP: usize = 65_536;

/// A document's figures, made into rows when their turn comes: the rows of a long document
/// are made and handed on a row group at a time, never held whole beside its figures.
pub struct DocumentFigures {
    doc_id: String,
    figures: Arc<Vec<Mention>>,
}

impl DocumentReader for MentionsReading {
    type Part = DocumentFigures;

    fn read(&self, doc: &Analysis) -> Result<DocumentFigures> {
        Ok(DocumentFigures {
            doc_id: doc.document.id.clone(),
            figures: doc.shared_figures().clone(),
        })
    }

    /// Rows made in parallel chunks, a row group's worth at a time, appended in order.
    fn take(&mut self, parts: Vec<DocumentFigures>) -> Result<()> {
        for part in parts {
            for group in part.figures.chunks(ROW_GROUP) {
                let chunks: Vec<TableBuilder> = group
                    .par_chunks(ROWS_PER_TASK)
                    .map(|chunk| rows(&part.doc_id, chunk))
                    .collect();
                for chunk in chunks {
                    self.pending.append(chunk);
                    if self.pending.len() >= ROW_GROUP {
                        let full =
                            std::mem::replace(&mut self.pending, TableBuilder::new(fields()));
                        self.into.append(full);
                    }
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Output> {
        if !self.pending.is_empty() {
            self.into.append(self.pending);
        }
        let mut out = Output::default();
        self.into.finish(&mut out)?;
        Ok(out)
    }
}
