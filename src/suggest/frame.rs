//! A figure's *frame* and *year*, for the series linker.
//!
//! The frame is what stays the same when an indicator is printed again next year: the words
//! around the figure with numbers, years, hedges ("over", "an estimated") and function words
//! taken out, the unit noun after the figure ("victims", "offices") and the first past-tense
//! verb near it. A chart value printed alone on its line takes its frame from the label lines
//! printed above it.
//!
//! The year is the one the sentence gives the figure ("49% in 2015", "In 2016, …"), else the
//! one an earlier sentence of the paragraph or a heading sets ("In 2016, … . That year 28 …"),
//! else the document's own.

use std::sync::LazyLock;

use regex::Regex;

use super::glossary::Glossary;
use crate::document::Document;
use crate::extract::figures::Mention;

/// Content words on each side of the figure that make its frame.
const WINDOW: usize = 7;

/// Nouns reports use for the same unit, one edition or section to the next.
const SAME_UNIT: &[(&str, &str)] = &[
    ("persons", "people"),
    ("individuals", "people"),
    ("person", "people"),
    ("individual", "people"),
    ("nations", "countries"),
    ("personnel", "staff"),
];

/// Words that say how exact a figure is, not what it counts.
const HEDGES: &[&str] = &[
    "over",
    "more",
    "than",
    "nearly",
    "almost",
    "about",
    "around",
    "approximately",
    "some",
    "estimated",
    "least",
    "roughly",
    "close",
    "under",
    "fewer",
    "less",
    "up",
    "just",
    "circa",
    "approx",
    "total",
    "overall",
    "record",
];

/// Function words, and words every sentence of a report may hold.
const STOPWORDS: &[&str] = &[
    "the",
    "of",
    "in",
    "and",
    "to",
    "a",
    "an",
    "for",
    "with",
    "by",
    "on",
    "at",
    "from",
    "iom",
    "iom's",
    "iom’s",
    "were",
    "was",
    "are",
    "is",
    "be",
    "been",
    "being",
    "had",
    "has",
    "have",
    "its",
    "their",
    "this",
    "that",
    "these",
    "those",
    "which",
    "who",
    "whom",
    "as",
    "per",
    "cent",
    "percent",
    "also",
    "it",
    "they",
    "or",
    "while",
    "whilst",
    "such",
    "into",
    "through",
    "across",
    "during",
    "within",
    "than",
    "year",
    "years",
    "compared",
    "respectively",
    "s",
    "including",
    "million",
    "billion",
    "thousand",
    "usd",
    "us",
    "eur",
    "chf",
    "organization",
    "would",
    "will",
    "all",
    "each",
    "both",
    "other",
    "new",
    "them",
    "we",
    "our",
    "his",
    "her",
    "there",
];

/// Number words: figures themselves, never frame words.
const NUMBER_WORDS: &[&str] = &[
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "half",
    "third",
    "thirds",
    "quarter",
    "quarters",
    "fifth",
    "fifths",
    "tenth",
    "tenths",
    "dozen",
    "first",
    "second",
    "fourth",
    "sixth",
    "largest",
    "double",
    "twice",
];

/// Past-tense verbs that do not say what was done.
const WEAK_VERBS: &[&str] = &[
    "used",
    "based",
    "related",
    "involved",
    "concerned",
    "compared",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Word,
    Function,
    Number,
}

#[derive(Debug, Clone)]
struct Token {
    word: String,
    kind: Kind,
}

/// The words of a text, an acronym a document defines by its singular ("NGOs" → "ngo").
fn tokens(text: &str, glossary: &Glossary) -> Vec<Token> {
    static WORD: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"[\p{L}][\p{L}'’]*|\d+(?:[.,]\d+)*").unwrap());
    WORD.find_iter(text)
        .map(|m| {
            let word = match glossary.acronym(m.as_str()) {
                Some(short) => short.to_string(),
                None => m.as_str().to_lowercase(),
            };
            token(word)
        })
        .collect()
}

