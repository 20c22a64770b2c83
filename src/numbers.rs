//! Number parsing for text extracted from PDFs.

/// A table cell token: an integer with optional thousands groups (`4,400,000`), or a dash
/// for an empty cell. Grouping must be regular: `1,5` or `12,00` is not a table integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellToken {
    Int(i64),
    Dash,
    /// A well-formed figure too large for a 64-bit integer: an input error, never a wrap.
    TooLarge,
}

pub fn parse_cell_token(token: &str) -> Option<CellToken> {
    match token {
        "-" | "\u{2013}" | "\u{2014}" => Some(CellToken::Dash),
        _ if too_large(token, ',') => Some(CellToken::TooLarge),
        _ => parse_grouped_int(token, ',').map(CellToken::Int),
    }
}

/// Grouped like a figure (`9,223,372,036,854,775,808`) but beyond i64.
pub fn too_large(token: &str, sep: char) -> bool {
    let well_formed = token.split(sep).enumerate().all(|(i, g)| {
        !g.is_empty()
            && g.bytes().all(|b| b.is_ascii_digit())
            && (i == 0 && g.len() <= 3 || g.len() == 3)
    });
    well_formed && token.len() > 18 && parse_grouped_int(token, sep).is_none()
}

/// `4,400,000` with `sep = ','`: the first group has 1–3 digits, every other group exactly 3.
pub fn parse_grouped_int(token: &str, sep: char) -> Option<i64> {
    let mut groups = token.split(sep);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = first.parse().ok()?;
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value = value
            .checked_mul(1000)?
            .checked_add(group.parse::<i64>().ok()?)?;
        grouped = true;
    }
    // A leading zero only makes sense for the number 0 itself.
    if first.len() > 1 && first.starts_with('0') || (grouped && first == "0") {
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_integers() {
        assert_eq!(parse_grouped_int("4,400,000", ','), Some(4_400_000));
        assert_eq!(parse_grouped_int("350,000", ','), Some(350_000));
        assert_eq!(parse_grouped_int("0", ','), Some(0));
        assert_eq!(parse_grouped_int("1,5", ','), None);
        assert_eq!(parse_grouped_int("1234", ','), None);
        assert_eq!(parse_grouped_int("12,00", ','), None);
        assert_eq!(parse_grouped_int("", ','), None);
        assert_eq!(parse_grouped_int("0,100", ','), None);
        assert_eq!(
            parse_grouped_int("9,223,372,036,854,775,807,000", ','),
            None
        );
    }

    #[test]
    fn the_largest_figure_that_fits_and_the_smallest_that_does_not() {
        assert_eq!(
            parse_cell_token("9,223,372,036,854,775,807"),
            Some(CellToken::Int(i64::MAX))
        );
        assert_eq!(
            parse_cell_token("9,223,372,036,854,775,808"),
            Some(CellToken::TooLarge)
        );
        assert!(too_large("9 223 372 036 854 775 808", ' '));
        assert!(!too_large("9 223 372 036 854 775 807", ' '));
        assert!(!too_large("1,5", ','));
    }

    #[test]
    fn cell_tokens() {
        assert_eq!(parse_cell_token("-"), Some(CellToken::Dash));
        assert_eq!(
            parse_cell_token("2,700,000"),
            Some(CellToken::Int(2_700_000))
        );
        assert_eq!(parse_cell_token("1244-administered"), None);
        assert_eq!(parse_cell_token("Total"), None);
    }
}

// ---------------------------------------------------------------------------------------
// Figures in prose: `over 98,000`, `1,5 million`, `$53 million`, `68 per cent`, `Ninety-one`,
// `One hundred and seventy`, `Thirty-` + line break + `nine`, `half`, `121 Million USD`.
// ---------------------------------------------------------------------------------------

use std::sync::LazyLock;

use regex::{Captures, Regex};

