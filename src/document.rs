//! Ingest: read a document, check it is text, split it into lines that keep their provenance
//! (line number, page where the text has page markers) and repair known extraction damage
//! without touching the raw file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::config::Repair;
use crate::error::{Error, Result};

/// Typographic ligatures that PDF text extraction leaves in words (`eﬀort`, `aﬃliates`).
const LIGATURES: &[(char, &str)] = &[
    ('\u{FB00}', "ff"),
    ('\u{FB01}', "fi"),
    ('\u{FB02}', "fl"),
    ('\u{FB03}', "ffi"),
    ('\u{FB04}', "ffl"),
    ('\u{FB05}', "st"),
    ('\u{FB06}', "st"),
];

/// `-----Page 12 End-----` closes page 12.
static PAGE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*[-=_*]{3,}\s*Page\s+(\d+)\s+End\s*[-=_*]{3,}\s*$").unwrap()
});
/// A printed page number: `12`, `- 12 -`, `Page 12`, `Page 12 of 40`, `12 of 40`, `12 | 40`.
static PAGE_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:page\s+(\d{1,4})(?:\s+of\s+\d{1,4})?|[-–—]\s*(\d{1,4})\s*[-–—]|(\d{1,4})(?:\s*(?:of|/|\|)\s*\d{1,4})?)\s*$").unwrap()
});

/// Lines of a page's frame rather than its text, recognised from the document's own
/// pagination (never from one document's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Furniture {
    /// `-----Page N End-----`: an extraction's page break.
    PageMarker,
    /// A page number printed alone on its line, in the document's page sequence.
    PageNumber,
    /// A line repeated at the page breaks: a running header or footer.
    RunningHead,
}

#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the raw file.
    pub number: usize,
    /// Page number, where the document has page markers.
    pub page: Option<u32>,
    /// The line exactly as in the file (without the line break), kept only when repairs
    /// changed it: most lines read as printed, and a dense document has millions.
    /// (A `Box<String>`, not a `Box<str>`: a thin pointer, 8 bytes a line.)
    #[allow(clippy::box_collection)]
    raw_if_repaired: Option<Box<String>>,
    /// The line after repairs and ligature expansion (what extractors read): a range of a
    /// buffer the document's lines share, not a string of its own.
    text: TextRange,
    /// Page furniture (a page marker, page number or running head): never data.
    pub furniture: Option<Furniture>,
}

/// Where a line's text is: a range of [`Document::flat`] (or, for page furniture, which is
/// blank there, of a buffer of the furniture's own).
#[derive(Debug, Clone)]
struct TextRange {
    buffer: Arc<String>,
    /// 32-bit: a document's text is under [`MAX_TEXT_BYTES`] (and a dense one has millions of
    /// lines).
    start: Offset,
    end: Offset,
}

/// An offset into a document's text, held in 32 bits: a dense document has millions of lines,
/// figures and sentences, and a text is under [`MAX_TEXT_BYTES`] (checked at load).
pub type Offset = u32;

/// `i` as an [`Offset`] (it fits: texts are under [`MAX_TEXT_BYTES`]).
pub fn offset(i: usize) -> Offset {
    Offset::try_from(i).unwrap_or(Offset::MAX)
}

impl Line {
    /// The line after repairs and ligature expansion; what extractors read.
    pub fn text(&self) -> &str {
        &self.text.buffer[self.text.start as usize..self.text.end as usize]
    }

    /// The line exactly as in the file (without the line break).
    pub fn raw(&self) -> &str {
        match &self.raw_if_repaired {
            Some(raw) => raw,
            None => self.text(),
        }
    }

    pub fn is_furniture(&self) -> bool {
        self.furniture.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub path: PathBuf,
    pub lines: Vec<Line>,
    /// Repaired text of all lines joined by `\n`, for phrases that wrap over lines; page
    /// furniture lines are empty in it. The lines' own text is read from it.
    pub flat: Arc<String>,
    /// Byte offset in `flat` where each line starts.
    line_starts: Vec<Offset>,
    /// Page breaks that repeat an earlier page's number (a page the extraction printed twice),
    /// as (1-based line, page).
    pub repeated_pages: Vec<(usize, u32)>,
}

impl Document {
    pub fn load(id: &str, path: &Path, repairs: &[Repair]) -> Result<Document> {
        let bytes = std::fs::read(path).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: format!("cannot read document '{id}': {e}"),
        })?;
        Self::from_bytes(id, path, &bytes, repairs)
    }

    pub fn from_bytes(id: &str, path: &Path, bytes: &[u8], repairs: &[Repair]) -> Result<Document> {
        let text = as_text(id, path, bytes)?;
        within_limit(id, path, text.len())?;
        let (joined, mut lines) = repaired_lines(text, repairs);
        // Repairs may lengthen the text.
        within_limit(id, path, joined.len())?;
        let repeated_pages = paginate(&mut lines);
        let (flat, line_starts) = share_text(joined, &mut lines);
        Ok(Document {
            id: id.to_string(),
            path: path.to_path_buf(),
            lines,
            flat,
            line_starts,
            repeated_pages,
        })
    }

    /// The line with this 1-based number.
    pub fn line(&self, number: usize) -> &Line {
        &self.lines[number - 1]
    }

    /// The line holding byte `offset` of [`Document::flat`].
    pub fn line_at(&self, offset: usize) -> &Line {
        let i = self
            .line_starts
            .partition_point(|&s| s as usize <= offset)
            .max(1)
            - 1;
        &self.lines[i]
    }

    /// Byte offset in [`Document::flat`] where the 1-based line `number` starts.
    pub fn line_start(&self, number: usize) -> usize {
        self.line_starts[number - 1] as usize
    }

    pub fn malformed(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Malformed {
            path: self.path.clone(),
            line,
            message: format!("[{}] {}", self.id, message.into()),
        }
    }
}

