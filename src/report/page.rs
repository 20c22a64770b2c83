//! The page itself, as maud markup: header, headline, findings with their source lines,
//! funding grids, charts, and the passing checks summarised.

use std::collections::BTreeMap;

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::charts;
use super::load::Loaded;
use super::parts::{anchor, grouped, number};
use super::source::{Excerpt, Sources, excerpts, locations};
use crate::validate::{Finding, Severity, Status};

/// Findings shown in full (source lines and all); the rest are listed with their ids.
pub const DETAILED: usize = 400;
/// Findings listed in the headline.
const LIST_FIRST: usize = 1000;
/// Check ids listed under each group of passing checks.
const LISTED: usize = 200;

const STYLE: &str = include_str!("style.css");

pub fn render(loaded: &Loaded, sources: &Sources) -> String {
    let mut first: Vec<&Finding> = loaded
        .findings
        .iter()
        .filter(|f| f.priority().is_some())
        .collect();
    first.sort_by_key(|f| (f.priority(), f.dataset.clone(), f.doc_id.clone(), f.line));
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "iomtally report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                (header(loaded))
                (headline(loaded, &first))
                (findings(&first, &detailed_excerpts(&first, sources)))
                (super::grids::funding(loaded))
                (charts_section(loaded))
                (passing(loaded))
                footer {
                    p { "Written by iomtally " (loaded.manifest.iomtally_version) " with the output set. Rebuild it from the folder with "
                        code { "iomtally report OUTPUT_DIR" } ". Every figure here comes from the set's data files; the source lines from the input files, checked against the hashes the run recorded." }
                }
            }
        }
    }
    .into_string()
}

