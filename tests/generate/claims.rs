//! Generated report sentences with figures, each carrying its truth: consistent (the arithmetic
//! holds within what the printing allows, at the rounding edge too), wrong (off by far more than
//! rounding), or no checkable claim at all. Written from how annual reports phrase figures —
//! subjects, verbs, units, years between the figures, hedges, shares as `%`, "per cent",
//! "percent" or words, numbers as digits, words or millions, wrapped at random widths — not from
//! the detector's patterns: the truth is what was rendered.

use super::{Rng, grouped};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Truth {
    Consistent,
    Wrong,
    NotAClaim,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    PartOfBase,
    Change,
    Points,
    Multiple,
    CountsOfWhole,
    SharesOfWhole,
    CountShareList,
    FractionPercent,
}

impl Family {
    pub const ALL: [Family; 8] = [
        Family::PartOfBase,
        Family::Change,
        Family::Points,
        Family::Multiple,
        Family::CountsOfWhole,
        Family::SharesOfWhole,
        Family::CountShareList,
        Family::FractionPercent,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Family::PartOfBase => "part of a base",
            Family::Change => "change (per cent, absolute)",
            Family::Points => "change in percentage points",
            Family::Multiple => "multiple",
            Family::CountsOfWhole => "whole and counted parts",
            Family::SharesOfWhole => "shares of one whole",
            Family::CountShareList => "count-share list",
            Family::FractionPercent => "a share in words and in per cent",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Sentence {
    pub truth: Truth,
    /// The sentence as printed (wrapped), ending with a newline.
    pub text: String,
}

const UNITS: &[(&str, &str)] = &[
    ("migrants", "assisted"),
    ("households", "reached"),
    ("staff", "deployed"),
    ("offices", "surveyed"),
    ("returnees", "registered"),
    ("children", "screened"),
    ("participants", "trained"),
    ("cases", "referred"),
    ("projects", "funded"),
    ("border officials", "trained"),
    ("beneficiaries", "supported"),
    ("shelters", "repaired"),
    ("victims of trafficking", "identified"),
];

const PREDICATES: &[&str] = &[
    "were women",
    "received cash assistance",
    "reported a gender focal point",
    "had found work",
    "lived in urban areas",
    "returned home",
    "were reunited with their families",
    "needed follow-up care",
    "were under 18 years of age",
    "said they felt safe",
];

const WORDS_UNDER_20: &[&str] = &[
    "zero",
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
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

fn in_words(v: u64) -> String {
    if v < 20 {
        return WORDS_UNDER_20[v as usize].to_string();
    }
    let (t, u) = (v / 10, v % 10);
    if u == 0 {
        TENS[t as usize].to_string()
    } else {
        format!("{}-{}", TENS[t as usize], WORDS_UNDER_20[u as usize])
    }
}

/// A count as a report prints it: grouped digits, space-grouped, in words, or in millions.
fn count(rng: &mut Rng, v: u64) -> String {
    if (2..100).contains(&v) && rng.chance(15) {
        return in_words(v);
    }
    // "1.4 million" (a whole "2 million" would say 1.5–2.5 million, not the value).
    if v >= 1_000_000 && v.is_multiple_of(100_000) && !v.is_multiple_of(1_000_000) && rng.chance(60)
    {
        return format!("{:.1}\u{a0}million", v as f64 / 1e6);
    }
    if v >= 10_000 && rng.chance(15) {
        // Typesetting never breaks a number across lines: its groups are joined by a
        // non-breaking space until the sentence is wrapped.
        return grouped(v as i64, '\u{a0}');
    }
    grouped(v as i64, ',')
}

/// A count printed exactly (no "1.4 million", which stands for 1.35–1.45 million): a wrong
/// change must be wrong for every value the printing allows.
fn exact(rng: &mut Rng, v: u64, truth: Truth) -> String {
    if truth == Truth::Wrong {
        grouped(v as i64, ',')
    } else {
        count(rng, v)
    }
}

/// A whole-number share: "45%", "45 per cent", "45 percent".
fn pct(rng: &mut Rng, p: i64) -> String {
    match rng.range(0, 3) {
        0 | 1 => format!("{p}%"),
        2 => format!("{p} per cent"),
        _ => format!("{p} percent"),
    }
}

/// A count between `lo` and `hi`, log-uniform, sometimes a round number (as reports print).
fn amount(rng: &mut Rng, lo: u64, hi: u64) -> u64 {
    let (l, h) = ((lo as f64).ln(), (hi as f64).ln());
    let x = (l + (h - l) * (rng.next_u64() % 1_000_000) as f64 / 1e6).exp() as u64;
    let x = x.clamp(lo, hi);
    if x >= 1_000_000 && rng.chance(50) {
        (x / 100_000).max(1) * 100_000
    } else {
        x
    }
}

fn year(rng: &mut Rng) -> u64 {
    rng.range(2009, 2022) as u64
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Breaks the sentence at spaces so that no line is longer than a random width.
pub fn wrap(rng: &mut Rng, sentence: &str) -> String {
    let width = rng.range(28, 110);
    let mut out = String::new();
    let mut line = 0;
    for (i, word) in sentence.split(' ').enumerate() {
        if i > 0 {
            if line + 1 + word.len() > width {
                out.push('\n');
                line = 0;
            } else {
                out.push(' ');
                line += 1;
            }
        }
        out.push_str(word);
        line += word.len();
    }
    out.push('\n');
    out.replace('\u{a0}', " ")
}

pub fn sentence(rng: &mut Rng, family: Family, truth: Truth) -> Sentence {
    let text = match family {
        Family::PartOfBase => part_of_base(rng, truth),
        Family::Change => change(rng, truth),
        Family::Points => points(rng, truth),
        Family::Multiple => multiple(rng, truth),
        Family::CountsOfWhole => counts_of_whole(rng, truth),
        Family::SharesOfWhole => shares_of_whole(rng, truth),
        Family::CountShareList => count_share_list(rng, truth),
        Family::FractionPercent => fraction_percent(rng, truth),
    };
    Sentence {
        truth,
        text: wrap(rng, &capitalise(&text)),
    }
}

/// A share printed in words, with its value.
const SHARE_WORDS: &[(&str, f64)] = &[
    ("half", 0.5),
    ("a third", 1.0 / 3.0),
    ("one third", 1.0 / 3.0),
    ("two thirds", 2.0 / 3.0),
    ("two-thirds", 2.0 / 3.0),
    ("a quarter", 0.25),
    ("three quarters", 0.75),
    ("a fifth", 0.2),
    ("one in five", 0.2),
    ("one in ten", 0.1),
    ("nine in ten", 0.9),
    ("three out of four", 0.75),
    ("two in five", 0.4),
    ("seven out of ten", 0.7),
    ("two out of every three", 2.0 / 3.0),
    ("one in every four", 0.25),
];

/// How a share of a base is printed, and the part it stands for.
struct Share {
    text: String,
    part: u64,
}

/// A share of `base`: consistent (rounded as printed, at the edge sometimes, hedged rightly) or
/// wrong (by 6 points or more).
fn share_of(rng: &mut Rng, base: u64, truth: Truth) -> Share {
    // A share in words is exact only of a base large enough ("one in five" of 13 is 3 or 23%).
    if base >= 200 && rng.chance(30) {
        let (words, f) = *rng.pick(SHARE_WORDS);
        let off = if truth == Truth::Wrong {
            let d = 0.12 + (rng.range(0, 10) as f64) / 100.0;
            if f + d < 0.97 && (rng.chance(50) || f - d < 0.03) {
                d
            } else {
                -d
            }
        } else {
            0.0
        };
        let part = ((base as f64) * (f + off)).round() as u64;
        return Share {
            text: words.to_string(),
            part: part.clamp(1, base - 1),
        };
    }
    let part = rng.range(base as usize / 100 + 1, base as usize - 1) as u64;
    let exact = part as f64 / base as f64 * 100.0;
    let hedge = rng.range(0, 5);
    let (p, prefix) = match hedge {
        // "nearly 40 per cent": the truth a little under the figure.
        // "nearly 40%" for 39.2%: a point short of a share of 20% or more is "nearly"; of
        // 6.1%, "almost 7%" would be a writer's slip, not a hedge.
        0 if exact > 20.0 => ((exact.floor() as i64 + 1).min(100), "nearly "),
        1 if exact > 5.0 => (
            (exact.ceil() as i64 - 1 - rng.range(0, 2) as i64).max(1),
            "more than ",
        ),
        2 => (exact.round() as i64, "about "),
        _ => (exact.round() as i64, ""),
    };
    let p = if truth == Truth::Wrong {
        // "about 40%" stands for 35–45%: a wrong hedged share misses by more than that.
        let d = rng.range(if prefix == "about " { 11 } else { 6 }, 25) as i64;
        // "more than p" is wrong only when p is above the truth.
        let upwards = prefix == "more than " || rng.chance(50) || p - d < 1;
        if p + d <= 99 && upwards {
            p + d
        } else if p - d >= 1 && prefix != "more than " {
            p - d
        } else {
            p + d
        }
    } else {
        p
    };
    let prefix = if prefix == "nearly " && rng.chance(50) {
        "almost "
    } else {
        prefix
    };
    Share {
        text: format!("{prefix}{}", pct(rng, p.max(1))),
        part,
    }
}

fn part_of_base(rng: &mut Rng, truth: Truth) -> String {
    let base = amount(rng, 12, 3_000_000);
    let share = share_of(rng, base, truth);
    let (noun, verbed) = *rng.pick(UNITS);
    let pred = *rng.pick(PREDICATES);
    let (m, n, s) = (
        exact(rng, base, truth),
        exact(rng, share.part, truth),
        share.text,
    );
    let y = year(rng);
    match rng.range(0, 17) {
        0 => format!("of the {m} {noun} {verbed} in {y}, {n} ({s}) {pred}."),
        1 => format!("out of {m} {noun} {verbed}, {n} ({s}) {pred}."),
        2 => format!("{n} ({s}) of the {m} {noun} {verbed} in {y} {pred}."),
        3 => format!("{n} of the {m} {noun} {verbed} ({s}) {pred}."),
        4 => format!("{s} of the {m} {noun} {verbed} in {y} ({n}) {pred}."),
        5 => format!("in {y}, IOM {verbed} {m} {noun}, of whom {n} ({s}) {pred}."),
        6 => format!("among the {m} {noun} {verbed} in {y}, {n}, or {s}, {pred}."),
        7 => format!("a total of {m} {noun} were {verbed}, of which {s} ({n}) {pred}."),
        // A hedge on a round count says it is rounded ("about 40" is 35–45): only an
        // unrounded one is hedged, as reports print "some 2,391 people".
        8 => {
            let hedge = if share.part.is_multiple_of(10) {
                ""
            } else {
                rng.pick(&[
                    "some ",
                    "about ",
                    "around ",
                    "roughly ",
                    "approximately ",
                    "",
                ])
            };
            let again = *rng.pick(&["people", "in all", noun]);
            // Set off by commas or by dashes.
            let (open, close) = *rng.pick(&[(",", ","), (" –", " –"), (" —", " —")]);
            format!("{s} of the {m} {noun} {verbed} in {y}{open} {hedge}{n} {again}{close} {pred}.")
        }
        9 => format!("{n} {noun}, or {s} of the {m} {verbed} in {y}, {pred}."),
        10 => format!("{s} of the {m} {noun} {verbed} in {y} ({n} in all) {pred}."),
        11 => format!("{s} of the {noun} {verbed} in {y} ({n} of {m}) {pred}."),
        12 => format!("{s} of the {m} {noun} {verbed} in {y}, {n}, {pred}."),
        13 => format!("in {y}, {n} of {m} {noun} {verbed}, or {s}, {pred}."),
        // An appeal's funding: the requirement, the share met and the amount received (a
        // share as a ratio, "one in five funded", is not how it is said).
        14 if !s.contains(" in ") && !s.contains(" out of ") => {
            let (m, n) = (grouped(base as i64, ','), grouped(share.part as i64, ','));
            match rng.range(0, 1) {
                0 => format!("the {y} appeal of USD {m} was {s} funded, with USD {n} received."),
                _ => format!("the {y} response plan (USD {m}) was {s} funded (USD {n})."),
            }
        }
        // The part as the subject of a verb that makes it a share of the base after it.
        15 => {
            let (verb, apposition) = *rng.pick(&[
                ("represented", false),
                ("accounted for", false),
                ("made up", false),
                ("constituted", false),
                ("representing", true),
                ("accounting for", true),
                ("or", true),
            ]);
            if apposition {
                format!(
                    "in {y}, IOM {verbed} {n} {noun}, {verb} {s} of the {m} {noun} {verbed} in the region."
                )
            } else {
                format!(
                    "the {n} {noun} {verbed} in {y} {verb} {s} of the {m} {noun} {verbed} in the region."
                )
            }
        }
        // Funding received against what was required, and the share it met.
        16 if !s.contains(" in ") && !s.contains(" out of ") => {
            let (m, n) = (grouped(base as i64, ','), grouped(share.part as i64, ','));
            let requirement =
                *rng.pick(&["requirements of", "an appeal of", "a total requirement of"]);
            match rng.range(0, 2) {
                0 => format!("in {y}, USD {n} was received against {requirement} USD {m}, or {s}."),
                1 => format!(
                    "in {y}, the plan was funded at {s}, with USD {n} received against the USD {m} requested."
                ),
                _ => format!(
                    "the {y} appeal was {s} funded (USD {n} received against USD {m} required)."
                ),
            }
        }
        _ => format!("{n} out of the {m} {noun} {verbed} ({s}) {pred}."),
    }
}

const UP: &[&str] = &["rose", "increased", "grew", "went up", "climbed"];
const DOWN: &[&str] = &["fell", "decreased", "declined", "dropped", "went down"];
const UP_NOUN: &[&str] = &["an increase", "a rise", "growth", "a jump"];
const DOWN_NOUN: &[&str] = &["a decrease", "a fall", "a drop", "a decline", "a reduction"];
const CHANGE_FRACTIONS: &[(&str, f64)] = &[
    ("a fifth", 0.2),
    ("a quarter", 0.25),
    ("a third", 1.0 / 3.0),
    ("half", 0.5),
];

/// Two figures of a change and the change as printed, right or wrong.
struct Change {
    before: u64,
    after: u64,
    up: bool,
    stated: String,
}

fn relative_change(rng: &mut Rng, truth: Truth) -> Change {
    let up = rng.chance(55);
    let before = amount(rng, 40, 2_000_000);
    if rng.chance(15) {
        let (words, f) = *rng.pick(CHANGE_FRACTIONS);
        let f = if up || f < 0.9 { f } else { 0.25 };
        let g = if truth == Truth::Wrong {
            f + 0.15 + rng.range(0, 10) as f64 / 100.0
        } else {
            f
        };
        let after = if up {
            before as f64 * (1.0 + g)
        } else {
            before as f64 * (1.0 - g.min(0.9))
        };
        return Change {
            before,
            after: after.round() as u64,
            up,
            stated: words.to_string(),
        };
    }
    let r = rng.range(3, if up { 180 } else { 80 }) as f64 + rng.range(0, 99) as f64 / 100.0;
    let after = if up {
        before as f64 * (1.0 + r / 100.0)
    } else {
        before as f64 * (1.0 - r / 100.0)
    };
    let after = after.round().max(1.0) as u64;
    let exact = (after as f64 - before as f64).abs() / before as f64 * 100.0;
    let mut p = exact.round() as i64;
    if truth == Truth::Wrong {
        let d = rng.range(8, 30) as i64;
        p = if rng.chance(50) || p - d < 1 {
            p + d
        } else {
            p - d
        };
    }
    Change {
        before,
        after,
        up,
        stated: pct(rng, p),
    }
}

fn change(rng: &mut Rng, truth: Truth) -> String {
    let (noun, verbed) = *rng.pick(UNITS);
    let subject = format!("the number of {noun} {verbed}");
    let y1 = year(rng);
    let y2 = y1 + 1;
    if rng.chance(20) {
        // An absolute change: "grew by 2,000".
        let before = amount(rng, 100, 500_000);
        let d = amount(rng, 10, before);
        let up = rng.chance(60);
        let after = if up {
            before + d
        } else {
            before - d.min(before - 1)
        };
        let real = after.abs_diff(before);
        let stated = if truth == Truth::Wrong {
            real + real / 2 + 7
        } else {
            real
        };
        let verb = if up { *rng.pick(UP) } else { *rng.pick(DOWN) };
        let (x, y, s) = (
            exact(rng, before, truth),
            exact(rng, after, truth),
            count(rng, stated),
        );
        return match rng.range(0, 1) {
            0 => format!("{subject} {verb} by {s}, from {x} in {y1} to {y} in {y2}."),
            _ => format!(
                "{subject} {verb} from {x} to {y} between {y1} and {y2}, {} of {s}.",
                if up { "an increase" } else { "a decrease" }
            ),
        };
    }
    let c = relative_change(rng, truth);
    let verb = if c.up { *rng.pick(UP) } else { *rng.pick(DOWN) };
    let noun_of = if c.up {
        *rng.pick(UP_NOUN)
    } else {
        *rng.pick(DOWN_NOUN)
    };
    let bare = noun_of.trim_start_matches("an ").trim_start_matches("a ");
    let (x, y, p) = (
        exact(rng, c.before, truth),
        exact(rng, c.after, truth),
        c.stated,
    );
    let more = if c.up {
        "more"
    } else {
        if noun == "staff" { "less" } else { "fewer" }
    };
    match rng.range(0, 17) {
        0 => format!("{subject} {verb} from {x} in {y1} to {y} in {y2}, {noun_of} of {p}."),
        1 => format!("{subject} {verb} by {p}, from {x} in {y1} to {y} in {y2}."),
        2 => format!(
            "in {y2}, IOM {verbed} {y} {noun}, {} from {x} in {y1}, {noun_of} of {p}.",
            if c.up { "up" } else { "down" }
        ),
        3 if !p.starts_with('a') && !p.starts_with('h') => {
            format!("IOM {verbed} {y} {noun} in {y2}, {p} {more} than the {x} {verbed} in {y1}.")
        }
        4 => format!("{subject} {verb} by {p} in {y2} (from {x} in {y1} to {y})."),
        5 => format!("{subject} reached {y} in {y2} compared with {x} in {y1}, {noun_of} of {p}."),
        6 if !p.starts_with('a') && !p.starts_with('h') => {
            format!("{subject} {verb} to {y} in {y2} from {x} in {y1}, a {p} {bare}.")
        }
        7 => {
            format!("{y} {noun} were {verbed} in {y2}, compared to {x} in {y1} ({noun_of} of {p}).")
        }
        8 => format!("{subject} {verb} {p} to {y} in {y2}, from {x} in {y1}."),
        9 => format!("{x} {noun} were {verbed} in {y1} and {y} in {y2}, {noun_of} of {p}."),
        10 => {
            format!("{subject} stood at {y} in {y2}, against {x} a year earlier, {noun_of} of {p}.")
        }
        11 => format!(
            "IOM {verbed} {y} {noun} in {y2}, {} {p} from {x} a year earlier.",
            if c.up { "up" } else { "down" }
        ),
        12 if !p.starts_with('a') && !p.starts_with('h') => {
            format!("{y} {noun} were {verbed} in {y2} against {x} in {y1}, i.e. {p} {more}.")
        }
        13 if !p.starts_with('a') && !p.starts_with('h') => {
            format!("{subject} reached {y} in {y2}, a {p} {bare} over {y1} ({x}).")
        }
        14 => format!("compared with {x} in {y1}, {subject} {verb} by {p} to {y} in {y2}."),
        16 if p.starts_with("a ") => {
            format!("{y} {noun} were {verbed} in {y2}, {p} {more} than the {x} {verbed} in {y1}.")
        }
        15 => format!(
            "in {y2}, {y} {noun} were {verbed}, {} {p} on the {x} of {y1}.",
            if c.up { "up" } else { "down" }
        ),
        _ => format!("{subject} {verb} from {x} to {y}, {noun_of} of {p}."),
    }
}

fn points(rng: &mut Rng, truth: Truth) -> String {
    let a = rng.range(5, 80) as i64;
    let up = rng.chance(60);
    let d = rng.range(2, 15) as i64;
    let b = if up { a + d } else { (a - d).max(1) };
    let real = (b - a).abs();
    let stated = if truth == Truth::Wrong {
        real + rng.range(3, 9) as i64
    } else {
        real
    };
    let (noun, _) = *rng.pick(UNITS);
    let y1 = year(rng);
    let y2 = y1 + 1;
    let (pa, pb) = (pct(rng, a), pct(rng, b));
    let verb = if up { *rng.pick(UP) } else { *rng.pick(DOWN) };
    let noun_of = if up { "an increase" } else { "a decrease" };
    let pp = if rng.chance(70) {
        "percentage points"
    } else {
        "points"
    };
    match rng.range(0, 3) {
        0 => format!(
            "the share of women among {noun} {verb} from {pa} in {y1} to {pb} in {y2}, {noun_of} of {stated} {pp}."
        ),
        1 => format!(
            "the share of {noun} with documents {verb} by {stated} {pp}, from {pa} to {pb}."
        ),
        2 => format!(
            "coverage stood at {pb} in {y2}, {stated} {pp} {} than in {y1} ({pa}).",
            if up { "higher" } else { "lower" }
        ),
        _ => format!(
            "in {y2}, {pb} of {noun} were women, up from {pa} in {y1}, a rise of {stated} {pp}."
        )
        .replace("up from", if up { "up from" } else { "down from" })
        .replace("a rise", if up { "a rise" } else { "a fall" }),
    }
}

fn multiple(rng: &mut Rng, truth: Truth) -> String {
    let (noun, verbed) = *rng.pick(UNITS);
    let subject = format!("the number of {noun} {verbed}");
    let before = amount(rng, 20, 400_000);
    let y1 = year(rng);
    let y2 = y1 + rng.range(1, 3) as u64;
    if rng.chance(25) {
        return times_as_many(rng, truth, before, (y1, y2));
    }
    // (words, k, lowest and highest true ratio the words allow when right)
    let forms: &[(&str, f64, f64, f64)] = &[
        ("doubled", 2.0, 1.9, 2.2),
        ("tripled", 3.0, 2.8, 3.3),
        ("quadrupled", 4.0, 3.8, 4.3),
        ("more than doubled", 2.0, 2.1, 2.8),
        ("nearly doubled", 2.0, 1.8, 1.97),
        ("almost tripled", 3.0, 2.7, 2.95),
        ("halved", 0.5, 0.46, 0.53),
        ("almost halved", 0.5, 0.51, 0.56),
        ("rose threefold", 3.0, 2.8, 3.2),
        ("grew fivefold", 5.0, 4.7, 5.3),
        ("increased two-fold", 2.0, 1.9, 2.1),
    ];
    let (words, k, lo, hi) = *rng.pick(forms);
    let ratio = if truth == Truth::Wrong {
        if k < 1.0 {
            0.8
        } else if words.starts_with("more than") {
            k * 0.7
        } else if k >= 3.0 {
            k + 1.6
        } else {
            k + 1.3
        }
    } else {
        lo + (hi - lo) * rng.range(0, 100) as f64 / 100.0
    };
    let after = (before as f64 * ratio).round() as u64;
    let (x, y) = (exact(rng, before, truth), exact(rng, after, truth));
    match rng.range(0, 3) {
        0 => format!("{subject} {words}, from {x} in {y1} to {y} in {y2}."),
        1 => format!("{subject} {words} between {y1} and {y2}, from {x} to {y}."),
        2 => format!("between {y1} and {y2}, {subject} {words} from {x} to {y}."),
        _ => format!("{subject} {words} to {y} in {y2}, from {x} in {y1}."),
    }
}

/// "IOM assisted 3,000 migrants in 2017, twice as many as the 1,500 assisted in 2016".
fn times_as_many(rng: &mut Rng, truth: Truth, before: u64, (y1, y2): (u64, u64)) -> String {
    let (noun, verbed) = *rng.pick(UNITS);
    let (words, k) = *rng.pick(&[
        ("twice", 2.0),
        ("three times", 3.0),
        ("3 times", 3.0),
        ("four times", 4.0),
        ("five times", 5.0),
    ]);
    let ratio = match truth {
        Truth::Wrong => k + 1.3,
        _ => k * (0.95 + rng.range(0, 10) as f64 / 100.0),
    };
    let after = (before as f64 * ratio).round() as u64;
    let (x, y) = (exact(rng, before, truth), exact(rng, after, truth));
    format!("IOM {verbed} {y} {noun} in {y2}, {words} as many as the {x} {verbed} in {y1}.")
}

const PAIRS: &[(&str, &str)] = &[
    ("boys", "girls"),
    ("women", "men"),
    ("adults", "children"),
    ("in urban areas", "in rural areas"),
];
const REGIONS: &[&str] = &[
    "Africa",
    "Asia",
    "Europe",
    "the Americas",
    "the Middle East",
    "Oceania",
];
const COUNTRIES: &[&str] = &[
    "Chad", "Mali", "Niger", "Nigeria", "Senegal", "Sudan", "Kenya", "Peru", "Iraq", "Yemen",
    "Haiti", "Nepal",
];

/// Parts summing to `whole` (or missing it by at least a tenth, when wrong).
fn split(rng: &mut Rng, whole: u64, parts: usize, truth: Truth) -> Vec<u64> {
    assert!(
        whole as usize > parts,
        "{whole} cannot be split in {parts} parts"
    );
    let mut cuts = std::collections::BTreeSet::new();
    while cuts.len() < parts - 1 {
        cuts.insert(rng.range(1, whole as usize - 1) as u64);
    }
    let mut out = Vec::new();
    let mut prev = 0;
    for c in cuts.into_iter().chain(std::iter::once(whole)) {
        out.push(c - prev);
        prev = c;
    }
    if truth == Truth::Wrong {
        let off = (whole / 10).max(3) + rng.range(0, 5) as u64;
        let i = rng.range(0, parts - 1);
        if rng.chance(50) {
            out[i] += off;
        } else {
            out[i] = out[i].saturating_sub(off).max(1);
            if out.iter().sum::<u64>() + 2 > whole {
                out[i] += 2 * off;
            }
        }
    }
    out
}

fn join_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn counts_of_whole(rng: &mut Rng, truth: Truth) -> String {
    let (noun, verbed) = *rng.pick(UNITS);
    let y = year(rng);
    match rng.range(0, 14) {
        0 => {
            let (w, p) = printed_split(rng, (20, 900_000), 2, truth);
            let (a, b) = *rng.pick(PAIRS);
            let (x, z) = (&p[0], &p[1]);
            format!("among the {w} {noun} {verbed} in {y}, {x} were {a} and {z} were {b}.")
        }
        1 => {
            let (w, p) = printed_split(rng, (30, 900_000), 3, truth);
            format!(
                "of the {w} {noun} {verbed}, {} were in Africa, {} in Asia and the remaining {} in Europe.",
                p[0], p[1], p[2]
            )
        }
        2 => {
            let whole = amount(rng, 6, 60);
            let n = rng.range(2, 4);
            let items: Vec<String> = regional_parts(rng, whole, n, truth)
                .into_iter()
                .map(|(v, r)| format!("{} in {r}", count(rng, v)))
                .collect();
            format!(
                "{} {noun} were {verbed} in {y} ({}).",
                count(rng, whole),
                join_list(&items)
            )
        }
        3 => {
            let n = rng.range(3, 7);
            let named: Vec<String> = rng
                .sample(COUNTRIES, n)
                .into_iter()
                .map(String::from)
                .collect();
            let stated = if truth == Truth::Wrong {
                n + rng.range(2, 5)
            } else {
                n
            };
            format!(
                "in {y}, surveys covered {} countries: {}.",
                count(rng, stated as u64),
                join_list(&named)
            )
        }
        4 => {
            let (w, p) = printed_split(rng, (40, 500_000), 2, truth);
            let (a, b) = *rng.pick(PAIRS);
            let (x, z) = (&p[0], &p[1]);
            format!("of the {w} {noun} {verbed} in {y}, {x} were {a} while {z} were {b}.")
        }
        5 => whole_then_colon_list(rng, truth, noun, verbed, y),
        6 => {
            let (w, p) = printed_split(rng, (40, 500_000), 2, truth);
            let (a, b) = *rng.pick(PAIRS);
            let (x, z) = (&p[0], &p[1]);
            let relative = relative_pronoun(noun);
            format!("{w} {noun} were {verbed} in {y}, {relative} {x} were {a} and {z} {b}.")
        }
        7 => {
            let (w, p) = printed_split(rng, (40, 500_000), 2, truth);
            let (a, b) = *rng.pick(PAIRS);
            let (x, z) = (&p[0], &p[1]);
            format!(
                "a total of {w} {noun} were {verbed} in {y}, {x} of them {a} and {z} of them {b}."
            )
        }
        8 => {
            let (w, p) = printed_split(rng, (30, 900_000), 3, truth);
            format!(
                "of the total of {w} {noun} {verbed}, {} were in Asia, {} in Africa and the other {} in Europe.",
                p[0], p[1], p[2]
            )
        }
        9 => {
            // Each count printed with its own (right) share: only the sum can be wrong.
            let whole = amount(rng, 200, 500_000);
            let p = split(rng, whole, 2, truth);
            let (a, b) = *rng.pick(PAIRS);
            let share = |v: u64| (v as f64 * 100.0 / whole as f64).round() as i64;
            let (sx, sz) = (share(p[0]), share(p[1]));
            let (w, x, z) = (count(rng, whole), count(rng, p[0]), count(rng, p[1]));
            let (sx, sz) = (pct(rng, sx), pct(rng, sz));
            format!(
                "of the {w} {noun} {verbed} in {y}, {x} ({sx}) were {a} and {z} ({sz}) were {b}."
            )
        }
        10 => labelled_parts(rng, truth, noun, verbed, y),
        11 => {
            let n = rng.range(2, 3);
            let whole = amount(rng, 30, 900_000);
            let items: Vec<String> = regional_parts(rng, whole, n, truth)
                .into_iter()
                .map(|(v, r)| format!("{} in {r}", count(rng, v)))
                .collect();
            let verb = *rng.pick(&["comprised", "consisted of", "were made up of"]);
            let w = count(rng, whole);
            format!(
                "the {w} {noun} {verbed} in {y} {verb} {}.",
                join_list(&items)
            )
        }
        12 => {
            let (w, p) = printed_split(rng, (40, 500_000), 2, truth);
            let (a, b) = *rng.pick(PAIRS);
            let (x, z) = (&p[0], &p[1]);
            // The whole's own predicate may print a figure of its own.
            let places = amount(rng, 2, 40);
            let places = count(rng, places);
            let predicate = match rng.range(0, 2) {
                0 => "took part in the survey".to_string(),
                1 => format!("worked in {places} camps"),
                _ => format!("were interviewed in {places} districts"),
            };
            format!("the {w} {noun} {verbed} in {y}, {x} {a} and {z} {b}, {predicate}.")
        }
        13 => {
            let (w, p) = printed_split(rng, (30, 900_000), 3, truth);
            let places = rng.sample(COUNTRIES, 2);
            format!(
                "of the {w} {noun} {verbed} in {y}, {} came from {}, {} from {} and the remaining {} from other countries.",
                p[0], places[0], p[1], places[1], p[2]
            )
        }
        _ => parts_then_total(rng, truth, noun, verbed, y),
    }
}

/// "The 4,500 beneficiaries supported in 2017 were in Jordan (2,000), Lebanon (1,700) and
/// other countries (800)": each part in parentheses after the place it counts, the last one
/// the rest.
fn labelled_parts(rng: &mut Rng, truth: Truth, noun: &str, verbed: &str, y: u64) -> String {
    let n = rng.range(2, 3);
    let (w, parts) = printed_split(rng, (30, 900_000), n + 1, truth);
    let rest = *rng.pick(&[
        "other countries",
        "the rest of the region",
        "all other locations",
    ]);
    let mut items: Vec<String> = rng
        .sample(COUNTRIES, n)
        .into_iter()
        .zip(&parts)
        .map(|(place, v)| format!("{place} ({v})"))
        .collect();
    items.push(format!("{rest} ({})", parts[n]));
    match rng.range(0, 1) {
        0 => format!(
            "the {w} {noun} {verbed} in {y} were in {}.",
            join_list(&items)
        ),
        _ => format!("in {y}, IOM {verbed} {w} {noun} in {}.", join_list(&items)),
    }
}

/// A whole drawn between `lo` and `hi` and its `n` parts (not adding up when wrong), printed.
fn printed_split(
    rng: &mut Rng,
    (lo, hi): (u64, u64),
    n: usize,
    truth: Truth,
) -> (String, Vec<String>) {
    let whole = amount(rng, lo, hi);
    let parts = split(rng, whole, n, truth);
    let printed = parts.into_iter().map(|v| count(rng, v)).collect();
    (count(rng, whole), printed)
}

/// "of whom" after people, "of which" after things.
fn relative_pronoun(noun: &str) -> &'static str {
    match noun {
        "households" | "offices" | "cases" | "projects" | "shelters" => "of which",
        _ => "of whom",
    }
}

/// `whole` split in `n` parts (not adding up when wrong), each with a region of its own.
fn regional_parts(rng: &mut Rng, whole: u64, n: usize, truth: Truth) -> Vec<(u64, &'static str)> {
    let parts = split(rng, whole, n, truth);
    parts.into_iter().zip(rng.sample(REGIONS, n)).collect()
}

/// "A total of 98,230 migrants returned home in 2019: 60,000 from Europe, 30,000 from Africa
/// and 8,230 from Asia."
fn whole_then_colon_list(rng: &mut Rng, truth: Truth, noun: &str, verbed: &str, y: u64) -> String {
    let whole = amount(rng, 30, 900_000);
    let n = rng.range(2, 4);
    let parts = regional_parts(rng, whole, n, truth);
    let via = *rng.pick(&["from", "in", "for"]);
    let items: Vec<String> = parts
        .into_iter()
        .map(|(v, r)| format!("{} {via} {r}", count(rng, v)))
        .collect();
    let w = count(rng, whole);
    let lead = match rng.range(0, 2) {
        0 => format!("in {y}, {w} {noun} were {verbed}"),
        1 => format!("a total of {w} {noun} were {verbed} in {y}"),
        _ => format!("{w} {noun} were {verbed} across the regions"),
    };
    format!("{lead}: {}.", join_list(&items))
}

/// "173 Member States and 8 observer States, for a total of 181", "… and 12 in Asia, or 40 in
/// total": the parts first, then the whole they make.
fn parts_then_total(rng: &mut Rng, truth: Truth, noun: &str, verbed: &str, y: u64) -> String {
    let whole = amount(rng, 30, 900_000);
    let n = rng.range(2, 3);
    let items: Vec<String> = regional_parts(rng, whole, n, truth)
        .into_iter()
        .enumerate()
        .map(|(i, (v, r))| match i {
            0 => format!("{} {noun} were {verbed} in {r}", count(rng, v)),
            _ => format!("{} in {r}", count(rng, v)),
        })
        .collect();
    let (before, after) = *rng.pick(&[
        ("for a total of ", ""),
        ("a total of ", ""),
        ("totalling ", ""),
        ("or ", " in total"),
        ("", " in all"),
        ("making a total of ", ""),
        ("for a combined total of ", ""),
    ]);
    let w = count(rng, whole);
    format!("in {y}, {}, {before}{w}{after}.", join_list(&items))
}

/// Whole-number shares summing to 100 (or off by 5 or more, when wrong).
fn shares(rng: &mut Rng, n: usize, truth: Truth) -> Vec<i64> {
    let mut p: Vec<i64> = split(rng, 100, n, Truth::Consistent)
        .into_iter()
        .map(|v| v as i64)
        .collect();
    if truth == Truth::Wrong {
        let i = rng.range(0, n - 1);
        let d = rng.range(5, 20) as i64;
        p[i] = if p[i] > d + 1 && rng.chance(50) {
            p[i] - d
        } else {
            p[i] + d
        };
    }
    p
}

fn shares_of_whole(rng: &mut Rng, truth: Truth) -> String {
    let (noun, verbed) = *rng.pick(UNITS);
    let y = year(rng);
    match rng.range(0, 4) {
        0 => {
            let s = shares(rng, 2, truth);
            let (a, b) = (pct(rng, s[0]), pct(rng, s[1]));
            format!("of the {noun} {verbed} in {y}, {a} were women and {b} men.")
        }
        1 => {
            let s = shares(rng, 2, truth);
            let (a, b) = (pct(rng, s[0]), pct(rng, s[1]));
            format!("women made up {a} of {noun} {verbed} in {y}, men {b}.")
        }
        2 => {
            let s = shares(rng, 3, truth);
            let (a, b, c) = (pct(rng, s[0]), pct(rng, s[1]), pct(rng, s[2]));
            format!(
                "{a} of the funds went to shelter, {b} to health and the remaining {c} to protection."
            )
        }
        3 => {
            let s = shares(rng, 3, truth);
            let (a, b, c) = (pct(rng, s[0]), pct(rng, s[1]), pct(rng, s[2]));
            format!(
                "of the budget for {y}, {a} went to shelter, {b} to health and {c} to protection."
            )
        }
        _ => {
            let s = shares(rng, 2, truth);
            let (a, b) = (pct(rng, s[0]), pct(rng, s[1]));
            format!("of the {noun}, {a} lived in urban areas and the other {b} in rural areas.")
        }
    }
}

fn count_share_list(rng: &mut Rng, truth: Truth) -> String {
    let (noun, verbed) = *rng.pick(UNITS);
    let whole = amount(rng, 60, 600_000);
    let parts = split(rng, whole, 3, Truth::Consistent);
    let mut p: Vec<i64> = parts
        .iter()
        .map(|v| (*v as f64 / whole as f64 * 100.0).round() as i64)
        .collect();
    if truth == Truth::Wrong {
        let i = rng.range(0, 2);
        let d = rng.range(6, 20) as i64;
        p[i] = if p[i] > d + 1 && rng.chance(50) {
            p[i] - d
        } else {
            p[i] + d
        };
    }
    let (w, a, b, c) = (
        count(rng, whole),
        count(rng, parts[0]),
        count(rng, parts[1]),
        count(rng, parts[2]),
    );
    let (pa, pb, pc) = (pct(rng, p[0]), pct(rng, p[1]), pct(rng, p[2]));
    let (x, y) = *rng.pick(PAIRS);
    match rng.range(0, 2) {
        0 => format!(
            "of the {w} {noun} {verbed}, {a} ({pa}) were in Africa, {b} ({pb}) in Asia and {c} ({pc}) in Europe."
        ),
        // The share after the label it describes.
        1 => format!(
            "of the {w} {noun} {verbed}, {a} were in Africa ({pa}), {b} in Asia ({pb}) and {c} in Europe ({pc})."
        ),
        _ => format!(
            "among the {w} {noun} {verbed}, {a} were {x} ({pa}), {b} were {y} ({pb}) and {c} were of unknown age ({pc})."
        ),
    }
}

/// Sentences with figures but no claim checkable from the sentence alone.
pub fn not_a_claim(rng: &mut Rng) -> Sentence {
    let (noun, verbed) = *rng.pick(UNITS);
    let y = year(rng);
    let (a, b, c) = (
        amount(rng, 20, 90_000),
        amount(rng, 20, 90_000),
        amount(rng, 3, 60),
    );
    let (p, q, r) = (
        rng.range(5, 90) as i64,
        rng.range(5, 90) as i64,
        rng.range(5, 90) as i64,
    );
    let (ta, tb, tc) = (count(rng, a), count(rng, b), count(rng, c));
    let (pp, pq, pr) = (pct(rng, p), pct(rng, q), pct(rng, r));
    let text = match rng.range(0, 34) {
        0 => format!(
            "the strategy covers {y}-{} and targets {tc} countries.",
            y + 4
        ),
        1 => format!(
            "IOM supported {} projects in {y}, including {} in Africa and {} in Asia.",
            count(rng, a + b + c),
            ta,
            tb
        ),
        2 => format!("of these, {pp} were in urban areas."),
        3 => format!(
            "the appeal sought USD {c} million; the flash appeal of {y} sought USD {} million.",
            c + 7
        ),
        4 => format!(
            "the fifth round of the survey, in {y}, reached {ta} households in {tc} districts."
        ),
        5 => format!(
            "IOM employed {ta} staff in {tc} offices across {} countries in {y}.",
            c + 3
        ),
        6 => format!("in {y}, {pp} of returnees were women and {pq} of them were under 30."),
        7 => format!("{pp} of women and {pq} of men reported discrimination at work."),
        8 => format!(
            "some {ta} {noun} were {verbed} in {y}, and {tb} in {}.",
            y + 1
        ),
        9 => format!(
            "between {p} and {} per cent of households lacked safe water.",
            p + 10
        ),
        10 => format!(
            "the programme resettled {ta} refugees to a third country and assisted {tb} others."
        ),
        11 => format!(
            "respondents could give several answers: {pp} cited cost, {pq} distance and {pr} safety."
        ),
        12 => format!(
            "{ta} {noun} were {verbed} in {y}, while {pp} of all cases were closed within {tc} days."
        ),
        13 => format!("the office opened in {y} with {tc} staff and now serves {ta} {noun}."),
        14 => format!("{ta} {noun} were {verbed} in {tc} countries, {pp} more than planned."),
        15 => format!(
            "{tc} States joined in {y} and {} in {}, bringing the total to {}.",
            count(rng, c / 2 + 1),
            y + 1,
            count(rng, a + 100)
        ),
        16 => format!(
            "{ta} {noun} were {verbed} in {y} and {tb} in {}; the total since 2000 is {}.",
            y + 1,
            count(rng, a + b + c * 1000)
        ),
        17 => format!(
            "in {y}, {tc} new offices opened and {} closed, for a total of {}.",
            count(rng, c / 3 + 1),
            count(rng, a + 100)
        ),
        // Distinct countries over two years: the total counts a country once.
        18 => {
            let later = c + rng.range(0, 10) as u64;
            let total = later + rng.range(0, c as usize) as u64;
            format!(
                "IOM supported {tc} countries in {y} and {} in {}, a total of {} countries over the two years.",
                count(rng, later),
                y + 1,
                count(rng, total)
            )
        }
        // The largest parts only: their shares need not make 100.
        19 => {
            let pair = rng.sample(
                &["Syrians", "Afghans", "Iraqis", "Eritreans", "Nigerians"],
                2,
            );
            let (big, small) = (rng.range(20, 50) as i64, rng.range(5, 19) as i64);
            format!(
                "{} accounted for {} of the {noun} {verbed} in {y}, {} {}.",
                pair[0],
                pct(rng, big),
                pair[1],
                pct(rng, small)
            )
        }
        // Some parts of a whole, named after it.
        20 => {
            let (whole, first) = (a + b + c + 50, a / 2 + 1);
            let second = (b / 2 + 1).min(whole - first - 20);
            format!(
                "the {} {noun} {verbed}, {} {} were in Africa and {} in Asia, were evaluated in {y}.",
                count(rng, whole),
                relative_pronoun(noun),
                count(rng, first),
                count(rng, second)
            )
        }
        // Two attributes of one whole: their counts may overlap and exceed it.
        21 => {
            let whole = c + 10;
            let (first, second) = (whole - rng.range(0, 5) as u64, whole / 2 + 5);
            format!(
                "of the {} offices surveyed in {y}, {} had a focal point and {} had a gender strategy.",
                count(rng, whole),
                count(rng, first),
                count(rng, second)
            )
        }
        // A multiple of another subject, after a pair that is no multiple.
        22 => {
            let after = a + a / 5 + 1;
            let other = *rng.pick(&["arrivals", "returns", "applications", "the caseload"]);
            let words = *rng.pick(&["doubled", "tripled", "more than doubled", "halved"]);
            format!(
                "the number of {noun} {verbed} grew from {ta} in {y} to {}, while {other} {words}.",
                count(rng, after)
            )
        }
        // A change stated of another subject, after a pair.
        23 => {
            let joint = *rng.pick(&["while", "whereas", "but"]);
            let verb = *rng.pick(&["rose", "fell", "grew", "increased"]);
            format!(
                "the number of {noun} {verbed} fell from {ta} to {}, {joint} departures {verb} by {pp}.",
                count(rng, a * 3 / 4)
            )
        }
        // Two attributes of one base: their shares may overlap and pass 100.
        24 => format!(
            "of the {ta} households surveyed in {y}, {pp} had access to water, while {pq} had access to health care."
        ),
        // A share given as a range, its part rounded.
        25 => format!(
            "between {p} and {} per cent of the {ta} {noun} {verbed} (about {}) lacked documents.",
            p + 10,
            count(rng, a * (p as u64 + 5) / 100 + 1)
        ),
        // A part of a part inside the list: "2,000 of them women".
        26 => {
            let whole = a + b;
            format!(
                "of the {} {noun} {verbed} in {y}, {ta} were in Libya, {} of them women, and {tb} in Niger.",
                count(rng, whole),
                count(rng, a / 2 + 1)
            )
        }
        // One share in two years: no whole.
        27 => format!(
            "children made up {pp} of the {noun} {verbed} in {y} and {} in {}.",
            pct(rng, 100 - p / 2),
            y + 1
        ),
        // The largest parts only, each after its place: they need not add up to the whole.
        28 => {
            let lead = *rng.pick(&["mainly", "mostly", "notably"]);
            format!(
                "IOM {verbed} {} {noun} in {y}, {lead} in Chad ({ta}) and Mali ({tb}).",
                count(rng, a + b + c)
            )
        }
        // Counts of two dimensions of one whole, each with its own verb: they may overlap.
        29 => format!(
            "of the {} trainings held in {y}, {ta} took place in Africa and {tb} were led by national staff.",
            count(rng, a.max(b) + c)
        ),
        30 => format!(
            "of the {} {noun}, {ta} spoke French, {tb} spoke Arabic and {tc} spoke both.",
            count(rng, a.max(b) + c)
        ),
        // Two complementary groups and a rest that is not counted.
        31 => format!(
            "of the {} partners, {ta} were national NGOs and {tb} were international NGOs, with government bodies making up the rest.",
            count(rng, a + b + c)
        ),
        // A running total: it counts more than the parts printed before it.
        32 => {
            let (lead, since) = *rng.pick(&[
                ("bringing the total to", ""),
                ("for a total of", " since 2015"),
                ("making a total of", " to date"),
                ("for a total of", " so far"),
            ]);
            format!(
                "IOM {verbed} {ta} {noun} in January and {tb} in February, {lead} {}{since}.",
                count(rng, a + b + c * 1000)
            )
        }
        // The count before the share verb is inside the subject's place, not the part.
        33 => format!(
            "in {y}, {noun} from the {tc} countries of the region represented {pp} of the {} {noun} {verbed} worldwide.",
            count(rng, a * 3 + b)
        ),
        _ => {
            format!("the survey reached {ta} {noun}; {pp} of respondents in the capital had work.")
        }
    };
    Sentence {
        truth: Truth::NotAClaim,
        text: wrap(rng, &capitalise(&text)),
    }
}

/// "Nearly two thirds of returnees (64%) were men", "38 per cent (over a third) of the
/// households": one share printed in words and in per cent.
fn fraction_percent(rng: &mut Rng, truth: Truth) -> String {
    let (words, f) = *rng.pick(SHARE_WORDS);
    let exact = f * 100.0;
    // A hedge says on which side of the fraction the percentage lies.
    let (hedge, lo, hi) = *rng.pick(&[
        ("", exact - 2.0, exact + 2.0),
        ("nearly ", exact * 0.97, exact),
        ("almost ", exact * 0.97, exact),
        ("over ", exact + 0.5, exact + 8.0),
        ("more than ", exact + 0.5, exact + 8.0),
    ]);
    let (lo, hi) = (lo.ceil() as i64, hi.floor() as i64);
    let p = match truth {
        Truth::Wrong if hedge.starts_with('o') || hedge.starts_with('m') => {
            exact.floor() as i64 - 8 - rng.range(0, 10) as i64
        }
        Truth::Wrong if !hedge.is_empty() => exact.ceil() as i64 + 8 + rng.range(0, 10) as i64,
        Truth::Wrong if rng.chance(50) => exact.ceil() as i64 + 8 + rng.range(0, 10) as i64,
        Truth::Wrong => exact.floor() as i64 - 8 - rng.range(0, 10) as i64,
        _ => rng.range(lo.max(1) as usize, hi.max(lo.max(1)) as usize) as i64,
    };
    let p = pct(rng, p.clamp(1, 99));
    let (noun, verbed) = *rng.pick(UNITS);
    let y = year(rng);
    let share = format!("{hedge}{words}");
    match rng.range(0, 2) {
        0 => format!("{share} of the {noun} {verbed} in {y} ({p}) were women."),
        1 => format!("in {y}, {share} ({p}) of {noun} were under 18."),
        _ => format!("{p} ({share}) of the {noun} {verbed} were women."),
    }
}