const WORD_NUMBERS: &[(&str, u64)] = &[
    ("zero", 0),
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

/// Denominators of fractions in words, singular and plural.
const DENOMINATORS: &[(&str, f64)] = &[
    ("third", 3.0),
    ("quarter", 4.0),
    ("fifth", 5.0),
    ("sixth", 6.0),
    ("seventh", 7.0),
    ("eighth", 8.0),
    ("ninth", 9.0),
    ("tenth", 10.0),
];

const ORDINALS: &[&str] = &[
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
    "twentieth",
];
const ORDINAL_TENS: &[(&str, f64)] = &[
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("thirtieth", 30.0),
    ("fortieth", 40.0),
    ("fiftieth", 50.0),
];

/// "half" → 0.5, "a third" → 1/3, "two-thirds" → 2/3, "three fifths" → 0.6.
fn fraction_words(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    if lower == "half" {
        return Some(0.5);
    }
    let mut words = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty());
    let numerator = match words.next()? {
        "a" => 1.0,
        w => small_number(w)?,
    };
    let denominator = words.next()?;
    let stem = denominator.strip_suffix('s').unwrap_or(denominator);
    let d = DENOMINATORS.iter().find(|(k, _)| *k == stem)?.1;
    (numerator < d).then_some(numerator / d)
}

/// "seven" → 7, "10" → 10, "a hundred" → 100.
fn small_number(text: &str) -> Option<f64> {
    let words: Vec<String> = text
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    match words.as_slice() {
        [a, h] if a == "a" && h == "hundred" => Some(100.0),
        [w] if w == "hundred" => Some(100.0),
        [w] => w
            .parse::<u32>()
            .ok()
            .map(f64::from)
            .or_else(|| parse_number_words(w).map(|v| v as f64)),
        _ => None,
    }
}

/// "fifth largest" → 5, "2nd-highest" → 2, "twenty-third largest" → 23; None for a word of
/// that shape that is no ordinal ("with largest"). The grammar finds ranks by shape (a word
/// ending like an ordinal before a superlative) and this checks the words: a literal list of
/// ordinals in the grammar made every catalogue pattern that embeds it a third slower to
/// compile.
fn rank_number(text: &str) -> Option<f64> {
    let lower = text.to_ascii_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    let first = *words.first()?;
    let ordinal = |w: &str| {
        ORDINALS
            .iter()
            .position(|o| *o == w)
            .map(|i| i as f64 + 1.0)
    };
    if let Some(&(_, tens)) = ORDINAL_TENS.iter().find(|(w, _)| *w == first) {
        let units = words.get(1).and_then(|w| ordinal(w)).filter(|u| *u < 10.0);
        return Some(tens + units.unwrap_or(0.0));
    }
    if let Some(v) = ordinal(first) {
        return Some(v);
    }
    first
        .trim_end_matches(|c: char| c.is_ascii_alphabetic())
        .parse::<u32>()
        .ok()
        .map(f64::from)
}

/// Words that say a printed figure is a bound or a rounding, not an exact count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Qualifier {
    /// over, more than, just over: the value is a lower bound.
    Over,
    /// at least: a lower bound, inclusive.
    AtLeast,
    /// nearly, almost, close to, just under: a little below the true value... or at it.
    Nearly,
    /// up to, less than, fewer than, under: an upper bound.
    UpTo,
    /// approximately, about, around, roughly, some, an estimated: rounded.
    Approximately,
}

impl Qualifier {
    pub fn as_str(self) -> &'static str {
        match self {
            Qualifier::Over => "over",
            Qualifier::AtLeast => "at_least",
            Qualifier::Nearly => "nearly",
            Qualifier::UpTo => "up_to",
            Qualifier::Approximately => "approximately",
        }
    }

    fn parse(words: &str) -> Option<Qualifier> {
        let w = words
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        Some(match w.as_str() {
            "over" | "more than" | "just over" => Qualifier::Over,
            "at least" => Qualifier::AtLeast,
            "nearly" | "almost" | "close to" | "just under" => Qualifier::Nearly,
            "up to" | "less than" | "fewer than" | "under" => Qualifier::UpTo,
            "approximately" | "about" | "around" | "roughly" | "some" | "an estimated"
            | "estimated" => Qualifier::Approximately,
            _ => return None,
        })
    }
}