fn text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn header(loaded: &Loaded) -> Markup {
    let run = &loaded.run;
    let outcome = text(&run["outcome"]);
    html! {
        header {
            h1 { "iomtally report" }
            p.run {
                "iomtally " (loaded.manifest.iomtally_version) " · run " code { (text(&run["run_id"])) }
                " · started " (text(&run["started"])) " · ended " (text(&run["ended"]))
            }
            p class=(if run["exit_code"] == 0 { "status ok" } else { "status bad" }) {
                "Exit status " strong { (text(&run["exit_code"])) } " (" (outcome) "): " (text(&run["reason"]))
            }
            h2 { "Inputs" }
            div.scroll {
                table.inputs {
                    thead { tr { th { "document" } th { "title" } th.num { "lines" } th.sha { "SHA-256" } } }
                    tbody {
                        @for i in &loaded.manifest.inputs {
                            tr {
                                td { code { (i.id) } }
                                td { (i.title) }
                                td.num { (grouped(i.lines as i64)) }
                                td.sha { code title=(i.sha256) { (i.sha256.get(..12).unwrap_or(&i.sha256)) "…" } }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Counts by outcome column: pass, fail error, fail warning, fail info, inferred, skipped
/// (a severity only where it splits the status).
const OUTCOMES: [(Status, Option<Severity>, &str); 6] = [
    (Status::Pass, None, "passed"),
    (Status::Fail, Some(Severity::Error), "failed error"),
    (Status::Fail, Some(Severity::Warning), "failed warning"),
    (Status::Fail, Some(Severity::Info), "failed info"),
    (Status::Inferred, None, "inferred"),
    (Status::Skipped, None, "skipped"),
];

fn outcome_index(f: &Finding) -> usize {
    OUTCOMES
        .iter()
        .position(|(s, sev, _)| *s == f.status && sev.is_none_or(|v| v == f.severity))
        .unwrap_or(0)
}

fn counts_table(title: &str, by: impl Fn(&Finding) -> String, findings: &[Finding]) -> Markup {
    let mut counts: BTreeMap<String, [usize; 6]> = BTreeMap::new();
    for f in findings {
        counts.entry(by(f)).or_default()[outcome_index(f)] += 1;
    }
    html! {
        div.scroll {
            table.counts {
                thead { tr { th { (title) } @for (_, _, name) in OUTCOMES { th.num { (name) } } } }
                tbody {
                    @for (key, c) in &counts {
                        tr {
                            td { code { (key) } }
                            @for (i, n) in c.iter().enumerate() {
                                td.num class=(cell_class(i, *n)) { (n) }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn cell_class(outcome: usize, n: usize) -> &'static str {
    match (outcome, n) {
        (_, 0) => "num zero",
        (1, _) => "num bad",
        (2, _) => "num warn",
        (4, _) => "num inferred",
        _ => "num",
    }
}

fn headline(loaded: &Loaded, first: &[&Finding]) -> Markup {
    html! {
        section #headline {
            h2 { "Checks" }
            (counts_table("dataset", |f| f.dataset.clone(), &loaded.findings))
            (counts_table("document", |f| f.doc_id.clone(), &loaded.findings))
            h2 { "Look at these first (" (first.len()) ")" }
            @if first.is_empty() {
                p { "Every check passed; nothing was inferred." }
            } @else {
                ol.first {
                    @for f in first.iter().take(LIST_FIRST) {
                        li class=(priority_class(f)) {
                            span.badge { (f.status.as_str()) " " (f.severity.as_str()) }
                            " "
                            a href={ "#" (anchor(&f.check_id)) } { code { (f.check_id) } }
                            " — " (f.subject)
                        }
                    }
                }
                @if first.len() > LIST_FIRST {
                    p.note { (first.len() - LIST_FIRST) " more (failed info among them) are in validation_results." }
                }
            }
        }
    }
}

fn priority_class(f: &Finding) -> &'static str {
    match f.priority() {
        Some(0) => "error",
        Some(1) => "warning",
        Some(2) => "inferred",
        _ => "info",
    }
}

/// The source excerpts of the findings shown in full, made side by side (each reads its
/// documents, checked against their hashes).
fn detailed_excerpts(first: &[&Finding], sources: &Sources) -> Vec<Vec<Result<Excerpt, String>>> {
    use rayon::prelude::*;
    first[..first.len().min(DETAILED)]
        .par_iter()
        .map(|f| excerpts(sources, &locations(f)))
        .collect()
}

fn findings(first: &[&Finding], excerpts: &[Vec<Result<Excerpt, String>>]) -> Markup {
    html! {
        section #findings {
            h2 { "Findings with their source" }
            @for (f, excerpts) in first.iter().zip(excerpts) {
                (finding(f, excerpts))
            }
            @if first.len() > DETAILED {
                p.note { (first.len() - DETAILED) " more are listed above and in validation_results (the page shows the first " (DETAILED) " in full to stay small)." }
            }
        }
    }
}

fn finding(f: &Finding, excerpts: &[Result<Excerpt, String>]) -> Markup {
    html! {
        article.finding id=(anchor(&f.check_id)) class=(priority_class(f)) {
            h3 { span.badge { (f.status.as_str()) " " (f.severity.as_str()) } " " code { (f.check_id) } }
            p.subject { (f.subject) }
            dl.numbers {
                div { dt { "stated" } dd.stated { (number(f.stated)) } }
                div { dt { "computed" } dd.computed { (number(f.computed)) } }
                div { dt { "difference" } dd { (number(f.difference())) } }
                div { dt { "tolerance" } dd { (number(f.tolerance)) } }
                div { dt { "where" } dd { code { (f.doc_id) @if let Some(l) = f.line { ":" (l) } } } }
            }
            p.message { (f.message) }
            @for e in excerpts {
                @match e {
                    Ok(e) => (excerpt(e)),
                    Err(why) => p.note { (why) },
                }
            }
        }
    }
}

fn excerpt(e: &Excerpt) -> Markup {
    html! {
        figure.source {
            figcaption { code { (e.doc) } }
            div.scroll {
                table.lines {
                    @for l in &e.lines {
                        tr class=(if l.focus { "focus" } else { "" }) {
                            td.ln { (l.number) }
                            td.text {
                                @for (piece, marked) in &l.pieces {
                                    @if *marked { mark { (piece) } } @else { (piece) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn charts_section(loaded: &Loaded) -> Markup {
    html! {
        section #charts {
            h2 { "Charts" }
            (super::figures::funding(loaded))
            (super::figures::avrr(loaded))
            (super::figures::metrics(loaded))
            (super::figures::claims(loaded))
        }
    }
}

/// Passing checks by dataset and kind, each group expandable to its ids.
fn passing(loaded: &Loaded) -> Markup {
    let mut groups: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for f in loaded.findings.iter().filter(|f| f.status == Status::Pass) {
        groups
            .entry((f.dataset.clone(), f.kind.clone()))
            .or_default()
            .push(&f.check_id);
    }
    html! {
        section #passing {
            h2 { "Passing checks (" (groups.values().map(Vec::len).sum::<usize>()) ")" }
            @for ((dataset, kind), ids) in &groups {
                details {
                    summary { code { (dataset) } " · " (kind) ": " strong { (ids.len()) } " passed" }
                    ul.ids {
                        @for id in ids.iter().take(LISTED) { li { code { (id) } } }
                        @if ids.len() > LISTED { li.note { (ids.len() - LISTED) " more in validation_results" } }
                    }
                }
            }
        }
    }
}

pub use charts::hex;
