//! AVRR key-figures tables: two panels side by side, a value column per year, names wrapped
//! over up to three lines and aligned top, centre or bottom in their row, numbers centred in
//! the row (as a PDF's text extraction orders them by height).

use super::{Pages, Rng, grouped};

pub const HEADING: &str = "Assisted voluntary return and reintegration: key figures";

#[derive(Debug, Clone)]
pub struct Row {
    pub name: String,
    /// One value per year column.
    pub values: Vec<i64>,
}

#[derive(Debug, Clone)]
pub struct Edition {
    pub text: String,
    /// Year of each value column, left to right.
    pub years: Vec<i32>,
    /// (role, title) of each panel, left to right.
    pub panels: Vec<(String, String)>,
    pub rows: usize,
    /// Rows of each panel.
    pub tables: Vec<Vec<Row>>,
    /// 1-based line of each panel's row's numbers.
    pub number_lines: Vec<usize>,
    /// A page break stands inside the table.
    pub broken: bool,
}

/// How a wrapped name sits in its row.
#[derive(Clone, Copy)]
enum Align {
    Top,
    Centre,
    Bottom,
}

/// Values of one panel: the first column ranks the table (descending), the others are free.
fn values(rng: &mut Rng, rows: usize, width: usize, largest: usize) -> Vec<Vec<i64>> {
    let mut ranked: Vec<i64> = (0..rows).map(|_| rng.range(50, largest) as i64).collect();
    ranked.sort_unstable_by(|a, b| b.cmp(a));
    (0..rows)
        .map(|i| {
            let mut v = vec![ranked[i]];
            v.extend((1..width).map(|_| rng.range(0, largest * 3 / 4) as i64));
            v
        })
        .collect()
}

/// A panel's geometry: where its names start and where each value column ends.
struct Columns {
    name: usize,
    /// Exclusive end column of each value column (numbers are right-aligned to it).
    ends: Vec<usize>,
}

pub fn edition(rng: &mut Rng, names: &[String]) -> Edition {
    let rows = rng.range(3, 12);
    let width = rng.range(2, 3);
    let first = rng.range(2005, 2030) as i32;
    let years: Vec<i32> = (0..width as i32).map(|k| first - k).collect();
    edition_with(rng, names, years, rows, 80_000)
}

/// An edition with the given years (left to right) and rows, values at most `largest`.
pub fn edition_with(
    rng: &mut Rng,
    names: &[String],
    years: Vec<i32>,
    rows: usize,
    largest: usize,
) -> Edition {
    let width = years.len();
    let panels = vec![
        ("host".to_string(), format!("Top {rows} host countries")),
        ("origin".to_string(), format!("Top {rows} places of origin")),
    ];
    let chosen = rng.sample(names, rows * 2);
    let tables: Vec<Vec<Row>> = (0..2)
        .map(|p| {
            let vals = values(rng, rows, width, largest);
            (0..rows)
                .map(|i| Row {
                    name: chosen[p * rows + i].clone(),
                    values: vals[i].clone(),
                })
                .collect()
        })
        .collect();
    // Each row's name fragments per panel, and how they align.
    let wraps: Vec<Vec<(Vec<String>, Align)>> = (0..rows)
        .map(|i| {
            (0..2)
                .map(|p| {
                    let max = if rng.chance(60) { 1 } else { 3 };
                    let align = *rng.pick(&[Align::Top, Align::Centre, Align::Bottom]);
                    (super::wrap(rng, &tables[p][i].name, max.min(2), max), align)
                })
                .collect()
        })
        .collect();
    let columns = layout(rng, &tables, &wraps, width);
    let mut out: Vec<String> = vec![
        "returns from the European Economic Area accounted for most of the total.".into(),
        String::new(),
        format!("{}{HEADING}", " ".repeat(rng.range(0, 20))),
    ];
    out.push(place(&[
        (columns[0].name + 4, panels[0].1.clone()),
        (columns[1].name + 4, panels[1].1.clone()),
    ]));
    out.push(place(&[
        (columns[0].name + 8, "Number of migrants assisted".into()),
        (columns[1].name + 8, "Number of migrants assisted".into()),
    ]));
    out.push(place(
        &columns
            .iter()
            .flat_map(|c| {
                c.ends
                    .iter()
                    .zip(&years)
                    .map(|(&e, y)| (e - 4, y.to_string()))
            })
            .collect::<Vec<_>>(),
    ));
    let mut number_lines = Vec::new();
    for (i, row_wraps) in wraps.iter().enumerate() {
        let band = band(&columns, &tables, row_wraps, i);
        number_lines.push(out.len() + 1 + band.0);
        out.extend(band.1);
    }
    // The page may end right after the table (a page break after its last row).
    let mut broken = rng.chance(50);
    if broken {
        out.push("-----------------------Page 33 End-----------------------".into());
    } else {
        out.push(String::new());
    }
    out.push("Health and immigration".into());
    if rng.chance(60) {
        let body = 6..out.len() - 2;
        (out, number_lines, broken) = paginate(rng, out, body, number_lines);
    }
    Edition {
        text: out.join("\n") + "\n",
        years,
        panels,
        rows,
        tables,
        number_lines,
        broken,
    }
}

