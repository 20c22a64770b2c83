//! One category's share printed twice: in a chart's labels and in the prose describing the
//! chart ("Conflict (38%)" in the legend, "… and conflict (38%)" in the text beside it).

use std::sync::LazyLock;

use regex::Regex;

use super::{Claim, Kind, Passage, Side};
use crate::document::Document;
use crate::extract::figures::Mention;

/// The word before a share in parentheses: the category it labels.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?P<label>(?:[A-Za-z’'-]+ ){0,2}[A-Za-z][A-Za-z’'-]{2,}) \(«p(?P<p>\d+)»\)")
        .unwrap()
});

/// Longest line (characters) a chart label is printed on.
const CHART_LINE: usize = 40;
/// How far apart (in lines) a chart and the prose describing it may be printed.
const NEARBY: usize = 60;
/// Lines around a prose share that decide its claim: the chart labels within [`NEARBY`] of it,
/// which is within [`NEARBY`] of the claim's first figure.
pub const REACH: usize = 2 * NEARBY;

/// A share in parentheses after the category it labels, and whether it is a chart's label.
pub struct Labelled<'m> {
    label: String,
    share: &'m Mention,
    chart: bool,
}

fn stem(word: &str) -> String {
    let w = word.to_lowercase();
    w.strip_suffix('s').map(str::to_string).unwrap_or(w)
}

/// The category a label names: its last word, with the noun it complements when it follows
/// "of" ("training of trainers" is not "lack of training").
fn category(label: &str) -> String {
    let words: Vec<&str> = label.split_whitespace().collect();
    match words.as_slice() {
        [.., owner, of, head] if of.eq_ignore_ascii_case("of") => {
            format!("{} of {}", stem(owner), stem(head))
        }
        [.., head] => stem(head),
        [] => String::new(),
    }
}

/// A chart label's line is short and holds no sentence punctuation.
fn chart_line(doc: &Document, line: usize) -> bool {
    doc.lines.get(line.saturating_sub(1)).is_some_and(|l| {
        let text = l.text().trim();
        text.chars().count() <= CHART_LINE && !text.contains([',', '.', ';'])
    })
}

/// The labelled shares of one passage.
pub fn labelled<'m>(doc: &Document, p: &Passage<'m>) -> Vec<Labelled<'m>> {
    let mut out = Vec::new();
    if p.shares == 0 {
        return out;
    }
    for caps in LABEL.captures_iter(&p.skeleton) {
        let (Some(label), Some(share)) = (caps.name("label"), p.figure(&caps, "p")) else {
            continue;
        };
        out.push(Labelled {
            label: category(label.as_str()),
            share,
            chart: chart_line(doc, share.line),
        });
    }
    out
}

/// Each share printed in prose, against the nearest chart label of the same category.
/// `items` are in printing order, so each prose share looks only at the labels printed within
/// [`NEARBY`] lines of it.
pub fn claims(items: &[Labelled]) -> Vec<Claim> {
    let mut out = Vec::new();
    for prose in items.iter().filter(|i| !i.chart) {
        let line = prose.share.line;
        let from = items.partition_point(|c| c.share.line + NEARBY < line);
        let to = items.partition_point(|c| c.share.line <= line + NEARBY);
        let nearest = items[from..to.max(from)]
            .iter()
            .filter(|c| c.chart && c.label == prose.label)
            // Two shares of one sentence are two items of its list ("urban areas (18%) … rural
            // areas (53%)" wrapped on short lines), not a chart and its description.
            .filter(|c| c.share.sentence != prose.share.sentence)
            .filter(|c| c.share.line.abs_diff(prose.share.line) <= NEARBY)
            .min_by_key(|c| c.share.line.abs_diff(prose.share.line));
        let Some(chart) = nearest else {
            continue;
        };
        let mut figures = vec![prose.share.clone(), chart.share.clone()];
        figures.sort_by_key(|m| m.span.start);
        out.push(Claim {
            kind: Kind::SameShare,
            form: "label (p%) in prose and chart",
            figures,
            passage: prose.share.context.to_string(),
            stated: Side::of(prose.share),
            computed: Side::of(chart.share),
            partial: false,
            how: format!(
                "the chart's '{}' share, line {}: {}",
                prose.label, chart.share.line, chart.share.raw
            ),
        });
    }
    out
}