/// Every line of `text` repaired, with its provenance; the repaired texts joined by `\n` in
/// one buffer the lines point into (pagination reads them there).
fn repaired_lines(text: &str, repairs: &[Repair]) -> (Arc<String>, Vec<Line>) {
    // Sized once: fresh memory is costly to touch, and a dense document has millions of lines.
    let most_lines = memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()).count() + 1;
    let mut joined = String::with_capacity(text.len());
    let mut lines = Vec::with_capacity(most_lines);
    // Lines point at a placeholder until the buffer is complete (then shared, never moved).
    let placeholder = Arc::new(String::new());
    for (i, raw) in split_lines(text).enumerate() {
        let start = joined.len();
        normalise_into(raw, repairs, &mut joined);
        let repaired = joined[start..] != *raw;
        lines.push(Line {
            number: i + 1,
            page: None,
            raw_if_repaired: repaired.then(|| Box::new(raw.to_string())),
            text: TextRange {
                buffer: placeholder.clone(),
                start: offset(start),
                end: offset(joined.len()),
            },
            furniture: None,
        });
        joined.push('\n');
    }
    let buffer = Arc::new(joined);
    for line in &mut lines {
        line.text.buffer = buffer.clone();
    }
    (buffer, lines)
}

/// The cleaned view every reader of the running text sees, [`Document::flat`], and where each
/// line starts in it: page furniture is an empty line (a sentence or phrase cut by a page
/// break reads on across it). It is made in place from the buffer pagination read (each line
/// moved down over the furniture before it), so a document is never held twice; the lines are
/// pointed into it, the furniture into a buffer of its own.
fn share_text(joined: Arc<String>, lines: &mut [Line]) -> (Arc<String>, Vec<Offset>) {
    // The furniture's text is kept aside, and the lines let the buffer go so that it can be
    // rewritten (a copy if it were still shared); each line's range still says where it was.
    let mut furniture = String::new();
    let released = Arc::new(String::new());
    for line in lines.iter_mut() {
        if line.is_furniture() {
            furniture.push_str(line.text());
            furniture.push('\n');
        }
        line.text.buffer = released.clone();
    }
    let mut bytes = Arc::try_unwrap(joined)
        .unwrap_or_else(|shared| (*shared).clone())
        .into_bytes();
    let mut line_starts = Vec::with_capacity(lines.len());
    let mut written = 0;
    let mut in_furniture = 0;
    for line in lines.iter_mut() {
        line_starts.push(offset(written));
        let from = line.text.start as usize..line.text.end as usize;
        let len = from.len();
        let start = if line.is_furniture() {
            let start = in_furniture;
            in_furniture += len + 1;
            start
        } else {
            // `written` never passes `from.start`: text is only ever dropped, never added.
            bytes.copy_within(from, written);
            let start = written;
            written += len;
            start
        };
        line.text.start = offset(start);
        line.text.end = offset(start + len);
        if let Some(b) = bytes.get_mut(written) {
            *b = b'\n';
        }
        written += 1;
    }
    bytes.truncate(written);
    // Whole lines and line breaks moved: still UTF-8 (a lossy copy could only follow a bug).
    let flat = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    let (flat, furniture) = (Arc::new(flat), Arc::new(furniture));
    for line in lines.iter_mut() {
        line.text.buffer = match line.is_furniture() {
            true => furniture.clone(),
            false => flat.clone(),
        };
    }
    (flat, line_starts)
}

/// The longest text a document may have, in bytes: offsets into it are held in 32 bits (a
/// dense document has millions of figures and sentences).
pub const MAX_TEXT_BYTES: usize = Offset::MAX as usize;

/// A document's text no longer than [`MAX_TEXT_BYTES`], or an error saying so.
fn within_limit(id: &str, path: &Path, len: usize) -> Result<()> {
    if len <= MAX_TEXT_BYTES {
        return Ok(());
    }
    Err(Error::Input {
        path: path.to_path_buf(),
        message: format!(
            "document '{id}' has {len} bytes of text; documents are read up to {MAX_TEXT_BYTES} (4 GiB): split it into several"
        ),
    })
}

