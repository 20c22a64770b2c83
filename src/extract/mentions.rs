//! `mentions`: every figure printed in every document, with its sentence, as rows (the scan
//! itself is [`crate::extract::figures`], shared with the other readers of a document).

use crate::dataset::{DType, Dataset, Field, KeyOrder, Rows, TableBuilder};
use crate::error::Result;
use crate::extract::figures::Mention;
use crate::extract::{
    Analysis, Context, DocumentReader, Extractor, Output, ROW_GROUP, Reading, RowsInto, reading,
};
use polars::prelude::{Column, IntoColumn, NewChunkedArray, PlSmallStr, StringChunked};
use std::sync::Arc;

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

/// Mentions on their way into a row group: the figures themselves (shared with the other
/// readers of their documents), made into columns only where they are written.
#[derive(Default)]
pub struct MentionRows {
    parts: Vec<DocumentFigures>,
    rows: usize,
}

impl MentionRows {
    /// Each row's document id and figure, in order (a list of exact length, so that every
    /// column is sized once).
    fn each(&self) -> Vec<(&str, &Mention)> {
        let mut rows = Vec::with_capacity(self.rows);
        for p in &self.parts {
            rows.extend(p.figures[p.own.clone()].iter().map(|m| (&*p.doc_id, m)));
        }
        rows
    }
}

impl Rows for MentionRows {
    fn len(&self) -> usize {
        self.rows
    }

    /// The columns of [`fields`], each built straight from the figures.
    fn into_dataset(self: Box<Self>, empty: &Dataset) -> Dataset {
        let rows = self.each();
        let ints = |v: &dyn Fn(&Mention) -> Option<i64>| -> Vec<Option<i64>> {
            rows.iter().map(|(_, m)| v(m)).collect()
        };
        let texts = |n: PlSmallStr, v: &dyn for<'m> Fn(&'m str, &'m Mention) -> Option<&'m str>| {
            let cells = rows.iter().map(|&(d, m)| v(d, m));
            StringChunked::from_iter_options(n, cells).into_column()
        };
        let columns = empty
            .fields
            .iter()
            .map(|f| {
                let n = PlSmallStr::from(f.name.as_str());
                match f.name.as_str() {
                    "doc_id" => texts(n, &|d, _| Some(d)),
                    "line" => Column::new(n, ints(&|m| Some(m.line as i64))),
                    "column" => Column::new(n, ints(&|m| Some(m.column as i64))),
                    "page" => Column::new(n, ints(&|m| m.page.map(i64::from))),
                    "value" => {
                        let values: Vec<Option<f64>> =
                            rows.iter().map(|(_, m)| Some(m.quantity.value)).collect();
                        Column::new(n, values)
                    }
                    "raw" => texts(n, &|_, m| Some(m.raw.as_str())),
                    "qualifier" => texts(n, &|_, m| m.quantity.qualifier.map(|q| q.as_str())),
                    "unit" => texts(n, &|_, m| m.unit),
                    "year" => Column::new(n, ints(&|m| m.year.map(i64::from))),
                    "context" => texts(n, &|_, m| Some(&m.context)),
                    other => unreachable!("the mentions schema has no column '{other}'"),
                }
            })
            .collect();
        empty.like(self.rows, columns)
    }
}

/// Rows come a document at a time, each in reading order, so their keys rise within it.
fn finish(name: &str, table: TableBuilder, sources: Vec<String>) -> Dataset {
    let mut ds = table.finish(
        name,
        sources,
        vec!["doc_id".into(), "line".into(), "column".into()],
    );
    ds.key_order = KeyOrder::Grouped;
    ds
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
            rows: RowsInto::open(ctx, empty)?,
            group: MentionRows::default(),
        })
    }
}

struct MentionsReading {
    rows: RowsInto,
    /// The row group being filled.
    group: MentionRows,
}

/// A document's figures, handed on in row groups of exactly [`ROW_GROUP`] rows (the last may
/// hold fewer), whatever the documents or sections they come from.
pub struct DocumentFigures {
    doc_id: Arc<str>,
    figures: Arc<Vec<Mention>>,
    /// The figures of the part read (a section's own, among those of its reach).
    own: std::ops::Range<usize>,
}

impl DocumentReader for MentionsReading {
    type Part = DocumentFigures;

    fn read(&self, doc: &Analysis) -> Result<DocumentFigures> {
        let (figures, own) = doc.figures_in_reach();
        Ok(DocumentFigures {
            doc_id: doc.document.id.as_str().into(),
            figures: figures.clone(),
            own,
        })
    }

    fn take(&mut self, parts: Vec<DocumentFigures>) -> Result<()> {
        for mut part in parts {
            while !part.own.is_empty() {
                let room = ROW_GROUP - self.group.rows;
                let head = part.own.start..part.own.start + room.min(part.own.len());
                part.own.start = head.end;
                self.group.rows += head.len();
                self.group.parts.push(DocumentFigures {
                    doc_id: part.doc_id.clone(),
                    figures: part.figures.clone(),
                    own: head,
                });
                if self.group.rows == ROW_GROUP {
                    self.rows.append(std::mem::take(&mut self.group));
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Output> {
        if !self.group.is_empty() {
            self.rows.append(std::mem::take(&mut self.group));
        }
        let mut out = Output::default();
        self.rows.finish(&mut out)?;
        Ok(out)
    }
}
