//! The acronyms the documents define ("camp coordination and camp management (CCCM)"), so
//! that a frame printed with the acronym meets one printed with the words: one edition says
//! "active in CCCM in 46 countries", the one before "camp management work … across 41
//! countries".
//!
//! A definition is a parenthesised acronym after the words it abbreviates; the long form is
//! found as Schwartz and Hearst do ("A simple algorithm for identifying abbreviation
//! definitions in biomedical text", 2003): each letter of the acronym, last first, matched to
//! the nearest letter before it in the preceding words, the first one at a word's start.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use regex::Regex;

/// Acronyms (lower case, singular) and the words of their long form (lower case).
#[derive(Debug, Default)]
pub struct Glossary(BTreeMap<String, Vec<String>>);

impl Glossary {
    /// Every definition the texts print. An acronym defined twice with different words keeps
    /// the first definition that reads it (documents in their order).
    pub fn read<'t>(texts: impl IntoIterator<Item = &'t str>) -> Glossary {
        static DEFINED: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"\(([A-Z][A-Za-z]{1,9})\)").unwrap());
        let mut glossary = BTreeMap::new();
        for text in texts {
            for c in DEFINED.captures_iter(text) {
                let (whole, short) = (c.get(0).unwrap(), c.get(1).unwrap().as_str());
                let short = singular(short);
                if short.chars().filter(char::is_ascii_uppercase).count() < 2 {
                    continue;
                }
                if let Some(long) = long_form(short, &text[..whole.start()]) {
                    glossary.entry(short.to_lowercase()).or_insert(long);
                }
            }
        }
        Glossary(glossary)
    }

    /// The acronym a word is printed as ("CCCM", "NGOs" → "ngo"), if a document defines it;
    /// none for a word in lower case.
    pub fn acronym(&self, printed: &str) -> Option<&str> {
        let short = singular(printed);
        if short.chars().filter(char::is_ascii_uppercase).count() < 2 {
            return None;
        }
        self.0
            .get_key_value(&short.to_lowercase())
            .map(|(k, _)| k.as_str())
    }

    /// The acronyms whose long form a run of words mostly prints: at least two of its
    /// distinct words and at least half ("camp management work" is CCCM's "camp coordination
    /// and camp management" in part). `words` are lower case; short words are ignored.
    pub fn abbreviated<'g>(&'g self, words: &[String]) -> Vec<&'g str> {
        self.0
            .iter()
            .filter(|(_, long)| {
                let distinct: BTreeSet<&str> = long
                    .iter()
                    .map(String::as_str)
                    .filter(|w| w.chars().count() > 3)
                    .collect();
                let printed = distinct
                    .iter()
                    .filter(|w| words.iter().any(|x| x == *w))
                    .count();
                printed >= 2 && 2 * printed >= distinct.len()
            })
            .map(|(k, _)| k.as_str())
            .collect()
    }
}

/// "NGOs" → "NGO", "IMs" → "IM".
fn singular(acronym: &str) -> &str {
    match acronym.strip_suffix('s') {
        Some(stem) if stem.ends_with(|c: char| c.is_ascii_uppercase()) => stem,
        _ => acronym,
    }
}

/// The words before `(SHORT)` that it abbreviates, in lower case: at most
/// min(|SHORT| + 5, 2 × |SHORT|) words are looked at.
fn long_form(short: &str, before: &str) -> Option<Vec<String>> {
    let letters: Vec<char> = short
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let reach = (letters.len() + 5).min(letters.len() * 2);
    let words: Vec<&str> = before
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .filter(|w| !w.is_empty())
        .collect();
    // A sentence's end before the definition bounds it.
    let mut window = &words[words.len().saturating_sub(reach)..];
    if let Some(cut) = window.iter().rposition(|w| w.ends_with(['.', ';', ':'])) {
        window = &window[cut + 1..];
    }
    let text: Vec<char> = window.join(" ").to_lowercase().chars().collect();
    let start = match_backwards(&letters, &text)?;
    let long: String = text[start..].iter().collect();
    let words: Vec<String> = long
        .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    (words.len() >= 2).then_some(words)
}

/// Where the long form starts in `text`, each letter matched last first, the first letter at
/// a word's start.
fn match_backwards(letters: &[char], text: &[char]) -> Option<usize> {
    let mut at = text.len();
    for (k, &letter) in letters.iter().enumerate().rev() {
        loop {
            at = at.checked_sub(1)?;
            let word_start = at == 0 || !text[at - 1].is_alphanumeric();
            if text[at] == letter && (k > 0 || word_start) {
                break;
            }
        }
    }
    Some(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(g: &Glossary, printed: &str) -> Option<String> {
        g.0.get(g.acronym(printed)?).map(|w| w.join(" "))
    }

    #[test]
    fn long_forms_are_the_words_the_letters_start() {
        let g = Glossary::read([
            "As the Global Camp Coordination and Camp Management (CCCM) cluster lead, IOM",
            "The provision of water, sanitation and hygiene (WASH) grew.",
            "with non-governmental organizations (NGOs) and the Department of Operations and Emergencies (DOE).",
            "staff (L3) and Greece (GR)",
        ]);
        assert_eq!(
            words(&g, "CCCM").as_deref(),
            Some("camp coordination and camp management")
        );
        assert_eq!(
            words(&g, "WASH").as_deref(),
            Some("water sanitation and hygiene")
        );
        assert_eq!(
            words(&g, "NGOs").as_deref(),
            Some("non governmental organizations")
        );
        assert_eq!(
            words(&g, "DOE").as_deref(),
            Some("department of operations and emergencies")
        );
        // Letters no word before starts: no definition.
        assert_eq!(words(&g, "GR"), None);
        // Lower case is a word, not the acronym.
        assert_eq!(words(&g, "wash"), None);
    }

    #[test]
    fn a_long_form_printed_in_part_is_its_acronym() {
        let g = Glossary::read(["The Camp Coordination and Camp Management (CCCM) cluster"]);
        let said = |text: &str| {
            let words: Vec<String> = text.split(' ').map(str::to_string).collect();
            g.abbreviated(&words).join(",")
        };
        assert_eq!(said("camp management work benefited"), "cccm");
        assert_eq!(said("camp sites"), "");
        assert_eq!(said("coordination of the response"), "");
    }
}
