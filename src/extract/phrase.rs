//! Catalogue phrases: a phrase with one `{value}` compiled to a regex whose value group is the
//! figure grammar. The grammar is parsed once per run and shared by every phrase, which halves
//! what compiling a catalogue costs (every phrase used to parse and translate it again).

use std::ops::Range;
use std::sync::LazyLock;

use regex_automata::util::captures::Captures;
use regex_automata::util::iter::Searcher;
use regex_automata::{Input, meta};
use regex_syntax::hir::Hir;

use crate::numbers::{Quantity, figure_pattern, quantity_of};

/// One compiled phrase.
#[derive(Debug)]
pub struct Phrase(meta::Regex);

/// One place a phrase matches: the whole phrase, the figure, and what the figure says.
#[derive(Debug, Clone)]
pub struct PhraseMatch {
    pub whole: Range<usize>,
    pub value: Range<usize>,
    pub quantity: Quantity,
}

/// `(?P<value>…)` around the figure grammar, as syntax (parsed once).
static VALUE: LazyLock<Hir> = LazyLock::new(|| {
    regex_syntax::Parser::new()
        .parse(&format!("(?P<value>{})", figure_pattern()))
        .expect("the figure grammar parses")
});

/// A phrase cut into literal text (as regex syntax) and its figure.
enum Piece {
    Text(String),
    Value,
}

impl Phrase {
    /// Spaces match any whitespace (line breaks too), `'` matches a curly apostrophe, `-` an en
    /// dash, `{value}` is one figure, `{...}` skips up to 80 characters.
    pub fn compile(pattern: &str) -> Result<Phrase, String> {
        let mut parts = Vec::new();
        for piece in pieces(pattern) {
            parts.push(match piece {
                Piece::Text(syntax) => regex_syntax::Parser::new()
                    .parse(&syntax)
                    .map_err(|e| e.to_string())?,
                Piece::Value => VALUE.clone(),
            });
        }
        meta::Builder::new()
            .build_from_hir(&Hir::concat(parts))
            .map(Phrase)
            .map_err(|e| e.to_string())
    }

    /// Every match with a figure that reads as a quantity, leftmost first.
    pub fn matches(&self, haystack: &str) -> Vec<PhraseMatch> {
        self.captures(haystack)
            .into_iter()
            .filter_map(|c| {
                let whole = c.get_match()?.range();
                let value = c.get_group_by_name("value")?.range();
                let quantity = quantity_of(|name| Some(&haystack[c.get_group_by_name(name)?]))?;
                Some(PhraseMatch {
                    whole,
                    value,
                    quantity,
                })
            })
            .collect()
    }

    /// Where the figure of every match is, whether or not it reads as a quantity.
    pub fn values(&self, haystack: &str) -> Vec<Range<usize>> {
        self.captures(haystack)
            .into_iter()
            .filter_map(|c| Some(c.get_group_by_name("value")?.range()))
            .collect()
    }

    /// Every match's groups, searched with a cache of its own: a phrase is searched in one
    /// document, so its cache (up to a few MB of automaton states) is freed as soon as it is
    /// done instead of being kept for the run with the compiled phrase.
    fn captures(&self, haystack: &str) -> Vec<Captures> {
        let mut cache = self.0.create_cache();
        let mut searcher = Searcher::new(Input::new(haystack));
        let mut found = Vec::new();
        loop {
            let mut caps = self.0.create_captures();
            let next = searcher.advance(|input| {
                self.0.search_captures_with(&mut cache, input, &mut caps);
                Ok(caps.get_match())
            });
            if next.is_none() {
                return found;
            }
            found.push(caps);
        }
    }
}