/// The bytes of a document as text: not empty, not binary, UTF-8 (a byte-order mark dropped).
pub fn as_text<'b>(id: &str, path: &Path, bytes: &'b [u8]) -> Result<&'b str> {
    let input_error = |message: String| Error::Input {
        path: path.to_path_buf(),
        message,
    };
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(input_error(format!("document '{id}' is empty")));
    }
    let text = crate::text::utf8_text(bytes)
        .map_err(|what| input_error(format!("document '{id}' {what}")))?;
    Ok(text.strip_prefix('\u{FEFF}').unwrap_or(text))
}

/// A declared document, read from disk when an extractor needs it.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    pub repairs: Vec<Repair>,
}

/// Lines ended by `LF`, `CRLF` or a lone `CR` (old Mac files), without their line breaks; a
/// final line break does not start another line. The same text gives the same lines whatever
/// its line endings.
pub fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || {
        if let Some(at) = memchr::memchr2(b'\n', b'\r', &bytes[start..]).map(|i| start + i) {
            let line = &text[start..at];
            let crlf = bytes[at] == b'\r' && bytes.get(at + 1) == Some(&b'\n');
            start = at + 1 + usize::from(crlf);
            return Some(line);
        }
        if start < bytes.len() {
            let line = &text[start..];
            start = bytes.len();
            return Some(line);
        }
        None
    })
}

/// Finds the page furniture and gives every line its page. Page breaks are the extraction's
/// `Page N End` markers; without them, printed page numbers alone on their lines, where they
/// form the document's page sequence. Lines repeated next to most page breaks are running
/// heads. A page break closes its page: the lines up to it are on page N.
fn paginate(lines: &mut [Line]) -> Vec<(usize, u32)> {
    let markers: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| page_end(l.raw()).map(|p| (i, p)))
        .collect();
    for &(i, _) in &markers {
        lines[i].furniture = Some(Furniture::PageMarker);
    }
    let numbers = page_number_sequence(lines);
    for &(i, _) in &numbers {
        lines[i].furniture = Some(Furniture::PageNumber);
    }
    let by_numbers = markers.is_empty();
    let breaks: Vec<(usize, u32)> = if by_numbers { numbers } else { markers };
    if breaks.is_empty() {
        return Vec::new();
    }
    mark_page_numbers_at_breaks(lines, &breaks);
    mark_running_heads(lines, &breaks);
    let copies = match by_numbers {
        true => page_number_copies(lines, &breaks),
        false => Vec::new(),
    };
    for &(i, _) in &copies {
        lines[i].furniture = Some(Furniture::PageNumber);
    }
    let mut start = 0;
    for &(idx, page) in &breaks {
        for line in &mut lines[start..=idx] {
            line.page = Some(page);
        }
        start = idx + 1;
    }
    let next = breaks.last().map(|&(_, p)| p.saturating_add(1));
    for line in &mut lines[start..] {
        line.page = next;
    }
    let mut seen = std::collections::HashSet::new();
    let mut repeated: Vec<(usize, u32)> = breaks
        .iter()
        .filter(|&&(_, page)| !seen.insert(page))
        .chain(&copies)
        .map(|&(i, page)| (i + 1, page))
        .collect();
    repeated.sort_unstable();
    repeated
}

/// A page's number printed again within a few lines of the page break it marks, beside a
/// running head: the top of a page the extraction printed twice, too close to the first
/// printing to be counted as a page of its own. As (line index, page).
fn page_number_copies(lines: &[Line], breaks: &[(usize, u32)]) -> Vec<(usize, u32)> {
    (0..breaks.len())
        .flat_map(|b| {
            let page = breaks[b].1;
            number_copies(lines, breaks, b)
                .filter(|&i| beside_running_head(lines, i))
                .map(move |i| (i, page))
        })
        .collect()
}

/// Lines within a page's length after break `b` (and before the next) that print its page
/// number again, alone.
fn number_copies<'l>(
    lines: &'l [Line],
    breaks: &[(usize, u32)],
    b: usize,
) -> impl Iterator<Item = usize> + 'l {
    let (at, page) = breaks[b];
    let next = breaks.get(b + 1).map_or(lines.len(), |&(next, _)| next);
    let until = next.min(at.saturating_add(MIN_PAGE_LINES)).min(lines.len());
    (at.saturating_add(1)..until).filter(move |&i| {
        lines[i].furniture.is_none() && page_number(lines[i].text()) == Some(page)
    })
}

/// The nearest non-blank line before or after line `i` is a running head.
fn beside_running_head(lines: &[Line], i: usize) -> bool {
    let filled = |l: &&Line| !l.text().trim().is_empty();
    let head = |l: Option<&Line>| l.is_some_and(|l| l.furniture == Some(Furniture::RunningHead));
    head(lines[i + 1..].iter().find(filled)) || head(lines[..i].iter().rev().find(filled))
}

fn page_end(raw: &str) -> Option<u32> {
    // What the pattern needs first, checked cheaply on every line: a rule of dashes.
    let first = raw.trim_start().bytes().next()?;
    if !matches!(first, b'-' | b'=' | b'_' | b'*') {
        return None;
    }
    PAGE_END.captures(raw).and_then(|c| c[1].parse().ok())
}

