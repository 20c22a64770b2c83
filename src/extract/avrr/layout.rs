//! The AVRR table's frame, read from its own header: the heading, the panel titles on the next
//! non-blank line, and the year line whose tokens give each panel's years and columns. Nothing
//! about a particular edition (its years, its column offsets) comes from the configuration.

use crate::config::AvrrConfig;
use crate::document::Document;
use crate::error::Result;
use crate::numbers::parse_grouped_int;

/// Lines between the panel titles and the year line ("Number of migrants assisted", ...).
const MAX_LINES_TO_YEARS: usize = 3;
/// Columns a right-aligned number may reach past the end of its year heading.
const NUMBER_SLACK: usize = 2;

/// A run of text separated from its neighbours by two or more spaces.
#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    /// 0-based character column where it starts.
    pub col: usize,
}

pub fn cells(line: &str) -> Vec<Cell> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        // A cell ends at two spaces in a row (one space stays inside: "54 006", "UNSC resolution").
        while i < chars.len()
            && !(chars[i].is_whitespace() && chars.get(i + 1).is_none_or(|c| c.is_whitespace()))
        {
            i += 1;
        }
        out.push(Cell {
            text: chars[start..i].iter().collect(),
            col: start,
        });
    }
    out
}

/// A figure of the table: digits grouped by single spaces (`54 006`).
pub fn number(text: &str) -> Option<i64> {
    parse_grouped_int(text, ' ')
}

/// What the header says about the table.
#[derive(Debug, Clone)]
pub struct Frame {
    /// Year of each value column of a panel, left to right (the same for every panel).
    pub years: Vec<i32>,
    /// 0-based index of the year line.
    pub years_idx: usize,
    /// A cell starting at or before `bounds[p]` (0-based column) belongs to panel `p` or an
    /// earlier one; the last panel has no bound.
    pub bounds: Vec<usize>,
    /// 0-based indices of the body lines: from the year line to the first blank line that is
    /// not part of a page break.
    pub body: std::ops::Range<usize>,
    /// A longer body, when a page break follows the last row and the line after it may go on
    /// with the table's first panel or be what follows the table: layout cannot tell.
    pub continued: Option<std::ops::Range<usize>>,
}

impl Frame {
    pub fn panel_of(&self, col: usize) -> usize {
        self.bounds.iter().take_while(|&&b| col > b).count()
    }
}

pub fn read_frame(doc: &Document, cfg: &AvrrConfig) -> Result<Frame> {
    let lines = &doc.lines;
    let heading = normalise(&cfg.heading);
    let heading_idx = lines
        .iter()
        .position(|l| normalise(l.text()) == heading)
        .ok_or_else(|| {
            doc.malformed(
                lines.len(),
                format!("AVRR heading '{}' not found", cfg.heading),
            )
        })?;
    let titles_idx = (heading_idx + 1..lines.len())
        .find(|&i| !lines[i].text().trim().is_empty())
        .ok_or_else(|| doc.malformed(heading_idx + 1, "nothing after the AVRR heading"))?;
    check_titles(doc, cfg, titles_idx)?;
    let years_idx = (titles_idx + 1..(titles_idx + 1 + MAX_LINES_TO_YEARS).min(lines.len()))
        .find(|&i| year_tokens(lines[i].text()).is_some())
        .ok_or_else(|| {
            doc.malformed(
                titles_idx + 1,
                "no line of column years under the panel titles",
            )
        })?;
    let (years, bounds) = panel_years(doc, years_idx, cfg.panels.len())?;
    let first_bound = bounds.first().copied().unwrap_or(usize::MAX);
    let (body_end, continued) = body_end(doc, years_idx + 1, cfg.rows, years.len(), first_bound);
    Ok(Frame {
        years,
        years_idx,
        bounds,
        body: years_idx + 1..body_end,
        continued: continued.map(|end| years_idx + 1..end),
    })
}

/// The table ends at its first blank line, unless that blank line is part of a page break
/// (page furniture with the blank lines around it) that the table continues after: it still
/// lacks rows the declaration expects, or the first line after the break is laid out like the
/// table's name lines with text in a later panel. A line after the break in the first panel
/// alone, where the table's names start, may be a name's last line or the heading after the
/// table: then the longer body is returned beside, for the names to settle.
fn body_end(
    doc: &Document,
    from: usize,
    rows: usize,
    years: usize,
    first_bound: usize,
) -> (usize, Option<usize>) {
    let lines = &doc.lines;
    let blank = |i: usize| lines[i].text().trim().is_empty() && !lines[i].is_furniture();
    let mut name_columns: Vec<usize> = Vec::new();
    let mut seen = 0;
    let mut i = from;
    let mut shorter: Option<usize> = None;
    while i < lines.len() {
        if !blank(i) && !lines[i].is_furniture() {
            let cs = cells(lines[i].text());
            seen += usize::from(cs.iter().filter(|c| number(&c.text).is_some()).count() >= years);
            name_columns.extend(
                cs.iter()
                    .filter(|c| number(&c.text).is_none())
                    .map(|c| c.col),
            );
            i += 1;
            continue;
        }
        // A run of blank lines and furniture: a page break if it holds furniture.
        let run_end = (i..lines.len())
            .find(|&j| !blank(j) && !lines[j].is_furniture())
            .unwrap_or(lines.len());
        let is_break = (i..run_end).any(|j| lines[j].is_furniture());
        let next = (run_end < lines.len())
            .then(|| layout_of(lines[run_end].text(), &name_columns, first_bound));
        match (is_break, next) {
            (true, Some(_)) if seen < rows => {}
            (true, Some(NextLine::LaterPanel)) => {}
            (true, Some(NextLine::FirstPanel)) if shorter.is_none() => shorter = Some(i),
            _ => break,
        }
        i = run_end;
    }
    // The table ends at `i`; where it might have ended earlier, that end comes first.
    match shorter {
        Some(short) => (short, Some(i)),
        None => (i, None),
    }
}