fn layout(
    rng: &mut Rng,
    tables: &[Vec<Row>],
    wraps: &[Vec<(Vec<String>, Align)>],
    width: usize,
) -> Vec<Columns> {
    let mut columns = Vec::new();
    let mut at = rng.range(0, 3);
    for p in 0..tables.len() {
        let name_width = wraps
            .iter()
            .flat_map(|w| w[p].0.iter().map(|f| f.chars().count()))
            .max()
            .unwrap_or(0);
        let name = at;
        let mut end = name + name_width;
        let mut ends = Vec::new();
        for k in 0..width {
            let widest = tables[p]
                .iter()
                .map(|r| grouped(r.values[k], ' ').len())
                .max()
                .unwrap_or(0)
                .max(4);
            end += rng.range(3, 10) + widest;
            ends.push(end);
        }
        columns.push(Columns { name, ends });
        at = end + rng.range(3, 10);
    }
    columns
}

/// The text lines of one row: every panel's name fragments at their heights and the numbers at
/// the row's middle, in half-line units; one text line per distinct height. Returns the index
/// of the numbers' line within the band and the lines.
fn band(
    columns: &[Columns],
    tables: &[Vec<Row>],
    wraps: &[(Vec<String>, Align)],
    i: usize,
) -> (usize, Vec<String>) {
    let height = wraps.iter().map(|w| w.0.len()).max().unwrap_or(1);
    let numbers_at = height - 1; // half-units: the middle of `height` lines
    let mut items: Vec<(usize, usize, String)> = Vec::new(); // (height, column, text)
    for (p, (frags, align)) in wraps.iter().enumerate() {
        let n = frags.len();
        let offset = match align {
            Align::Top => 0,
            Align::Centre => height - n,
            Align::Bottom => 2 * (height - n),
        };
        for (j, f) in frags.iter().enumerate() {
            items.push((offset + 2 * j, columns[p].name, f.clone()));
        }
        for (k, &end) in columns[p].ends.iter().enumerate() {
            let v = grouped(tables[p][i].values[k], ' ');
            items.push((numbers_at, end - v.len(), v));
        }
    }
    let mut heights: Vec<usize> = items.iter().map(|it| it.0).collect();
    heights.sort_unstable();
    heights.dedup();
    let lines = heights
        .iter()
        .map(|&h| {
            let at: Vec<(usize, String)> = items
                .iter()
                .filter(|it| it.0 == h)
                .map(|it| (it.1, it.2.clone()))
                .collect();
            place(&at)
        })
        .collect();
    let index = heights.iter().position(|&h| h == numbers_at).unwrap_or(0);
    (index, lines)
}

/// A line with each text starting at its column.
fn place(items: &[(usize, String)]) -> String {
    let mut sorted = items.to_vec();
    sorted.sort();
    let mut line = String::new();
    for (col, text) in sorted {
        let len = line.chars().count();
        if col > len {
            line.push_str(&" ".repeat(col - len));
        } else if len > 0 {
            line.push_str("  ");
        }
        line.push_str(&text);
    }
    line
}

/// Pages around the table: three pages of prose before it (a pagination long enough to be
/// learned), and, at random, a page break at a random line of the table's body (0-based
/// `body`): between two rows, or between a wrapped name and its numbers. Returns the lines and
/// the rows' number lines moved accordingly.
fn paginate(
    rng: &mut Rng,
    table: Vec<String>,
    body: std::ops::Range<usize>,
    number_lines: Vec<usize>,
) -> (Vec<String>, Vec<usize>, bool) {
    let inside = (rng.chance(70) && body.end > body.start + 1)
        .then(|| rng.range(body.start + 1, body.end - 1));
    let mut pages = Pages::new(rng, 4 + usize::from(inside.is_some()));
    let mut out = Vec::new();
    for _ in 0..3 {
        for _ in 0..rng.range(10, 16) {
            out.push("IOM supported the voluntary return of migrants to their countries.".into());
        }
        out.extend(pages.turn());
    }
    // The table's page starts with some prose, and ends with more: a page is never two lines.
    for _ in 0..rng.range(4, 8) {
        out.push("Most returns were from Europe.".into());
    }
    let mut moved_to = Vec::with_capacity(table.len());
    for (i, line) in table.into_iter().enumerate() {
        if Some(i) == inside {
            out.extend(pages.turn());
        }
        moved_to.push(out.len());
        // The table's own page end is this pagination's, after the page's prose.
        out.push(if line.starts_with("-----") {
            String::new()
        } else {
            line
        });
    }
    for _ in 0..rng.range(8, 12) {
        out.push("Returns to Africa grew in the year.".into());
    }
    out.extend(pages.turn());
    let moved = number_lines.iter().map(|&n| moved_to[n - 1] + 1).collect();
    // The table's page now ends after prose; only a break inside the table is one.
    (out, moved, inside.is_some())
}
