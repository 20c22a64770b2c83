//! Migration Initiatives funding tables: regions × countries × categories + Total column and
//! Total row, rendered the way the PDF's text comes out.

use super::{Pages, Rng, grouped, prose, wrap};

pub const ANCHOR: &str = "OVERVIEW OF FUNDING";

pub const CATEGORIES: [(&str, &str); 8] = [
    (
        "emergency_post_crisis",
        "Emergency, operations and post-crisis",
    ),
    ("migration_health", "Migration health"),
    (
        "immigration_border_management",
        "Immigration and border management",
    ),
    ("migrant_assistance", "Migrant assistance"),
    (
        "labour_mobility_human_development",
        "Labour mobility and human development",
    ),
    ("migration_policy_research", "Migration policy and research"),
    (
        "migration_environment_climate_change",
        "Migration, environment and climate change",
    ),
    ("return_reintegration", "Return and reintegration"),
];

pub const REGIONS: [(&str, &str); 9] = [
    ("southern_africa", "Southern Africa"),
    ("east_horn_africa", "East and Horn of Africa"),
    ("west_central_africa", "West and Central Africa"),
    (
        "central_north_america_caribbean",
        "Central and North America and the Caribbean",
    ),
    ("south_america", "South America"),
    ("middle_east_north_africa", "Middle East and North Africa"),
    ("asia_pacific", "Asia and the Pacific"),
    (
        "eu_switzerland_norway",
        "European Union, Switzerland and Norway",
    ),
    (
        "see_eastern_europe_central_asia",
        "South-Eastern Europe, Eastern Europe and Central Asia",
    ),
];

/// A cell as the generator decided it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell {
    Value(i64),
    Dash,
    /// Not printed at all: the row prints one number fewer.
    Blank,
}

impl Cell {
    fn amount(self) -> i64 {
        match self {
            Cell::Value(v) => v,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    pub cells: Vec<Cell>,
    pub total: i64,
}

impl Row {
    pub fn is_short(&self) -> bool {
        self.cells.contains(&Cell::Blank)
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    pub region: (String, String),
    pub title_printed: bool,
    pub rows: Vec<Row>,
    /// None where the column total is printed as '-'.
    pub column_totals: Vec<Option<i64>>,
    pub grand_total: i64,
}

impl Table {
    /// How many placements of the short rows' blanks make every column total match: the
    /// extractor must place the blanks exactly when this is 1 and refuse otherwise.
    pub fn fitting_placements(&self) -> usize {
        let width = self.column_totals.len();
        let short: Vec<&Row> = self.rows.iter().filter(|r| r.is_short()).collect();
        let mut base = vec![0i64; width];
        for r in self.rows.iter().filter(|r| !r.is_short()) {
            for (b, c) in base.iter_mut().zip(&r.cells) {
                *b += c.amount();
            }
        }
        let printed: Vec<Vec<i64>> = short
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .filter(|c| **c != Cell::Blank)
                    .map(|c| c.amount())
                    .collect()
            })
            .collect();
        let combos = width.pow(short.len() as u32);
        (0..combos)
            .filter(|&combo| {
                let mut sums = base.clone();
                let mut rest = combo;
                for values in &printed {
                    let blank = rest % width;
                    rest /= width;
                    for (k, v) in values.iter().enumerate() {
                        sums[if k < blank { k } else { k + 1 }] += v;
                    }
                }
                sums.iter()
                    .zip(&self.column_totals)
                    .all(|(s, t)| *s == t.unwrap_or(0))
            })
            .count()
    }
}

#[derive(Debug, Clone)]
pub struct Edition {
    pub text: String,
    pub categories: Vec<(String, String)>,
    /// Regions in the declared order (the order the tables are printed in).
    pub regions: Vec<(String, String)>,
    pub tables: Vec<Table>,
}

fn row(rng: &mut Rng, name: String, width: usize, short: bool) -> Row {
    let mut cells: Vec<Cell> = (0..width)
        .map(|_| {
            if rng.chance(20) {
                Cell::Dash
            } else {
                Cell::Value(rng.range(1, 60_000) as i64 * 1_000)
            }
        })
        .collect();
    if short {
        // A short row's printed values are distinct numbers, as in the real short rows.
        for (k, c) in cells.iter_mut().enumerate() {
            if *c == Cell::Dash {
                *c = Cell::Value((rng.range(1, 900) * 10 + k) as i64 * 1_000);
            }
        }
        let blank = rng.range(0, width - 1);
        cells[blank] = Cell::Blank;
    }
    let total = cells.iter().map(|c| c.amount()).sum();
    Row { name, cells, total }
}

fn table(rng: &mut Rng, names: &[String], region: (String, String), width: usize) -> Table {
    let count = rng.range(1, 12);
    let mut chosen = rng.sample(names, count);
    if rng.chance(50) {
        chosen.push("Regional programmes".to_string());
    }
    let shorts = rng.range(0, 2);
    let short_rows = rng.sample(&(0..chosen.len()).collect::<Vec<_>>(), shorts);
    let rows: Vec<Row> = chosen
        .into_iter()
        .enumerate()
        .map(|(i, name)| row(rng, name, width, short_rows.contains(&i)))
        .collect();
    let column_totals: Vec<Option<i64>> = (0..width)
        .map(|k| {
            let sum: i64 = rows.iter().map(|r| r.cells[k].amount()).sum();
            (sum != 0).then_some(sum)
        })
        .collect();
    let grand_total = rows.iter().map(|r| r.total).sum();
    Table {
        region,
        title_printed: true,
        rows,
        column_totals,
        grand_total,
    }
}

/// A random edition: 1–6 regional tables of random countries and values.
pub fn edition(rng: &mut Rng, names: &[String]) -> Edition {
    let width = rng.range(3, CATEGORIES.len());
    let categories = owned(&CATEGORIES[..width]);
    let region_count = rng.range(1, 6);
    let regions = owned(&rng.sample(&REGIONS, region_count));
    edition_with(rng, names, categories, regions, 25)
}

fn owned(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(c, n)| (c.to_string(), n.to_string()))
        .collect()
}