/// How the first line after a page break inside the table is laid out.
enum NextLine {
    /// Like the table's name lines, with text in a later panel: the table goes on.
    LaterPanel,
    /// Text in the first panel only, exactly where the table's names start.
    FirstPanel,
    /// Anything else: prose or a heading, not the table.
    Other,
}

/// Every run of text starts where a name of the table starts (within two columns when the line
/// has text in a later panel, exactly otherwise) and none is as long as a line of prose.
fn layout_of(text: &str, name_columns: &[usize], first_bound: usize) -> NextLine {
    let cs = cells(text);
    let later = cs.iter().any(|c| c.col > first_bound);
    let slack = if later { 2 } else { 0 };
    let like_names = !cs.is_empty()
        && cs.iter().all(|c| {
            c.text.chars().count() <= 60 && name_columns.iter().any(|&n| n.abs_diff(c.col) <= slack)
        });
    match (like_names, later) {
        (true, true) => NextLine::LaterPanel,
        (true, false) => NextLine::FirstPanel,
        _ => NextLine::Other,
    }
}

fn normalise(s: &str) -> String {
    crate::text::collapse_whitespace(s)
}

/// The panel titles, in the configured order, on one line.
fn check_titles(doc: &Document, cfg: &AvrrConfig, titles_idx: usize) -> Result<()> {
    let titles = normalise(doc.lines[titles_idx].text());
    let mut at = 0;
    for panel in &cfg.panels {
        let title = normalise(&panel.title);
        match titles[at..].find(&title) {
            Some(p) => at += p + title.len(),
            None => {
                let all: Vec<&str> = cfg.panels.iter().map(|p| p.title.as_str()).collect();
                return Err(doc.malformed(
                    titles_idx + 1,
                    format!("expected the panel titles {all:?} in this order on the line after the heading"),
                ));
            }
        }
    }
    Ok(())
}

/// (year, start column, end column) of every token of a line made only of years.
fn year_tokens(text: &str) -> Option<Vec<(i32, usize, usize)>> {
    let mut tokens = Vec::new();
    let mut start = None;
    let chars: Vec<char> = text.chars().collect();
    for (i, c) in chars.iter().chain(std::iter::once(&' ')).enumerate() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                let word: String = chars[s..i].iter().collect();
                let year: i32 = word.parse().ok().filter(|_| word.len() == 4)?;
                if !(1900..=2199).contains(&year) {
                    return None;
                }
                tokens.push((year, s, i));
                start = None;
            }
            _ => {}
        }
    }
    (!tokens.is_empty()).then_some(tokens)
}

/// Splits the year line among the panels: every panel prints the same years, and a panel ends
/// where its last year heading ends.
fn panel_years(doc: &Document, years_idx: usize, panels: usize) -> Result<(Vec<i32>, Vec<usize>)> {
    let tokens = year_tokens(doc.lines[years_idx].text()).unwrap_or_default();
    let found: Vec<i32> = tokens.iter().map(|t| t.0).collect();
    if panels == 0 || !tokens.len().is_multiple_of(panels) {
        return Err(doc.malformed(
            years_idx + 1,
            format!("column years {found:?} do not split evenly over {panels} panels"),
        ));
    }
    let width = tokens.len() / panels;
    let per_panel: Vec<&[(i32, usize, usize)]> = tokens.chunks(width).collect();
    let years: Vec<i32> = per_panel[0].iter().map(|t| t.0).collect();
    if per_panel
        .iter()
        .any(|p| p.iter().map(|t| t.0).collect::<Vec<_>>() != years)
    {
        return Err(doc.malformed(
            years_idx + 1,
            format!("column years {found:?}: the panels do not print the same years"),
        ));
    }
    let mut unique = years.clone();
    unique.sort_unstable();
    unique.dedup();
    if unique.len() != years.len() {
        return Err(doc.malformed(
            years_idx + 1,
            format!("column years {found:?}: a year is printed twice in one panel"),
        ));
    }
    let bounds = per_panel[..panels - 1]
        .iter()
        .map(|p| p.last().map_or(0, |t| t.2) + NUMBER_SLACK)
        .collect();
    Ok((years, bounds))
}
