//! Funding requirements (Migration Initiatives): regional tables of countries × categories
//! with a Total column and a Total row, one set per edition. Writes `<name>` (one row per
//! region × country × category) and `<name>_totals` (the totals as printed).

mod blanks;
mod checks;
mod read;

pub use read::join_name;

use crate::config::{Coded, FundingConfig};
use crate::countries::{CountryTable, Place, code_fields};
use crate::dataset::{DType, Field, TableBuilder, Value};
use crate::document::Document;
use crate::error::Result;
use crate::extract::{
    Analysis, Context, DocumentReader, Extractor, Output, Reading, RowsInto, reading,
};
use crate::numbers::CellToken;
use crate::output::findings::FindingLog;
use crate::validate::{Finding, Severity, Status, check_id};

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

    fn cell(&self) -> Cell {
        Cell {
            amount: self.value,
            status: if self.value.is_some() {
                CellStatus::Value
            } else {
                CellStatus::Dash
            },
            line: self.line,
        }
    }
}

/// The amount of a cell token (read only from tokens that are not too large).
fn token_value(t: CellToken) -> Option<i64> {
    match t {
        CellToken::Int(v) => Some(v),
        CellToken::Dash | CellToken::TooLarge => None,
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
    pub region: Coded,
    /// Where the title is printed; None when the title line is lost and the region was
    /// inferred from the declared order.
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

/// Reads one document's regional tables, places the blanks of short rows and checks every
/// printed total. `order` is the region order for this document (declared, or overridden).
pub fn extract(
    doc: &Document,
    dataset: &str,
    cfg: &FundingConfig,
    order: &[Coded],
    tolerance: i64,
) -> Result<Extraction> {
    let layout = read::Layout::new(order, &cfg.categories);
    let mut tables = read::read_section(doc, &cfg.section_anchor, &layout)?;
    let mut findings: Vec<Finding> = Vec::new();
    let category_names: Vec<String> = cfg.categories.iter().map(|c| c.name.clone()).collect();
    let placing = blanks::Placing {
        doc,
        dataset,
        categories: &category_names,
        tolerance,
    };
    for (index, table) in tables.iter_mut().enumerate() {
        if table.title_line.is_none() {
            findings.push(lost_title(doc, dataset, index, table));
        }
        blanks::place_blanks(&placing, table, &mut findings);
    }
    let categories: Vec<(String, String)> = cfg
        .categories
        .iter()
        .map(|c| (c.code.clone(), c.name.clone()))
        .collect();
    let checking = checks::Checking {
        doc,
        dataset,
        categories: &categories,
        tolerance,
    };
    findings.extend(checks::check_totals(&checking, &tables));
    Ok(Extraction { tables, findings })
}

fn lost_title(doc: &Document, dataset: &str, index: usize, table: &Table) -> Finding {
    let first = table.rows.first().map(|r| r.name_line);
    Finding {
        check_id: check_id(dataset, &doc.id, "region_title", &[&table.region.name]),
        dataset: dataset.to_string(),
        kind: "region_title".into(),
        subject: table.region.name.clone(),
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Inferred,
        severity: Severity::Info,
        doc_id: doc.id.clone(),
        line: first,
        evidence: first
            .map(|l| doc.line(l).raw().trim().to_string())
            .unwrap_or_default(),
        message: format!(
            "table {} prints no region title; its region '{}' is the next in the declared order (pipeline.toml, or the document's funding_region_order) of the regions whose titles this section does not print",
            index + 1,
            table.region.name
        ),
    }
}

pub struct FundingExtractor {
    name: String,
    totals_name: String,
    cfg: FundingConfig,
}

impl FundingExtractor {
    pub fn new(name: &str, cfg: FundingConfig) -> Self {
        FundingExtractor {
            name: name.to_string(),
            totals_name: format!("{name}_totals"),
            cfg,
        }
    }

    /// The region order for one document: its override, else the declared order.
    fn order(&self, ctx: &Context, doc: &Document) -> Vec<Coded> {
        match ctx.overrides(doc).funding_region_order {
            Some(codes) => codes
                .iter()
                .filter_map(|c| self.cfg.regions.iter().find(|r| &r.code == c).cloned())
                .collect(),
            None => self.cfg.regions.clone(),
        }
    }
}

impl Extractor for FundingExtractor {
    fn outputs(&self) -> Vec<String> {
        vec![self.name.clone(), self.totals_name.clone()]
    }

    /// Cells and totals stream into the staging folder as documents finish, as mentions do.
    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> Result<Box<dyn Reading + 'a>> {
        let key: Vec<String> = ["doc_id", "region_code", "country", "category_code"]
            .map(String::from)
            .to_vec();
        let empty = |name: &str, fields| {
            TableBuilder::new(fields).finish(name, ctx.document_ids(), key.clone())
        };
        reading(FundingReading {
            extractor: self,
            ctx,
            tolerance: ctx.config.raw.validation.usd_tolerance(),
            cells: RowsInto::open(ctx, empty(&self.name, cells_fields()))?,
            totals: RowsInto::open(ctx, empty(&self.totals_name, totals_fields()))?,
            findings: ctx.finding_log()?,
        })
    }
}

struct FundingReading<'a> {
    extractor: &'a FundingExtractor,
    ctx: &'a Context<'a>,
    tolerance: i64,
    cells: RowsInto,
    totals: RowsInto,
    findings: FindingLog,
}