/// An edition of the given categories and regions (in print order), each title lost with
/// probability `lost_percent`.
pub fn edition_with(
    rng: &mut Rng,
    names: &[String],
    categories: Vec<(String, String)>,
    regions: Vec<(String, String)>,
    lost_percent: u64,
) -> Edition {
    let width = categories.len();
    let mut tables: Vec<Table> = regions
        .iter()
        .map(|r| table(rng, names, r.clone(), width))
        .collect();
    for t in &mut tables {
        t.title_printed = !rng.chance(lost_percent);
    }
    let text = render(rng, &categories, &tables);
    Edition {
        text,
        categories,
        regions,
        tables,
    }
}

/// (code, name) pairs of categories or regions.
pub type Coded = Vec<(String, String)>;

/// The seed documents' categories (the first seven) and regions, in their declared order.
pub fn declared() -> (Coded, Coded) {
    (owned(&CATEGORIES[..7]), owned(&REGIONS))
}

/// Tokens of a row with random extra spaces between them, as the PDF's text has.
fn spaced(rng: &mut Rng, tokens: &[String]) -> String {
    let mut out = String::new();
    for t in tokens {
        if !out.is_empty() {
            out.push_str(if rng.chance(25) { "  " } else { " " });
        }
        out.push_str(t);
    }
    out
}

fn cell_text(c: Cell) -> Option<String> {
    match c {
        Cell::Value(v) => Some(grouped(v, ',')),
        Cell::Dash => Some("-".to_string()),
        Cell::Blank => None,
    }
}

fn render_row(rng: &mut Rng, out: &mut Vec<String>, row: &Row) {
    let mut values: Vec<String> = row.cells.iter().filter_map(|c| cell_text(*c)).collect();
    values.push(grouped(row.total, ','));
    let mut name = wrap(rng, &row.name, 1, 4);
    let last = name.pop().unwrap_or_default();
    out.extend(name.into_iter().map(|n| format!("{n} ")));
    match rng.range(0, 3) {
        // Values on the last name line.
        0 => out.push(format!("{last} {}", spaced(rng, &values))),
        // Values on the next line (often after a blank line... not here: right after).
        1 => {
            out.push(format!("{last} "));
            out.push(spaced(rng, &values));
        }
        // Split over two lines, starting on the name line.
        2 => {
            let cut = rng.range(1, values.len() - 1);
            out.push(format!("{last} {}", spaced(rng, &values[..cut])));
            out.push(spaced(rng, &values[cut..]));
        }
        // Split over two lines after the name.
        _ => {
            let cut = rng.range(1, values.len() - 1);
            out.push(format!("{last} "));
            out.push(format!("{}        ", spaced(rng, &values[..cut])));
            out.push(spaced(rng, &values[cut..]));
        }
    }
    if rng.chance(15) {
        out.push(String::new());
    }
}

