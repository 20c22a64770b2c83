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

/// What a table of the section looks like: its regions in declared order, the number of
/// category columns, and the words its column headings are made of (to know a heading block
/// printed again after a page break).
pub struct Layout<'c> {
    pub order: &'c [Coded],
    pub width: usize,
    pub heading_words: Vec<String>,
}

impl<'c> Layout<'c> {
    pub fn new(order: &'c [Coded], categories: &[Coded]) -> Layout<'c> {
        let mut heading_words: Vec<String> =
            categories.iter().flat_map(|c| words_of(&c.name)).collect();
        heading_words.sort();
        heading_words.dedup();
        Layout {
            order,
            width: categories.len(),
            heading_words,
        }
    }

    /// A line of column headings: only words of the category names (hyphenated or cut at a
    /// line end: "manage-", "ment").
    fn is_heading_line(&self, text: &str) -> bool {
        let words = words_of(text);
        !words.is_empty()
            && words.iter().all(|w| {
                self.heading_words.iter().any(|h| {
                    h == w
                        || (w.len() >= 3 && (h.starts_with(w.as_str()) || h.ends_with(w.as_str())))
                })
            })
    }
}

/// Lower-cased words of a text, split at spaces, hyphens and punctuation.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Reads every table of the section, from its anchor to the next heading in the anchor's
/// style (or the end of the document), in the order the text prints them. A table whose title
/// is lost takes, in declared order, the regions whose titles the section does not print.
/// Anything that leaves a table's region in doubt is an error naming the line: more tables
/// than regions, a region titled twice, a title without its Total row.
pub fn read_section(doc: &Document, anchor: &str, layout: &Layout) -> Result<Vec<Table>> {
    let order = layout.order;
    let start = doc
        .lines
        .iter()
        .position(|l| l.text().contains(anchor))
        .ok_or_else(|| {
            doc.malformed(
                doc.lines.len(),
                format!("funding section anchor '{anchor}' not found"),
            )
        })?;
    let end = section_end(doc, start, order);
    if let Some(&(line, page)) = doc
        .repeated_pages
        .iter()
        .find(|&&(line, _)| line > start && line <= end)
    {
        return Err(doc.malformed(
            line,
            format!("page {page} is printed a second time here, inside the funding section: a page the extraction repeated; no rows are read from this section"),
        ));
    }
    let mut read: Vec<(Option<Coded>, Table)> = Vec::new();
    let mut value_lines = ValueLines::default();
    let mut pos = start + 1;
    while let Some(total_idx) = (pos..end).find(|&i| is_total_row(doc.lines[i].text())) {
        let titled: Vec<&str> = read
            .iter()
            .filter_map(|(t, _)| t.as_ref().map(|r| r.code.as_str()))
            .collect();
        let (title, table, body) = read_table_at(doc, layout, &titled, read.len(), pos..total_idx)?;
        value_lines.check(doc, body)?;
        read.push((title, table));
        pos = total_idx + 1;
    }
    let titled: Vec<&str> = read
        .iter()
        .filter_map(|(t, _)| t.as_ref().map(|r| r.code.as_str()))
        .collect();
    if let Some((lines, region)) = find_title(doc, pos..end, order, &titled)? {
        return Err(doc.malformed(
            lines.start + 1,
            format!(
                "table for region '{}' has no Total row before the section ends at line {}",
                region.name,
                end.min(doc.lines.len())
            ),
        ));
    }
    check_table_count(doc, &read, order, pos)?;
    let printed: Vec<String> = titled.iter().map(|c| c.to_string()).collect();
    let mut unprinted = order.iter().filter(|r| !printed.contains(&r.code));
    Ok(read
        .into_iter()
        .filter_map(|(title, mut table)| {
            table.region = title.or_else(|| unprinted.next().cloned())?;
            Some(table)
        })
        .collect())
}

/// The lines of the section's table bodies that print three cells or more, two of them
/// figures, by their text:
/// no two rows print the same figures on a line, so a line seen twice is a page printed twice
/// (whatever the reader would make of the copy, e.g. a wrapped name cut at the copy's edge).
/// Two value lines in a row printed twice in a row likewise.
#[derive(Default)]
struct ValueLines {
    seen: std::collections::HashMap<String, usize>,
    pairs: std::collections::HashMap<(String, String), usize>,
}

impl ValueLines {
    fn check(&mut self, doc: &Document, body: std::ops::Range<usize>) -> Result<()> {
        // The previous value line and its figures.
        let mut previous: Option<(String, usize)> = None;
        for i in body {
            let line = &doc.lines[i];
            if line.is_furniture() {
                continue;
            }
            let Ok((_, values)) = split_row_line(line.text()) else {
                continue;
            };
            if values.is_empty() {
                continue;
            }
            let text = crate::text::collapse_whitespace(line.text());
            // Dashes and zeros repeat by nature ("- - -"); figures do not.
            let figures = values
                .iter()
                .filter(|v| matches!(v, CellToken::Int(n) if *n != 0))
                .count();
            if let Some((before, before_figures)) = previous.replace((text.clone(), figures))
                && before_figures + figures >= 2
                && let Some(first) = self.pairs.insert((before, text.clone()), line.number)
            {
                return Err(repeated(doc, line.number, first));
            }
            if values.len() < 3 || figures < 2 {
                continue;
            }
            if let Some(first) = self.seen.insert(text, line.number) {
                return Err(repeated(doc, line.number, first));
            }
        }
        Ok(())
    }
}

fn repeated(doc: &Document, line: usize, first: usize) -> crate::error::Error {
    doc.malformed(
        line,
        format!("line {line} prints the same figures as line {first}: a page printed twice; no rows are read from this section"),
    )
}

/// One table per declared region: fewer means a table was lost or run into another, more
/// means a table was printed twice or a region is not declared. Either way no region can be
/// given to every table with certainty.
fn check_table_count(
    doc: &Document,
    read: &[(Option<Coded>, Table)],
    order: &[Coded],
    after: usize,
) -> Result<()> {
    if read.len() < order.len() {
        return Err(doc.malformed(
            after.min(doc.lines.len()).max(1),
            format!(
                "no further table (a 'Total' row) after line {after}: {} of the {} declared regional tables read",
                read.len(),
                order.len()
            ),
        ));
    }
    if read.len() > order.len() {
        let totals: Vec<String> = read.iter().map(|(_, t)| t.total_line.to_string()).collect();
        let untitled: Vec<String> = read
            .iter()
            .filter(|(title, _)| title.is_none())
            .map(|(_, t)| t.total_line.to_string())
            .collect();
        return Err(doc.malformed(
            read[order.len()].1.total_line,
            format!(
                "the section prints {} tables (Total rows at lines {}) for the {} declared regions: a table printed twice (a repeated page?) or a region not declared; tables without a printed title end at lines {}",
                read.len(),
                totals.join(", "),
                order.len(),
                if untitled.is_empty() { "none".to_string() } else { untitled.join(", ") }
            ),
        ));
    }
    Ok(())
}

/// The next line after the anchor that is a heading in the anchor's style: all capitals (when
/// the anchor is), two words or more, and not a declared region's name. The end of the
/// document where there is none.
fn section_end(doc: &Document, anchor: usize, order: &[Coded]) -> usize {
    let capitals = |t: &str| {
        let letters: Vec<char> = t.chars().filter(|c| c.is_alphabetic()).collect();
        letters.len() >= 8 && letters.iter().all(|c| c.is_uppercase())
    };
    if !capitals(doc.lines[anchor].text()) {
        return doc.lines.len();
    }
    let regions: Vec<String> = order.iter().map(|r| normalise_title(&r.name)).collect();
    (anchor + 3..doc.lines.len())
        .find(|&i| {
            let line = &doc.lines[i];
            let t = line.text().trim();
            !line.is_furniture()
                && capitals(t)
                && t.split_whitespace().count() >= 2
                && !regions
                    .iter()
                    .any(|r| normalise_title(t) == *r || r.starts_with(&normalise_title(t)))
        })
        .unwrap_or(doc.lines.len())
}

/// The table in `span` (0-based lines up to its Total row), with the declared region its
/// title names, if the title is printed, and its body's lines.
fn read_table_at(
    doc: &Document,
    layout: &Layout,
    titled: &[&str],
    index: usize,
    span: std::ops::Range<usize>,
) -> Result<(Option<Coded>, Table, std::ops::Range<usize>)> {
    let total_idx = span.end;
    let title = find_title(doc, span.clone(), layout.order, titled)?;
    let label = match &title {
        Some((_, region)) => format!("'{}'", region.name),
        None => format!("{} (its title is not printed)", index + 1),
    };
    let title_lines = title.as_ref().map(|(lines, _)| lines.clone());
    let body_start = body_start(doc, span, title_lines.as_ref().map(|l| l.end - 1));
    let title_line = title_lines.map(|l| l.start + 1);
    let table = read_table(doc, layout, &label, title_line, body_start..total_idx)?;
    Ok((title.map(|(_, r)| r.clone()), table, body_start..total_idx))
}

fn normalise_title(s: &str) -> String {
    crate::text::collapse_whitespace(s).to_lowercase()
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
    // A line with more letters than the longest title can be no title, nor begin one
    // (lower-casing never removes a character): most lines are passed over uncopied.
    let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let too_long = |t: &str| {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .nth(longest)
            .is_some()
    };
    let mut found: Vec<(std::ops::Range<usize>, &Coded)> = Vec::new();
    // A title wrapped across a page break is joined through the page's furniture (and the
    // blank lines around it).
    let text: Vec<usize> = span
        .filter(|&i| !doc.lines[i].is_furniture() && !doc.lines[i].text().trim().is_empty())
        .collect();
    let mut i = 0;
    while i < text.len() {
        let mut joined = String::new();
        let mut hit = None;
        for k in 0..MAX_TITLE_LINES.min(text.len() - i) {
            let line = doc.lines[text[i + k]].text();
            if too_long(line) {
                break;
            }
            joined.push(' ');
            joined.push_str(line);
            if let Some(r) = names.iter().position(|n| *n == normalise_title(&joined)) {
                hit = Some((r, k + 1));
                break;
            }
        }
        match hit {
            Some((r, n)) => {
                found.push((text[i]..text[i + n - 1] + 1, &order[r]));
                i += n;
            }
            None => i += 1,
        }
    }
    if let Some((title, region)) = found.first() {
        refuse_broken_title(doc, &text, title, region)?;
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

/// A title printed inside its own wrapped copy: " Asia and the" / " Asia and the Pacific" /
/// " Pacific". The pieces around it would be read as a row name. `text` holds the span's
/// lines that carry text, `title` the lines of the title found for `region`.
fn refuse_broken_title(
    doc: &Document,
    text: &[usize],
    title: &std::ops::Range<usize>,
    region: &Coded,
) -> Result<()> {
    let Some(at) = text.iter().position(|&i| i == title.start) else {
        return Ok(());
    };
    let last = text.iter().position(|&i| i + 1 == title.end).unwrap_or(at);
    let (Some(&before), Some(&after)) = (
        at.checked_sub(1).and_then(|k| text.get(k)),
        text.get(last + 1),
    ) else {
        return Ok(());
    };
    let joined = normalise_title(&format!(
        "{} {}",
        doc.lines[before].text(),
        doc.lines[after].text()
    ));
    // Compared with the region's name, not the title's lines: a title joined across a page
    // break has the page's furniture between its lines.
    if joined == normalise_title(&region.name) {
        return Err(doc.malformed(
            before + 1,
            format!(
                "the title on line {} is printed inside its own wrapped copy (lines {} and {}): a title printed twice",
                title.start + 1,
                before + 1,
                after + 1
            ),
        ));
    }
    Ok(())
}

/// Where the rows start: after the first column headings after the title (they end in a lone
/// `Total`), or after the title where there are none; chart labels and legends come before
/// those. Headings printed again after a page break are passed over by the row reader.
fn body_start(doc: &Document, span: std::ops::Range<usize>, title_idx: Option<usize>) -> usize {
    let from = title_idx.map_or(span.start, |t| t + 1).max(span.start);
    let header_end = (from..span.end).find(|&i| is_heading_end(doc.lines[i].text()));
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
    layout: &Layout,
    label: &str,
    title_line: Option<usize>,
    body: std::ops::Range<usize>,
) -> Result<Table> {
    let width = layout.width;
    let total_idx = body.end;
    let total_line = total_idx + 1;
    let rows = read_rows(doc, body, layout, label)?;
    refuse_repeated_rows(doc, &rows, label)?;
    if rows.is_empty() {
        return Err(doc.malformed(
            total_line,
            format!("table {label} has a Total row but no rows"),
        ));
    }
    let (_, tokens) =
        split_row_line(doc.lines[total_idx].text()).map_err(|m| doc.malformed(total_line, m))?;
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

/// A country listed twice in one table: a page printed twice by the extraction, or two
/// tables run together; either way the rows cannot be taken as printed.
fn refuse_repeated_rows(doc: &Document, rows: &[Row], label: &str) -> Result<()> {
    let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for row in rows {
        if let Some(first) = seen.insert(row.name.as_str(), row.name_line) {
            return Err(doc.malformed(
                row.name_line,
                format!(
                    "row '{}' is printed twice in table {label} (lines {first} and {}): a repeated page or two tables run together",
                    row.name, row.name_line
                ),
            ));
        }
    }
    Ok(())
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

/// The lone `Total` that ends a block of column headings.
fn is_heading_end(text: &str) -> bool {
    text.trim() == "Total"
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
    layout: &Layout,
    region: &str,
) -> Result<Vec<Row>> {
    let mut reader = RowReader {
        doc,
        width: layout.width,
        region,
        rows: Vec::new(),
        pending: Vec::new(),
        pending_line: 0,
        open: None,
    };
    // Column headings printed again after a page break: lines of heading words after the
    // page's furniture are held aside until the lone `Total` that ends them (then dropped), or
    // read as name fragments if something else follows ("Saint Kitts" / "and" / "Nevis").
    let mut headings: Vec<(String, usize)> = Vec::new();
    let mut after_break = false;
    for idx in body {
        let line = &doc.lines[idx];
        if line.is_furniture() {
            after_break = true;
            continue;
        }
        if line.text().trim().is_empty() {
            continue;
        }
        if is_heading_end(line.text()) {
            after_break = false;
            if headings.is_empty() {
                return Err(doc.malformed(
                    line.number,
                    format!("a lone 'Total' inside table {region} that does not end a block of column headings"),
                ));
            }
            headings.clear();
            continue;
        }
        let (name, values) =
            split_row_line(line.text()).map_err(|m| doc.malformed(line.number, m))?;
        if after_break && values.is_empty() && layout.is_heading_line(&name) {
            headings.push((name, line.number));
            continue;
        }
        after_break = false;
        for (fragment, number) in headings.drain(..) {
            reader.add_name(fragment, number)?;
        }
        if !name.is_empty() {
            reader.add_name(name, line.number)?;
        }
        if !values.is_empty() {
            reader.add_values(values, line.number)?;
        }
    }
    for (fragment, number) in headings {
        reader.add_name(fragment, number)?;
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
        // A wrapped name never prints its lines twice over, back to back ("Korea, Democratic
        // People's Republic" / the same / "of"); a repeated page does. ("South Georgia and
        // the / South Sandwich Islands" repeats a word, not a run of lines.)
        let n = self.pending.len();
        if (1..=n / 2).any(|k| self.pending[n - k..] == self.pending[n - 2 * k..n - k]) {
            return Err(self.doc.malformed(
                number,
                format!(
                    "row name lines from line {} are printed twice over ('{}'): a page printed twice",
                    self.pending_line,
                    join_name(&self.pending)
                ),
            ));
        }
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