/// A figure as printed, with what the printing says about its precision.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantity {
    pub value: f64,
    pub qualifier: Option<Qualifier>,
    /// `percent`, `usd`, `eur` or `fraction` when the printing says so.
    pub unit: Option<&'static str>,
    /// Half the rounding step implied by how the number is printed (0 for an exact count):
    /// `4.2 million` → 50,000; `83%` → 0.5; `1 million` → 500,000.
    pub rounding: f64,
    /// True when written in words (`Ninety-one`).
    pub in_words: bool,
}

impl Quantity {
    /// The interval of true values consistent with the printed figure and its qualifier.
    pub fn interval(&self) -> (f64, f64) {
        let (v, r) = (self.value, self.rounding);
        match self.qualifier {
            None => (v - r, v + r),
            Some(Qualifier::Over) | Some(Qualifier::AtLeast) => (v - r, f64::INFINITY),
            Some(Qualifier::UpTo) => (f64::NEG_INFINITY, v + r),
            // "nearly 440,000": a little below the figure, by at most 5% of it.
            Some(Qualifier::Nearly) => (v * 0.95 - r, v + r),
            // "about half": a fraction in words is loose already; "about" doubles it.
            Some(Qualifier::Approximately) if self.unit == Some("fraction") => {
                (v - 2.0 * r, v + 2.0 * r)
            }
            // "approximately 69,500": rounded to its last non-zero digit.
            Some(Qualifier::Approximately) => {
                let step = self.rounding.max(trailing_zero_step(v) / 2.0);
                (v - step, v + step)
            }
        }
    }
}

/// 69,500 → 100; 40,000 → 10,000; 103 → 1 (at least 1).
fn trailing_zero_step(v: f64) -> f64 {
    if v.fract() != 0.0 || v < 10.0 {
        return 1.0;
    }
    let mut step = 1.0;
    let mut n = v as u64;
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
        step *= 10.0;
    }
    step
}

const QUALIFIERS: &str = r"just\s+over|just\s+under|more\s+than|fewer\s+than|less\s+than|at\s+least|close\s+to|up\s+to|an\s+estimated|approximately|about|around|roughly|some|nearly|almost|over|under|estimated";
const NUMBER_WORDS: &str = r"zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand";

/// The regex of one figure, with named groups. Used to scan text and, anchored, to parse it.
/// ASCII mode (`-u`): the grammar is ASCII but for `€` (a Unicode group of its own), and a
/// Unicode-aware version compiles an order of magnitude slower, once per catalogue pattern.
pub fn figure_pattern() -> String {
    format!(
        r"(?i-u:(?P<qual>\b(?:{QUALIFIERS})\s+)?(?P<cur1>(?:USD|EUR|US\$|\$|(?u:€))\s?)?(?:(?P<ratio>\b(?P<rn>{SMALL_WORDS}|\d{{1,2}})\s+(?:in|out\s+of)\s+(?:every\s+)?(?P<rd>{DENOMINATOR_WORDS}|100|10|[2-9])\b)|(?P<rank>\b(?:[a-z]+\s*-\s*)?[a-z0-9]+(?:st|nd|rd|th)[\s-]+(?:largest|biggest|highest|lowest|smallest)\b)|(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d{{1,3}}(?: \d{{3}})+|\d+(?:[.,]\d+)?)|(?P<frac>\b(?:half|(?:a|one|{SMALL_WORDS})[\s-]+(?:thirds?|quarters?|fifths?|sixths?|sevenths?|eighths?|ninths?|tenths?))\b)|(?P<words>\b(?:{NUMBER_WORDS})(?:(?:\s*-\s*|\s+and\s+|\s+)(?:{NUMBER_WORDS}))*\b))(?:(?P<scale>\s+(?:million|billion|thousand)\b)|(?P<abbr>\s?(?:bn|mn)\b|(?:m|k)\b))?(?P<pct>\s*%|\s+per\s*cent\b|\s+percent\b)?(?P<cur2>\s+(?:USD|EUR)\b)?)"
    )
}

