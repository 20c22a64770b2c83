//! Every figure a document prints, with its sentence: the scan every reader of a document's
//! figures shares (mentions writes it, claims and suggest read it). Numbers that are not
//! figures are left out: page markers and running heads, paragraph and footnote numbers,
//! footnote references glued to words, years standing alone and year ranges, dates, document
//! codes (C/108/4), SDG target ids (10.7.2, 10.c), ordinals, and numbers naming things
//! ("Level 3", "target 8.8", "Resolution No. 1309").

use std::borrow::Cow;
use std::sync::{Arc, LazyLock};

use compact_str::CompactString;
use regex::Regex;

use crate::document::{Document, Offset, offset};
use crate::numbers::{Quantity, each_figure_span, quantity_at};
use crate::text::collapse_whitespace;
use rayon::prelude::*;

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// A number right after one of these words names something rather than counting it.
const REFERENCE_WORDS: &[&str] = &[
    "unsc",
    "cop",
    "target",
    "targets",
    "indicator",
    "indicators",
    "no",
    "no.",
    "resolution",
    "paragraph",
    "paragraphs",
    "goal",
    "goals",
    "sdg",
    "level",
    "levels",
    "volume",
    "volumes",
    "phase",
    "article",
    "articles",
    "chapter",
    "section",
    "page",
    "pages",
    "annex",
    "table",
    "figure",
    "principle",
    "objective",
    "session",
    "category",
    "tier",
    "room",
    "step",
];

/// Best-guess units from the words after a figure (first match wins).
const UNIT_WORDS: &[(&str, &str)] = &[
    ("people", "persons"),
    ("persons", "persons"),
    ("person", "persons"),
    ("individuals", "persons"),
    ("beneficiaries", "persons"),
    ("migrants", "persons"),
    ("refugees", "persons"),
    ("returnees", "persons"),
    ("victims", "persons"),
    ("officials", "persons"),
    ("idps", "persons"),
    ("children", "persons"),
    ("workers", "persons"),
    ("participants", "persons"),
    ("users", "persons"),
    ("representatives", "persons"),
    ("staff", "staff"),
    ("experts", "persons"),
    ("members", "members"),
    ("countries", "countries"),
    ("country", "countries"),
    ("states", "countries"),
    ("offices", "offices"),
    ("office", "offices"),
    ("missions", "offices"),
    ("locations", "locations"),
    ("days", "days"),
    ("deployments", "deployments"),
    ("nationalities", "nationalities"),
    ("platforms", "platforms"),
    ("households", "households"),
    ("families", "households"),
    ("kits", "items"),
    ("items", "items"),
    ("consultations", "consultations"),
    ("assessments", "assessments"),
    ("documents", "documents"),
    ("visas", "documents"),
    ("projects", "projects"),
    ("organizations", "organizations"),
    ("ngos", "organizations"),
    ("partners", "organizations"),
    ("years", "years"),
    ("months", "months"),
    ("weeks", "weeks"),
    ("sites", "sites"),
    ("camps", "sites"),
    ("shelters", "shelters"),
    ("businesses", "organizations"),
];

static PARAGRAPH_NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,3}\.\s").unwrap());
static FOOTNOTE_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\d{1,2}\s{2,}\S").unwrap());
static YEAR_WORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b(19[5-9]\d|20[0-4]\d)\b").unwrap());

#[derive(Debug, Clone)]
pub struct Mention {
    /// Byte span of the figure in the document's repaired text ([`Document::flat`]).
    pub span: std::ops::Range<usize>,
    pub line: usize,
    /// 1-based character column where the figure starts on its line.
    pub column: usize,
    pub page: Option<u32>,
    /// As printed, whitespace collapsed: short, so held inline (a dense document has millions).
    pub raw: CompactString,
    pub quantity: Quantity,
    pub unit: Option<&'static str>,
    pub year: Option<i32>,
    /// Shared by the figures of one sentence (a dense document prints several in each).
    pub context: Arc<str>,
    /// Byte span of the sentence around the figure in [`Document::flat`].
    pub sentence: std::ops::Range<usize>,
}