/// Chart axis labels and legends, as some tables print before their column headings.
fn chart(rng: &mut Rng, out: &mut Vec<String>, table: &Table, categories: &[(String, String)]) {
    out.push(String::new());
    out.push("0 5,000,000 10,000,000 15,000,000 20,000,000".to_string());
    for r in &table.rows {
        out.push(String::new());
        out.extend(wrap(rng, &r.name, 1, 2));
    }
    out.push(String::new());
    out.extend(categories.iter().map(|c| c.1.clone()));
}

fn header(rng: &mut Rng, out: &mut Vec<String>, categories: &[(String, String)]) {
    out.push(String::new());
    for (_, name) in categories {
        out.extend(wrap(rng, name, 1, 3).into_iter().map(|l| format!("{l} ")));
        out.push(String::new());
    }
    out.push("Total".to_string());
    out.push(String::new());
}

/// Splits the rendered lines into pages of at least a dozen lines (three breaks or more) with
/// their furniture, at random lines: between rows, before a Total row, between a wrapped name
/// and its values. A break inside a table that prints column headings repeats them on the new
/// page, at random. `headed[i]` says whether line i is inside such a table.
fn paginate(
    rng: &mut Rng,
    lines: Vec<String>,
    headed: &[bool],
    categories: &[(String, String)],
) -> Vec<String> {
    let n = lines.len();
    // Pages of at least a dozen lines, three breaks or more: a shorter text is one page.
    if n < 12 + 3 * 24 {
        return lines;
    }
    let pages_wanted = rng.range(3, ((n - 12) / 24).clamp(3, 12));
    let segment = (n - 12) / pages_wanted;
    let breaks: std::collections::BTreeSet<usize> = (0..pages_wanted)
        .map(|k| 12 + k * segment + rng.range(4, segment - 8))
        .collect();
    let mut pages = Pages::new(rng, breaks.len());
    let mut out = Vec::with_capacity(n + breaks.len() * 20);
    for (i, line) in lines.into_iter().enumerate() {
        if breaks.contains(&i) {
            out.extend(pages.turn());
            if headed.get(i).copied().unwrap_or(false) && rng.chance(50) {
                header(rng, &mut out, categories);
            }
        }
        out.push(line);
    }
    out
}

fn render(rng: &mut Rng, categories: &[(String, String)], tables: &[Table]) -> String {
    let (lines, headed) = render_lines(rng, categories, tables);
    if rng.chance(70) {
        paginate(rng, lines, &headed, categories).join("\n") + "\n"
    } else {
        lines.join("\n") + "\n"
    }
}

/// The edition's lines, and for each whether it stands in a table body that printed column
/// headings (from its first row to its Total row).
fn render_lines(
    rng: &mut Rng,
    categories: &[(String, String)],
    tables: &[Table],
) -> (Vec<String>, Vec<bool>) {
    let mut headed = Vec::new();
    let mut out: Vec<String> = vec![
        "Introduction to the report.".to_string(),
        format!(" {ANCHOR} "),
        "REQUIREMENTS".to_string(),
        String::new(),
    ];
    for (i, t) in tables.iter().enumerate() {
        // A lost title with no column headings: the rows follow the previous table at once
        // (not the first table: its rows would run on from the section heading).
        let has_header =
            rng.chance(if t.title_printed { 70 } else { 50 }) || (i == 0 && !t.title_printed);
        let lost_bare = !t.title_printed && !has_header;
        if !lost_bare {
            out.extend(prose(rng));
        }
        if t.title_printed {
            // A long title may wrap over two lines.
            out.extend(
                wrap(rng, &t.region.1, 1, 2)
                    .into_iter()
                    .map(|l| format!(" {l}")),
            );
        }
        if has_header {
            if rng.chance(60) {
                chart(rng, &mut out, t, categories);
            }
            header(rng, &mut out, categories);
        }
        headed.resize(out.len(), false);
        for r in &t.rows {
            render_row(rng, &mut out, r);
        }
        headed.resize(out.len() + 1, has_header);
        let mut totals: Vec<String> = t
            .column_totals
            .iter()
            .map(|c| c.map_or("-".to_string(), |v| grouped(v, ',')))
            .collect();
        totals.push(grouped(t.grand_total, ','));
        out.push(format!("Total {}", spaced(rng, &totals)));
    }
    out.extend(prose(rng));
    out.push("Total exporters".to_string());
    headed.resize(out.len(), false);
    (out, headed)
}

