//! Funding requirements (Migration Initiatives 2016): regional tables of countries × categories
//! with a Total column and a Total row.
//!
//! The text is the PDF's reading order, so a table looks like: region title, perhaps chart axis
//! labels and legends, the column headings ending in a lone `Total`, then rows, then the
//! `Total ...` row. Row names wrap over several lines, values may sit on the line after the
//! name or be split over two lines, `-` marks an empty cell, and a few rows print one number
//! fewer than the columns (a blank cell the PDF lost). Each table is cut out by its `Total`
//! row; the body starts after the column headings (or the title, where there are none).

use crate::config::{FundingConfig, RegionConfig};
use crate::countries::{CountryTable, Place, code_fields};
use crate::dataset::{DType, Dataset, Field, TableBuilder, Value};
use crate::document::Document;
use crate::error::Result;
use crate::numbers::{CellToken, parse_cell_token};
use crate::validate::{Finding, Severity, Source, Status, SumCheck, check_id};

/// Longest row name wrap seen in practice is 4 lines; more means we are reading prose.
const MAX_NAME_LINES: usize = 4;
/// Short rows per table whose blank we try to place; beyond this, the table is not a table.
const MAX_SHORT_ROWS: usize = 3;

pub const DATASET: &str = "funding_requirements";
pub const TOTALS_DATASET: &str = "funding_totals";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellStatus {
    Value,
    Dash,
    BlankInferred,
    /// A short row whose blank could not be placed: values are kept only in the finding.
    Unresolved,
}

impl CellStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CellStatus::Value => "value",
            CellStatus::Dash => "dash",
            CellStatus::BlankInferred => "blank_inferred",
            CellStatus::Unresolved => "unresolved",
        }
    }
}

/// A number (or dash) as printed, with the line it was printed on.
#[derive(Debug, Clone, PartialEq)]
pub struct Printed {
    pub value: Option<i64>,
    pub line: usize,
}

impl Printed {
    fn amount(&self) -> i64 {
        self.value.unwrap_or(0)
    }
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub amount: Option<i64>,
    pub status: CellStatus,
    pub line: usize,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// Name joined from its wrapped lines, as printed.
    pub name: String,
    pub name_line: usize,
    /// One per category; empty until placed for a short row.
    pub cells: Vec<Cell>,
    pub total: Printed,
    /// The category values as printed (without the total).
    pub printed: Vec<Printed>,
}