fn token(word: String) -> Token {
    let kind = if word.starts_with(|c: char| c.is_ascii_digit())
        || NUMBER_WORDS.contains(&word.as_str())
    {
        Kind::Number
    } else if HEDGES.contains(&word.as_str())
        || STOPWORDS.contains(&word.as_str())
        || word.chars().count() < 2
    {
        Kind::Function
    } else {
        Kind::Word
    };
    Token { word, kind }
}

/// What a figure is printed as: its frame words, unit noun and verb.
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Content words before the figure, nearest last.
    pub before: Vec<String>,
    /// Content words after the figure, nearest first.
    pub after: Vec<String>,
    pub noun: Option<String>,
    pub verb: Option<String>,
    /// The figure is a chart value: its frame is its label lines.
    pub chart: bool,
    /// Acronyms whose long form the frame words print (mostly), as the acronym would be.
    pub abbreviated: Vec<String>,
}

impl Frame {
    fn abbreviate(mut self, glossary: &Glossary) -> Frame {
        let words: Vec<String> = self.before.iter().chain(&self.after).cloned().collect();
        self.abbreviated = glossary
            .abbreviated(&words)
            .into_iter()
            .map(str::to_string)
            .collect();
        self
    }

    /// `… words before {#} words after …`, for a person reading the listing.
    pub fn display(&self) -> String {
        let mut out = self.before.join(" ");
        out.push_str(if out.is_empty() { "{#}" } else { " {#}" });
        for w in &self.after {
            out.push(' ');
            out.push_str(w);
        }
        if let Some(n) = &self.noun {
            out.push_str(&format!("  [noun: {n}]"));
        }
        if let Some(v) = &self.verb {
            out.push_str(&format!("  [verb: {v}]"));
        }
        out
    }

    /// The stems of the frame's past-tense words ("provided", "reported"): what was done, not
    /// what it was done to.
    pub fn verbs(&self) -> Vec<String> {
        self.before
            .iter()
            .chain(&self.after)
            .filter(|w| past_tense(w))
            .map(|w| stem(w))
            .collect()
    }

    /// The features scored: every content word, the noun and the verb (weighted).
    pub fn features(&self) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = Vec::new();
        let mut add = |key: String, weight: f64| match out.iter_mut().find(|(k, _)| *k == key) {
            Some((_, w)) => *w = w.max(weight),
            None => out.push((key, weight)),
        };
        for w in self
            .before
            .iter()
            .chain(&self.after)
            .chain(&self.abbreviated)
        {
            add(stem(w), 1.0);
        }
        if let Some(n) = &self.noun {
            add(format!("noun:{}", stem(n)), 1.0);
        }
        if let Some(v) = &self.verb {
            add(format!("verb:{}", stem(v)), 1.0);
        }
        out
    }
}

/// A light stem, so that "victim" meets "victims" and "assisted" meets "assistance".
fn stem(word: &str) -> String {
    let w = word.trim_end_matches(['\'', '’']);
    let w = SAME_UNIT
        .iter()
        .find(|(from, _)| *from == w)
        .map_or(w, |(_, to)| to);
    for suffix in [
        "ations", "ation", "ances", "ance", "ments", "ment", "ings", "ing", "ies", "ed", "es", "s",
    ] {
        if let Some(root) = w.strip_suffix(suffix).filter(|r| r.chars().count() >= 4) {
            return root.to_string();
        }
    }
    w.to_string()
}

/// The figure's frame: from its sentence, or from its label lines when it stands alone on its
/// line (a chart value).
pub fn frame(doc: &Document, m: &Mention, glossary: &Glossary) -> Frame {
    let line = doc.line(m.line);
    let alone = line.text().trim().chars().count() <= m.raw.chars().count() + 2;
    if let Some(labels) = alone.then(|| label_lines(doc, m.line)).flatten() {
        let toks = tokens(&labels, glossary);
        let before = content(toks.iter().rev()).into_iter().rev().collect();
        return Frame {
            before,
            after: Vec::new(),
            noun: None,
            verb: None,
            chart: true,
            abbreviated: Vec::new(),
        }
        .abbreviate(glossary);
    }
    let flat = &doc.flat;
    let before_text = flat.get(m.sentence.start..m.span.start).unwrap_or("");
    let after_text = flat.get(m.span.end..m.sentence.end).unwrap_or("");
    let before_toks = tokens(before_text, glossary);
    let after_toks = tokens(after_text, glossary);
    let share = matches!(m.unit, Some("percent" | "fraction"));
    Frame {
        before: content(before_toks.iter().rev())
            .into_iter()
            .rev()
            .collect(),
        after: content(after_toks.iter()),
        noun: noun(&after_toks, share),
        verb: verb(&after_toks, &before_toks),
        chart: false,
        abbreviated: Vec::new(),
    }
    .abbreviate(glossary)
}