/// A section damaged the way extraction or layout damages one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corruption {
    /// A table printed twice (a duplicated page of the PDF), with its title if it had one.
    TableTwice,
    /// A table's Total row lost.
    TotalRowLost,
    /// Two tables run together: the first's Total row and the second's title lost.
    TablesRunTogether,
    /// A region's title printed a second time, elsewhere in the section.
    TitleTwice,
    /// A run of lines (a page) printed twice in a row.
    PageRepeated,
}

/// Where each table's Total row and title lines are in the rendered text (0-based).
fn table_lines(ed: &Edition) -> Vec<(Option<std::ops::Range<usize>>, usize)> {
    let lines: Vec<&str> = ed.text.lines().collect();
    let totals: Vec<usize> = (0..lines.len())
        .filter(|&i| {
            let mut t = lines[i].split_whitespace();
            t.next() == Some("Total")
                && t.next()
                    .is_some_and(|v| v == "-" || v.starts_with(|c: char| c.is_ascii_digit()))
        })
        .collect();
    let mut out = Vec::new();
    let mut from = 0;
    for (t, &total) in ed.tables.iter().zip(&totals) {
        let title = t.title_printed.then(|| {
            (from..total).find_map(|i| {
                (1..=2).find_map(|k| {
                    let joined: Vec<&str> = lines.get(i..i + k)?.iter().map(|l| l.trim()).collect();
                    (lines[i].starts_with(' ') && joined.join(" ") == t.region.1)
                        .then_some(i..i + k)
                })
            })
        });
        out.push((title.flatten(), total));
        from = total + 1;
    }
    out
}

/// The edition's text with one corruption, chosen at random.
pub fn corrupt(rng: &mut Rng, ed: &Edition) -> (Corruption, String) {
    let mut lines: Vec<String> = ed.text.lines().map(str::to_string).collect();
    let spans = table_lines(ed);
    let k = rng.range(0, spans.len() - 1);
    let kind = *rng.pick(&[
        Corruption::TableTwice,
        Corruption::TotalRowLost,
        Corruption::TablesRunTogether,
        Corruption::TitleTwice,
        Corruption::PageRepeated,
    ]);
    let start = if k == 0 { 4 } else { spans[k - 1].1 + 1 };
    let total = spans[k].1;
    match kind {
        Corruption::TableTwice => {
            let copy: Vec<String> = lines[start..=total].to_vec();
            lines.splice(total + 1..total + 1, copy);
        }
        Corruption::TotalRowLost => {
            lines.remove(total);
        }
        Corruption::TablesRunTogether => {
            let next_title = spans.get(k + 1).and_then(|(t, _)| t.clone());
            if let Some(t) = next_title {
                lines.drain(t);
            }
            lines.remove(total);
        }
        Corruption::TitleTwice => {
            // A second copy of a title the section prints (a lost title printed elsewhere
            // would simply be that table's title).
            let printed: Vec<&Table> = ed.tables.iter().filter(|t| t.title_printed).collect();
            if let Some(other) = (!printed.is_empty()).then(|| *rng.pick(&printed)) {
                let at = rng.range(start, total);
                lines.insert(at, format!(" {}", other.region.1));
            }
        }
        Corruption::PageRepeated => {
            let from = rng.range(4, lines.len() - 2);
            let len = rng.range(6, 30).min(lines.len() - from);
            let copy: Vec<String> = lines[from..from + len].to_vec();
            lines.splice(from + len..from + len, copy);
        }
    }
    (kind, lines.join("\n") + "\n")
}