/// The page number a line prints alone, if it does. Pages are numbered from 1, so a lone `0`
/// is a figure (a table's zero total on a line of its own), never a page.
fn page_number(text: &str) -> Option<u32> {
    // What the pattern needs first, checked cheaply on every line: a digit, a dash or "page".
    let first = text.trim_start().chars().next()?;
    if !(first.is_ascii_digit() || matches!(first, '-' | '–' | '—' | 'p' | 'P')) {
        return None;
    }
    let c = PAGE_NUMBER.captures(text)?;
    let page: u32 = c.get(1).or(c.get(2)).or(c.get(3))?.as_str().parse().ok()?;
    (page > 0).then_some(page)
}

/// Lines at least this far apart can be page numbers of consecutive pages.
const MIN_PAGE_LINES: usize = 8;

/// Numbers alone on their lines that count the pages: each one or two more than the one
/// before (or the same, for a repeated page), at least a few lines apart, three pages or more.
/// The longest such chain, as (line index, page); chart values alone on lines rarely climb by
/// one at a page's distance.
fn page_number_sequence(lines: &[Line]) -> Vec<(usize, u32)> {
    /// A candidate and the chain it ends: its line, page, the node before it, the chain's
    /// length and number of distinct pages.
    struct Node {
        at: usize,
        page: u32,
        prev: Option<usize>,
        len: usize,
        pages: usize,
    }
    let mut nodes: Vec<Node> = Vec::new();
    // For a page number, the node ending the longest chain that ends with it.
    let mut ending: std::collections::HashMap<u32, usize> = std::collections::HashMap::new();
    for (i, line) in lines.iter().enumerate() {
        let Some(v) = page_number(line.text()) else {
            continue;
        };
        // "Page 12", "12 of 40", "- 12 -" say what they are; a bare number must stand a
        // page's length from the last one to count.
        let explicit = !line.text().trim().bytes().all(|b| b.is_ascii_digit());
        // The next page, one skipped, or the same page again (a page the extraction repeated).
        let prev = [1u32, 2, 0]
            .iter()
            .filter_map(|d| {
                let n = *ending.get(&v.checked_sub(*d)?)?;
                (i - nodes[n].at >= MIN_PAGE_LINES || explicit).then_some(n)
            })
            .max_by_key(|&n| nodes[n].len);
        let node = match prev {
            Some(n) => Node {
                at: i,
                page: v,
                prev: Some(n),
                len: nodes[n].len + 1,
                pages: nodes[n].pages + usize::from(nodes[n].page != v),
            },
            None => Node {
                at: i,
                page: v,
                prev: None,
                len: 1,
                pages: 1,
            },
        };
        let longer = ending.get(&v).is_none_or(|&n| nodes[n].len < node.len);
        nodes.push(node);
        if longer {
            ending.insert(v, nodes.len() - 1);
        }
    }
    let Some(last) = (0..nodes.len())
        .filter(|&n| nodes[n].pages >= 3)
        .max_by_key(|&n| (nodes[n].len, std::cmp::Reverse(n)))
    else {
        return Vec::new();
    };
    let mut chain = Vec::with_capacity(nodes[last].len);
    let mut at = Some(last);
    while let Some(n) = at {
        chain.push((nodes[n].at, nodes[n].page));
        at = nodes[n].prev;
    }
    chain.reverse();
    chain
}

/// The non-blank lines within this many of a page break are where running heads and page
/// numbers stand (the last lines of a page, the first of the next).
const NEAR_BREAK: usize = 2;

/// The non-blank lines near each page break, furniture left out, as (break, slot, line
/// index): slot -1 is the last line before the break, 1 the first after it.
fn near_breaks(lines: &[Line], breaks: &[(usize, u32)]) -> Vec<(usize, i8, usize)> {
    let mut out = Vec::new();
    let text = |i: &usize| holds_text(&lines[*i]);
    for (b, &(at, _)) in breaks.iter().enumerate() {
        let before = (0..at).rev().filter(text).take(NEAR_BREAK);
        let after = (at + 1..lines.len()).filter(text).take(NEAR_BREAK);
        out.extend(before.zip(1i8..).map(|(i, k)| (b, -k, i)));
        out.extend(after.zip(1i8..).map(|(i, k)| (b, k, i)));
    }
    out
}

/// A line that is neither blank nor page furniture.
fn holds_text(line: &Line) -> bool {
    !line.text().trim().is_empty() && line.furniture.is_none()
}

/// The non-blank lines after a copy of a break's page number printed within a page's length
/// of it (a page the extraction repeated), as [`near_breaks`] gives them: the copy carries the
/// running head that the break itself lost to the repeated lines.
fn after_number_copies(lines: &[Line], breaks: &[(usize, u32)]) -> Vec<(usize, i8, usize)> {
    let mut out = Vec::new();
    let text = |i: &usize| holds_text(&lines[*i]);
    for b in 0..breaks.len() {
        let Some(copy) = number_copies(lines, breaks, b).next() else {
            continue;
        };
        let after = (copy + 1..lines.len()).filter(text).take(NEAR_BREAK);
        out.extend(after.zip(1i8..).map(|(i, k)| (b, k, i)));
    }
    out
}

