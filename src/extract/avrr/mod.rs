//! AVRR key figures (Annual Reports): two panels side by side, "Top 10 host countries" and
//! "Top 10 places of origin", each with a column per year. Names wrap above, below or around
//! their number line, thousands are grouped with a space (`54 006`), and a page marker or a
//! blank line ends the table.
//!
//! Everything about an edition is read from its text: the years from the year line, the panel
//! columns from where each panel's year headings end, the rows from line positions (see
//! [`rows`]). The ranked column is the dataset's layout rule (`ranked_by`) unless the
//! document's declaration overrides it. Any other shape is an error naming the line.

mod checks;
mod layout;
pub mod rows;

use crate::config::{AvrrConfig, RankedBy};
use crate::countries::{CountryTable, Place, Resolved, code_fields};
use crate::dataset::{DType, Field, TableBuilder, Value};
use crate::document::Document;
use crate::error::Result;
use crate::extract::{Analysis, Context, DocumentReader, Extractor, Output, Reading, reading};
use crate::stated::Stated;
use crate::validate::{Finding, Severity, Status, check_id};

use layout::{Frame, cells, number};
use rows::{Body, Slot};

pub use rows::NamedRow as Row;

#[derive(Debug, Clone)]
pub struct Panel {
    pub role: String,
    pub rows: Vec<Row>,
}

/// One document's table.
#[derive(Debug, Clone)]
pub struct AvrrTable {
    /// Year of each value column, left to right, as printed.
    pub years: Vec<i32>,
    /// The year whose column ranks the table.
    pub ranked_year: i32,
    pub panels: Vec<Panel>,
    /// Line where the country table, not positions alone, settled which row a name line
    /// belongs to.
    pub settled_by_names: Option<usize>,
}

/// Reads one document's table. `ranked_override` is the document's declared ranked year.
pub fn extract(
    doc: &Document,
    cfg: &AvrrConfig,
    countries: &CountryTable,
    ranked_override: Option<i32>,
) -> Result<AvrrTable> {
    let frame = layout::read_frame(doc, cfg)?;
    let roles: Vec<String> = cfg.panels.iter().map(|p| p.role.clone()).collect();
    let known = |name: &str| !matches!(countries.resolve(name), Resolved::Unknown);
    let read = |body: &std::ops::Range<usize>| -> Result<rows::Resolution> {
        let body = read_body(doc, cfg, &frame, body)?;
        let resolution = rows::resolve(doc, &body, &roles, &known)?;
        let short = resolution
            .panels
            .iter()
            .position(|rows| rows.len() != cfg.rows);
        match short {
            Some(p) => Err(doc.malformed(
                frame.years_idx + 2,
                format!(
                    "panel '{}' has {} rows; pipeline.toml expects {}",
                    roles[p],
                    resolution.panels[p].len(),
                    cfg.rows
                ),
            )),
            None => refuse_repeated_names(doc, &roles, resolution),
        }
    };
    let resolution = match &frame.continued {
        None => read(&frame.body)?,
        Some(longer) => settle_continuation(
            doc,
            read(&frame.body),
            read(longer),
            &known,
            frame.body.end + 1,
        )?,
    };
    let panels: Vec<Panel> = roles
        .into_iter()
        .zip(resolution.panels)
        .map(|(role, rows)| Panel { role, rows })
        .collect();
    let ranked_year = ranked_year(doc, cfg, &frame, ranked_override)?;
    Ok(AvrrTable {
        years: frame.years,
        ranked_year,
        panels,
        settled_by_names: resolution.settled_by_names,
    })
}

fn ranked_year(
    doc: &Document,
    cfg: &AvrrConfig,
    frame: &Frame,
    ranked_override: Option<i32>,
) -> Result<i32> {
    let by_rule = match cfg.ranked_by {
        RankedBy::FirstYearColumn => frame.years.first(),
        RankedBy::LastYearColumn => frame.years.last(),
    };
    match (ranked_override, by_rule) {
        (Some(y), _) if frame.years.contains(&y) => Ok(y),
        (Some(y), _) => Err(doc.malformed(
            frame.years_idx + 1,
            format!(
                "the document declares avrr_ranked_year = {y}, but the table's years are {:?}",
                frame.years
            ),
        )),
        (None, Some(&y)) => Ok(y),
        (None, None) => Err(doc.malformed(frame.years_idx + 1, "the table prints no year")),
    }
}

/// A country twice in one panel: a row band printed twice (a repeated page) or a panel read
/// twice; the ranks cannot be taken as printed.
fn refuse_repeated_names(
    doc: &Document,
    roles: &[String],
    resolution: rows::Resolution,
) -> Result<rows::Resolution> {
    for (role, rows) in roles.iter().zip(&resolution.panels) {
        for (k, row) in rows.iter().enumerate() {
            if let Some(first) = rows[..k].iter().find(|r| r.name == row.name) {
                let line = |r: &Row| r.values.first().map_or(0, |v| v.1);
                return Err(doc.malformed(
                    line(row),
                    format!(
                        "panel '{role}': '{}' is ranked twice (lines {} and {}): a row printed twice",
                        row.name,
                        line(first),
                        line(row)
                    ),
                ));
            }
        }
    }
    Ok(resolution)
}