fn is_year(q: &Quantity, raw: &str) -> bool {
    q.qualifier.is_none()
        && q.unit.is_none()
        && !q.in_words
        && raw.trim().len() == 4
        && (1900.0..=2100.0).contains(&q.value)
}

/// "an increase over 2016 (70,000)", "around 2015, IOM began": a year after a word the figure
/// grammar reads as a qualifier, with no noun after it ("over 2000 people" is a figure).
fn qualified_year(q: &Quantity, raw: &str, after: &str) -> bool {
    let digits = raw.rsplit(char::is_whitespace).next().unwrap_or(raw);
    let noun_after = after
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_alphabetic);
    q.qualifier.is_some()
        && q.unit.is_none()
        && !q.in_words
        && digits.len() == 4
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (1900.0..=2100.0).contains(&q.value)
        && !noun_after
}

/// Lines whose numbers are never figures: page furniture (markers, page numbers, running
/// heads, found from the document's pagination) and dot leaders of a table of contents. A
/// number alone on a line that is not a page number is a figure (a chart value).
fn skip_line(text: &str, furniture: bool) -> bool {
    furniture || text.contains("....")
}

/// What is known of a line once, however many figures it holds (a 50 MB single-line
/// document must not rescan its line per figure).
struct LineFacts {
    number: usize,
    /// Running heads, page markers, dot leaders: no figure on the line counts.
    skip: bool,
    /// The line opens with a paragraph or footnote number.
    numbered: bool,
    /// Byte offset of the line's first non-blank character.
    indent: usize,
    /// (byte offset, characters before it) of the last figure on the line, to count columns on.
    counted: (usize, usize),
}

impl LineFacts {
    fn of(line: &crate::document::Line) -> LineFacts {
        let text = line.text();
        LineFacts {
            number: line.number,
            skip: skip_line(text, line.is_furniture()),
            numbered: PARAGRAPH_NUMBER.is_match(text) || FOOTNOTE_LINE.is_match(text),
            indent: text.len() - text.trim_start().len(),
            counted: (0, 0),
        }
    }

    /// 1-based character column of a byte offset, counting on from the last one asked.
    fn column(&mut self, text: &str, offset: usize) -> usize {
        if offset < self.counted.0 {
            self.counted = (0, 0);
        }
        let more = text
            .get(self.counted.0..offset)
            .map_or(0, |s| s.chars().count());
        self.counted = (offset, self.counted.1 + more);
        self.counted.1 + 1
    }
}

pub fn scan(doc: &Document) -> Vec<Mention> {
    let found = Found::of(doc);
    found.read(doc, 0..doc.flat.len())
}

/// The figures a document prints and where its sentences start and end, found in one pass
/// over the whole text: what any part of the document is read from. Each figure is read on its
/// own (its groups, its line, its sentence), so a part reads the same mentions as the whole.
pub struct Found {
    spans: Vec<Span>,
    sentences: Sentences,
}

/// Where a figure is in a document's text.
#[derive(Debug, Clone, Copy)]
struct Span {
    start: Offset,
    end: Offset,
}

impl Span {
    fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

impl Found {
    pub fn of(doc: &Document) -> Found {
        let flat = doc.flat.as_str();
        let span = |r: std::ops::Range<usize>| Span {
            start: offset(r.start),
            end: offset(r.end),
        };
        Found {
            spans: each_figure_span(flat).map(span).collect(),
            sentences: Sentences::of(flat),
        }
    }

    /// The mentions among the figures that start in `bytes` of [`Document::flat`], read in
    /// parallel chunks; the result is the same whatever the chunking.
    pub fn read(&self, doc: &Document, bytes: std::ops::Range<usize>) -> Vec<Mention> {
        let from = self
            .spans
            .partition_point(|s| (s.start as usize) < bytes.start);
        let to = self
            .spans
            .partition_point(|s| (s.start as usize) < bytes.end);
        let chunks: Vec<Vec<Mention>> = self.spans[from..to.max(from)]
            .par_chunks(CHUNK)
            .map(|chunk| read_figures(doc, &self.sentences, chunk))
            .collect();
        // Joined once at their final size (a dense document's sections hold tens of thousands).
        let mut all = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for chunk in chunks {
            all.extend(chunk);
        }
        all
    }