/// "Page 2", "12" printed next to page breaks: the printed page numbers, where they keep one
/// distance to the breaks' pages (printed page 2 on the extraction's page 5) at three breaks
/// or more and half of them. A table cell alone on a line beside one break is not one.
fn mark_page_numbers_at_breaks(lines: &mut [Line], breaks: &[(usize, u32)]) {
    let candidates: Vec<(usize, i64)> = near_breaks(lines, breaks)
        .into_iter()
        .filter_map(|(b, _, i)| {
            let printed = page_number(lines[i].text())?;
            Some((i, i64::from(printed) - i64::from(breaks[b].1)))
        })
        .collect();
    let mut offsets: std::collections::BTreeMap<i64, usize> = std::collections::BTreeMap::new();
    for &(_, offset) in &candidates {
        *offsets.entry(offset).or_default() += 1;
    }
    let Some((&offset, &n)) = offsets.iter().max_by_key(|&(_, n)| *n) else {
        return;
    };
    if n < 3 || n * 2 < breaks.len() {
        return;
    }
    for (i, o) in candidates {
        if o == offset {
            lines[i].furniture = Some(Furniture::PageNumber);
        }
    }
}

/// "Report 2016 | 12" → "report #### | ##": a line's shape, digits aside.
fn shape(text: &str) -> String {
    let mut out = String::new();
    shape_into(text, &mut out);
    out
}

/// [`shape`] written into `out` (cleared first): a buffer reused line after line.
fn shape_into(text: &str, out: &mut String) {
    out.clear();
    match text.is_ascii() {
        true => shape_ascii_into(text, out),
        false => shape_chars_into(text, out),
    }
}

/// [`shape_into`] for any text, a character at a time.
fn shape_chars_into(text: &str, out: &mut String) {
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(w.chars().map(|c| {
            if c.is_ascii_digit() {
                '#'
            } else {
                c.to_ascii_lowercase()
            }
        }));
    }
}

/// [`shape_into`] for ASCII text (most lines), a byte at a time: every line of a document
/// with running heads is shaped.
fn shape_ascii_into(text: &str, out: &mut String) {
    // The ASCII characters `char::is_whitespace` counts (vertical tab included).
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let mut gap = false;
    for b in text.bytes() {
        if space(b) {
            gap = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut gap) {
            out.push(' ');
        }
        out.push(if b.is_ascii_digit() {
            '#'
        } else {
            char::from(b.to_ascii_lowercase())
        });
    }
}

/// A running head is words (a title, a document code) with a year or a page number at most:
/// a line of figures only, or of three figures or more, is a table's, whatever shape it shares
/// with another; a fragment of a few letters ("of") or one plain word is a wrapped name's.
fn may_be_running_head(text: &str) -> bool {
    if !text.chars().any(char::is_alphabetic) {
        return false;
    }
    let figures = text
        .split(|c: char| !c.is_ascii_digit() && c != ',')
        .filter(|g| g.chars().any(|c| c.is_ascii_digit()))
        .count();
    let printed = text.chars().filter(|c| !c.is_whitespace()).count();
    // A title of two words or more, or a code ("C/108/4"); a single plain word ("Republic")
    // is a wrapped name's line.
    let words = text.split_whitespace().count();
    let code = text.chars().any(|c| !c.is_alphabetic());
    figures <= 2 && (4..=100).contains(&printed) && (words >= 2 || code) && !wraps_on(text)
}

/// A line ending in a word that joins it to the next ("Republic of", "Bosnia and") is a
/// wrapped name or phrase, which may stand by chance at the same place before several page
/// breaks; a running head is a whole title.
fn wraps_on(text: &str) -> bool {
    const JOINING: &[&str] = &[
        "of", "and", "the", "for", "in", "on", "to", "with", "de", "des", "du", "la", "le", "et",
        "y", "del", "&",
    ];
    text.split_whitespace()
        .last()
        .is_some_and(|w| JOINING.iter().any(|j| w.eq_ignore_ascii_case(j)))
}

