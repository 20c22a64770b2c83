//! A passage is one sentence (or chart legend) with its figures, and its *skeleton*: the text
//! with whitespace runs squeezed and each figure replaced by a token, `«c3»` for a count or
//! amount and `«p3»` for a share, numbered within the passage. Claim wordings are regexes over
//! skeletons, so they read the words between figures without re-parsing numbers.

use std::sync::LazyLock;

use regex::{Captures, Regex};

use crate::document::Document;
use crate::extract::figures::Mention;

pub struct Passage<'m> {
    pub mentions: Vec<&'m Mention>,
    pub skeleton: String,
    /// Counts and amounts (`c` tokens), and shares (`p` tokens): no wording can match a
    /// passage with too few, so most passages are passed over without a regex.
    pub counts: usize,
    pub shares: usize,
    /// [`Passage::text`], made once for the passage's claims.
    text: std::cell::OnceCell<String>,
}

static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"«[cpf](\d+)»").unwrap());

impl<'m> Passage<'m> {
    /// The figure a named group of a match holds (the group is `\d+` inside a token).
    pub fn figure(&self, caps: &Captures, group: &str) -> Option<&'m Mention> {
        let index: usize = caps.name(group)?.as_str().parse().ok()?;
        self.mentions.get(index).copied()
    }

    /// Every figure whose token lies in `text` (a slice of the skeleton), in order.
    pub fn figures_in(&self, text: &str) -> Vec<&'m Mention> {
        TOKEN
            .captures_iter(text)
            .filter_map(|c| c.get(1)?.as_str().parse::<usize>().ok())
            .filter_map(|i| self.mentions.get(i).copied())
            .collect()
    }

    /// The passage's text with tokens back to the figures as printed.
    pub fn text(&self) -> String {
        self.text.get_or_init(|| self.untokenised()).clone()
    }

    /// The skeleton with each token replaced by its figure as printed, in one pass (a `«`
    /// that starts no token is text, kept).
    fn untokenised(&self) -> String {
        let mut out = String::with_capacity(self.skeleton.len());
        let mut rest = self.skeleton.as_str();
        while let Some(at) = rest.find('«') {
            out.push_str(&rest[..at]);
            let after = &rest[at + '«'.len_utf8()..];
            match token_index(after) {
                Some((index, len)) => {
                    out.push_str(
                        index
                            .and_then(|i| self.mentions.get(i))
                            .map_or("", |m| m.raw.as_str()),
                    );
                    rest = &after[len..];
                }
                None => {
                    out.push('«');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// The token at the start of `s` (just after its `«`): its figure's index (None when it does
/// not fit a number) and its length up to and with its `»`.
fn token_index(s: &str) -> Option<(Option<usize>, usize)> {
    let b = s.as_bytes();
    if !matches!(b.first(), Some(b'c' | b'p' | b'f')) {
        return None;
    }
    let digits = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
    let end = 1 + digits;
    if digits == 0 || !s[end..].starts_with('»') {
        return None;
    }
    Some((s[1..end].parse().ok(), end + '»'.len_utf8()))
}

/// `c` for counts and amounts, `p` for shares, `f` for fractions ("half").
fn token_kind(m: &Mention) -> char {
    match m.quantity.unit {
        Some("percent") => 'p',
        Some("fraction") => 'f',
        _ => 'c',
    }
}

/// The document's mentions grouped by the sentence they were read in: each group is a
/// passage.
pub fn sentences(mentions: &[Mention]) -> Vec<&[Mention]> {
    mentions.chunk_by(|a, b| a.sentence == b.sentence).collect()
}

/// The passage of one sentence's mentions.
pub fn passage<'m>(doc: &Document, group: &'m [Mention]) -> Passage<'m> {
    let flat = doc.flat.as_str();
    let sentence = group[0].sentence.clone();
    let mut skeleton = String::new();
    let mut cursor = sentence.start;
    for (i, m) in group.iter().enumerate() {
        squeeze_into(&mut skeleton, flat.get(cursor..m.span.start).unwrap_or(""));
        skeleton.push_str(&format!("«{}{i}»", token_kind(m)));
        cursor = m.span.end.max(cursor);
    }
    squeeze_into(&mut skeleton, flat.get(cursor..sentence.end).unwrap_or(""));
    let shares = group.iter().filter(|m| token_kind(m) == 'p').count();
    let counts = group.iter().filter(|m| token_kind(m) == 'c').count();
    Passage {
        mentions: group.iter().collect(),
        skeleton,
        counts,
        shares,
        text: std::cell::OnceCell::new(),
    }
}

/// Appends `s` with each whitespace run as one space (edges kept, so tokens stay apart).
fn squeeze_into(out: &mut String, s: &str) {
    let mut in_space = out.ends_with(' ');
    for c in s.chars() {
        if c.is_whitespace() {
            if !in_space {
                out.push(' ');
            }
            in_space = true;
        } else {
            out.push(c);
            in_space = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::figures::scan;

    /// The tokens replaced the way a regex replacement would, `«` in the text kept as text.
    fn by_regex(p: &Passage) -> String {
        TOKEN
            .replace_all(&p.skeleton, |c: &Captures| {
                let i = c.get(1).and_then(|i| i.as_str().parse::<usize>().ok());
                i.and_then(|i| p.mentions.get(i))
                    .map_or("", |m| m.raw.as_str())
            })
            .into_owned()
    }

    #[test]
    fn a_passage_reads_back_as_printed() {
        for text in [
            "In 2016, 59 (or 41%) of 145   offices\nreported it.\n",
            "The «c0» label and «p» and «c12x» stay: 3,035 of 4.2 million (12%).\n",
            "«c1»12 «« 7%» of 900 «f»\n",
        ] {
            let doc =
                Document::from_bytes("t", std::path::Path::new("t"), text.as_bytes(), &[]).unwrap();
            let mentions = scan(&doc);
            assert!(!mentions.is_empty(), "{text}");
            for group in sentences(&mentions) {
                let p = passage(&doc, group);
                assert_eq!(p.text(), by_regex(&p), "{text}");
                assert!(p.text().contains(p.mentions[0].raw.as_str()), "{text}");
            }
        }
    }
}
