//! The source text beside a finding: the raw lines around each figure involved, numbered as in
//! the raw file, with the figures highlighted. A document whose file is missing, or differs from
//! the hash the run recorded, shows no lines rather than wrong ones.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::{Arc, LazyLock, Mutex, OnceLock, PoisonError};

use regex::Regex;

use crate::set::InputRecord;

/// Lines either side of a figure's line.
pub const CONTEXT: usize = 3;

/// The documents' raw lines, each read once when first asked, from any thread (the report's
/// excerpts are made side by side).
pub struct Sources {
    base: PathBuf,
    inputs: Vec<InputRecord>,
    cache: Mutex<BTreeMap<String, Arc<Slot>>>,
}

/// A document's lines once read: none when its file is missing or has changed.
type Slot = OnceLock<Option<Arc<SourceLines>>>;

impl Sources {
    /// `base` is the folder the inputs' paths are relative to (the configuration's).
    pub fn new(base: PathBuf, inputs: Vec<InputRecord>) -> Sources {
        Sources {
            base,
            inputs,
            cache: Mutex::new(BTreeMap::new()),
        }
    }

    /// The raw lines of a document, if its file is there and unchanged since the run.
    pub fn lines(&self, doc: &str) -> Option<Arc<SourceLines>> {
        // The map is locked only to find the document's slot; it is read outside the lock, once.
        let slot = self
            .cache
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .entry(doc.to_string())
            .or_default()
            .clone();
        slot.get_or_init(|| self.read(doc).map(Arc::new)).clone()
    }

    fn read(&self, doc: &str) -> Option<SourceLines> {
        let input = self.inputs.iter().find(|i| i.id == doc)?;
        let path = self.base.join(&input.path);
        let bytes = std::fs::read(&path).ok()?;
        if crate::set::sha256_bytes(&bytes) != input.sha256 {
            return None;
        }
        let text = crate::document::as_text(doc, &path, &bytes).ok()?;
        Some(SourceLines::of(text))
    }
}

/// A document's raw text and where each line of it is (without its line break): one buffer,
/// however many lines.
pub struct SourceLines {
    text: String,
    lines: Vec<std::ops::Range<usize>>,
}

impl SourceLines {
    fn of(text: &str) -> SourceLines {
        let base = text.as_ptr() as usize;
        let lines = crate::document::split_lines(text)
            .map(|line| {
                let start = line.as_ptr() as usize - base;
                start..start + line.len()
            })
            .collect();
        SourceLines {
            text: text.to_string(),
            lines,
        }
    }

    /// How many lines the document has.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The line at 0-based `index`, if there is one.
    pub fn get(&self, index: usize) -> Option<&str> {
        self.lines.get(index).map(|r| &self.text[r.clone()])
    }
}

/// Where a finding's figures are printed, and what to highlight there.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    pub doc: String,
    pub line: usize,
    pub needles: Vec<String>,
}

/// A run of numbered source lines, each cut into plain and highlighted pieces.
pub struct Excerpt {
    pub doc: String,
    pub lines: Vec<ExcerptLine>,
}

pub struct ExcerptLine {
    pub number: usize,
    /// The line a figure of the finding is printed on.
    pub focus: bool,
    pub pieces: Vec<(String, bool)>,
}

static EVIDENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\[([A-Za-z0-9_.-]+):(\d+)\] ([^|]+)").unwrap());
static CLAIM_FIGURE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"line (\d+) '([^']*)'").unwrap());

/// The figures of a quote as printed, read with the mentions' grammar ("1,5 million", "68
/// per cent", "Ninety-one" are one figure each), each followed by its first word alone: a
/// figure the quote joined across a line break is highlighted by its start on its line.
fn figures_in(quote: &str) -> Vec<String> {
    let mut needles = Vec::new();
    for (range, _) in crate::numbers::scan_quantities(quote) {
        let printed = quote[range]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let first = printed.split(' ').next().unwrap_or_default().to_string();
        needles.push(printed.clone());
        if first != printed {
            needles.push(first);
        }
    }
    needles
}