/// A line printed on the same side of three page breaks or more and three quarters of them,
/// among the [`NEAR_BREAK`] lines next to each (digits aside), is a running head or footer.
/// The side, not the exact slot: a stray line between a page marker and the head (a caption,
/// a title) moves the head down one line on that page, and it is still the head.
fn mark_running_heads(lines: &mut [Line], breaks: &[(usize, u32)]) {
    let mut near = near_breaks(lines, breaks);
    near.extend(after_number_copies(lines, breaks));
    let mut seen: std::collections::HashMap<(i8, String), std::collections::BTreeSet<usize>> =
        std::collections::HashMap::new();
    for &(b, slot, i) in &near {
        let text = lines[i].text().trim();
        if may_be_running_head(text) {
            seen.entry((slot.signum(), shape(text)))
                .or_default()
                .insert(b);
        }
    }
    let enough = |n: usize| n >= 3 && n * 4 >= breaks.len() * 3;
    let heads: std::collections::HashSet<String> = seen
        .into_iter()
        .filter(|(_, b)| enough(b.len()))
        .map(|((_, shape), _)| shape)
        .collect();
    if heads.is_empty() {
        return;
    }
    // Once known, a running head is one wherever it stands alone on its line (a page the
    // extraction printed twice carries a copy away from any break).
    // A shape starts with its line's first character shaped: lines starting otherwise than
    // every head are not shaped at all.
    let firsts: Vec<char> = heads.iter().filter_map(|h| h.chars().next()).collect();
    let mut buffer = String::new();
    for line in lines.iter_mut().filter(|l| l.furniture.is_none()) {
        let text = line.text().trim();
        let Some(first) = text.chars().next() else {
            continue;
        };
        let shaped = match first.is_ascii_digit() {
            true => '#',
            false => first.to_ascii_lowercase(),
        };
        if !firsts.contains(&shaped) {
            continue;
        }
        shape_into(text, &mut buffer);
        if heads.contains(&buffer) {
            line.furniture = Some(Furniture::RunningHead);
        }
    }
}

/// A line as extractors read it: ligatures expanded, no-break spaces made spaces, the
/// document's repairs applied.
pub fn normalise(raw: &str, repairs: &[Repair]) -> String {
    let mut text = String::with_capacity(raw.len());
    normalise_into(raw, repairs, &mut text);
    text
}