fn content<'t>(toks: impl Iterator<Item = &'t Token>) -> Vec<String> {
    toks.filter(|t| t.kind == Kind::Word)
        .take(WINDOW)
        .map(|t| t.word.clone())
        .collect()
}

/// The unit noun: the last word of the run of content words right after the figure ("60
/// private sector entities" → entities); for a share, after its "of (the)".
fn noun(after: &[Token], share: bool) -> Option<String> {
    let mut i = 0;
    while share && after.get(i).is_some_and(|t| t.kind == Kind::Function) {
        i += 1;
    }
    let mut run: Vec<&Token> = Vec::new();
    for t in after[i.min(after.len())..].iter() {
        // A plural then a verb ends the noun: "offices reported", "migrants returning".
        let verb_after_plural = (t.word.ends_with("ed") || t.word.ends_with("ing"))
            && run.last().is_some_and(|p| p.word.ends_with('s'));
        if t.kind != Kind::Word || verb_after_plural || run.len() == 4 {
            break;
        }
        run.push(t);
    }
    run.last().map(|t| t.word.clone())
}

/// "reported", "assisted": a word that reads as a past tense ("red", "need" do not).
fn past_tense(word: &str) -> bool {
    word.ends_with("ed") && word.chars().count() > 4
}

/// The first past-tense verb after the figure, else the nearest before it.
fn verb(after: &[Token], before: &[Token]) -> Option<String> {
    let is_verb = |t: &&Token| {
        t.kind == Kind::Word && past_tense(&t.word) && !WEAK_VERBS.contains(&t.word.as_str())
    };
    after
        .iter()
        .take(10)
        .find(is_verb)
        .or_else(|| before.iter().rev().take(10).find(is_verb))
        .map(|t| t.word.clone())
}

/// The label lines printed above a chart value: up to three text lines, passing over blank
/// lines and other values, stopping at a sentence's end.
fn label_lines(doc: &Document, number: usize) -> Option<String> {
    let mut labels: Vec<&str> = Vec::new();
    let mut n = number;
    let mut looked = 0;
    while n > 1 && looked < 8 && labels.len() < 3 {
        n -= 1;
        looked += 1;
        let text = doc.line(n).text().trim();
        if text.is_empty() || !text.chars().any(char::is_alphabetic) {
            if labels.is_empty() {
                continue;
            }
            break;
        }
        if text.ends_with('.') && !labels.is_empty() {
            break;
        }
        labels.push(text);
        if text.ends_with('.') {
            break;
        }
    }
    (!labels.is_empty()).then(|| labels.into_iter().rev().collect::<Vec<_>>().join(" "))
}

/// Where a figure's year was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YearFrom {
    /// Its sentence names it.
    Sentence,
    /// "the year before" the sentence's year.
    YearBefore,
    /// An earlier sentence of the paragraph sets it ("In 2016, …"), at this line.
    Paragraph(usize),
    /// A heading above the paragraph names it, at this line.
    Heading(usize),
    /// The document's own year: check it.
    Document,
    /// The same passage printed once for each year the document declares, in year order.
    Twin,
}

impl YearFrom {
    pub fn describe(&self) -> String {
        match self {
            YearFrom::Sentence => "from its sentence".to_string(),
            YearFrom::YearBefore => "the year before its sentence's".to_string(),
            YearFrom::Twin => {
                "the document's years in printing order (the passage is printed once per year): check it"
                    .to_string()
            }
            YearFrom::Paragraph(line) => format!("set at line {line}"),
            YearFrom::Heading(line) => format!("heading at line {line}"),
            YearFrom::Document => "the document's year: check it".to_string(),
        }
    }
}

static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").unwrap());