/// The scale an abbreviation prints: "USD 1.2bn", "EUR 40 mn" (bn and mn mean nothing else);
/// "USD 900m", "$250k" only after a currency (glued "m" is as often metres). None when the
/// abbreviation is no scale, so that "a 900m wall" is no figure, as before.
fn abbreviated_scale(abbr: Option<&str>, currency: bool) -> Option<f64> {
    let Some(abbr) = abbr else {
        return Some(1.0);
    };
    match abbr.trim().to_ascii_lowercase().as_str() {
        "bn" => Some(1e9),
        "mn" => Some(1e6),
        "m" if currency => Some(1e6),
        "k" if currency => Some(1e3),
        _ => None,
    }
}

/// Numerators of fractions and ratios in words ("two thirds", "nine in ten").
const SMALL_WORDS: &str = r"one|two|three|four|five|six|seven|eight|nine|ten";
/// Denominators of ratios in words: "one in seven", "three out of four", "one in a hundred".
const DENOMINATOR_WORDS: &str =
    r"two|three|four|five|six|seven|eight|nine|ten|twenty|a\s+hundred|hundred";

static FIGURE: LazyLock<Regex> = LazyLock::new(|| Regex::new(&figure_pattern()).unwrap());
/// [`FIGURE`] as the engine beneath it, to read a match's groups with an anchored search.
static FIGURE_GROUPS: LazyLock<regex_automata::meta::Regex> =
    LazyLock::new(|| regex_automata::meta::Regex::new(&figure_pattern()).unwrap());
static FIGURE_ANCHORED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!(r"^\s*{}\s*$", figure_pattern())).unwrap());

/// Parses text that is exactly one figure (surrounding spaces allowed).
pub fn parse_quantity(text: &str) -> Option<Quantity> {
    FIGURE_ANCHORED
        .captures(text)
        .and_then(|c| quantity_from(&c))
}

/// Every figure in `text`, with its byte range, leftmost first.
pub fn scan_quantities(text: &str) -> Vec<(std::ops::Range<usize>, Quantity)> {
    figure_spans(text)
        .into_iter()
        .filter_map(|found| quantity_at(text, found))
        .collect()
}

/// Where each figure of `text` is, leftmost first: the fast half of the scan (no groups).
/// [`quantity_at`] reads each one, so that a long text's figures can be read in parallel.
pub fn figure_spans(text: &str) -> Vec<std::ops::Range<usize>> {
    each_figure_span(text).collect()
}

/// [`figure_spans`] one at a time, for a caller that keeps them in a smaller form.
pub fn each_figure_span(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    FIGURE.find_iter(text).map(|m| m.range())
}

/// The figure the scan found at `found` in `text`, read with its groups (the same match:
/// leftmost-first from its own start), or None when it is no figure after all.
pub fn quantity_at(
    text: &str,
    found: std::ops::Range<usize>,
) -> Option<(std::ops::Range<usize>, Quantity)> {
    // Digits and separators alone can only be the grammar's plain number (every other part
    // of a figure has a letter or a sign): read without the groups.
    let printed = &text[found.clone()];
    if printed
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b',' | b'.' | b' '))
    {
        let (value, decimals) = parse_digits(printed)?;
        let step = decimals.map_or(0.0, |d| 10f64.powi(-(d as i32)));
        let q = Quantity {
            value,
            qualifier: None,
            unit: None,
            rounding: step / 2.0,
            in_words: false,
        };
        return Some((found, q));
    }
    // The same match, read with its groups: anchored at its start and bounded by its end, so
    // that only its own bytes are searched again (look-around still sees the text beside it).
    let mut caps = FIGURE_GROUPS.create_captures();
    let input = regex_automata::Input::new(text)
        .span(found.clone())
        .anchored(regex_automata::Anchored::Yes);
    FIGURE_GROUPS.search_captures(&input, &mut caps);
    let whole = caps.get_match()?.range();
    let group = |name: &str| caps.get_group_by_name(name).map(|s| s.range());
    if ordinal_not_fraction(whole.clone(), &group, text) {
        return None;
    }
    let mut q = quantity_of(|name| group(name).map(|r| &text[r]))?;
    if movement_not_bound(&group, text) {
        // The figure starts after "up to", which is the verb's, not the figure's.
        q.qualifier = None;
        let from = ["cur1", "ratio", "rank", "num", "frac", "words"]
            .into_iter()
            .find_map(group)?
            .start;
        return Some((from..whole.end, q));
    }
    Some((whole, q))
}