/// [`normalise`], appended to `out`.
fn normalise_into(raw: &str, repairs: &[Repair], out: &mut String) {
    let start = out.len();
    // ASCII holds no ligature and no no-break space: most lines are copied as they are.
    if raw.is_ascii() {
        out.push_str(raw);
    } else {
        for c in raw.chars() {
            match LIGATURES.iter().find(|(l, _)| *l == c) {
                Some((_, expanded)) => out.push_str(expanded),
                None if c == '\u{00A0}' => out.push(' '),
                None => out.push(c),
            }
        }
    }
    for repair in repairs {
        if out[start..].contains(&repair.from) {
            let line = out.split_off(start);
            out.push_str(&line.replace(&repair.from, &repair.to));
        }
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The documents a run reads. Preloaded documents (tests, or a caller that has them) are
/// lent out; any other is read from disk when an extractor asks and dropped when it is done,
/// so a corpus is never held in memory whole.
#[derive(Default)]
pub struct Library {
    docs: Vec<Document>,
    sources: std::collections::BTreeMap<String, Source>,
}

impl Library {
    pub fn new(docs: Vec<Document>) -> Library {
        Library {
            docs,
            sources: Default::default(),
        }
    }

    /// A library that reads each document from its source when asked.
    pub fn lazy(sources: std::collections::BTreeMap<String, Source>) -> Library {
        Library {
            docs: Vec::new(),
            sources,
        }
    }

    /// A preloaded document. Every document a test or caller preloads is there, so a missing
    /// one is a bug in the caller, not an input problem.
    pub fn get(&self, id: &str) -> &Document {
        self.docs
            .iter()
            .find(|d| d.id == id)
            .unwrap_or_else(|| panic!("document '{id}' was not loaded"))
    }

    /// A document, preloaded or read now.
    pub fn fetch(&self, id: &str) -> Result<std::borrow::Cow<'_, Document>> {
        if let Some(doc) = self.docs.iter().find(|d| d.id == id) {
            return Ok(std::borrow::Cow::Borrowed(doc));
        }
        let source = self.sources.get(id).ok_or_else(|| Error::Input {
            path: PathBuf::from(id),
            message: format!("document '{id}' is not declared"),
        })?;
        Document::load(id, &source.path, &source.repairs).map(std::borrow::Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn an_ascii_line_is_shaped_as_character_by_character(text in "[\\x00-\\x7f]{0,40}") {
            let (mut fast, mut slow) = (String::new(), String::new());
            super::shape_ascii_into(&text, &mut fast);
            super::shape_chars_into(&text, &mut slow);
            prop_assert_eq!(fast, slow);
        }
    }

    use super::*;

    /// A dense document has millions of lines: each is kept small (it was 64 bytes).
    #[test]
    fn a_line_takes_48_bytes_at_most() {
        assert!(
            std::mem::size_of::<Line>() <= 48,
            "{}",
            std::mem::size_of::<Line>()
        );
    }

    /// Offsets into a document's text are 32-bit: a longer text is refused with its size and
    /// the way out, never read with offsets cut short.
    #[test]
    fn a_text_over_4_gib_is_refused_by_name() {
        let path = Path::new("big.txt");
        assert!(within_limit("big", path, MAX_TEXT_BYTES).is_ok());
        let over = MAX_TEXT_BYTES + 1;
        let e = within_limit("big", path, over).unwrap_err().to_string();
        assert!(
            e.contains("big.txt") && e.contains(&over.to_string()) && e.contains("split"),
            "{e}"
        );
        assert_eq!(u32::try_from(MAX_TEXT_BYTES).ok(), Some(u32::MAX));
    }

    fn doc(text: &str) -> Document {
        Document::from_bytes("t", Path::new("t.txt"), text.as_bytes(), &[]).unwrap()
    }

    fn furniture(d: &Document) -> Vec<(usize, Furniture)> {
        d.lines
            .iter()
            .filter_map(|l| Some((l.number, l.furniture?)))
            .collect()
    }

    /// Pages of `body` lines each, closed by what `footer` prints for page n.
    fn pages(n: u32, body: usize, footer: impl Fn(u32) -> Vec<String>) -> String {
        let mut out = Vec::new();
        for p in 1..=n {
            out.push("REPORT ON MIGRATION 2016".to_string());
            for k in 0..body {
                out.push(format!("Text of page {p}, line {k}, with 4 figures."));
            }
            out.extend(footer(p));
        }
        out.join("\n") + "\n"
    }

    /// Pages are numbered from 1: a lone `0` (a table's zero total on a line of its own) a page
    /// before the first printed page number is a figure, not the page before page 2.
    #[test]
    fn a_lone_zero_before_the_first_printed_page_number_is_a_figure() {
        let text = pages(4, 10, |p| match p {
            1 => Vec::new(),
            _ => vec![String::new(), p.to_string()],
        })
        .replace(
            "Text of page 1, line 2, with 4 figures.\n",
            "Text of page 1, line 2, with 4 figures.\n0\n",
        );
        let d = doc(&text);
        let zero = d.lines.iter().find(|l| l.text() == "0").unwrap();
        assert_eq!(zero.furniture, None);
        let numbers: Vec<&str> = d
            .lines
            .iter()
            .filter(|l| l.furniture == Some(Furniture::PageNumber))
            .map(|l| l.text())
            .collect();
        assert_eq!(numbers, ["2", "3", "4"]);
    }

    /// Three printed pages, the foot of the first printed twice: its break is followed by the
    /// repeated lines, and only the copy of its number by the running head. The head is still
    /// known (it stands after every break, one of them behind the copy), so the copy is the
    /// top of a repeated page and the head is never read as text.
    #[test]
    fn a_running_head_after_a_repeated_page_number_is_still_the_head() {
        let mut out = Vec::new();
        for p in 4..=6 {
            if p > 4 {
                out.push("C/108/4".to_string());
            }
            for k in 0..10 {
                out.push(format!("Text of page {p}, line {k}, with 4 figures."));
            }
            out.extend([String::new(), p.to_string()]);
            if p == 4 {
                out.extend(out[out.len() - 4..].to_vec());
            }
        }
        out.extend(["C/108/4".to_string(), "Annex.".to_string()]);
        let d = doc(&(out.join("\n") + "\n"));
        let heads: Vec<usize> = d
            .lines
            .iter()
            .filter(|l| l.text() == "C/108/4")
            .map(|l| l.number)
            .collect();
        assert_eq!(heads.len(), 3);
        for n in heads {
            assert_eq!(
                d.line(n).furniture,
                Some(Furniture::RunningHead),
                "line {n}"
            );
        }
        let fours: Vec<&Line> = d.lines.iter().filter(|l| l.text() == "4").collect();
        assert_eq!(fours.len(), 2);
        assert!(
            fours
                .iter()
                .all(|l| l.furniture == Some(Furniture::PageNumber))
        );
        assert_eq!(d.repeated_pages, vec![(fours[1].number, 4)]);
    }

    #[test]
    fn a_page_number_printed_again_beside_its_running_head_is_a_repeated_page() {
        // The extraction printed the foot of page 2 and the head of page 3 a second time, two
        // lines into page 3: too close to count as a page of its own.
        let text = pages(5, 10, |p| vec![String::new(), format!("{}", p + 10)]).replace(
            "Text of page 3, line 1, with 4 figures.\n",
            "Text of page 3, line 1, with 4 figures.\n12\nREPORT ON MIGRATION 2016\n",
        );
        let d = doc(&text);
        let copy = text.lines().position(|l| l == "12").unwrap() + 1;
        let copy = copy + text.lines().skip(copy).position(|l| l == "12").unwrap() + 1;
        assert_eq!(d.line(copy).furniture, Some(Furniture::PageNumber));
        assert_eq!(d.line(copy + 1).furniture, Some(Furniture::RunningHead));
        assert_eq!(d.repeated_pages, vec![(copy, 12)]);
        // A number alone beside ordinary text is left alone, even the page's own.
        let chart = pages(5, 10, |p| vec![String::new(), format!("{}", p + 10)]).replace(
            "Text of page 3, line 1, with 4 figures.\n",
            "Text of page 3, line 1, with 4 figures.\n12\nShare of offices\n",
        );
        let d = doc(&chart);
        assert!(d.repeated_pages.is_empty());
        assert_eq!(
            furniture(&d).len(),
            furniture(&doc(&pages(5, 10, |p| vec![
                String::new(),
                format!("{}", p + 10)
            ])))
            .len()
        );
    }

    #[test]
    fn every_line_reads_its_own_text_and_furniture_is_blank_in_the_running_text() {
        let text = pages(4, 9, |p| vec![format!("-----Page {p} End-----")]).replace(
            "Text of page 2, line 3",
            "Text of page 2, line 3 \u{FB01}nds Mauri\u{FFFD}us",
        );
        let repairs = [Repair {
            from: "\u{FFFD}".into(),
            to: "ti".into(),
            reason: String::new(),
        }];
        let d = Document::from_bytes("t", Path::new("t.txt"), text.as_bytes(), &repairs).unwrap();
        let printed: Vec<&str> = text.lines().collect();
        assert_eq!(d.lines.len(), printed.len());
        assert!(!furniture(&d).is_empty());
        for (line, raw) in d.lines.iter().zip(&printed) {
            assert_eq!(line.raw(), *raw);
            assert_eq!(
                line.text(),
                normalise(raw, &repairs),
                "line {}",
                line.number
            );
            let start = d.line_start(line.number);
            let in_flat = d.flat[start..].split('\n').next().unwrap();
            let want = if line.is_furniture() { "" } else { line.text() };
            assert_eq!(in_flat, want, "line {}", line.number);
        }
        assert!(d.flat.contains("finds Mauritius"));
    }

    #[test]
    fn printed_page_numbers_in_sequence_are_page_breaks_and_heads_repeat_at_them() {
        let d = doc(&pages(5, 10, |p| {
            vec![String::new(), format!("{}", p + 10)]
        }));
        let f = furniture(&d);
        let numbers: Vec<usize> = f
            .iter()
            .filter(|(_, k)| *k == Furniture::PageNumber)
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(numbers, [13, 26, 39, 52, 65]);
        // The header opens every page but the first is counted next to a break.
        assert!(f.contains(&(14, Furniture::RunningHead)), "{f:?}");
        assert_eq!(d.line(12).page, Some(11));
        assert_eq!(d.line(14).page, Some(12));
    }

    #[test]
    fn page_markers_close_their_pages_and_printed_numbers_beside_them_are_furniture() {
        let d = doc(&pages(4, 6, |p| {
            vec![
                format!("-----Page {p} End-----"),
                String::new(),
                "C/108/4".into(),
                format!("Page {p}"),
            ]
        }));
        let f = furniture(&d);
        assert!(f.contains(&(8, Furniture::PageMarker)));
        assert!(f.contains(&(10, Furniture::RunningHead)), "{f:?}");
        assert!(f.contains(&(11, Furniture::PageNumber)), "{f:?}");
        assert_eq!(d.line(8).page, Some(1));
        assert_eq!(d.line(9).page, Some(2));
    }

    /// Three page breaks (all must show a head); after the second, a stray line stands between the marker and the
    /// head, which is still the running head on every page.
    #[test]
    fn a_running_head_one_line_lower_on_one_page_is_still_the_head() {
        let d = doc(&pages(3, 6, |p| {
            let mut end = vec![format!("-----Page {p} End-----")];
            if p == 2 {
                end.push(" Southern Africa".into());
            }
            end.extend(["Funding requirements".to_string(), format!("Page {p}")]);
            end
        }));
        let heads: Vec<usize> = furniture(&d)
            .into_iter()
            .filter(|(_, k)| *k == Furniture::RunningHead)
            .map(|(n, _)| n)
            .collect();
        let printed: Vec<usize> = d
            .lines
            .iter()
            .filter(|l| l.text() == "Funding requirements")
            .map(|l| l.number)
            .collect();
        assert_eq!(printed.len(), 3);
        assert!(
            printed.iter().all(|n| heads.contains(n)),
            "{heads:?} of {printed:?}"
        );
        assert!(
            d.lines
                .iter()
                .any(|l| l.text() == " Southern Africa" && l.furniture.is_none())
        );
    }

    #[test]
    fn chart_values_alone_on_their_lines_are_not_page_numbers() {
        let text = "Deployments by month\n0\n2\n4\n6\n8\n10\n12\nStaff 19\n13\n762\n";
        assert!(furniture(&doc(text)).is_empty());
        assert!(doc(text).lines.iter().all(|l| l.page.is_none()));
    }

    #[test]
    fn lf_crlf_and_cr_give_the_same_lines() {
        let want = ["a", "", "b c", "d"];
        for text in [
            "a\n\nb c\nd\n",
            "a\r\n\r\nb c\r\nd",
            "a\r\rb c\rd\r",
            "a\n\r\nb c\rd",
        ] {
            assert_eq!(split_lines(text).collect::<Vec<_>>(), want, "{text:?}");
        }
        assert_eq!(split_lines("").count(), 0);
        assert_eq!(split_lines("x").collect::<Vec<_>>(), ["x"]);
    }
}