    /// The first offset at or after `at` where no sentence is cut: right after a terminator
    /// that ends one (". ", "\n\n"), with no figure printed across it; the text's end when
    /// there is none. A figure before the offset and one after it never share a sentence.
    pub fn cut_at_or_after(&self, at: usize, len: usize) -> usize {
        let ends = &self.sentences.ends;
        let first = ends.partition_point(|&i| (i as usize) + 2 < at);
        ends[first..]
            .iter()
            .map(|&i| i as usize)
            .find(|&i| self.clean_cut(i))
            .map_or(len, |i| (i + 2).min(len))
    }

    /// The last offset at or before `at` where no sentence is cut (see
    /// [`Found::cut_at_or_after`]); the text's start when there is none.
    pub fn cut_at_or_before(&self, at: usize) -> usize {
        let ends = &self.sentences.ends;
        let upto = ends.partition_point(|&i| (i as usize) + 2 <= at);
        ends[..upto]
            .iter()
            .rev()
            .map(|&i| i as usize)
            .find(|&i| self.clean_cut(i))
            .map_or(0, |i| i + 2)
    }

    /// No figure starts before the terminator at `i` and ends after it.
    fn clean_cut(&self, i: usize) -> bool {
        let after = self.spans.partition_point(|s| (s.start as usize) < i + 2);
        after == 0 || self.spans[after - 1].end as usize <= i
    }
}

/// Figures read per parallel task: a typical report's figures are one task.
const CHUNK: usize = 4096;

/// The mentions among the figures the scan found at `found` (ascending).
fn read_figures(doc: &Document, sentences: &Sentences, found: &[Span]) -> Vec<Mention> {
    let flat = doc.flat.as_str();
    // Most figures found are mentions: sized for all of them at once.
    let mut out = Vec::with_capacity(found.len());
    let mut facts: Option<LineFacts> = None;
    for (range, q) in found.iter().filter_map(|f| quantity_at(flat, f.range())) {
        let line = doc.line_at(range.start);
        let f = match &mut facts {
            Some(f) if f.number == line.number => f,
            slot => slot.insert(LineFacts::of(line)),
        };
        let offset_in_line = range.start - doc.line_start(line.number);
        let starts_line = offset_in_line <= f.indent;
        if f.skip || (starts_line && f.numbered) || !is_figure(flat, range.clone(), &q) {
            continue;
        }
        let (range, q) = signed(flat, range, q);
        let column = f.column(line.text(), range.start - doc.line_start(line.number));
        let m = mention(flat, sentences, line, column, range, q, out.last());
        out.push(m);
    }
    out
}

/// A figure found to be a mention, with its sentence, year and unit.
fn mention(
    flat: &str,
    sentences: &Sentences,
    line: &crate::document::Line,
    column: usize,
    range: std::ops::Range<usize>,
    q: Quantity,
    previous: Option<&Mention>,
) -> Mention {
    let (sentence_start, sentence_end) = sentences.around(flat, range.start, range.end);
    let year = sentence_year(
        &flat[sentence_start..range.start],
        &flat[range.end..sentence_end],
    );
    Mention {
        span: range.clone(),
        line: line.number,
        column,
        page: line.page,
        raw: collapse_short(&flat[range.clone()]),
        unit: q.unit.or_else(|| guess_unit(&flat[range.end..])),
        quantity: q,
        year,
        context: match previous {
            Some(p) if p.sentence == (sentence_start..sentence_end) => p.context.clone(),
            _ => collapse_whitespace(&flat[sentence_start..sentence_end]).into(),
        },
        sentence: sentence_start..sentence_end,
    }
}

/// A number the scan found is a figure, not a year, date, code, footnote mark, reference
/// ("Level 3") or the pronoun "one".
fn is_figure(flat: &str, range: std::ops::Range<usize>, q: &Quantity) -> bool {
    let raw = &flat[range.clone()];
    let before = &flat[..range.start];
    let after = &flat[range.end..];
    if is_year(q, raw) || qualified_year(q, raw, after) {
        return false;
    }
    if glued(before, after) {
        return false;
    }
    let prev_word = last_word(before);
    // "Kosovo/UNSC 1244": the word before the number is the last of a slashed pair.
    let named_by = prev_word.rsplit('/').next().unwrap_or_default();
    if (REFERENCE_WORDS.contains(&named_by) || continues_references(before))
        && q.qualifier.is_none()
    {
        return false;
    }
    let next_word = after
        .split_whitespace()
        .next()
        .map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .unwrap_or_default();
    if q.unit.is_none()
        && (MONTHS.contains(&next_word.as_ref()) || MONTHS.contains(&prev_word.as_ref()))
    {
        return false;
    }
    // "one" alone is mostly a pronoun ("one of the victims").
    !(q.in_words && q.value == 1.0 && q.qualifier.is_none())
}

/// A later item of a list of references, after its comma or "and": "targets 5.2, 8.7 and
/// 10.7", "Goals 3, 5 and 8".
fn continues_references(before: &str) -> bool {
    static LIST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:targets?|goals?|indicators?|paragraphs?|articles?|resolutions?|sdgs?|levels?)\s+\d+(?:\.\d+)*[a-z]?(?:\s*,\s*\d+(?:\.\d+)*[a-z]?)*(?:\s*,(?:\s+(?-i:and|or))?|\s+(?-i:and|or))\s*$",
        )
        .unwrap()
    });
    let window = &before[floor_boundary(before, before.len().saturating_sub(120))..];
    // The list must end in a comma, "and" or "or": checked before the pattern runs.
    let end = window.trim_end();
    (end.ends_with(',') || end.ends_with("and") || end.ends_with("or")) && LIST.is_match(window)
}