impl Row {
    fn is_short(&self, width: usize) -> bool {
        self.printed.len() < width
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub region: RegionConfig,
    pub title_line: Option<usize>,
    pub rows: Vec<Row>,
    pub column_totals: Vec<Printed>,
    pub grand_total: Printed,
    pub total_line: usize,
}

pub struct Extraction {
    pub tables: Vec<Table>,
    pub findings: Vec<Finding>,
}

/// Reads every declared regional table, in order.
pub fn extract(doc: &Document, cfg: &FundingConfig, tolerance: i64) -> Result<Extraction> {
    let width = cfg.categories.len();
    let anchor = doc
        .lines
        .iter()
        .position(|l| l.text.contains(cfg.section_anchor.as_str()))
        .ok_or_else(|| {
            doc.malformed(
                doc.lines.len(),
                format!("funding section anchor '{}' not found", cfg.section_anchor),
            )
        })?;

    let mut findings = Vec::new();
    let mut tables = Vec::new();
    let mut pos = anchor + 1;
    for (index, region) in cfg.regions.iter().enumerate() {
        let later_titles: Vec<&str> = cfg.regions[index + 1..]
            .iter()
            .filter(|r| r.title_in_text)
            .map(|r| r.name.as_str())
            .collect();
        let mut table = read_table(doc, region, &later_titles, pos, width)?;
        pos = table.total_line; // index of the line after the Total row (lines are 1-based)
        if !region.title_in_text {
            findings.push(Finding {
                check_id: check_id(DATASET, "region_title", &[&region.name]),
                dataset: DATASET.into(),
                kind: "region_title".into(),
                subject: region.name.clone(),
                stated: None,
                computed: None,
                tolerance: None,
                status: Status::Inferred,
                severity: Severity::Info,
                doc_id: doc.id.clone(),
                line: table.rows.first().map(|r| r.name_line),
                evidence: table
                    .rows
                    .first()
                    .map(|r| doc.line(r.name_line).raw.trim().to_string())
                    .unwrap_or_default(),
                message: format!(
                    "table {} has no title line in the text; its region name '{}' comes from the order declared in pipeline.toml",
                    index + 1,
                    region.name
                ),
            });
        }
        place_blanks(doc, &mut table, cfg, tolerance, &mut findings);
        tables.push(table);
    }
    Ok(Extraction { tables, findings })
}

/// Splits a line into its leading text (a row name fragment) and the cell tokens after it.
/// Text after the first number means the line is not a table row.
fn split_row_line(text: &str) -> std::result::Result<(String, Vec<CellToken>), String> {
    let mut name = Vec::new();
    let mut values = Vec::new();
    for token in text.split_whitespace() {
        match parse_cell_token(token) {
            Some(v) => values.push(v),
            None if values.is_empty() => name.push(token),
            None => {
                return Err(format!(
                    "unexpected text '{token}' after the numbers of a row"
                ));
            }
        }
    }
    Ok((name.join(" "), values))
}

fn is_total_row(text: &str) -> bool {
    let mut tokens = text.split_whitespace();
    tokens.next() == Some("Total")
        && tokens.clone().next().is_some()
        && tokens.all(|t| parse_cell_token(t).is_some())
}

/// Joins wrapped name fragments: `UNSC resolution 1244-` + `administered Kosovo`.
pub fn join_name(parts: &[String]) -> String {
    let mut name = String::new();
    for part in parts {
        let part = part.trim();
        if !name.is_empty() && !name.ends_with('-') {
            name.push(' ');
        }
        name.push_str(part);
    }
    name
}

fn read_table(
    doc: &Document,
    region: &RegionConfig,
    later_titles: &[&str],
    start: usize,
    width: usize,
) -> Result<Table> {
    let lines = &doc.lines;
    let first_line = start + 1;
    let total_idx = (start..lines.len())
        .find(|&i| is_total_row(&lines[i].text))
        .ok_or_else(|| {
            doc.malformed(
                first_line.min(lines.len()),
                format!(
                    "table for region '{}' (from line {first_line}) has no Total row before the end of the document",
                    region.name
                ),
            )
        })?;

    let span = start..total_idx;
    if let Some(i) = span
        .clone()
        .find(|&i| later_titles.contains(&lines[i].text.trim()))
    {
        return Err(doc.malformed(
            i + 1,
            format!(
                "table for region '{}' has no Total row: its rows run into the title of the next table, '{}'",
                region.name,
                lines[i].text.trim()
            ),
        ));
    }
    let title_idx = span.clone().find(|&i| lines[i].text.trim() == region.name);
    match (region.title_in_text, title_idx) {
        (true, None) => {
            return Err(doc.malformed(
                first_line,
                format!(
                    "title '{}' not found between line {first_line} and the Total row at line {}",
                    region.name,
                    total_idx + 1
                ),
            ));
        }
        (false, Some(i)) => {
            return Err(doc.malformed(
                i + 1,
                format!(
                    "pipeline.toml says the title of '{}' is missing from the text, but this line prints it: set title_in_text = true",
                    region.name
                ),
            ));
        }
        _ => {}
    }
    // Column headings end with a lone "Total"; chart labels and legends come before them.
    let header_end = span
        .clone()
        .rev()
        .find(|&i| lines[i].text.trim() == "Total");
    let body_start = match (title_idx, header_end) {
        (Some(t), Some(h)) => t.max(h) + 1,
        (Some(t), None) => t + 1,
        (None, Some(h)) => h + 1,
        (None, None) => start,
    };

    let rows = read_rows(doc, body_start..total_idx, width, &region.name)?;
    if rows.is_empty() {
        return Err(doc.malformed(
            total_idx + 1,
            format!(
                "table for region '{}' has a Total row but no rows",
                region.name
            ),
        ));
    }

    let total_line = total_idx + 1;
    let (_, tokens) =
        split_row_line(&lines[total_idx].text).map_err(|m| doc.malformed(total_line, m))?;
    if tokens.len() != width + 1 {
        return Err(doc.malformed(
            total_line,
            format!(
                "Total row of '{}' prints {} values; expected {} ({width} categories + Total)",
                region.name,
                tokens.len(),
                width + 1
            ),
        ));
    }
    let mut printed: Vec<Printed> = tokens
        .into_iter()
        .map(|t| Printed {
            value: token_value(t),
            line: total_line,
        })
        .collect();
    let grand_total = printed.pop().expect("width + 1 values");
    Ok(Table {
        region: region.clone(),
        title_line: title_idx.map(|i| i + 1),
        rows,
        column_totals: printed,
        grand_total,
        total_line,
    })
}

fn token_value(t: CellToken) -> Option<i64> {
    match t {
        CellToken::Int(v) => Some(v),
        CellToken::Dash => None,
    }
}

struct OpenRow {
    name: String,
    name_line: usize,
    values: Vec<Printed>,
}

fn read_rows(
    doc: &Document,
    body: std::ops::Range<usize>,
    width: usize,
    region: &str,
) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut pending: Vec<String> = Vec::new();
    let mut pending_line = 0;
    let mut open: Option<OpenRow> = None;

