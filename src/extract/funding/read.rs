//! Reading the regional tables out of the text.
//!
//! The text is the PDF's reading order, so a table looks like: region title (sometimes lost),
//! perhaps chart axis labels and legends, the column headings ending in a lone `Total`, then
//! rows, then the `Total ...` row. Each table is cut out by its `Total` row; its region is the
//! declared region whose name the segment prints as a title, else the next declared region in
//! order (recorded as inferred). The body starts after the column headings (or the title, where
//! there are none). Row names wrap over up to 4 lines; values sit on the last name line, on the
//! next line, or are split over two lines.

use crate::config::Coded;
use crate::document::Document;
use crate::error::Result;
use crate::numbers::{CellToken, parse_cell_token};

use super::{Printed, Row, Table, token_value};

/// Longest row name wrap seen in practice is 4 lines; more means we are reading prose.
const MAX_NAME_LINES: usize = 4;
/// A region title may wrap over this many lines.
const MAX_TITLE_LINES: usize = 2;

/// Reads the section's tables, one per region of `order`, in the order the text prints them.
/// A table whose title is lost takes, in declared order, the regions whose titles the section
/// does not print.
pub fn read_section(
    doc: &Document,
    anchor: &str,
    order: &[Coded],
    width: usize,
) -> Result<Vec<Table>> {
    let start = doc
        .lines
        .iter()
        .position(|l| l.text.contains(anchor))
        .ok_or_else(|| {
            doc.malformed(
                doc.lines.len(),
                format!("funding section anchor '{anchor}' not found"),
            )
        })?;
    let mut read: Vec<(Option<Coded>, Table)> = Vec::new();
    let mut pos = start + 1;
    while read.len() < order.len() {
        let titled: Vec<&str> = read
            .iter()
            .filter_map(|(t, _)| t.as_ref().map(|r| r.code.as_str()))
            .collect();
        let (title, table) = read_next_table(doc, order, &titled, read.len(), pos, width)?;
        pos = table.total_line; // index of the line after the Total row (lines are 1-based)
        read.push((title, table));
    }
    let printed: Vec<String> = read
        .iter()
        .filter_map(|(t, _)| t.as_ref().map(|r| r.code.clone()))
        .collect();
    let mut unprinted = order.iter().filter(|r| !printed.contains(&r.code));
    Ok(read
        .into_iter()
        .filter_map(|(title, mut table)| {
            table.region = title.or_else(|| unprinted.next().cloned())?;
            Some(table)
        })
        .collect())
}

/// The table that ends at the next Total row after `start` (0-based line index), with the
/// declared region its title names, if the title is printed.
fn read_next_table(
    doc: &Document,
    order: &[Coded],
    titled: &[&str],
    index: usize,
    start: usize,
    width: usize,
) -> Result<(Option<Coded>, Table)> {
    let lines = &doc.lines;
    let total_idx = (start..lines.len())
        .find(|&i| is_total_row(&lines[i].text))
        .ok_or_else(|| {
            doc.malformed(
                (start + 1).min(lines.len()),
                format!(
                    "no further table (a 'Total' row) after line {start}: {index} of the {} declared regional tables read",
                    order.len()
                ),
            )
        })?;
    let span = start..total_idx;
    let title = find_title(doc, span.clone(), order, titled)?;
    let label = match &title {
        Some((_, region)) => format!("'{}'", region.name),
        None => format!("{} (its title is not printed)", index + 1),
    };
    let title_lines = title.as_ref().map(|(lines, _)| lines.clone());
    let body_start = body_start(doc, span, title_lines.as_ref().map(|l| l.end - 1));
    let title_line = title_lines.map(|l| l.start + 1);
    let table = read_table(doc, &label, title_line, body_start..total_idx, width)?;
    Ok((title.map(|(_, r)| r.clone()), table))
}