/// "-2 countries", "−12%": a minus sign glued before a figure that stands alone (after a space,
/// a parenthesis or the start) makes it negative; the sign joins the figure's span. A dash
/// after a digit ("2014-15") or a word ("mid-2016") is not a sign (those are not figures).
fn signed(
    flat: &str,
    range: std::ops::Range<usize>,
    mut q: Quantity,
) -> (std::ops::Range<usize>, Quantity) {
    let before = &flat[..range.start];
    let Some(sign) = before
        .chars()
        .next_back()
        .filter(|c| matches!(c, '-' | '\u{2212}'))
    else {
        return (range, q);
    };
    let start = range.start - sign.len_utf8();
    let alone = flat[..start]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || c == '(');
    if !alone
        || q.in_words
        || q.qualifier.is_some()
        || q.unit.is_some_and(|u| u == "usd" || u == "eur")
    {
        return (range, q);
    }
    q.value = -q.value;
    (start..range.end, q)
}

/// The word before a figure, lower-cased, within a bounded window (a figure after a long run
/// of spaces is not preceded by a word worth reading).
fn last_word(before: &str) -> Cow<'_, str> {
    let window = &before[floor_boundary(before, before.len().saturating_sub(64))..];
    window
        .split_whitespace()
        .next_back()
        .map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.')))
        .unwrap_or_default()
}

/// A word lower-cased; borrowed when it is lower-case ASCII already (most words are).
fn lower(w: &str) -> Cow<'_, str> {
    if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        Cow::Borrowed(w)
    } else {
        Cow::Owned(w.to_lowercase())
    }
}