    for idx in body {
        let line = &doc.lines[idx];
        let number = line.number;
        if line.is_page_marker || line.text.trim().is_empty() {
            continue;
        }
        let (name, values) = split_row_line(&line.text).map_err(|m| doc.malformed(number, m))?;
        if !name.is_empty() {
            if let Some(row) = open.take() {
                rows.push(close_row(doc, row, width, region)?);
            }
            if pending.is_empty() {
                pending_line = number;
            }
            pending.push(name);
            if pending.len() > MAX_NAME_LINES {
                return Err(doc.malformed(
                    pending_line,
                    format!(
                        "row name '{}' runs over more than {MAX_NAME_LINES} lines without numbers",
                        join_name(&pending)
                    ),
                ));
            }
        }
        if values.is_empty() {
            continue;
        }
        let row = match open.as_mut() {
            Some(row) => row,
            None => {
                if pending.is_empty() {
                    return Err(doc.malformed(number, "numbers without a row name"));
                }
                open.insert(OpenRow {
                    name: join_name(&pending),
                    name_line: pending_line,
                    values: Vec::new(),
                })
            }
        };
        pending.clear();
        row.values.extend(values.into_iter().map(|t| Printed {
            value: token_value(t),
            line: number,
        }));
        if row.values.len() > width + 1 {
            return Err(doc.malformed(
                number,
                format!(
                    "row '{}' prints {} values; a row has {width} categories + Total",
                    row.name,
                    row.values.len()
                ),
            ));
        }
        if row.values.len() == width + 1 {
            let row = open.take().expect("open row");
            rows.push(close_row(doc, row, width, region)?);
        }
    }
    if let Some(row) = open.take() {
        rows.push(close_row(doc, row, width, region)?);
    }
    if !pending.is_empty() {
        return Err(doc.malformed(
            pending_line,
            format!("row '{}' has no numbers", join_name(&pending)),
        ));
    }
    Ok(rows)
}

fn close_row(doc: &Document, mut row: OpenRow, width: usize, region: &str) -> Result<Row> {
    // Full rows print width + 1 values; a short row lost exactly one blank cell.
    if row.values.len() != width + 1 && row.values.len() != width {
        return Err(doc.malformed(
            row.values.first().map_or(row.name_line, |v| v.line),
            format!(
                "row '{}' in '{region}' prints {} values; expected {} ({width} categories + Total), or {width} with one blank cell",
                row.name,
                row.values.len(),
                width + 1
            ),
        ));
    }
    let total = row.values.pop().expect("at least one value");
    let cells = if row.values.len() == width {
        row.values.iter().map(printed_cell).collect()
    } else {
        Vec::new()
    };
    Ok(Row {
        name: row.name,
        name_line: row.name_line,
        cells,
        total,
        printed: row.values,
    })
}

fn printed_cell(p: &Printed) -> Cell {
    Cell {
        amount: p.value,
        status: if p.value.is_some() {
            CellStatus::Value
        } else {
            CellStatus::Dash
        },
        line: p.line,
    }
}