/// A page break after the last row, and a line after it that may end the last row's first
/// name or be what follows the table: the reading that gives names the country table knows is
/// kept (recorded as settled by names); where both or neither do, it is refused naming the
/// line.
fn settle_continuation(
    doc: &Document,
    short: Result<rows::Resolution>,
    long: Result<rows::Resolution>,
    known: &dyn Fn(&str) -> bool,
    line: usize,
) -> Result<rows::Resolution> {
    let unknown = |r: &rows::Resolution| {
        r.panels
            .iter()
            .flatten()
            .filter(|row| !known(&row.name))
            .count()
    };
    match (short, long) {
        (Ok(s), Err(_)) => Ok(s),
        (Err(_), Ok(l)) => Ok(l),
        (Err(e), Err(_)) => Err(e),
        (Ok(s), Ok(l)) => {
            let names = |r: &rows::Resolution| -> Vec<String> {
                r.panels
                    .iter()
                    .flatten()
                    .map(|row| row.name.clone())
                    .collect()
            };
            if names(&s) == names(&l) {
                return Ok(s);
            }
            match unknown(&s).cmp(&unknown(&l)) {
                std::cmp::Ordering::Less => Ok(rows::Resolution { settled_by_names: Some(line), ..s }),
                std::cmp::Ordering::Greater => Ok(rows::Resolution { settled_by_names: Some(line), ..l }),
                std::cmp::Ordering::Equal => Err(doc.malformed(
                    line,
                    "after a page break the table's last row may go on (its first panel's name) or the table may end: neither the layout nor the country table tells which",
                )),
            }
        }
    }
}

/// Splits every body line into its panels: name text and, on a number line, the values.
fn read_body(
    doc: &Document,
    cfg: &AvrrConfig,
    frame: &Frame,
    frame_body: &std::ops::Range<usize>,
) -> Result<Body> {
    let width = frame.years.len();
    let mut slots = Vec::with_capacity(frame_body.len());
    let mut lines = Vec::with_capacity(frame_body.len());
    for i in frame_body.clone() {
        // A page break inside the table: its furniture and the blank lines around it.
        if doc.lines[i].is_furniture() || doc.lines[i].text().trim().is_empty() {
            continue;
        }
        lines.push(i + 1);
        let mut per_panel: Vec<Vec<layout::Cell>> = vec![Vec::new(); cfg.panels.len()];
        for cell in cells(doc.lines[i].text()) {
            let p = frame.panel_of(cell.col).min(cfg.panels.len() - 1);
            per_panel[p].push(cell);
        }
        let line: Result<Vec<Slot>> = per_panel
            .iter()
            .enumerate()
            .map(|(p, cs)| {
                slot(cs, width).map_err(|m| {
                    doc.malformed(i + 1, format!("panel '{}': {m}", cfg.panels[p].role))
                })
            })
            .collect();
        slots.push(line?);
    }
    Ok(Body { lines, slots })
}