/// Glued to a word or code, or part of a compound or range: footnote refs (paper11),
/// C/108/4, L3, 6Degree, 23th, 10.c, 10.7.2, "Organization.10", 65-year, 2014–15, 10–17.
fn glued(before: &str, after: &str) -> bool {
    let prev = before.chars().next_back();
    let next = after.chars().next();
    let next2 = after.chars().nth(1);
    let dash = |c: Option<char>| matches!(c, Some('-') | Some('\u{2013}'));
    prev.is_some_and(|c| c.is_alphanumeric() || c == '/')
        || next.is_some_and(|c| c.is_alphanumeric() || c == '/')
        || (matches!(next, Some('.') | Some(',')) && next2.is_some_and(|c| c.is_alphanumeric()))
        // Footnote marks glued after punctuation: "Organization.10", "model,8".
        || (prev.is_some_and(|c| ".,;:)\u{201D}\u{2019}\"".contains(c))
            && before.chars().nth_back(1).is_some_and(|c| !c.is_whitespace()))
        || (dash(next) && next2.is_some_and(|c| c.is_alphabetic()))
        || (dash(prev)
            && before
                .trim_end_matches(['-', '\u{2013}'])
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_digit()))
}

/// [`collapse_whitespace`] for a figure as printed: most hold no whitespace and are copied inline.
fn collapse_short(s: &str) -> CompactString {
    if s.contains(char::is_whitespace) {
        CompactString::from(collapse_whitespace(s))
    } else {
        CompactString::from(s)
    }
}

fn guess_unit(after: &str) -> Option<&'static str> {
    after
        .split_whitespace()
        .take(4)
        .map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .filter(|w| w != "iom" && w != "of" && w != "the" && !w.is_empty())
        .take(2)
        .find_map(|w| UNIT_WORDS.iter().find(|(k, _)| *k == w).map(|(_, u)| *u))
}

/// Where sentences start and end in a document, found in one pass: a sentence starts after
/// `"\n\n"`, `". "`, `".\n"`, `"? "`, `"! "` or `"; \n"`, and ends at the first of those
/// (but the last) after a figure.
struct Sentences {
    /// (offset of the terminator, offset after it), by the latter.
    starts: Vec<(Offset, Offset)>,
    /// Offsets of terminators that end a sentence (all two bytes long), ascending.
    ends: Vec<Offset>,
}

impl Sentences {
    fn of(flat: &str) -> Sentences {
        let b = flat.as_bytes();
        let at = |i: usize| b.get(i).copied();
        let double_spaced = double_spaced(b);
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for i in
            memchr::memchr3_iter(b'\n', b'.', b'?', b).chain(memchr::memchr2_iter(b'!', b';', b))
        {
            let two = matches!(
                (b[i], at(i + 1)),
                (b'\n', Some(b'\n')) | (b'.', Some(b' ' | b'\n')) | (b'?' | b'!', Some(b' '))
            ) && !(b[i] == b'\n' && line_wrap(b, i + 2, double_spaced))
                && !(b[i] == b'.' && abbreviation_before(b, i));
            if two {
                starts.push((offset(i), offset(i + 2)));
                ends.push(offset(i));
            } else if b[i] == b';' && at(i + 1) == Some(b' ') && at(i + 2) == Some(b'\n') {
                starts.push((offset(i), offset(i + 3)));
            }
        }
        starts.sort_unstable_by_key(|&(_, after)| after);
        ends.sort_unstable();
        Sentences { starts, ends }
    }

    /// The sentence around a figure at `start..end`: from the last sentence start before it to
    /// the next end after it, at most 400 bytes each side.
    fn around(&self, flat: &str, start: usize, end: usize) -> (usize, usize) {
        let lo = floor_boundary(flat, start.saturating_sub(400));
        let hi = ceil_boundary(flat, (end + 400).min(flat.len()));
        let upto = self
            .starts
            .partition_point(|&(_, after)| after as usize <= start);
        let s = self.starts[..upto]
            .iter()
            .rev()
            .map(|&(at, after)| (at as usize, after as usize))
            .take_while(|&(_, after)| after >= lo)
            .filter(|&(at, _)| at >= lo)
            .map(|(_, after)| after)
            .max()
            .unwrap_or(lo);
        let next = self.ends.partition_point(|&at| (at as usize) < end);
        let e = match self.ends.get(next).map(|&at| at as usize) {
            Some(at) if at + 2 <= hi => at + 1,
            _ => hi,
        };
        (s, e.min(flat.len()))
    }
}

