//! `iomtally suggest`: the year-bound or compared figures of a metrics dataset's documents that no
//! catalogue source reads and no exclusion names, grouped by sentence, each with a catalogue
//! entry ready to paste. It is how a user extends the catalogue for a new edition.
//!
//! A figure is year-bound when its sentence states a year other than the document's own (the
//! last of its declared years), and compared when its sentence compares ("compared with",
//! "increase", "the year before", ...).

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::catalogue::{Catalogue, Excluded};
use crate::config::{Config, DatasetConfig};
use crate::document::Document;
use crate::error::{Error, Result};
use crate::extract::figures::{self, Mention};
use crate::extract::metrics::{self, MetricsExtractor};
use crate::extract::phrase::Phrase;

pub mod frame;
pub mod glossary;
pub mod series;

/// Words that make a sentence a comparison (lower case).
const COMPARISONS: &[&str] = &[
    "compared with",
    "compared to",
    "increase",
    "decrease",
    "decline",
    "up from",
    "down from",
    "rising",
    "rose",
    "fell",
    "than in",
    "the year before",
    "previous year",
    "more than double",
    "fold",
    "doubled",
];

/// Words that do not make a key.
const STOPWORDS: &[&str] = &[
    "the", "of", "in", "and", "to", "a", "an", "for", "with", "by", "on", "at", "from", "iom",
    "were", "was", "are", "is", "been", "had", "has", "have", "its", "their", "that", "which",
];

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: String,
    pub unit: String,
    pub year: i32,
    /// The year was read from the sentence (else it is the document's year: check it).
    pub year_from_sentence: bool,
    pub raw: String,
    pub pattern: String,
    pub occurrence: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Suggestion {
    pub doc_id: String,
    pub line: usize,
    pub context: String,
    pub entries: Vec<Entry>,
}