/// One panel's part of a line: text before the first number is name text; the numbers that
/// follow must be one per year and nothing else.
fn slot(cs: &[layout::Cell], width: usize) -> std::result::Result<Slot, String> {
    if let Some(c) = cs.iter().find(|c| crate::numbers::too_large(&c.text, ' ')) {
        return Err(format!(
            "figure '{}' is too large for a 64-bit integer",
            c.text
        ));
    }
    let join = |cs: &[layout::Cell]| {
        (!cs.is_empty()).then(|| {
            cs.iter()
                .map(|c| c.text.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    let Some(k) = cs.iter().position(|c| number(&c.text).is_some()) else {
        return Ok(Slot {
            text: join(cs),
            numbers: None,
        });
    };
    let numbers: Vec<i64> = cs[k..].iter().filter_map(|c| number(&c.text)).collect();
    if numbers.len() != cs.len() - k || numbers.len() != width {
        let found: Vec<&str> = cs.iter().map(|c| c.text.as_str()).collect();
        return Err(format!(
            "expected a name and {width} numbers, found {found:?}"
        ));
    }
    Ok(Slot {
        text: join(&cs[..k]),
        numbers: Some(numbers),
    })
}

#[rustfmt::skip]
pub fn fields() -> Vec<Field> {
    use DType::*;
    let mut fields = vec![
        Field::new("role", Utf8, false, "Panel role from pipeline.toml: host (country the migrants returned from) | origin (place they returned to).").hxl("#indicator+role"),
        Field::new("rank", Int64, false, "Order in the table (1 = first printed), the same for every year column.").hxl("#indicator+rank"),
        Field::new("country", Utf8, false, "Country or territory as printed, wrapped lines joined.").hxl("#country+name"),
    ];
    fields.extend(code_fields());
    fields.extend([
        Field::new("year", Int64, false, "Year of the column, as printed on the table's year line.").hxl("#date+year"),
        Field::new("migrants_assisted", Int64, false, "Migrants assisted to return (AVRR) that year.").hxl("#affected+returnees"),
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml).").hxl("#meta+source"),
        Field::new("line", Int64, false, "1-based line where the number is printed.").hxl("#meta+line"),
        Field::new("page", Int64, true, "Page, from the document's page markers.").hxl("#meta+page"),
    ]);
    fields
}

fn push_rows(
    table: &mut TableBuilder,
    dataset: &str,
    doc: &Document,
    avrr: &AvrrTable,
    countries: &CountryTable,
    findings: &mut Vec<Finding>,
) {
    for panel in &avrr.panels {
        for (rank, row) in panel.rows.iter().enumerate() {
            let first = row.name_lines.first().copied().unwrap_or(0);
            let codes = countries.code_values(
                &row.name,
                &Place {
                    dataset,
                    doc_id: &doc.id,
                    line: first,
                    evidence: doc.line(first).raw(),
                },
                findings,
            );
            for (&(value, line), year) in row.values.iter().zip(&avrr.years) {
                let mut values: Vec<Value> = vec![
                    panel.role.as_str().into(),
                    (rank + 1).into(),
                    row.name.as_str().into(),
                ];
                values.extend(codes.iter().cloned());
                values.extend([
                    Value::Int(Some(i64::from(*year))),
                    value.into(),
                    doc.id.as_str().into(),
                    line.into(),
                    doc.line(line).page.into(),
                ]);
                table.push(values);
            }
        }
    }
}

/// Recorded when positions alone allowed two readings and the country table chose.
fn settled_by_names(dataset: &str, doc: &Document, line: usize) -> Finding {
    Finding {
        check_id: check_id(dataset, &doc.id, "name_wrap", &[&line.to_string()]),
        dataset: dataset.to_string(),
        kind: "name_wrap".into(),
        subject: format!("wrapped names near line {line}"),
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Inferred,
        severity: Severity::Info,
        doc_id: doc.id.clone(),
        line: Some(line),
        evidence: doc.line(line).raw().trim().to_string(),
        message: "line positions alone allow more than one assignment of wrapped name lines to rows; the reading whose names are all in the country table was kept".into(),
    }
}

pub struct AvrrExtractor {
    name: String,
    cfg: AvrrConfig,
}

impl AvrrExtractor {
    pub fn new(name: &str, cfg: AvrrConfig) -> Self {
        AvrrExtractor {
            name: name.to_string(),
            cfg,
        }
    }
}

impl Extractor for AvrrExtractor {
    fn needs(&self) -> Vec<String> {
        vec![self.cfg.metrics_dataset.clone()]
    }

    fn outputs(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> Result<Box<dyn Reading + 'a>> {
        reading(AvrrReading {
            extractor: self,
            ctx,
            stated: ctx.figures_of(&self.cfg.metrics_dataset),
            table: TableBuilder::new(fields()),
            findings: Vec::new(),
        })
    }
}

struct AvrrReading<'a> {
    extractor: &'a AvrrExtractor,
    ctx: &'a Context<'a>,
    stated: &'a [Stated],
    table: TableBuilder,
    findings: Vec<Finding>,
}

impl DocumentReader for AvrrReading<'_> {
    type Part = (TableBuilder, Vec<Finding>);

    fn read(&self, analysis: &Analysis) -> Result<Self::Part> {
        let (x, ctx) = (self.extractor, self.ctx);
        let doc: &Document = &analysis.document;
        let ranked = ctx.overrides(doc).avrr_ranked_year;
        let avrr = extract(doc, &x.cfg, ctx.countries, ranked)?;
        let mut findings = Vec::new();
        if let Some(line) = avrr.settled_by_names {
            findings.push(settled_by_names(&x.name, doc, line));
        }
        let checking = checks::Checking {
            dataset: &x.name,
            doc,
            cfg: &x.cfg,
            table: &avrr,
            countries: ctx.countries,
            stated: self.stated,
        };
        findings.extend(checks::all(&checking));
        let mut rows = TableBuilder::new(fields());
        push_rows(&mut rows, &x.name, doc, &avrr, ctx.countries, &mut findings);
        Ok((rows, findings))
    }

    fn take(&mut self, parts: Vec<Self::Part>) -> Result<()> {
        for (rows, findings) in parts {
            self.table.append(rows);
            self.findings.extend(findings);
        }
        Ok(())
    }

    fn finish(self) -> Result<Output> {
        let key = ["doc_id", "role", "rank", "year"]
            .map(String::from)
            .to_vec();
        let table = self
            .table
            .finish(&self.extractor.name, self.ctx.document_ids(), key);
        Ok(Output {
            datasets: vec![table],
            findings: self.findings.into(),
            ..Output::default()
        })
    }
}
