//! The totals a funding table prints, checked against the sums of what it prints: each row's
//! Total, each column's Total, and the grand total three ways. Sums are taken in i128, so no
//! table of i64 cells can wrap them.

use crate::document::Document;
use crate::validate::{Finding, Source, SumCheck, check_id};

use super::{Printed, Table};

pub struct Checking<'a> {
    pub doc: &'a Document,
    pub dataset: &'a str,
    /// (code, name) of each category column.
    pub categories: &'a [(String, String)],
    pub tolerance: i64,
}

impl Checking<'_> {
    fn sum_check(&self, kind: &'static str, parts: &[&str], line: usize) -> SumCheck<'_> {
        SumCheck {
            check_id: check_id(self.dataset, &self.doc.id, kind, parts),
            dataset: self.dataset,
            kind,
            subject: String::new(),
            stated: 0,
            computed: 0,
            tolerance: self.tolerance,
            source: Source {
                doc_id: &self.doc.id,
                line,
                evidence: self.doc.line(line).raw(),
            },
            how: String::new(),
        }
    }
}

/// Row totals, column totals, and the grand total three ways.
pub fn check_totals(c: &Checking, tables: &[Table]) -> Vec<Finding> {
    let mut out = Vec::new();
    for table in tables {
        out.extend(row_totals(c, table));
        out.extend(column_totals(c, table));
        out.extend(grand_totals(c, table));
    }
    out
}

fn sum<'a>(values: impl Iterator<Item = &'a Printed>) -> i128 {
    values.map(|p| i128::from(p.amount())).sum()
}

fn row_totals(c: &Checking, table: &Table) -> Vec<Finding> {
    let region = table.region.name.as_str();
    table
        .rows
        .iter()
        .map(|row| {
            // From the printed values, so a short row is checked even when its blank is unplaced.
            let mut check = c.sum_check("row_total", &[region, &row.name], row.total.line);
            check.subject = format!("{region} / {} / Total", row.name);
            check.stated = i128::from(row.total.amount());
            check.computed = sum(row.printed.iter());
            check.how = format!(
                "row total of '{}' vs sum of its {} printed cells",
                row.name,
                row.printed.len()
            );
            check.finding()
        })
        .collect()
}

fn column_totals(c: &Checking, table: &Table) -> Vec<Finding> {
    let region = table.region.name.as_str();
    c.categories
        .iter()
        .enumerate()
        .map(|(k, (code, name))| {
            let mut check = c.sum_check("column_total", &[region, code], table.total_line);
            check.subject = format!("{region} / Total / {name}");
            check.stated = i128::from(table.column_totals[k].amount());
            check.computed = table
                .rows
                .iter()
                .filter_map(|r| r.cells.get(k))
                .map(|cell| i128::from(cell.amount.unwrap_or(0)))
                .sum();
            check.how = format!(
                "column total of '{name}' vs sum of {} rows",
                table.rows.len()
            );
            check.finding()
        })
        .collect()
}

fn grand_totals(c: &Checking, table: &Table) -> Vec<Finding> {
    let region = table.region.name.as_str();
    let cells: i128 = table
        .rows
        .iter()
        .flat_map(|r| &r.cells)
        .map(|cell| i128::from(cell.amount.unwrap_or(0)))
        .sum();
    let ways: [(&str, &str, i128); 3] = [
        (
            "row_totals",
            "sum of the printed row totals",
            sum(table.rows.iter().map(|r| &r.total)),
        ),
        (
            "column_totals",
            "sum of the printed column totals",
            sum(table.column_totals.iter()),
        ),
        ("cells", "sum of all cells", cells),
    ];
    ways.into_iter()
        .map(|(way, how, computed)| {
            let mut check = c.sum_check("grand_total", &[region, way], table.total_line);
            check.subject = format!("{region} / Total / Total");
            check.stated = i128::from(table.grand_total.amount());
            check.computed = computed;
            check.how = format!("grand total vs {how}");
            check.finding()
        })
        .collect()
}