fn year_of(m: regex::Match) -> Option<i32> {
    m.as_str().parse().ok()
}

/// The figure's year and where it was read.
pub fn year(doc: &Document, m: &Mention, reported: i32) -> (i32, YearFrom) {
    static AFTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^[^.;()\d]{0,40}?\b(?:in|for|during|of|by|as of)\s+((?:19|20)\d\d)\b").unwrap()
    });
    static BEFORE_PREVIOUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^[^.;\d]{0,30}?\b(?:the year before|the previous year|the preceding year|a year earlier)").unwrap()
    });
    let flat = &doc.flat;
    let before = flat.get(m.sentence.start..m.span.start).unwrap_or("");
    let after = flat.get(m.span.end..m.sentence.end).unwrap_or("");
    if let Some(y) = AFTER
        .captures(after)
        .and_then(|c| c.get(1))
        .and_then(year_of)
    {
        return (y, YearFrom::Sentence);
    }
    // A year printed right after another figure ("45% in 2015") is that figure's.
    // So is a year compared with ("42% increase compared with 2015", "since 2007").
    static COMPARED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:compared (?:with|to)|(?:in )?comparison (?:with|to)|since|than(?: in)?|relative to|versus|vs\.?|over|from|on)\s*$").unwrap()
    });
    let own = |text: &str, y: &regex::Match| {
        let lead = &text[..y.start()];
        let near =
            &lead[crate::extract::figures::floor_boundary(lead, lead.len().saturating_sub(10))..];
        !lead.ends_with('\u{a9}')
            && !near.chars().any(|c| c.is_ascii_digit())
            && !COMPARED.is_match(lead)
    };
    let stated = YEAR
        .find_iter(before)
        .filter(|y| own(before, y))
        .last()
        .or_else(|| YEAR.find_iter(after).find(|y| own(after, y)))
        .and_then(year_of);
    let (base, from) = match stated {
        Some(y) => (y, YearFrom::Sentence),
        None => set_before(doc, m.sentence.start).unwrap_or((reported, YearFrom::Document)),
    };
    static AFTER_PREVIOUS: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(?:the year before|the previous year|the preceding year|a year earlier|last year)(?:\s*[\d.,]+\s*(?:%|per cent)?)?[\s(]*$").unwrap()
    });
    if BEFORE_PREVIOUS.is_match(after)
        || AFTER_PREVIOUS.is_match(before)
        || starts_a_change(before, after)
    {
        return (base.saturating_sub(1), YearFrom::YearBefore);
    }
    (base, from)
}

/// "from {#} to …": the figure a change starts from, a year before the one it reaches.
fn starts_a_change(before: &str, after: &str) -> bool {
    static FROM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\bfrom\s*$").unwrap());
    static TO: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(?:per cent|percent)?\s*to\s+\S").unwrap());
    FROM.is_match(before) && TO.is_match(after)
}

/// The year an earlier sentence of the paragraph sets (a year among its first words: "In
/// 2016, …", "2017 saw …"), else the year of a heading above the paragraph.
fn set_before(doc: &Document, sentence_start: usize) -> Option<(i32, YearFrom)> {
    let flat = &doc.flat;
    let n = paragraph_start(doc, doc.line_at(sentence_start).number);
    let start = doc.line_start(n);
    let paragraph = flat.get(start..sentence_start).unwrap_or("");
    let setter = YEAR
        .find_iter(paragraph)
        .filter(|y| {
            let lead = &paragraph[..y.start()];
            let from = lead
                .rfind(". ")
                .map(|i| i + 2)
                .into_iter()
                .chain(lead.rfind(".\n").map(|i| i + 2))
                .max()
                .unwrap_or(0);
            let words = &lead[from..];
            // A sentence comparing two years ("In 2016 there were …, and 2017 saw …") sets
            // neither for what follows.
            let rest = &paragraph[y.end()..];
            let sentence = &rest[..rest.find(". ").unwrap_or(rest.len())];
            let compares = YEAR.find_iter(sentence).any(|o| o.as_str() != y.as_str());
            words.len() <= 25 && !words.chars().any(|c| c.is_ascii_digit()) && !compares
        })
        .last();
    if let Some(y) = setter.and_then(|y| year_of(y).map(|v| (v, y.start()))) {
        let line = doc.line_at(start + y.1).number;
        return Some((y.0, YearFrom::Paragraph(line)));
    }
    heading_year(doc, n)
}