/// Places the blank of each short row where the printed column totals say it must be: the one
/// placement (over all short rows of the table together) under which every column sum matches.
/// No placement or several: an error finding, and the row's cells stay unresolved.
fn place_blanks(
    doc: &Document,
    table: &mut Table,
    cfg: &FundingConfig,
    tolerance: i64,
    findings: &mut Vec<Finding>,
) {
    let width = cfg.categories.len();
    let short: Vec<usize> = (0..table.rows.len())
        .filter(|&i| table.rows[i].is_short(width))
        .collect();
    if short.is_empty() {
        return;
    }
    // Column sums of the full rows, to which each candidate placement adds the short rows.
    let mut base = vec![0i64; width];
    for row in table.rows.iter().filter(|r| !r.is_short(width)) {
        for (sum, cell) in base.iter_mut().zip(&row.cells) {
            *sum += cell.amount.unwrap_or(0);
        }
    }
    let mut fits: Vec<Vec<usize>> = Vec::new();
    if short.len() <= MAX_SHORT_ROWS {
        let mut placement = vec![0usize; short.len()];
        loop {
            let mut sums = base.clone();
            for (&row_idx, &blank) in short.iter().zip(&placement) {
                for (k, p) in table.rows[row_idx].printed.iter().enumerate() {
                    let col = if k < blank { k } else { k + 1 };
                    sums[col] += p.amount();
                }
            }
            let fit = sums
                .iter()
                .zip(&table.column_totals)
                .all(|(s, t)| (s - t.amount()).abs() <= tolerance);
            if fit {
                fits.push(placement.clone());
            }
            // Next placement, odometer-style.
            let mut digit = 0;
            while digit < placement.len() {
                placement[digit] += 1;
                if placement[digit] < width {
                    break;
                }
                placement[digit] = 0;
                digit += 1;
            }
            if digit == placement.len() {
                break;
            }
        }
    }

    let region = table.region.name.clone();
    let unique = if fits.len() == 1 { fits.pop() } else { None };
    for (n, &row_idx) in short.iter().enumerate() {
        let row = &mut table.rows[row_idx];
        let line = row.printed.first().map_or(row.total.line, |p| p.line);
        let evidence = doc.line(line).raw.trim().to_string();
        let subject = format!("{region} / {}", row.name);
        let id = check_id(DATASET, "blank_placement", &[&region, &row.name]);
        match &unique {
            Some(placement) => {
                let blank = placement[n];
                let mut cells: Vec<Cell> = row.printed.iter().map(printed_cell).collect();
                cells.insert(
                    blank,
                    Cell {
                        amount: None,
                        status: CellStatus::BlankInferred,
                        line,
                    },
                );
                row.cells = cells;
                findings.push(Finding {
                    check_id: id,
                    dataset: DATASET.into(),
                    kind: "blank_placement".into(),
                    subject,
                    stated: None,
                    computed: None,
                    tolerance: Some(tolerance as f64),
                    status: Status::Inferred,
                    severity: Severity::Info,
                    doc_id: doc.id.clone(),
                    line: Some(line),
                    evidence,
                    message: format!(
                        "row prints {} of {width} category values; the blank cell is '{}' (column {} of {width}): the only placement under which all {width} printed column totals of '{region}' match",
                        row.printed.len(),
                        cfg.categories[blank].name,
                        blank + 1
                    ),
                });
            }
            None => {
                row.cells = (0..width)
                    .map(|_| Cell {
                        amount: None,
                        status: CellStatus::Unresolved,
                        line,
                    })
                    .collect();
                let why = if short.len() > MAX_SHORT_ROWS {
                    format!(
                        "{} short rows in one table; at most {MAX_SHORT_ROWS} are resolved",
                        short.len()
                    )
                } else if fits.is_empty() {
                    "no placement of the blank cell makes the printed column totals match"
                        .to_string()
                } else {
                    format!(
                        "{} placements make the printed column totals match",
                        fits.len()
                    )
                };
                findings.push(Finding {
                    check_id: id,
                    dataset: DATASET.into(),
                    kind: "blank_placement".into(),
                    subject,
                    stated: None,
                    computed: None,
                    tolerance: Some(tolerance as f64),
                    status: Status::Fail,
                    severity: Severity::Error,
                    doc_id: doc.id.clone(),
                    line: Some(line),
                    evidence,
                    message: format!(
                        "row prints {} of {width} category values and {why}; its cells are left unresolved (null)",
                        row.printed.len()
                    ),
                });
            }
        }
    }
}