fn pieces(pattern: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = pattern.trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{value}") {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
            pieces.push(Piece::Value);
            rest = r;
        } else if let Some(r) = rest.strip_prefix("{...}") {
            text.push_str(r"(?s:.{0,80}?)");
            rest = r;
        } else {
            let c = rest.chars().next().expect("non-empty");
            rest = &rest[c.len_utf8()..];
            match c {
                c if c.is_whitespace() => {
                    text.push_str(r"\s+");
                    rest = rest.trim_start();
                }
                '\'' | '\u{2019}' => text.push_str("['\u{2019}]"),
                '-' | '\u{2013}' => text.push_str("[-\u{2013}]"),
                c => text.push_str(&regex::escape(&c.to_string())),
            }
        }
    }
    pieces.push(Piece::Text(text));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::{Catalogue, DocYears};
    use crate::document::Document;
    use crate::numbers::quantity_from;

    /// The phrase as one regex written out in full, the way phrases were compiled before the
    /// figure grammar was shared: the reference the shared grammar must match exactly.
    fn written_out(pattern: &str) -> regex::Regex {
        let value = format!("(?P<value>{})", figure_pattern());
        let text: String = pieces(pattern)
            .into_iter()
            .map(|p| match p {
                Piece::Text(t) => t,
                Piece::Value => value.clone(),
            })
            .collect();
        regex::Regex::new(&text).unwrap()
    }

    fn reference(pattern: &str, haystack: &str) -> Vec<(Range<usize>, Range<usize>, Quantity)> {
        written_out(pattern)
            .captures_iter(haystack)
            .filter_map(|c| {
                Some((
                    c.get(0)?.range(),
                    c.name("value")?.range(),
                    quantity_from(&c)?,
                ))
            })
            .collect()
    }

    fn shared(pattern: &str, haystack: &str) -> Vec<(Range<usize>, Range<usize>, Quantity)> {
        Phrase::compile(pattern)
            .unwrap()
            .matches(haystack)
            .into_iter()
            .map(|m| (m.whole, m.value, m.quantity))
            .collect()
    }

    #[test]
    fn every_catalogue_phrase_matches_as_its_written_out_regex_in_every_document() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let docs: Vec<Document> = std::fs::read_dir(root.join("raw"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .map(|p| {
                let id = p.file_stem().unwrap().to_str().unwrap().to_string();
                Document::load(&id, &p, &[]).unwrap()
            })
            .collect();
        let years = DocYears {
            id: String::new(),
            years: (2000..2030).collect(),
        };
        let ids: Vec<DocYears> = docs
            .iter()
            .map(|d| DocYears {
                id: d.id.clone(),
                ..years.clone()
            })
            .collect();
        let catalogue = Catalogue::load(&root.join("raw/reference/metrics.toml"), &ids).unwrap();
        let mut matched = 0;
        for metric in &catalogue.metrics {
            for (source, _) in &metric.sources {
                for doc in &docs {
                    let want = reference(&source.pattern, &doc.flat);
                    assert_eq!(
                        shared(&source.pattern, &doc.flat),
                        want,
                        "{}",
                        source.pattern
                    );
                    matched += want.len();
                }
            }
        }
        assert!(matched >= catalogue.metrics.len(), "{matched} matches");
    }

    #[test]
    fn figures_of_every_form_read_as_the_written_out_regex_reads_them() {
        let text = "In 2016, IOM assisted 98,403 migrants. In 2016, IOM assisted about 1,5 million \
                    migrants. In 2016, IOM assisted Ninety-one migrants. In 2016, IOM assisted one \
                    in five migrants. In 2016, IOM assisted two thirds of migrants. In 2016,\nIOM \
                    assisted 3 035 000 migrants. In 2016, IOM assisted USD 4.2 million migrants.";
        for pattern in [
            "IOM assisted {value} migrants",
            "In 2016, IOM assisted {value}",
            "{value} migrants",
            "In 2016, {...} assisted {value} of",
        ] {
            let want = reference(pattern, text);
            assert!(!want.is_empty(), "{pattern}");
            assert_eq!(shared(pattern, text), want, "{pattern}");
        }
    }
}