/// 8550000 → "8,550,000", "8 550 000", "8550000".
fn printed_forms(v: f64) -> Vec<String> {
    if v.fract() != 0.0 || !v.is_finite() || v.abs() >= 1e15 {
        return vec![format!("{v:.1}")];
    }
    let plain = format!("{}", v.abs() as i64);
    let grouped = |sep: char| {
        let mut out = String::new();
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && (plain.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    let mut forms = vec![grouped(','), grouped(' '), plain.clone()];
    forms.dedup();
    forms
}

/// The figures a finding involves: the claims' "line N 'raw'" list, a relation's
/// "[doc:line] quote" evidence, or else its own line with its stated and computed values.
pub fn locations(f: &crate::validate::Finding) -> Vec<Location> {
    let claimed: Vec<Location> = CLAIM_FIGURE
        .captures_iter(&f.message)
        .filter_map(|c| {
            Some(Location {
                doc: f.doc_id.clone(),
                line: c.get(1)?.as_str().parse().ok()?,
                needles: vec![c.get(2)?.as_str().to_string()],
            })
        })
        .collect();
    if !claimed.is_empty() && f.message.contains("figures: ") {
        return claimed;
    }
    let quoted: Vec<Location> = EVIDENCE
        .captures_iter(&f.evidence)
        .filter_map(|c| {
            let quote = c.get(3)?.as_str();
            Some(Location {
                doc: c.get(1)?.as_str().to_string(),
                line: c.get(2)?.as_str().parse().ok()?,
                needles: figures_in(quote),
            })
        })
        .collect();
    if !quoted.is_empty() {
        return quoted;
    }
    let Some(line) = f.line else {
        return Vec::new();
    };
    let needles = [f.stated, f.computed]
        .into_iter()
        .flatten()
        .flat_map(printed_forms)
        .collect();
    vec![Location {
        doc: f.doc_id.clone(),
        line,
        needles,
    }]
}

/// Locations of one document close together (their contexts overlap) go together; at most
/// four groups.
pub fn groups(locations: &[Location]) -> Vec<Vec<&Location>> {
    let mut groups: Vec<Vec<&Location>> = Vec::new();
    for loc in locations {
        match groups.iter_mut().find(|g| {
            g.iter()
                .any(|l| l.doc == loc.doc && l.line.abs_diff(loc.line) <= 2 * CONTEXT)
        }) {
            Some(g) => g.push(loc),
            None => groups.push(vec![loc]),
        }
    }
    groups.truncate(4);
    groups
}

/// One excerpt per group of locations.
pub fn excerpts(sources: &Sources, locations: &[Location]) -> Vec<Result<Excerpt, String>> {
    groups(locations)
        .into_iter()
        .map(|g| excerpt(sources, &g))
        .collect()
}

fn excerpt(sources: &Sources, group: &[&Location]) -> Result<Excerpt, String> {
    let doc = group[0].doc.clone();
    let lines = sources.lines(&doc).ok_or_else(|| {
        format!("{doc}: the source file is missing or has changed since the run (its hash differs); no lines shown")
    })?;
    let focus: Vec<usize> = group.iter().map(|l| l.line).collect();
    let needles: Vec<&str> = group
        .iter()
        .flat_map(|l| l.needles.iter().map(String::as_str))
        .filter(|n| !n.trim().is_empty())
        .collect();
    let lo = focus
        .iter()
        .min()
        .copied()
        .unwrap_or(1)
        .saturating_sub(CONTEXT)
        .max(1);
    let hi = (focus.iter().max().copied().unwrap_or(1) + CONTEXT).min(lines.len());
    let out = (lo..=hi)
        .filter_map(|n| {
            let text = lines.get(n - 1)?;
            let on_focus = focus.contains(&n);
            Some(ExcerptLine {
                number: n,
                focus: on_focus,
                pieces: if on_focus {
                    highlighted(text, &needles)
                } else {
                    vec![(text.to_string(), false)]
                },
            })
        })
        .collect();
    Ok(Excerpt { doc, lines: out })
}

/// Byte ranges of every occurrence of a needle that is not part of a longer number, in order
/// and not overlapping.
pub fn needle_spans(text: &str, needles: &[&str]) -> Vec<std::ops::Range<usize>> {
    let mut marks: Vec<(usize, usize)> = Vec::new();
    for needle in needles {
        let needle = needle.trim();
        if needle.is_empty() {
            continue;
        }
        for (at, _) in text.match_indices(needle) {
            let end = at + needle.len();
            let digit_before = text[..at]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit());
            let digit_after = text[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit());
            if !(digit_before || digit_after) {
                marks.push((at, end));
            }
        }
    }
    // At one start the longest needle wins: "1,5 million", not its "1,5".
    marks.sort_unstable_by_key(|&(start, end)| (start, std::cmp::Reverse(end)));
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (start, end) in marks {
        if out.last().is_none_or(|last| start >= last.end) {
            out.push(start..end);
        }
    }
    out
}

/// The line cut at every occurrence of a needle (see [`needle_spans`]).
pub fn highlighted(text: &str, needles: &[&str]) -> Vec<(String, bool)> {
    let mut pieces = Vec::new();
    let mut cursor = 0;
    for span in needle_spans(text, needles) {
        if span.start > cursor {
            pieces.push((text[cursor..span.start].to_string(), false));
        }
        pieces.push((text[span.clone()].to_string(), true));
        cursor = span.end;
    }
    if cursor < text.len() {
        pieces.push((text[cursor..].to_string(), false));
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_with_a_decimal_comma_and_a_scale_word_is_one_highlight() {
        let needles = figures_in("IOM reached 1,5 million people in 42 countries");
        assert_eq!(needles, ["1,5 million", "1,5", "42"]);
        let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
        let pieces = highlighted("IOM reached 1,5 million people in 42 countries", &needles);
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|(_, m)| *m)
            .map(|(t, _)| t.as_str())
            .collect();
        assert_eq!(marked, ["1,5 million", "42"]);
        // Wrapped before its scale word, the figure's number is still marked on its line.
        let pieces = highlighted("IOM reached 1,5", &needles);
        assert!(pieces.iter().any(|(t, m)| *m && t == "1,5"));
    }
}