fn normalise_title(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The lines (0-based) where a declared region's title is printed within `span`, joining up
/// to [`MAX_TITLE_LINES`] lines for a wrapped title. Two titles in one span mean the first
/// table has no Total row; a title already read means the text prints a region twice.
fn find_title<'c>(
    doc: &Document,
    span: std::ops::Range<usize>,
    order: &'c [Coded],
    used: &[&str],
) -> Result<Option<(std::ops::Range<usize>, &'c Coded)>> {
    let names: Vec<String> = order.iter().map(|r| normalise_title(&r.name)).collect();
    let mut found: Vec<(std::ops::Range<usize>, &Coded)> = Vec::new();
    let mut i = span.start;
    while i < span.end {
        let mut joined = String::new();
        let mut hit = None;
        for k in 0..MAX_TITLE_LINES.min(span.end - i) {
            joined.push(' ');
            joined.push_str(&doc.lines[i + k].text);
            if let Some(r) = names.iter().position(|n| *n == normalise_title(&joined)) {
                hit = Some((r, k + 1));
                break;
            }
        }
        match hit {
            Some((r, n)) => {
                found.push((i..i + n, &order[r]));
                i += n;
            }
            None => i += 1,
        }
    }
    match found.as_slice() {
        [] => Ok(None),
        [(lines, region)] if used.contains(&region.code.as_str()) => Err(doc.malformed(
            lines.start + 1,
            format!(
                "a second table titled '{}': each region's table is read once",
                region.name
            ),
        )),
        [one] => Ok(Some(one.clone())),
        [(_, first), (lines, second), ..] => Err(doc.malformed(
            lines.start + 1,
            format!(
                "table for region '{}' has no Total row: its rows run into the title of the next table, '{}'",
                first.name, second.name
            ),
        )),
    }
}

/// Where the rows start: after the column headings (which end in a lone `Total`) or the
/// title, whichever comes last; chart labels and legends come before those.
fn body_start(doc: &Document, span: std::ops::Range<usize>, title_idx: Option<usize>) -> usize {
    let header_end = span
        .clone()
        .rev()
        .find(|&i| doc.lines[i].text.trim() == "Total");
    match (title_idx, header_end) {
        (Some(t), Some(h)) => t.max(h) + 1,
        (Some(t), None) => t + 1,
        (None, Some(h)) => h + 1,
        (None, None) => span.start,
    }
}