/// Row totals, column totals, and the grand total three ways.
pub fn check_totals(
    doc: &Document,
    tables: &[Table],
    cfg: &FundingConfig,
    tolerance: i64,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for table in tables {
        let region = table.region.name.as_str();
        let evidence = |line: usize| doc.line(line).raw.as_str();
        for row in &table.rows {
            // From the printed values, so a short row is checked even when its blank is unplaced.
            let computed: i64 = row.printed.iter().map(Printed::amount).sum();
            out.push(
                SumCheck {
                    check_id: check_id(DATASET, "row_total", &[region, &row.name]),
                    dataset: DATASET,
                    kind: "row_total",
                    subject: format!("{region} / {} / Total", row.name),
                    stated: row.total.amount(),
                    computed,
                    tolerance,
                    source: Source {
                        doc_id: &doc.id,
                        line: row.total.line,
                        evidence: evidence(row.total.line),
                    },
                    how: format!(
                        "row total of '{}' vs sum of its {} printed cells",
                        row.name,
                        row.printed.len()
                    ),
                }
                .finding(),
            );
        }
        let total_evidence = evidence(table.total_line);
        for (k, category) in cfg.categories.iter().enumerate() {
            let computed: i64 = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(k))
                .map(|c| c.amount.unwrap_or(0))
                .sum();
            out.push(
                SumCheck {
                    check_id: check_id(DATASET, "column_total", &[region, &category.code]),
                    dataset: DATASET,
                    kind: "column_total",
                    subject: format!("{region} / Total / {}", category.name),
                    stated: table.column_totals[k].amount(),
                    computed,
                    tolerance,
                    source: Source {
                        doc_id: &doc.id,
                        line: table.total_line,
                        evidence: total_evidence,
                    },
                    how: format!(
                        "column total of '{}' vs sum of {} rows",
                        category.name,
                        table.rows.len()
                    ),
                }
                .finding(),
            );
        }
        let ways: [(&str, &str, i64); 3] = [
            (
                "row_totals",
                "sum of the printed row totals",
                table.rows.iter().map(|r| r.total.amount()).sum(),
            ),
            (
                "column_totals",
                "sum of the printed column totals",
                table.column_totals.iter().map(Printed::amount).sum(),
            ),
            (
                "cells",
                "sum of all cells",
                table
                    .rows
                    .iter()
                    .flat_map(|r| &r.cells)
                    .map(|c| c.amount.unwrap_or(0))
                    .sum(),
            ),
        ];
        for (way, how, computed) in ways {
            out.push(
                SumCheck {
                    check_id: check_id(DATASET, "grand_total", &[region, way]),
                    dataset: DATASET,
                    kind: "grand_total",
                    subject: format!("{region} / Total / Total"),
                    stated: table.grand_total.amount(),
                    computed,
                    tolerance,
                    source: Source {
                        doc_id: &doc.id,
                        line: table.total_line,
                        evidence: total_evidence,
                    },
                    how: format!("grand total vs {how}"),
                }
                .finding(),
            );
        }
    }
    out
}

#[rustfmt::skip]
pub fn cells_fields() -> Vec<Field> {
    use DType::*;
    let mut fields = vec![
        Field::new("region", Utf8, false, "Region of the table, as named in pipeline.toml (one title is lost in the text).").hxl("#region+name"),
        Field::new("region_code", Utf8, false, "Stable code of the region, from pipeline.toml.").hxl("#region+code"),
        Field::new("country", Utf8, false, "Row name as printed (wrapped lines joined), or 'Regional programmes'.").hxl("#country+name"),
    ];
    fields.extend(code_fields());
    fields.extend([
        Field::new("category", Utf8, false, "Funding category (column heading).").hxl("#sector+name"),
        Field::new("category_code", Utf8, false, "Stable code of the category, from pipeline.toml.").hxl("#sector+code"),
        Field::new("amount_usd", Int64, true, "Funding requirement in whole US dollars; null when the cell is empty.").hxl("#value+funding+required+usd"),
        Field::new("cell_status", Utf8, false, "value (a number printed) | dash ('-' printed) | blank_inferred (no cell printed; placed by the column totals) | unresolved (see validation_results).")
            .hxl("#status")
            .allowed(&["value", "dash", "blank_inferred", "unresolved"]),
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml).").hxl("#meta+source"),
        Field::new("line", Int64, false, "1-based line in the raw document where the value was printed.").hxl("#meta+line"),
        Field::new("page", Int64, true, "Page number where the document has page markers; else null.").hxl("#meta+page"),
    ]);
    fields
}

