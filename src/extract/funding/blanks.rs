//! Short rows: a row that prints one number fewer than its columns lost one blank cell. The
//! blank goes where the printed column totals say it must be: the one placement (over all short
//! rows of the table together) under which every column sum matches. No placement or several:
//! an error finding, and the row's cells stay unresolved. Never a guess.

use crate::document::Document;
use crate::validate::{Finding, Severity, Status, check_id};

use super::{Cell, CellStatus, Printed, Table};

/// Short rows per table whose blank we try to place; beyond this, the table is not a table.
const MAX_SHORT_ROWS: usize = 3;

/// Names the context a placement finding needs.
pub struct Placing<'a> {
    pub doc: &'a Document,
    pub dataset: &'a str,
    pub categories: &'a [String],
    pub tolerance: i64,
}

pub fn place_blanks(p: &Placing, table: &mut Table, findings: &mut Vec<Finding>) {
    let width = p.categories.len();
    let short: Vec<usize> = (0..table.rows.len())
        .filter(|&i| table.rows[i].is_short(width))
        .collect();
    if short.is_empty() {
        return;
    }
    let mut fits = if short.len() <= MAX_SHORT_ROWS {
        fitting_placements(table, &short, width, p.tolerance)
    } else {
        Vec::new()
    };
    let unique = if fits.len() == 1 { fits.pop() } else { None };
    for (n, &row_idx) in short.iter().enumerate() {
        let finding = match &unique {
            Some(placement) => place(p, table, row_idx, placement[n]),
            None => {
                let why = why_unplaced(short.len(), fits.len());
                leave_unresolved(p, table, row_idx, &why)
            }
        };
        findings.push(finding);
    }
}

/// Every assignment of a blank column to each short row under which all column totals match.
fn fitting_placements(
    table: &Table,
    short: &[usize],
    width: usize,
    tolerance: i64,
) -> Vec<Vec<usize>> {
    // Column sums of the full rows, to which each candidate placement adds the short rows.
    let mut base = vec![0i128; width];
    for row in table.rows.iter().filter(|r| !r.is_short(width)) {
        for (sum, cell) in base.iter_mut().zip(&row.cells) {
            *sum += i128::from(cell.amount.unwrap_or(0));
        }
    }
    let mut fits = Vec::new();
    let mut placement = vec![0usize; short.len()];
    loop {
        let mut sums = base.clone();
        for (&row_idx, &blank) in short.iter().zip(&placement) {
            for (k, printed) in table.rows[row_idx].printed.iter().enumerate() {
                let col = if k < blank { k } else { k + 1 };
                sums[col] += i128::from(printed.amount());
            }
        }
        let fit = sums
            .iter()
            .zip(&table.column_totals)
            .all(|(s, t)| (s - i128::from(t.amount())).abs() <= i128::from(tolerance));
        if fit {
            fits.push(placement.clone());
        }
        if !next_placement(&mut placement, width) {
            return fits;
        }
    }
}

/// Advances an odometer over `0..width` per digit; false once every placement was visited.
fn next_placement(placement: &mut [usize], width: usize) -> bool {
    for digit in placement.iter_mut() {
        *digit += 1;
        if *digit < width {
            return true;
        }
        *digit = 0;
    }
    false
}

fn why_unplaced(short_rows: usize, fits: usize) -> String {
    if short_rows > MAX_SHORT_ROWS {
        format!("{short_rows} short rows in one table; at most {MAX_SHORT_ROWS} are resolved")
    } else if fits == 0 {
        "no placement of the blank cell makes the printed column totals match".to_string()
    } else {
        format!("{fits} placements make the printed column totals match")
    }
}

fn placement_finding(p: &Placing, table: &Table, row_idx: usize) -> Finding {
    let row = &table.rows[row_idx];
    let region = &table.region.name;
    let line = row.printed.first().map_or(row.total.line, |v| v.line);
    Finding {
        check_id: check_id(
            p.dataset,
            &p.doc.id,
            "blank_placement",
            &[region, &row.name],
        ),
        dataset: p.dataset.to_string(),
        kind: "blank_placement".into(),
        subject: format!("{region} / {}", row.name),
        stated: None,
        computed: None,
        tolerance: Some(p.tolerance as f64),
        status: Status::Inferred,
        severity: Severity::Info,
        doc_id: p.doc.id.clone(),
        line: Some(line),
        evidence: p.doc.line(line).raw().trim().to_string(),
        message: String::new(),
    }
}

fn place(p: &Placing, table: &mut Table, row_idx: usize, blank: usize) -> Finding {
    let width = p.categories.len();
    let mut f = placement_finding(p, table, row_idx);
    f.message = format!(
        "row prints {} of {width} category values; the blank cell is '{}' (column {} of {width}): the only placement under which all {width} printed column totals of '{}' match",
        table.rows[row_idx].printed.len(),
        p.categories[blank],
        blank + 1,
        table.region.name
    );
    let line = f.line.unwrap_or_default();
    let row = &mut table.rows[row_idx];
    let mut cells: Vec<Cell> = row.printed.iter().map(Printed::cell).collect();
    cells.insert(
        blank,
        Cell {
            amount: None,
            status: CellStatus::BlankInferred,
            line,
        },
    );
    row.cells = cells;
    f
}

fn leave_unresolved(p: &Placing, table: &mut Table, row_idx: usize, why: &str) -> Finding {
    let width = p.categories.len();
    let mut f = placement_finding(p, table, row_idx);
    f.status = Status::Fail;
    f.severity = Severity::Error;
    f.message = format!(
        "row prints {} of {width} category values and {why}; its cells are left unresolved (null)",
        table.rows[row_idx].printed.len()
    );
    let line = f.line.unwrap_or_default();
    table.rows[row_idx].cells = (0..width)
        .map(|_| Cell {
            amount: None,
            status: CellStatus::Unresolved,
            line,
        })
        .collect();
    f
}
