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
        TOKEN
            .replace_all(&self.skeleton, |c: &Captures| {
                c.get(1)
                    .and_then(|i| i.as_str().parse::<usize>().ok())
                    .and_then(|i| self.mentions.get(i))
                    .map_or("", |m| m.raw.as_str())
            })
            .into_owned()
    }
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