#[rustfmt::skip]
pub fn totals_fields() -> Vec<Field> {
    use DType::*;
    let mut fields = vec![
        Field::new("region", Utf8, false, "Region of the table.").hxl("#region+name"),
        Field::new("region_code", Utf8, false, "Stable code of the region, from pipeline.toml.").hxl("#region+code"),
        Field::new("country", Utf8, false, "Row name, or 'Total' for the table's Total row.").hxl("#country+name"),
    ];
    fields.extend(code_fields());
    fields.extend([
        Field::new("category", Utf8, false, "Category name, or 'Total' for the Total column.").hxl("#sector+name"),
        Field::new("category_code", Utf8, false, "Stable category code, or 'total'.").hxl("#sector+code"),
        Field::new("stated_usd", Int64, true, "Total as printed, whole US dollars; null when printed as '-'.").hxl("#value+funding+required+usd+total"),
        Field::new("cell_status", Utf8, false, "value | dash.").hxl("#status").allowed(&["value", "dash"]),
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml).").hxl("#meta+source"),
        Field::new("line", Int64, false, "1-based line in the raw document where the total was printed.").hxl("#meta+line"),
    ]);
    fields
}

pub fn datasets(
    doc: &Document,
    tables: &[Table],
    cfg: &FundingConfig,
    countries: &CountryTable,
    findings: &mut Vec<Finding>,
) -> (Dataset, Dataset) {
    let page = |line: usize| doc.line(line).page;
    let mut cells = TableBuilder::new(cells_fields());
    let mut totals = TableBuilder::new(totals_fields());
    let null_codes = || vec![Value::Str(None), Value::Str(None), Value::Str(None)];
    let total_row = |region: &RegionConfig,
                     country: &str,
                     codes: Vec<Value>,
                     category: &str,
                     code: &str,
                     p: &Printed| {
        let mut row: Vec<Value> = vec![
            region.name.as_str().into(),
            region.code.as_str().into(),
            country.into(),
        ];
        row.extend(codes);
        row.extend([
            category.into(),
            code.into(),
            p.value.into(),
            if p.value.is_some() { "value" } else { "dash" }.into(),
            doc.id.as_str().into(),
            p.line.into(),
        ]);
        row
    };
    for table in tables {
        let region = &table.region;
        for row in &table.rows {
            let codes = countries.code_values(
                &row.name,
                &Place {
                    dataset: DATASET,
                    doc_id: &doc.id,
                    line: row.name_line,
                    evidence: &doc.line(row.name_line).raw,
                },
                findings,
            );
            for (cell, category) in row.cells.iter().zip(&cfg.categories) {
                let mut values: Vec<Value> = vec![
                    region.name.as_str().into(),
                    region.code.as_str().into(),
                    row.name.as_str().into(),
                ];
                values.extend(codes.iter().cloned());
                values.extend([
                    category.name.as_str().into(),
                    category.code.as_str().into(),
                    cell.amount.into(),
                    cell.status.as_str().into(),
                    doc.id.as_str().into(),
                    cell.line.into(),
                    page(cell.line).into(),
                ]);
                cells.push(values);
            }
            totals.push(total_row(
                region,
                &row.name,
                codes.to_vec(),
                "Total",
                "total",
                &row.total,
            ));
        }
        for (p, category) in table.column_totals.iter().zip(&cfg.categories) {
            totals.push(total_row(
                region,
                "Total",
                null_codes(),
                &category.name,
                &category.code,
                p,
            ));
        }
        totals.push(total_row(
            region,
            "Total",
            null_codes(),
            "Total",
            "total",
            &table.grand_total,
        ));
    }
    let sources = vec![doc.id.clone()];
    let key: Vec<String> = ["doc_id", "region_code", "country", "category_code"]
        .map(String::from)
        .to_vec();
    (
        cells.finish(DATASET, sources.clone(), key.clone()),
        totals.finish(TOTALS_DATASET, sources, key),
    )
}