/// Words after which a singular fraction word still reads as a fraction: "a third of",
/// "a fifth in 2016", "a quarter (198)", "a third from".
const AFTER_FRACTION: &[&str] = &[
    "of", "in", "on", "from", "to", "and", "or", "between", "since", "compared", "over", "during",
    "while", "when", "than", "as", "at", "more", "fewer", "less", "higher", "lower", "larger",
    "smaller", "greater", "above", "below", "funded", "financed", "covered",
];

/// "a third country", "one fifth round": a singular fraction word followed by another word is an
/// ordinal, not a share, unless that word carries the phrase on ("a third of", "by a fifth in
/// 2016", "a third fewer than", "a third funded") or the fraction follows "by" ("grew by a
/// third").
fn ordinal_not_fraction(
    whole: std::ops::Range<usize>,
    group: &impl Fn(&str) -> Option<std::ops::Range<usize>>,
    text: &str,
) -> bool {
    let Some(frac) = group("frac") else {
        return false;
    };
    let words = text[frac].to_ascii_lowercase();
    if words == "half" || words.ends_with('s') {
        return false;
    }
    let start = whole.start;
    if text[..start]
        .trim_end()
        .to_ascii_lowercase()
        .ends_with(" by")
    {
        return false;
    }
    let after = text[whole.end..].trim_start();
    let next: String = after
        .chars()
        .take_while(|ch| ch.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_lowercase();
    !next.is_empty() && !AFTER_FRACTION.contains(&next.as_str())
}

/// "went up to 61,737", "rose up to 40%": "up to" after a verb of movement says where a figure
/// moved, not that it is a bound.
fn movement_not_bound(group: &impl Fn(&str) -> Option<std::ops::Range<usize>>, text: &str) -> bool {
    let Some(q) = group("qual") else {
        return false;
    };
    let words: Vec<String> = text[q.clone()]
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    if words != ["up", "to"] {
        return false;
    }
    let verb = text[..q.start]
        .split_whitespace()
        .next_back()
        .map(|w| {
            w.trim_matches(|ch: char| !ch.is_ascii_alphabetic())
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    matches!(
        verb.as_str(),
        "went"
            | "go"
            | "goes"
            | "gone"
            | "going"
            | "rose"
            | "risen"
            | "rising"
            | "climbed"
            | "jumped"
            | "moved"
            | "shot"
    )
}

/// Builds the quantity from a match of [`figure_pattern`].
pub fn quantity_from(c: &Captures) -> Option<Quantity> {
    quantity_of(|name| c.name(name).map(|m| m.as_str()))
}

/// Builds the quantity from the text of each named group of a match of [`figure_pattern`]
/// (whichever regex engine matched it).
pub fn quantity_of<'h>(group: impl Fn(&str) -> Option<&'h str>) -> Option<Quantity> {
    let qualifier = match group("qual") {
        Some(q) => Some(Qualifier::parse(q)?),
        None => None,
    };
    let scale = match group("scale").map(|s| s.trim().to_lowercase()) {
        Some(s) if s == "million" => 1e6,
        Some(s) if s == "billion" => 1e9,
        Some(s) if s == "thousand" => 1e3,
        _ => abbreviated_scale(group("abbr"), group("cur1").is_some())?,
    };
    let (mut value, decimals, in_words, mut unit) = if let Some(num) = group("num") {
        let (v, decimals) = parse_digits(num)?;
        (v, decimals, false, None)
    } else if let Some(frac) = group("frac") {
        (fraction_words(frac)?, None, true, Some("fraction"))
    } else if group("ratio").is_some() {
        let (n, d) = (group("rn")?, group("rd")?);
        let (n, d) = (small_number(n)?, small_number(d)?);
        if n == 0.0 || n >= d {
            return None;
        }
        (n / d, None, true, Some("fraction"))
    } else if let Some(rank) = group("rank") {
        (rank_number(rank)?, None, true, Some("rank"))
    } else {
        let v = parse_number_words(group("words")?)? as f64;
        (v, None, true, None)
    };
    if matches!(unit, Some("fraction" | "rank")) && scale != 1.0 {
        return None;
    }
    let pct = group("pct").is_some();
    // Printed precision: decimals, or the scale word alone ("1 million" = 0.5–1.5 million).
    let step = match decimals {
        Some(decimals) => 10f64.powi(-(decimals as i32)) * scale,
        // "half", "a third": loose by nature; read as within 2.5 points.
        None if unit == Some("fraction") => 0.05,
        None if scale > 1.0 => scale,
        None if pct => 1.0,
        None => 0.0,
    };
    value *= scale;
    if pct {
        if matches!(unit, Some("fraction" | "rank")) {
            return None;
        }
        unit = Some("percent");
    }
    let currency = group("cur1")
        .or(group("cur2"))
        .map(|m| m.trim().to_uppercase());
    if let Some(cur) = currency {
        if unit.is_some() {
            return None;
        }
        unit = Some(if cur == "EUR" || cur == "€" {
            "eur"
        } else {
            "usd"
        });
    }
    Some(Quantity {
        value,
        qualifier,
        unit,
        rounding: step / 2.0,
        in_words,
    })
}

/// `1,663,938` → (1663938, None); `4.2` → (4.2, Some(1)); `1,5` → (1.5, Some(1));
/// `54 006` → 54006. A comma followed by exactly three digits groups thousands; any other
/// comma is a decimal comma. Returns the number of decimals printed, if any.
fn parse_digits(s: &str) -> Option<(f64, Option<u32>)> {
    if let Some(v) = parse_grouped_int(s, ',') {
        return Some((v as f64, None));
    }
    if let Some(v) = parse_grouped_int(s, ' ') {
        return Some((v as f64, None));
    }
    if let Some((int, frac)) = s.split_once('.') {
        let int = parse_grouped_int(int, ',')
            .map(|v| v as f64)
            .or_else(|| int.parse().ok())?;
        let f: f64 = format!("0.{frac}").parse().ok()?;
        return Some((int + f, Some(frac.len() as u32)));
    }
    if let Some((int, frac)) = s.split_once(',')
        && frac.len() != 3
        && !frac.contains(',')
    {
        let v: f64 = format!("{int}.{frac}").parse().ok()?;
        return Some((v, Some(frac.len() as u32)));
    }
    s.parse::<u64>().ok().map(|v| (v as f64, None))
}

/// `Ninety-one` → 91, `One hundred and seventy` → 170, `Thirty-\nnine` → 39.
pub fn parse_number_words(s: &str) -> Option<u64> {
    let mut total: u64 = 0;
    let mut current: u64 = 0;
    let mut seen = false;
    for token in s
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|t| !t.is_empty())
    {
        let t = token.to_lowercase();
        match t.as_str() {
            "and" => continue,
            "hundred" => current = current.max(1) * 100,
            "thousand" => {
                total += current.max(1) * 1000;
                current = 0;
            }
            _ => current += WORD_NUMBERS.iter().find(|(w, _)| *w == t)?.1,
        }
        seen = true;
    }
    seen.then_some(total + current)
}

#[cfg(test)]
mod figure_tests {
    use super::*;

    fn q(text: &str) -> Quantity {
        parse_quantity(text).unwrap_or_else(|| panic!("'{text}' should parse"))
    }

    #[test]
    fn thousands_separators() {
        assert_eq!(q("1,663,938").value, 1_663_938.0);
        assert_eq!(q("54 006").value, 54_006.0);
        assert_eq!(q("3 035 000").value, 3_035_000.0);
        assert_eq!(q("212,226").rounding, 0.0);
    }

    #[test]
    fn decimals_and_scales() {
        let v = q("1,5 million");
        assert_eq!((v.value, v.rounding), (1_500_000.0, 50_000.0));
        let v = q("4.2 million");
        assert_eq!((v.value, v.rounding), (4_200_000.0, 50_000.0));
        assert_eq!(q("2 Billion").value, 2e9);
        assert_eq!(q("1 million").rounding, 500_000.0);
        assert_eq!(q("31.7%").value, 31.7);
    }

    #[test]
    fn currencies_before_or_after() {
        let v = q("USD 1,700,000");
        assert_eq!((v.value, v.unit), (1_700_000.0, Some("usd")));
        let v = q("$53 million");
        assert_eq!((v.value, v.unit), (53e6, Some("usd")));
        let v = q("121 Million USD");
        assert_eq!((v.value, v.unit), (121e6, Some("usd")));
        let v = q("EUR 143 million");
        assert_eq!((v.value, v.unit), (143e6, Some("eur")));
    }

    #[test]
    fn percentages() {
        let v = q("68%");
        assert_eq!((v.value, v.unit, v.rounding), (68.0, Some("percent"), 0.5));
        assert_eq!(q("68 per cent").unit, Some("percent"));
        assert_eq!(q("59\nper cent").value, 59.0);
        assert_eq!(q("76 per\ncent").unit, Some("percent"));
        assert_eq!(q("12 percent").unit, Some("percent"));
    }

    #[test]
    fn number_words() {
        assert_eq!(q("Ninety-one").value, 91.0);
        assert_eq!(q("One hundred and seventy").value, 170.0);
        assert_eq!(q("Thirty-\nnine").value, 39.0);
        assert_eq!(q("eighteen").value, 18.0);
        assert_eq!(q("Sixty-six").value, 66.0);
        assert_eq!(q("two million").value, 2e6);
        assert!(q("Forty-four").in_words);
    }

    #[test]
    fn abbreviated_scales_are_read_after_a_currency() {
        let v = q("USD 1.2bn");
        assert_eq!((v.value, v.unit), (1.2e9, Some("usd")));
        assert_eq!(v.interval(), (1.15e9, 1.25e9));
        assert_eq!(q("EUR 40 mn").value, 4e7);
        assert_eq!(q("USD 900m").value, 9e8);
        assert_eq!(q("$250k").value, 2.5e5);
        assert_eq!(q("3bn").value, 3e9);
        let values = |text: &str| -> Vec<f64> {
            scan_quantities(text)
                .into_iter()
                .map(|(_, q)| q.value)
                .collect()
        };
        // Without a currency a glued "m" or "k" may be metres or a race: no figure, as before.
        assert_eq!(values("a 900m wall and a 10k run"), Vec::<f64>::new());
        assert_eq!(values("a wall 5 m high"), vec![5.0]);
    }

    #[test]
    fn fractions_in_words() {
        let v = q("half");
        assert_eq!((v.value, v.unit), (0.5, Some("fraction")));
        assert_eq!(v.interval(), (0.475, 0.525));
        // "about half" is looser than "half", not anything from 0 to 1.
        let (lo, hi) = q("about half").interval();
        assert!(
            (lo - 0.45).abs() < 1e-12 && (hi - 0.55).abs() < 1e-12,
            "{lo}–{hi}"
        );
        assert!((q("a third").value - 1.0 / 3.0).abs() < 1e-12);
        assert!((q("two thirds").value - 2.0 / 3.0).abs() < 1e-12);
        assert!((q("two-thirds").value - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(q("a fifth").value, 0.2);
        assert_eq!(q("three quarters").value, 0.75);
        assert_eq!(q("three tenths").value, 0.3);
        assert!(parse_quantity("five thirds").is_none());
    }

    #[test]
    fn ratios_and_ranks_in_words() {
        let v = q("one in seven");
        assert_eq!((v.value, v.unit), (1.0 / 7.0, Some("fraction")));
        assert_eq!(q("three out of four").value, 0.75);
        assert_eq!(q("nine in ten").value, 0.9);
        assert_eq!(q("7 out of 10").value, 0.7);
        assert_eq!(q("two out of every three").value, 2.0 / 3.0);
        assert_eq!(q("one in every five").value, 0.2);
        assert_eq!(q("nearly one in five").qualifier, Some(Qualifier::Nearly));
        let v = q("the fifth largest".trim_start_matches("the "));
        assert_eq!((v.value, v.unit), (5.0, Some("rank")));
        assert_eq!(q("2nd-highest").value, 2.0);
        assert_eq!(q("twenty-\nthird largest").value, 23.0);
        assert_eq!(q("thirtieth largest").value, 30.0);
        assert!(parse_quantity("ten in seven").is_none());
    }

    #[test]
    fn a_singular_fraction_word_before_a_noun_is_an_ordinal() {
        let found = |t: &str| -> Vec<String> {
            scan_quantities(t)
                .into_iter()
                .map(|(r, _)| t[r].to_string())
                .collect()
        };
        assert!(found("resettled to a third country").is_empty());
        assert_eq!(found("a third of the 90 sites"), ["a third", "90"]);
        assert_eq!(found("fell by a fifth, from"), ["a fifth"]);
        assert_eq!(found("grew by a third in 2016"), ["a third", "2016"]);
        assert_eq!(found("of which one third (198)"), ["one third", "198"]);
        assert!(found("in the fifth round").is_empty());
        assert_eq!(found("two thirds were women"), ["two thirds"]);
    }

    #[test]
    fn qualifiers_including_on_the_previous_line() {
        for (text, qual) in [
            ("over 98,000", Qualifier::Over),
            ("more than 6", Qualifier::Over),
            ("approximately\n69,500", Qualifier::Approximately),
            ("about 29", Qualifier::Approximately),
            ("some 22.7 million", Qualifier::Approximately),
            ("nearly 440,000", Qualifier::Nearly),
            ("almost 4,000", Qualifier::Nearly),
            ("at least 11", Qualifier::AtLeast),
            ("close to 100", Qualifier::Nearly),
        ] {
            assert_eq!(q(text).qualifier, Some(qual), "{text}");
        }
        // Bounds: "over 98,000" is not contradicted by 98,403.
        let (lo, hi) = q("over 98,000").interval();
        assert!(lo <= 98_403.0 && 98_403.0 <= hi);
        let (lo, hi) = q("approximately 69,500").interval();
        assert_eq!((lo, hi), (69_450.0, 69_550.0));
        let (lo, hi) = q("approximately 40,000").interval();
        assert_eq!((lo, hi), (35_000.0, 45_000.0));
        let (lo, hi) = q("83%").interval();
        assert_eq!((lo, hi), (82.5, 83.5));
    }

    #[test]
    fn scanning_prose() {
        let text = "In 2016, IOM assisted over 98,000 migrants (68% male, 32% female) from 112 host countries.";
        let found: Vec<(&str, f64)> = scan_quantities(text)
            .into_iter()
            .map(|(r, q)| (&text[r], q.value))
            .collect();
        assert_eq!(
            found,
            [
                ("2016", 2016.0),
                ("over 98,000", 98_000.0),
                ("68%", 68.0),
                ("32%", 32.0),
                ("112", 112.0)
            ]
        );
        let text = "Germany           54 006         35 446";
        let found: Vec<f64> = scan_quantities(text)
            .into_iter()
            .map(|(_, q)| q.value)
            .collect();
        assert_eq!(found, [54_006.0, 35_446.0]);
    }

    #[test]
    fn up_to_after_a_verb_of_movement_is_not_a_bound() {
        let text = "Arrivals went up to 61,737 in 2016; up to 40 staff may serve.";
        let found: Vec<(&str, Option<Qualifier>)> = scan_quantities(text)
            .into_iter()
            .map(|(r, q)| (&text[r], q.qualifier))
            .collect();
        assert_eq!(found[0], ("61,737", None));
        assert_eq!(found[2], ("up to 40", Some(Qualifier::UpTo)));
    }

    #[test]
    fn not_figures() {
        assert!(parse_quantity("C/108/4").is_none());
        assert!(parse_quantity("migrants").is_none());
        assert!(parse_quantity("").is_none());
    }
}
