//! Ingest: read a document, check it is text, split it into lines that keep their provenance
//! (line number, page where the text has page markers) and repair known extraction damage
//! without touching the raw file.

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

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
static PAGE_END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*-{3,}\s*Page\s+(\d+)\s+End\s*-{3,}\s*$").unwrap());

#[derive(Debug, Clone)]
pub struct Line {
    /// 1-based line number in the raw file.
    pub number: usize,
    /// Page number, where the document has page markers.
    pub page: Option<u32>,
    /// The line exactly as in the file (without the line break).
    pub raw: String,
    /// The line after repairs and ligature expansion; what extractors read.
    pub text: String,
    /// True for a page marker line (never data).
    pub is_page_marker: bool,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub path: PathBuf,
    pub lines: Vec<Line>,
    /// Repaired text of all lines joined by `\n`, for phrases that wrap over lines.
    pub flat: String,
    /// Byte offset in `flat` where each line starts.
    line_starts: Vec<usize>,
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

        let mut lines: Vec<Line> = split_lines(text)
            .enumerate()
            .map(|(i, raw)| Line {
                number: i + 1,
                page: None,
                raw: raw.to_string(),
                text: normalise(raw, repairs),
                is_page_marker: false,
            })
            .collect();
        assign_pages(&mut lines);
        let mut flat = String::with_capacity(text.len());
        let mut line_starts = Vec::with_capacity(lines.len());
        for line in &lines {
            line_starts.push(flat.len());
            flat.push_str(&line.text);
            flat.push('\n');
        }
        Ok(Document {
            id: id.to_string(),
            path: path.to_path_buf(),
            lines,
            flat,
            line_starts,
        })
    }

    /// The line with this 1-based number.
    pub fn line(&self, number: usize) -> &Line {
        &self.lines[number - 1]
    }

    /// The line holding byte `offset` of [`Document::flat`].
    pub fn line_at(&self, offset: usize) -> &Line {
        let i = self.line_starts.partition_point(|&s| s <= offset).max(1) - 1;
        &self.lines[i]
    }

    /// Byte offset in [`Document::flat`] where the 1-based line `number` starts.
    pub fn line_start(&self, number: usize) -> usize {
        self.line_starts[number - 1]
    }

    pub fn malformed(&self, line: usize, message: impl Into<String>) -> Error {
        Error::Malformed {
            path: self.path.clone(),
            line,
            message: format!("[{}] {}", self.id, message.into()),
        }
    }
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
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(input_error(format!(
            "document '{id}' is binary, not text (NUL byte at offset {pos})"
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        input_error(format!(
            "document '{id}' is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
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
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            let b = bytes[i];
            i += 1;
            if b == b'\n' || b == b'\r' {
                let line = &text[start..i - 1];
                if b == b'\r' && bytes.get(i) == Some(&b'\n') {
                    i += 1;
                }
                start = i;
                return Some(line);
            }
        }
        if start < bytes.len() {
            let line = &text[start..];
            start = bytes.len();
            return Some(line);
        }
        None
    })
}

/// Pages are known only from `Page N End` markers: every line up to a marker belongs to page N.
/// Lines after the last marker get the next page number. Without markers, pages stay unknown.
fn assign_pages(lines: &mut [Line]) {
    let markers: Vec<(usize, u32)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            PAGE_END
                .captures(&l.raw)
                .and_then(|c| c[1].parse::<u32>().ok())
                .map(|p| (i, p))
        })
        .collect();
    if markers.is_empty() {
        return;
    }
    let mut start = 0;
    for &(idx, page) in &markers {
        for line in &mut lines[start..=idx] {
            line.page = Some(page);
        }
        lines[idx].is_page_marker = true;
        start = idx + 1;
    }
    let next = markers.last().map(|&(_, p)| p + 1);
    for line in &mut lines[start..] {
        line.page = next;
    }
}

pub fn normalise(raw: &str, repairs: &[Repair]) -> String {
    let mut text = String::with_capacity(raw.len());
    for c in raw.chars() {
        match LIGATURES.iter().find(|(l, _)| *l == c) {
            Some((_, expanded)) => text.push_str(expanded),
            None if c == '\u{00A0}' => text.push(' '),
            None => text.push(c),
        }
    }
    for repair in repairs {
        if text.contains(&repair.from) {
            text = text.replace(&repair.from, &repair.to);
        }
    }
    text
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
    use super::*;

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