/// A table's rows and Total row; `label` names the table in messages. Its region is set by
/// [`read_section`] once every title of the section is known.
fn read_table(
    doc: &Document,
    label: &str,
    title_line: Option<usize>,
    body: std::ops::Range<usize>,
    width: usize,
) -> Result<Table> {
    let total_idx = body.end;
    let total_line = total_idx + 1;
    let rows = read_rows(doc, body, width, label)?;
    if rows.is_empty() {
        return Err(doc.malformed(
            total_line,
            format!("table {label} has a Total row but no rows"),
        ));
    }
    let (_, tokens) =
        split_row_line(&doc.lines[total_idx].text).map_err(|m| doc.malformed(total_line, m))?;
    if tokens.len() != width + 1 {
        return Err(doc.malformed(
            total_line,
            format!(
                "Total row of table {label} prints {} values; expected {} ({width} categories + Total)",
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
    let grand_total = printed.pop().unwrap_or(Printed {
        value: None,
        line: total_line,
    });
    Ok(Table {
        region: Coded {
            code: String::new(),
            name: label.to_string(),
        },
        title_line,
        rows,
        column_totals: printed,
        grand_total,
        total_line,
    })
}

/// Splits a line into its leading text (a row name fragment) and the cell tokens after it.
/// Text after the first number means the line is not a table row.
fn split_row_line(text: &str) -> std::result::Result<(String, Vec<CellToken>), String> {
    let mut name = Vec::new();
    let mut values = Vec::new();
    for token in text.split_whitespace() {
        match parse_cell_token(token) {
            Some(CellToken::TooLarge) => {
                return Err(format!(
                    "figure '{token}' is too large for a 64-bit integer (at most 9,223,372,036,854,775,807)"
                ));
            }
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

/// A row being read: its name is complete, its values may continue on the next line.
struct OpenRow {
    name: String,
    name_line: usize,
    values: Vec<Printed>,
}

/// Rows as they come: name fragments accumulate until numbers arrive; a row closes when it has
/// all its values or when the next name starts.
struct RowReader<'d> {
    doc: &'d Document,
    width: usize,
    region: &'d str,
    rows: Vec<Row>,
    pending: Vec<String>,
    pending_line: usize,
    open: Option<OpenRow>,
}

fn read_rows(
    doc: &Document,
    body: std::ops::Range<usize>,
    width: usize,
    region: &str,
) -> Result<Vec<Row>> {
    let mut reader = RowReader {
        doc,
        width,
        region,
        rows: Vec::new(),
        pending: Vec::new(),
        pending_line: 0,
        open: None,
    };
    for idx in body {
        let line = &doc.lines[idx];
        if line.is_page_marker || line.text.trim().is_empty() {
            continue;
        }
        let (name, values) =
            split_row_line(&line.text).map_err(|m| doc.malformed(line.number, m))?;
        if !name.is_empty() {
            reader.add_name(name, line.number)?;
        }
        if !values.is_empty() {
            reader.add_values(values, line.number)?;
        }
    }
    reader.finish()
}

impl RowReader<'_> {
    fn add_name(&mut self, name: String, number: usize) -> Result<()> {
        if let Some(row) = self.open.take() {
            self.close(row)?;
        }
        if self.pending.is_empty() {
            self.pending_line = number;
        }
        self.pending.push(name);
        if self.pending.len() > MAX_NAME_LINES {
            return Err(self.doc.malformed(
                self.pending_line,
                format!(
                    "row name '{}' runs over more than {MAX_NAME_LINES} lines without numbers",
                    join_name(&self.pending)
                ),
            ));
        }
        Ok(())
    }

    fn add_values(&mut self, values: Vec<CellToken>, number: usize) -> Result<()> {
        if self.open.is_none() {
            if self.pending.is_empty() {
                return Err(self.doc.malformed(number, "numbers without a row name"));
            }
            self.open = Some(OpenRow {
                name: join_name(&self.pending),
                name_line: self.pending_line,
                values: Vec::new(),
            });
            self.pending.clear();
        }
        let width = self.width;
        let Some(row) = self.open.as_mut() else {
            return Ok(());
        };
        row.values.extend(values.into_iter().map(|t| Printed {
            value: token_value(t),
            line: number,
        }));
        if row.values.len() > width + 1 {
            return Err(self.doc.malformed(
                number,
                format!(
                    "row '{}' prints {} values; a row has {width} categories + Total",
                    row.name,
                    row.values.len()
                ),
            ));
        }
        if row.values.len() == width + 1
            && let Some(row) = self.open.take()
        {
            self.close(row)?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<Row>> {
        if let Some(row) = self.open.take() {
            self.close(row)?;
        }
        if !self.pending.is_empty() {
            return Err(self.doc.malformed(
                self.pending_line,
                format!("row '{}' has no numbers", join_name(&self.pending)),
            ));
        }
        Ok(self.rows)
    }

    /// Full rows print width + 1 values; a short row lost exactly one blank cell.
    fn close(&mut self, mut row: OpenRow) -> Result<()> {
        let width = self.width;
        if row.values.len() != width + 1 && row.values.len() != width {
            return Err(self.doc.malformed(
                row.values.first().map_or(row.name_line, |v| v.line),
                format!(
                    "row '{}' in table {} prints {} values; expected {} ({width} categories + Total), or {width} with one blank cell",
                    row.name,
                    self.region,
                    row.values.len(),
                    width + 1
                ),
            ));
        }
        let Some(total) = row.values.pop() else {
            return Ok(());
        };
        let cells = if row.values.len() == width {
            row.values.iter().map(Printed::cell).collect()
        } else {
            Vec::new()
        };
        self.rows.push(Row {
            name: row.name,
            name_line: row.name_line,
            cells,
            total,
            printed: row.values,
        });
        Ok(())
    }
}