impl DocumentReader for FundingReading<'_> {
    type Part = (TableBuilder, TableBuilder, Vec<Finding>);

    fn read(&self, analysis: &Analysis) -> Result<Self::Part> {
        let (fx, ctx) = (self.extractor, self.ctx);
        let doc: &Document = &analysis.document;
        let ex = extract(doc, &fx.name, &fx.cfg, &fx.order(ctx, doc), self.tolerance)?;
        let mut writer = RowWriter {
            dataset: &fx.name,
            cfg: &fx.cfg,
            countries: ctx.countries,
            cells: TableBuilder::new(cells_fields()),
            totals: TableBuilder::new(totals_fields()),
        };
        let mut findings = ex.findings;
        for table in &ex.tables {
            writer.table(doc, table, &mut findings);
        }
        Ok((writer.cells, writer.totals, findings))
    }

    fn take(&mut self, parts: Vec<Self::Part>) -> Result<()> {
        let mut cells = TableBuilder::new(cells_fields());
        let mut totals = TableBuilder::new(totals_fields());
        for (c, t, findings) in parts {
            cells.append(c);
            totals.append(t);
            self.findings.extend(findings)?;
        }
        self.cells.append(cells);
        self.totals.append(totals);
        Ok(())
    }

    fn finish(self) -> Result<Output> {
        let mut out = Output {
            findings: self.findings,
            ..Output::default()
        };
        self.cells.finish(&mut out)?;
        self.totals.finish(&mut out)?;
        Ok(out)
    }
}

#[rustfmt::skip]
pub fn cells_fields() -> Vec<Field> {
    use DType::*;
    let mut fields = vec![
        Field::new("region", Utf8, false, "Region of the table: its printed title, or the declared order where the title is lost (see validation_results, kind region_title).").hxl("#region+name"),
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

/// Fills the cells and totals datasets, table by table, document by document.
struct RowWriter<'a> {
    dataset: &'a str,
    cfg: &'a FundingConfig,
    countries: &'a CountryTable,
    cells: TableBuilder,
    totals: TableBuilder,
}

fn null_codes() -> [Value<'static>; 3] {
    [Value::Str(None), Value::Str(None), Value::Str(None)]
}

impl RowWriter<'_> {
    fn table(&mut self, doc: &Document, table: &Table, findings: &mut Vec<Finding>) {
        for row in &table.rows {
            let codes = self.countries.code_values(
                &row.name,
                &Place {
                    dataset: self.dataset,
                    doc_id: &doc.id,
                    line: row.name_line,
                    evidence: doc.line(row.name_line).raw(),
                },
                findings,
            );
            for (cell, category) in row.cells.iter().zip(&self.cfg.categories) {
                let mut values = lead(&table.region, &row.name, &codes, category);
                values.extend([
                    cell.amount.into(),
                    cell.status.as_str().into(),
                    doc.id.as_str().into(),
                    cell.line.into(),
                    doc.line(cell.line).page.into(),
                ]);
                self.cells.push(values);
            }
            let total = Coded {
                code: "total".into(),
                name: "Total".into(),
            };
            self.total(
                doc,
                lead(&table.region, &row.name, &codes, &total),
                &row.total,
            );
        }
        for (p, category) in table.column_totals.iter().zip(&self.cfg.categories) {
            self.total(
                doc,
                lead(&table.region, "Total", &null_codes(), category),
                p,
            );
        }
        let total = Coded {
            code: "total".into(),
            name: "Total".into(),
        };
        let lead = lead(&table.region, "Total", &null_codes(), &total);
        self.total(doc, lead, &table.grand_total);
    }

    fn total<'v>(&mut self, doc: &'v Document, mut values: Vec<Value<'v>>, p: &'v Printed) {
        values.extend([
            p.value.into(),
            if p.value.is_some() { "value" } else { "dash" }.into(),
            doc.id.as_str().into(),
            p.line.into(),
        ]);
        self.totals.push(values);
    }
}

/// The columns both datasets start with: region, country, codes, category.
fn lead<'a>(
    region: &'a Coded,
    country: &'a str,
    codes: &[Value<'a>; 3],
    category: &'a Coded,
) -> Vec<Value<'a>> {
    let mut values: Vec<Value> = vec![
        region.name.as_str().into(),
        region.code.as_str().into(),
        country.into(),
    ];
    values.extend(codes.iter().cloned());
    values.extend([category.name.as_str().into(), category.code.as_str().into()]);
    values
}
