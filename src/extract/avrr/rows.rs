//! Which text line belongs to which row, from line positions.
//!
//! A row of the table is a horizontal band: its number line and the name lines above and below
//! it, in every panel at once (the panels' rows line up). A PDF centres the numbers vertically
//! in their row, so in the extracted text a row has as many lines above its number line as
//! below it, whether its names are top-, centre- or bottom-aligned. The rows are therefore a
//! partition of the body into consecutive bands, one per number line, in which
//! - every panel has at least one name fragment in every row;
//! - a fragment that plainly continues the one above it (it starts in lower case or with a
//!   bracket, or the one above ends in `-`, `,` or an open bracket) stays in the same row.
//!
//! Among those partitions the best has (1) the fewest names unknown to the country table,
//! then (2) the least imbalance between lines above and below the numbers. One best partition
//! is the reading; several equally good ones are truly ambiguous and refused with the line.
//! When the names, not the positions alone, settled the reading, the caller records that.

use crate::document::Document;
use crate::error::{Error, Result};
use crate::extract::funding::join_name;

/// One body line as one panel sees it.
#[derive(Debug, Clone, Default)]
pub struct Slot {
    /// Name text on this line, in this panel.
    pub text: Option<String>,
    /// The values, when this is a number line of this panel.
    pub numbers: Option<Vec<i64>>,
}

/// The table body: `slots[line][panel]`, page furniture left out; `lines[i]` is the 1-based
/// line of slot row `i`.
#[derive(Debug, Clone)]
pub struct Body {
    pub lines: Vec<usize>,
    pub slots: Vec<Vec<Slot>>,
}