/// Abbreviations whose full stop ends no sentence: "i.e. 20 per cent more", "e.g. in Chad",
/// "Resolution No. 1309" ("No" only before a number).
const ABBREVIATIONS: &[&[u8]] = &[b"i.e", b"e.g", b"cf", b"vs", b"viz", b"approx"];

/// The full stop at `dot` closes an abbreviation.
fn abbreviation_before(b: &[u8], dot: usize) -> bool {
    // A bounded look back: no abbreviation is longer than the window.
    let window = &b[dot.saturating_sub(8)..dot];
    let Some(start) = window
        .iter()
        .rposition(|ch| !(ch.is_ascii_alphabetic() || *ch == b'.'))
        .map(|i| i + 1)
        .or((dot < 8).then_some(0))
    else {
        return false;
    };
    let word = &window[start..];
    let before_number = b
        .iter()
        .skip(dot + 1)
        .take(8)
        .find(|ch| !ch.is_ascii_whitespace())
        .is_some_and(u8::is_ascii_digit);
    ABBREVIATIONS.iter().any(|a| word.eq_ignore_ascii_case(a))
        || (word.eq_ignore_ascii_case(b"no") && before_number)
}

/// Text extracted with a blank line after every line (more than two lines in five blank):
/// there a paragraph break is a blank line holding only spaces between two empty ones.
fn double_spaced(b: &[u8]) -> bool {
    let (mut lines, mut blank) = (1usize, 0usize);
    for i in memchr::memchr_iter(b'\n', b) {
        lines += 1;
        blank += usize::from(b.get(i + 1) == Some(&b'\n'));
    }
    blank.saturating_mul(5) > lines.saturating_mul(2)
}

/// A blank line that only wraps a sentence: followed by a lower-case word ("59 (or 41%)" / "" /
/// "of 145 IOM offices"), or, in double-spaced text, by a line with words on it. Looks a
/// bounded way ahead.
fn line_wrap(b: &[u8], from: usize, double_spaced: bool) -> bool {
    let next = b
        .iter()
        .skip(from)
        .take(16)
        .find(|c| !c.is_ascii_whitespace());
    let next_line_has_words = b
        .iter()
        .skip(from)
        .take(16)
        .take_while(|&&c| c != b'\n')
        .any(|c| !c.is_ascii_whitespace());
    next.is_some_and(u8::is_ascii_lowercase) || (double_spaced && next_line_has_words)
}

pub(crate) fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Every year printed in a text, in order, but the years of photo credits ("© IOM 2014"),
/// which date a picture and not what the sentence says.
pub fn years_in(text: &str) -> impl Iterator<Item = i32> + '_ {
    YEAR_WORD
        .find_iter(text)
        .filter(|m| {
            let before = &text[floor_boundary(text, m.start().saturating_sub(12))..m.start()];
            !before.contains('\u{a9}')
        })
        .filter_map(|m| m.as_str().parse().ok())
}

/// The year a sentence is about: the nearest year before the figure, else the first after.
fn sentence_year(before: &str, after: &str) -> Option<i32> {
    // A year starts "19" or "20": text without either holds none (checked before the pattern).
    let may_hold = |s: &str| {
        let b = s.as_bytes();
        memchr::memchr2_iter(b'1', b'2', b)
            .any(|i| matches!(b[i..], [b'1', b'9', ..] | [b'2', b'0', ..]))
    };
    let last_before = may_hold(before)
        .then(|| YEAR_WORD.find_iter(before).last())
        .flatten()
        .map(|m| m.as_str());
    let first_after = may_hold(after)
        .then(|| YEAR_WORD.find(after))
        .flatten()
        .map(|m| m.as_str());
    last_before.or(first_after).and_then(|y| y.parse().ok())
}