/// The first line of the paragraph holding line `first`: back to a blank line, at most 40
/// lines.
pub fn paragraph_start(doc: &Document, first: usize) -> usize {
    let mut n = first;
    while n > 1 && first - n < 40 && !doc.line(n - 1).text().trim().is_empty() {
        n -= 1;
    }
    n
}

/// A heading naming a year: the paragraph's first line or the text line above the blank lines
/// before it, of a few words, with no sentence's end.
fn heading_year(doc: &Document, first: usize) -> Option<(i32, YearFrom)> {
    let mut n = first;
    let mut candidates = vec![first];
    while n > 1 && first - n < 4 {
        n -= 1;
        if !doc.line(n).text().trim().is_empty() {
            candidates.push(n);
            break;
        }
    }
    candidates.into_iter().find_map(|n| {
        let text = doc.line(n).text().trim();
        let short = text.split_whitespace().count() <= 6 && !text.ends_with('.');
        let years: Vec<i32> = YEAR.find_iter(text).filter_map(year_of).collect();
        match (short, years.as_slice()) {
            (true, [y]) => Some((*y, YearFrom::Heading(n))),
            _ => None,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each figure of a text with the year read for it.
    fn years(text: &str, reported: i32) -> Vec<(String, i32, YearFrom)> {
        let doc =
            Document::from_bytes("d", std::path::Path::new("d.txt"), text.as_bytes(), &[]).unwrap();
        crate::extract::figures::scan(&doc)
            .iter()
            .map(|m| {
                let (y, from) = year(&doc, m, reported);
                (m.raw.to_string(), y, from)
            })
            .collect()
    }

    #[test]
    fn a_year_after_another_figure_or_compared_with_is_not_this_figures() {
        let found = years(
            "In 2016, 56% of IOM offices reported engagement (compared to 49% in 2015).\n\nWith over half of offices (52% compared with 45% in 2015) reporting engagement in this area in 2016.\n",
            2016,
        );
        let got: Vec<(&str, i32)> = found.iter().map(|(r, y, _)| (r.as_str(), *y)).collect();
        assert_eq!(
            got,
            [
                ("56%", 2016),
                ("49%", 2015),
                ("over half", 2016),
                ("52%", 2016),
                ("45%", 2015)
            ]
        );
    }

    #[test]
    fn a_change_starts_a_year_before_and_a_paragraph_sets_the_year() {
        let found = years(
            "The platforms decreased from four to two, notably in the south.\n\nIn 2030, 41 staff were deployed. That year 27 staff were involved in surge deployments.\n",
            2031,
        );
        assert_eq!(found[0], ("four".to_string(), 2030, YearFrom::YearBefore));
        assert_eq!(found[1], ("two".to_string(), 2031, YearFrom::Document));
        assert_eq!(found[2].1, 2030);
        assert!(
            matches!(found[3], (ref r, 2030, YearFrom::Paragraph(_)) if r == "27"),
            "{found:?}"
        );
    }

    #[test]
    fn stems_meet_across_number() {
        assert_eq!(stem("victims"), stem("victim"));
        assert_eq!(stem("entities"), "entit");
        assert_ne!(stem("offices"), stem("officials"));
    }

    #[test]
    fn hedges_and_numbers_are_not_frame_words() {
        let t = tokens(
            "an estimated 7,000 over five victims of trafficking in 2015",
            &Glossary::default(),
        );
        let words: Vec<&str> = t
            .iter()
            .filter(|t| t.kind == Kind::Word)
            .map(|t| t.word.as_str())
            .collect();
        assert_eq!(words, ["victims", "trafficking"]);
    }

    #[test]
    fn the_noun_ends_the_run_after_the_figure() {
        let t = tokens("private sector entities in 2016", &Glossary::default());
        assert_eq!(noun(&t, false).as_deref(), Some("entities"));
        let t = tokens("of IOM offices reported", &Glossary::default());
        assert_eq!(noun(&t, true).as_deref(), Some("offices"));
    }
}