impl Body {
    /// The 1-based line of body row `l` (past the end: counted on from the last).
    pub fn line(&self, l: usize) -> usize {
        match self.lines.get(l) {
            Some(&n) => n,
            None => self
                .lines
                .last()
                .map_or(1, |&n| n + 1 + l - self.lines.len()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct NamedRow {
    pub name: String,
    /// 1-based lines of the name fragments.
    pub name_lines: Vec<usize>,
    /// (value, 1-based line) per year column.
    pub values: Vec<(i64, usize)>,
}

#[derive(Debug)]
pub struct Resolution {
    /// Rows of each panel, in panel order.
    pub panels: Vec<Vec<NamedRow>>,
    /// 1-based line where positions alone allowed another reading and the country table
    /// settled it; None when positions alone settled every row.
    pub settled_by_names: Option<usize>,
}

/// (names unknown to the country table, imbalance around the number lines)
type Cost = (usize, usize);

fn add(a: Cost, b: Cost) -> Cost {
    (a.0 + b.0, a.1 + b.1)
}

fn min(a: Option<Cost>, b: Option<Cost>) -> Option<Cost> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

pub fn resolve(
    doc: &Document,
    body: &Body,
    roles: &[String],
    known: &dyn Fn(&str) -> bool,
) -> Result<Resolution> {
    let panels = roles.len();
    let numbers_of = |p: usize| -> Vec<usize> {
        (0..body.slots.len())
            .filter(|&l| body.slots[l][p].numbers.is_some())
            .collect()
    };
    // Panels whose rows share number lines are read together; otherwise each on its own.
    let groups: Vec<Vec<usize>> = if (1..panels).all(|p| numbers_of(p) == numbers_of(0)) {
        vec![(0..panels).collect()]
    } else {
        (0..panels).map(|p| vec![p]).collect()
    };
    let mut out: Vec<Vec<NamedRow>> = vec![Vec::new(); panels];
    let mut settled_by_names = None;
    for group in groups {
        let names: Vec<&str> = group.iter().map(|&p| roles[p].as_str()).collect();
        let grid = Grid::new(body, group.clone(), numbers_of(group[0]));
        let label = names.join(", ");
        let by_names = grid.best(doc, &label, Some(known))?;
        let differs_at = match grid.best(doc, &label, None) {
            Ok(s) if s == by_names => None,
            Ok(s) => Some(grid.first_difference(&by_names, &s)),
            Err(Error::Malformed { line, .. }) => Some(line),
            Err(e) => return Err(e),
        };
        settled_by_names = settled_by_names.or(differs_at);
        for (k, &p) in group.iter().enumerate() {
            out[p] = grid.rows(&by_names, k);
        }
    }
    Ok(Resolution {
        panels: out,
        settled_by_names,
    })
}

struct Grid<'b> {
    body: &'b Body,
    panels: Vec<usize>,
    /// Body indices of the number lines.
    numbers: Vec<usize>,
    /// `no_cut[x]`: a row boundary between body lines x and x + 1 would split a name.
    no_cut: Vec<bool>,
}

/// Fragment `b` continues fragment `a` of the same name.
fn continues(a: &str, b: &str) -> bool {
    let opens = a.matches('(').count() > a.matches(')').count();
    a.ends_with('-') && !a.ends_with(" -")
        || a.ends_with(',')
        || opens
        || b.starts_with(|c: char| c.is_lowercase() || c == '(' || c == ')')
}

impl<'b> Grid<'b> {
    fn new(body: &'b Body, panels: Vec<usize>, numbers: Vec<usize>) -> Self {
        let len = body.slots.len();
        let mut no_cut = vec![false; len];
        for &p in &panels {
            let frags: Vec<(usize, &str)> = (0..len)
                .filter_map(|l| body.slots[l][p].text.as_deref().map(|t| (l, t)))
                .collect();
            for pair in frags.windows(2) {
                let ((l1, a), (l2, b)) = (pair[0], pair[1]);
                if continues(a, b) {
                    no_cut[l1..l2].iter_mut().for_each(|x| *x = true);
                }
            }
        }
        Grid {
            body,
            panels,
            numbers,
            no_cut,
        }
    }

    fn len(&self) -> usize {
        self.body.slots.len()
    }

    /// Body lines of row `i` when the gap above it gives `s_prev` lines to the row before,
    /// and the gap below gives `s` lines to this row.
    fn bounds(&self, i: usize, s_prev: usize, s: usize) -> (usize, usize) {
        let start = if i == 0 {
            0
        } else {
            self.numbers[i - 1] + 1 + s_prev
        };
        let end = if i + 1 == self.numbers.len() {
            self.len() - 1
        } else {
            self.numbers[i] + s
        };
        (start, end)
    }

    /// Lines between number line `j` and number line `j + 1`.
    fn gap(&self, j: usize) -> usize {
        self.numbers[j + 1] - self.numbers[j] - 1
    }

    fn fragments(&self, p: usize, start: usize, end: usize) -> Vec<(usize, String)> {
        (start..=end)
            .filter_map(|l| self.body.slots[l][p].text.clone().map(|t| (l, t)))
            .collect()
    }

    fn cost(
        &self,
        i: usize,
        (start, end): (usize, usize),
        known: Option<&dyn Fn(&str) -> bool>,
    ) -> Option<Cost> {
        if end + 1 < self.len() && self.no_cut[end] {
            return None;
        }
        let mut unknown = 0;
        for &p in &self.panels {
            let frags = self.fragments(p, start, end);
            if frags.is_empty() {
                return None;
            }
            let parts: Vec<String> = frags.into_iter().map(|f| f.1).collect();
            if known.is_some_and(|k| !k(&join_name(&parts))) {
                unknown += 1;
            }
        }
        let n = self.numbers[i];
        Some((unknown, (n - start).abs_diff(end - n)))
    }

    /// The best partition as the split of each gap (lines given to the row above), or the
    /// reason there is none or more than one.
    fn best(
        &self,
        doc: &Document,
        roles: &str,
        known: Option<&dyn Fn(&str) -> bool>,
    ) -> Result<Vec<usize>> {
        let k = self.numbers.len();
        let line = |l: usize| self.body.line(l);
        if k == 0 {
            return Err(doc.malformed(
                line(0),
                format!("panel '{roles}': no row prints its numbers"),
            ));
        }
        if k == 1 {
            return match self.cost(0, self.bounds(0, 0, 0), known) {
                Some(_) => Ok(Vec::new()),
                None => Err(self.unreadable(doc, roles, 0)),
            };
        }
        let forward = self.forward(known);
        let backward = self.backward(known);
        let best = (0..=self.gap(k - 2))
            .map(|s| {
                forward[k - 2][s]
                    .zip(backward[k - 2][s])
                    .map(|(a, b)| add(a, b))
            })
            .fold(None, min);
        let Some(best) = best else {
            let row = (0..k - 1)
                .find(|&j| forward[j].iter().all(Option::is_none))
                .unwrap_or(k - 1);
            return Err(self.unreadable(doc, roles, row));
        };
        let mut splits = Vec::with_capacity(k - 1);
        for j in 0..k - 1 {
            let optimal: Vec<usize> = (0..=self.gap(j))
                .filter(|&s| {
                    forward[j][s].zip(backward[j][s]).map(|(a, b)| add(a, b)) == Some(best)
                })
                .collect();
            if optimal.len() > 1 {
                let (a, b) = (self.numbers[j], self.numbers[j + 1]);
                return Err(doc.malformed(
                    line(a + 1),
                    format!(
                        "panel '{roles}': the name text on lines {}-{} could belong to the row whose numbers are on line {} or to the one on line {}; the layout does not settle which",
                        line(a + 1),
                        line(b - 1),
                        line(a),
                        line(b)
                    ),
                ));
            }
            splits.extend(optimal);
        }
        Ok(splits)
    }

    /// `f[j][s]`: best cost of rows 0..=j when gap j gives `s` lines to row j.
    fn forward(&self, known: Option<&dyn Fn(&str) -> bool>) -> Vec<Vec<Option<Cost>>> {
        let k = self.numbers.len();
        let mut f: Vec<Vec<Option<Cost>>> = Vec::with_capacity(k - 1);
        for j in 0..k - 1 {
            let row: Vec<Option<Cost>> = (0..=self.gap(j))
                .map(|s| {
                    if j == 0 {
                        return self.cost(0, self.bounds(0, 0, s), known);
                    }
                    (0..=self.gap(j - 1))
                        .map(|sp| {
                            let before = f[j - 1][sp]?;
                            self.cost(j, self.bounds(j, sp, s), known)
                                .map(|c| add(before, c))
                        })
                        .fold(None, min)
                })
                .collect();
            f.push(row);
        }
        f
    }

    /// `h[j][s]`: best cost of rows j+1.. when gap j gives `s` lines to row j.
    fn backward(&self, known: Option<&dyn Fn(&str) -> bool>) -> Vec<Vec<Option<Cost>>> {
        let k = self.numbers.len();
        let mut h: Vec<Vec<Option<Cost>>> = vec![Vec::new(); k - 1];
        for j in (0..k - 1).rev() {
            h[j] = (0..=self.gap(j))
                .map(|s| {
                    if j == k - 2 {
                        return self.cost(k - 1, self.bounds(k - 1, s, 0), known);
                    }
                    (0..=self.gap(j + 1))
                        .map(|sn| {
                            let after = h[j + 1][sn]?;
                            self.cost(j + 1, self.bounds(j + 1, s, sn), known)
                                .map(|c| add(c, after))
                        })
                        .fold(None, min)
                })
                .collect();
        }
        h
    }

    fn unreadable(&self, doc: &Document, roles: &str, row: usize) -> crate::Error {
        let line = self.body.line(self.numbers.get(row).copied().unwrap_or(0));
        doc.malformed(
            line,
            format!(
                "panel '{roles}': the row whose numbers are on line {line} cannot be given a name: no reading of the lines around it gives every panel a name without splitting a wrapped one"
            ),
        )
    }

    /// 1-based line of the first gap where two partitions differ.
    fn first_difference(&self, a: &[usize], b: &[usize]) -> usize {
        let j = a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(0);
        self.body.line(self.numbers.get(j).map_or(0, |n| n + 1))
    }

    /// The rows of the `k`-th panel of the group under a partition.
    fn rows(&self, splits: &[usize], k: usize) -> Vec<NamedRow> {
        let p = self.panels[k];
        let line = |l: usize| self.body.line(l);
        (0..self.numbers.len())
            .map(|i| {
                let s_prev = if i == 0 { 0 } else { splits[i - 1] };
                let s = splits.get(i).copied().unwrap_or(0);
                let (start, end) = self.bounds(i, s_prev, s);
                let frags = self.fragments(p, start, end);
                let n = self.numbers[i];
                let numbers = self.body.slots[n][p].numbers.clone().unwrap_or_default();
                NamedRow {
                    name: join_name(&frags.iter().map(|f| f.1.clone()).collect::<Vec<_>>()),
                    name_lines: frags.iter().map(|f| line(f.0)).collect(),
                    values: numbers.into_iter().map(|v| (v, line(n))).collect(),
                }
            })
            .collect()
    }
}