/// The metrics dataset to extend: the one named, or the only one.
pub(crate) fn metrics_dataset<'c>(config: &'c Config, name: Option<&str>) -> Result<&'c str> {
    let all: Vec<&String> = config
        .raw
        .datasets
        .iter()
        .filter(|(_, d)| matches!(d.get_ref(), DatasetConfig::Metrics(_)))
        .map(|(n, _)| n)
        .collect();
    match (name, all.as_slice()) {
        (Some(n), _) => all
            .iter()
            .find(|a| a.as_str() == n)
            .map(|a| a.as_str())
            .ok_or_else(|| Error::Usage(format!("'{n}' is not a metrics dataset"))),
        (None, [one]) => Ok(one.as_str()),
        _ => Err(Error::Usage(format!(
            "name the metrics dataset to extend with --dataset (one of: {})",
            all.iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

pub fn suggestions(config: &Config, dataset: Option<&str>) -> Result<Vec<Suggestion>> {
    let (extractor, docs) = load_dataset(config, dataset)?;
    let mut keys: BTreeSet<String> = extractor
        .catalogue()
        .metrics
        .iter()
        .map(|m| m.def.key.clone())
        .collect();
    let mut out = Vec::new();
    for d in &docs {
        out.extend(for_document(&d.document, d.reported, &d.covered, &mut keys));
    }
    Ok(out)
}

/// A document of the metrics dataset being extended, with what its catalogue covers in it.
pub(crate) struct Loaded {
    pub id: String,
    /// The year the document reports on: the last of its declared years.
    pub reported: i32,
    /// The years the document declares, ascending.
    pub years: Vec<i32>,
    pub document: Document,
    pub covered: Covered,
}

/// The metrics dataset's extractor (its catalogue) and its documents, loaded and covered.
pub(crate) fn load_dataset(
    config: &Config,
    dataset: Option<&str>,
) -> Result<(MetricsExtractor, Vec<Loaded>)> {
    let name = metrics_dataset(config, dataset)?;
    let DatasetConfig::Metrics(cfg) = config.raw.datasets[name].get_ref() else {
        return Err(Error::Usage(format!("'{name}' is not a metrics dataset")));
    };
    let extractor = MetricsExtractor::load(name, cfg, config)?;
    let catalogue = extractor.catalogue();
    let mut docs = Vec::new();
    for id in config.documents_of(name) {
        let Some(doc_cfg) = config.document(id) else {
            continue;
        };
        let path = config.base_dir.join(doc_cfg.path.get_ref());
        let document = Document::load(id, &path, &doc_cfg.repairs)?;
        let covered = covered(catalogue, &document)?;
        let years: BTreeSet<i32> = doc_cfg.years.iter().copied().collect();
        docs.push(Loaded {
            id: id.to_string(),
            reported: years.last().copied().unwrap_or_default(),
            years: years.into_iter().collect(),
            document,
            covered,
        });
    }
    Ok((extractor, docs))
}

/// A figure's span, with the metric reading it and the year that source gives (none for an
/// exclusion).
type CoveredSpan = (std::ops::Range<usize>, Option<(usize, i32)>);

fn overlaps(a: &std::ops::Range<usize>, b: &std::ops::Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// What the catalogue already covers in a document: figures its sources read (with the index
/// of the metric reading each) or an exclusion names (no metric), and phrases whose sentences
/// are excluded whole.
pub(crate) struct Covered {
    spans: Vec<CoveredSpan>,
    sentences: Vec<String>,
}

impl Covered {
    fn covers(&self, m: &Mention) -> bool {
        self.covers_but(m, None)
    }

    /// Covered by something other than the metric `left_out` (a leave-one-out pass).
    pub(crate) fn covers_but(&self, m: &Mention, left_out: Option<usize>) -> bool {
        self.spans.iter().any(|(r, metric)| {
            overlaps(r, &m.span) && (metric.is_none() || metric.map(|(k, _)| k) != left_out)
        }) || self
            .sentences
            .iter()
            .any(|s| m.context.contains(s.as_str()))
    }

    /// The metric reading the figure and the year its source gives, if a source reads it.
    pub(crate) fn source_of(&self, m: &Mention) -> Option<(usize, i32)> {
        self.spans
            .iter()
            .filter(|(r, _)| overlaps(r, &m.span))
            .find_map(|(_, source)| *source)
    }
}

pub(crate) fn covered(catalogue: &Catalogue, doc: &Document) -> Result<Covered> {
    let mut spans: Vec<CoveredSpan> = metrics::read_document(catalogue, doc)
        .into_iter()
        .filter_map(|((metric, _), found)| found.ok().map(|s| (s.span, Some((metric, s.year)))))
        .collect();
    let mut sentences = Vec::new();
    for x in catalogue.exclusions.iter().filter(|x| x.doc == doc.id) {
        let pattern = match &x.excluded {
            Excluded::Sentence(phrase) => {
                sentences.push(phrase.clone());
                continue;
            }
            Excluded::Figure(pattern) => pattern,
        };
        let phrase = Phrase::compile(pattern).map_err(|e| Error::Config {
            path: catalogue.path.clone(),
            line: Some(x.line),
            column: None,
            message: format!("exclude: pattern does not compile: {e}"),
        })?;
        let excluded = phrase.values(&doc.flat);
        if let Some(read) = excluded.iter().find_map(|r| read_by_metric(&spans, r)) {
            let metric = &catalogue.metrics[read.0];
            return Err(Error::Config {
                path: catalogue.path.clone(),
                line: Some(x.line),
                column: None,
                message: format!(
                    "exclude: the phrase also matches the figure metric '{}' reads in {} (line {}): an exclusion must not cover a catalogued figure; make the phrase longer",
                    metric.def.key,
                    doc.id,
                    doc.line_at(read.1.start).number
                ),
            });
        }
        spans.extend(excluded.into_iter().map(|r| (r, None)));
    }
    Ok(Covered { spans, sentences })
}

/// The metric source reading a figure that overlaps `r`, with its span.
fn read_by_metric(
    spans: &[CoveredSpan],
    r: &std::ops::Range<usize>,
) -> Option<(usize, std::ops::Range<usize>)> {
    spans.iter().find_map(|(span, source)| {
        let (metric, _) = (*source)?;
        overlaps(span, r).then(|| (metric, span.clone()))
    })
}

fn is_compared(context: &str) -> bool {
    let lower = context.to_lowercase();
    COMPARISONS.iter().any(|c| lower.contains(c))
}

fn for_document(
    doc: &Document,
    reported: i32,
    covered: &Covered,
    keys: &mut BTreeSet<String>,
) -> Vec<Suggestion> {
    let mut out: Vec<Suggestion> = Vec::new();
    let found = figures::scan(doc);
    let table_rows = table_rows(doc, &found);
    for m in found {
        if table_rows.contains(&m.line) {
            continue;
        }
        let other_year = figures::years_in(&m.context).any(|y| y != reported);
        if covered.covers(&m) || !(other_year || is_compared(&m.context)) {
            continue;
        }
        let entry = entry(doc, &m, reported, keys);
        match out.last_mut() {
            Some(last) if *last.context == *m.context => last.entries.push(entry),
            _ => out.push(Suggestion {
                doc_id: doc.id.clone(),
                line: m.line,
                context: m.context.to_string(),
                entries: vec![entry],
            }),
        }
    }
    out
}

/// Lines that are table rows, not prose: two or more figures and no three lower-case words in
/// a row ("Germany 54 006 35 446 Albania 17 976 12 014"). Tables are read by table datasets.
fn table_rows(doc: &Document, found: &[Mention]) -> BTreeSet<usize> {
    rows_of_figures(doc, found, has_prose_run)
}

/// Lines with two or more figures that `is_prose` does not call prose.
pub(crate) fn rows_of_figures(
    doc: &Document,
    found: &[Mention],
    is_prose: fn(&str) -> bool,
) -> BTreeSet<usize> {
    let mut per_line = std::collections::BTreeMap::<usize, usize>::new();
    for m in found {
        *per_line.entry(m.line).or_default() += 1;
    }
    per_line
        .into_iter()
        .filter(|&(line, figures)| {
            figures >= 2
                && doc
                    .lines
                    .get(line.saturating_sub(1))
                    .is_some_and(|l| !is_prose(l.text()))
        })
        .map(|(line, _)| line)
        .collect()
}

/// Three lower-case words (of three letters or more, but "and" and "the"): a wrapped line of
/// prose ("deployments to 31 countries and 23 staff involved"), where a table row holds names
/// ("Bosnia and Herzegovina 1 234 2 345", "Regional programmes 12 000").
pub(crate) fn has_prose_words(text: &str) -> bool {
    text.split_whitespace()
        .filter(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            w.chars().count() >= 3
                && w.chars().all(char::is_lowercase)
                && !["and", "the"].contains(&w)
        })
        .count()
        >= 3
}

/// Three lower-case words in a row: "of the migrants".
fn has_prose_run(text: &str) -> bool {
    let mut run = 0;
    for word in text.split_whitespace() {
        let lower = word
            .chars()
            .all(|c| c.is_lowercase() || ",.;:'’-()".contains(c))
            && word.chars().any(char::is_lowercase);
        run = if lower { run + 1 } else { 0 };
        if run >= 3 {
            return true;
        }
    }
    false
}

/// A key from the words after the figure ("12 new offices" → `new_offices`), unique.
pub(crate) fn key_guess(after: &str, keys: &mut BTreeSet<String>) -> String {
    let words: Vec<String> = after
        .split_whitespace()
        .take(6)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        })
        .filter(|w| {
            !w.is_empty()
                && !STOPWORDS.contains(&w.as_str())
                && w.chars().all(|c| c.is_ascii_alphabetic())
        })
        .take(3)
        .collect();
    let base = if words.is_empty() {
        "figure".to_string()
    } else {
        words.join("_")
    };
    let mut key = base.clone();
    let mut n = 2;
    while !keys.insert(key.clone()) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

/// The phrase around the figure, from its sentence: up to five words before and three after,
/// with the figure as `{value}`; `occurrence` when the phrase is printed more than once.
pub(crate) fn entry(
    doc: &Document,
    m: &Mention,
    reported: i32,
    keys: &mut BTreeSet<String>,
) -> Entry {
    let flat = &doc.flat;
    // The figure's sentence, as the mentions dataset cuts it.
    let before_text = flat.get(m.sentence.start..m.span.start).unwrap_or("");
    let after_text = flat.get(m.span.end..m.sentence.end).unwrap_or("");
    let mut before: Vec<&str> = before_text.split_whitespace().rev().take(5).collect();
    // A figure that opens its sentence, or a chart value under its labels, is located by the
    // words printed before it: "{value} IOM offices" alone would match any count of offices.
    if before.len() < 2 {
        let lo = crate::extract::figures::floor_boundary(flat, m.span.start.saturating_sub(300));
        before = flat[lo..m.span.start]
            .split_whitespace()
            .rev()
            .take(5)
            .collect();
    }
    let before = before.into_iter().rev().collect::<Vec<_>>().join(" ");
    // A figure printed against punctuation ("(9, 7") keeps it: a space in a phrase needs one
    // in the text.
    let glued_before = !flat[..m.span.start].ends_with(char::is_whitespace);
    let glued_after = !after_text.starts_with(char::is_whitespace);
    let phrase = |words_after: usize| {
        let mut pattern = before.clone();
        if !pattern.is_empty() && !glued_before {
            pattern.push(' ');
        }
        pattern.push_str("{value}");
        for (k, w) in after_text
            .split_whitespace()
            .take(words_after)
            .take_while(|w| !w.ends_with('.'))
            .enumerate()
        {
            if k > 0 || !glued_after {
                pattern.push(' ');
            }
            pattern.push_str(w);
        }
        pattern
    };
    // Three words after the figure, more (up to eight) while the phrase matches elsewhere too;
    // where none is unique, the shortest with its occurrence.
    let mut tried = (3..=8).map(|n| {
        let p = phrase(n);
        let occurrence = occurrence_of(&p, flat, m.span.start);
        (p, occurrence)
    });
    let shortest = tried.next().unwrap_or_default();
    let (pattern, occurrence) = if shortest.1.is_none() {
        shortest
    } else {
        tried
            .find(|(_, occurrence)| occurrence.is_none())
            .unwrap_or(shortest)
    };
    // "950 the year before": the figure is about the year before the document's.
    let previous = ["the year before", "the previous year"].iter().any(|p| {
        after_text
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .starts_with(p)
    });
    Entry {
        key: key_guess(after_text, keys),
        unit: m.unit.unwrap_or("count").to_string(),
        year: m
            .year
            .unwrap_or(if previous { reported - 1 } else { reported }),
        year_from_sentence: m.year.is_some() || previous,
        raw: m.raw.to_string(),
        pattern,
        occurrence,
    }
}

/// Which match of the phrase is this figure's, when the phrase matches more than once.
pub(crate) fn occurrence_of(pattern: &str, flat: &str, start: usize) -> Option<usize> {
    let phrase = Phrase::compile(pattern).ok()?;
    let starts: Vec<usize> = phrase.values(flat).iter().map(|v| v.start).collect();
    if starts.len() <= 1 {
        return None;
    }
    starts.iter().position(|&s| s == start).map(|i| i + 1)
}

pub(crate) fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The listing: each sentence as a comment, then its entries as catalogue TOML.
pub fn text(suggestions: &[Suggestion]) -> String {
    let mut out = String::new();
    for s in suggestions {
        let _ = writeln!(out, "# {}:{}  {}", s.doc_id, s.line, s.context);
        for e in &s.entries {
            let year_note = if e.year_from_sentence {
                "the year the sentence says"
            } else {
                "the document's year: check it"
            };
            let _ = writeln!(out, "[[metric]]");
            let _ = writeln!(out, "key = {}", toml_string(&e.key));
            let _ = writeln!(out, "unit = {}", toml_string(&e.unit));
            let _ = writeln!(
                out,
                "description = {}",
                toml_string(&format!(
                    "{} (printed as {})",
                    e.key.replace('_', " "),
                    e.raw
                ))
            );
            let occurrence = e
                .occurrence
                .map_or(String::new(), |k| format!(", occurrence = {k}"));
            let _ = writeln!(
                out,
                "sources = [{{ doc = {}, year = {}, pattern = {}{occurrence} }}]  # year: {year_note}",
                toml_string(&s.doc_id),
                e.year,
                toml_string(&e.pattern)
            );
            out.push('\n');
        }
    }
    out
}
