//! Claims composed from cues. A sentence is split into clauses; each figure of a clause gets
//! a role from the few words printed next to it ("of the" before a base, "from" and "to"
//! around the two sides of a change, "by" or "an increase of" before a stated change, a
//! parenthesis binding a count to its share); a claim is a combination of roles that the
//! clause licenses, in whatever order the sentence prints them. Where two readings fit, the
//! clause makes no claim: precision first. A reading whose figures cannot fit (a part larger
//! than its base, a change from zero) is a failing claim, not a dropped one.
//!
//! Families: a part and its share of a base; a change between two figures with the change
//! stated (relative, in percentage points, or absolute), its direction, or a multiple; a whole
//! and its parts (counts summing to the whole, shares of one base summing to 100).

use super::{Claim, Kind, Passage, Side};
use crate::extract::figures::Mention;
use crate::interval::{Interval, add, div};

/// What a figure can stand for in a clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// A count or an amount.
    Count,
    /// A share: `45%`, `45 per cent`, `two thirds`, `one in seven`.
    Share,
    /// A difference of shares: `6 percentage points`.
    Points,
    /// "three times": a multiplier, never a side of a claim.
    Times,
    /// Ranks and anything else no claim reads.
    Other,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// A figure: its index among the passage's mentions.
    Fig(usize),
    /// A word, lower-cased.
    Word(String),
    Punct(char),
}

/// One figure of a clause: where it stands and what it is.
#[derive(Clone, Copy)]
struct Fig<'m> {
    at: usize,
    m: &'m Mention,
    class: Class,
}

impl Fig<'_> {
    /// Its value and interval on the scale claims compare: shares in per cent.
    fn value(&self) -> f64 {
        if self.m.quantity.unit == Some("fraction") {
            self.m.quantity.value * 100.0
        } else {
            self.m.quantity.value
        }
    }

    fn interval(&self) -> Interval {
        let (lo, hi) = self.m.quantity.interval();
        if self.m.quantity.unit == Some("fraction") {
            (lo * 100.0, hi * 100.0)
        } else {
            (lo, hi)
        }
    }

    fn side(&self) -> Side {
        Side {
            value: Some(self.value()),
            interval: self.interval(),
        }
    }
}

const UP_WORDS: &[&str] = &[
    "increase",
    "increased",
    "increases",
    "increasing",
    "rise",
    "rises",
    "rose",
    "rising",
    "risen",
    "grew",
    "grow",
    "grows",
    "growing",
    "grown",
    "growth",
    "gain",
    "gained",
    "jump",
    "jumped",
    "climbed",
    "climbing",
    "up",
    "upturn",
    "expanded",
];
const DOWN_WORDS: &[&str] = &[
    "decrease",
    "decreased",
    "decreases",
    "decreasing",
    "decline",
    "declined",
    "declines",
    "declining",
    "fall",
    "fell",
    "falls",
    "falling",
    "fallen",
    "drop",
    "dropped",
    "drops",
    "dropping",
    "reduction",
    "reduced",
    "cut",
    "loss",
    "down",
    "shrank",
    "shrunk",
    "contracted",
    "downturn",
];
const MORE_WORDS: &[&str] = &["more", "higher", "greater", "larger", "above"];
const LESS_WORDS: &[&str] = &["fewer", "less", "lower", "smaller", "below"];

/// Words between "of" and a base: "of the 145", "of all IOM's 400", "among the registered 640".
const MAX_BASE_WORDS: usize = 3;

/// +1 for a rise, -1 for a fall, None for neither.
fn direction(word: &str) -> Option<f64> {
    if UP_WORDS.contains(&word) || MORE_WORDS.contains(&word) {
        Some(1.0)
    } else if DOWN_WORDS.contains(&word) || LESS_WORDS.contains(&word) {
        Some(-1.0)
    } else {
        None
    }
}

/// The skeleton as words, punctuation and figures.
fn tokens(skeleton: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = skeleton;
    while let Some(c) = rest.chars().next() {
        if c == '«' {
            let end = rest.find('»').unwrap_or(rest.len());
            let digits = rest
                .get(c.len_utf8()..end)
                .unwrap_or("")
                .trim_start_matches(|ch: char| ch.is_ascii_alphabetic());
            if let Ok(i) = digits.parse() {
                out.push(Tok::Fig(i));
            }
            rest = rest.get(end + '»'.len_utf8()..).unwrap_or("");
        } else if c.is_alphanumeric() {
            let len = rest
                .char_indices()
                .find(|&(i, ch)| {
                    !(ch.is_alphanumeric()
                        || (i > 0 && matches!(ch, '-' | '\'' | '’' | '.') && {
                            let next = rest[i + ch.len_utf8()..].chars().next();
                            next.is_some_and(char::is_alphanumeric)
                        }))
                })
                .map_or(rest.len(), |(i, _)| i);
            out.push(Tok::Word(rest[..len].to_lowercase()));
            rest = &rest[len..];
        } else {
            if !c.is_whitespace() {
                out.push(Tok::Punct(c));
            }
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// A clause: a run of tokens between semicolons, with its figures.
struct Clause<'t, 'm> {
    toks: &'t [Tok],
    figs: Vec<Fig<'m>>,
}

impl<'m> Clause<'_, 'm> {
    fn word(&self, i: usize) -> Option<&str> {
        match self.toks.get(i) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }

    fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i) {
            Some(Tok::Punct(c)) => Some(*c),
            _ => None,
        }
    }

    /// The word `k` tokens before `i` (k ≥ 1), if that token is a word.
    fn word_before(&self, i: usize, k: usize) -> Option<&str> {
        i.checked_sub(k).and_then(|j| self.word(j))
    }

    fn fig_at(&self, at: usize) -> Option<Fig<'m>> {
        self.figs.iter().find(|f| f.at == at).copied()
    }

    fn of_class(&self, class: Class) -> impl Iterator<Item = Fig<'m>> + '_ {
        self.figs.iter().filter(move |f| f.class == class).copied()
    }

    /// No figure strictly between two token positions.
    fn no_figure_between(&self, a: usize, b: usize) -> bool {
        let (lo, hi) = (a.min(b), a.max(b));
        !self.figs.iter().any(|f| f.at > lo && f.at < hi)
    }

    /// "of the 145", "among the 640", "out of 1,250", "of all 400": the base cue before a
    /// count at `at`: the position of its "of"/"among", if any.
    fn base_cue_before(&self, at: usize) -> Option<usize> {
        let mut j = at;
        for _ in 0..=MAX_BASE_WORDS {
            j = j.checked_sub(1)?;
            match self.word(j)? {
                "of" | "among" | "amongst" => {
                    let before = j.checked_sub(1).and_then(|k| self.word(k));
                    // "Of the total of 2,000 cases": the base cue is the first "of".
                    if before == Some("total")
                        && self.word_before(j, 2) == Some("the")
                        && matches!(self.word_before(j, 3), Some("of" | "among"))
                    {
                        return j.checked_sub(3);
                    }
                    // "an increase of 30", "a total of 30" state an amount, not a base.
                    let states_amount = before.is_some_and(|w| {
                        direction(w).is_some() || matches!(w, "total" | "number" | "sum")
                    });
                    return (!states_amount).then_some(j);
                }
                "from" | "to" | "by" | "than" | "and" | "or" | "in" | "with" | "when" => {
                    return None;
                }
                _ => {}
            }
        }
        None
    }

    /// "1,250 people trained, of whom", "6,207 complaints, out of which": a base named before
    /// what is counted of it.
    fn base_cue_after(&self, at: usize) -> bool {
        (at + 1..self.toks.len().min(at + 12))
            .take_while(|&j| !matches!(self.toks[j], Tok::Fig(_)))
            .any(|j| {
                matches!(self.word(j), Some("of" | "among"))
                    && matches!(
                        self.word(j + 1),
                        Some("whom" | "which" | "these" | "those" | "them")
                    )
            })
    }

    fn is_base(&self, f: &Fig) -> bool {
        f.class == Class::Count
            && (self.base_cue_before(f.at).is_some() || self.base_cue_after(f.at))
    }

    /// Two figures printed as one: "500 (45%)", "45% (500)", "59, or 41%,", "500 or 45%",
    /// "500 women, or 45%".
    fn bound(&self, a: usize, b: usize) -> bool {
        let (lo, hi) = (a.min(b), a.max(b));
        // "274,422 migrants, or 60%": the first figure's noun, then "or" before the second.
        let or_at = (lo + 1..hi)
            .rev()
            .find(|&j| matches!(self.word(j), Some("or" | "i.e")));
        if let Some(or_at) = or_at
            && or_at + 1 == hi
            && or_at - lo <= 5
            && (lo + 1..or_at).all(|j| self.word(j).is_some() || self.punct(j) == Some(','))
        {
            return true;
        }
        if hi - lo > 4 {
            return false;
        }
        (lo + 1..hi).all(|j| match &self.toks[j] {
            Tok::Punct(c) => matches!(c, '(' | ',' | '.' | '[' | '–' | '—'),
            Tok::Word(w) => matches!(w.as_str(), "or" | "i.e" | "ie" | "that" | "is"),
            Tok::Fig(_) => false,
        })
    }

    /// "(600)": a figure alone in a parenthesis.
    fn in_parenthesis(&self, at: usize) -> bool {
        at.checked_sub(1).and_then(|j| self.punct(j)) == Some('(')
            && self.punct(at + 1) == Some(')')
    }

    /// "(1,000 people)": a figure and a word or two alone in a parenthesis.
    fn in_parenthesis_with_noun(&self, at: usize) -> bool {
        at.checked_sub(1).and_then(|j| self.punct(j)) == Some('(')
            && (at + 2..=at + 3).any(|close| {
                self.punct(close) == Some(')')
                    && (at + 1..close).all(|j| {
                        self.word(j)
                            .is_some_and(|w| w.chars().all(char::is_alphabetic))
                    })
            })
    }

    /// ", some 800 people,", ", 1,800,", "– roughly 800 people –": a count set between commas
    /// or dashes, with at most a short noun after it, restating the figure before it. One with
    /// a place ("…, 300 in Niger, …") or one of a list ("…, 300 women and 300 men, …") may be
    /// a part of its own.
    fn restating_apposition(&self, f: &Fig) -> bool {
        // "some 800 people", "about 800 in all"
        let restating = |j: usize| match self.word(j) {
            Some("in") => matches!(self.word(j + 1), Some("all" | "total")),
            Some(w) => !matches!(w, "from" | "at" | "for" | "to" | "on"),
            None => false,
        };
        let set_off = |c: Option<char>| match c {
            Some(',') => Some(','),
            Some('–' | '—' | '-') => Some('–'),
            _ => None,
        };
        let opens = set_off(f.at.checked_sub(1).and_then(|j| self.punct(j)));
        let closes = (f.at + 1..self.toks.len().min(f.at + 5))
            .find(|&j| !restating(j))
            .and_then(|j| set_off(self.punct(j)));
        opens.is_some() && opens == closes
    }

    /// `part` is followed by the base cue of `base`: "3,600 of the 12,000".
    fn part_of_base(&self, part: usize, base: usize) -> bool {
        self.base_cue_before(base) == Some(part + 1)
            || (self.word(part + 1) == Some("out") && self.base_cue_before(base) == Some(part + 2))
    }
}

/// Claims of every family the clauses of a passage license.
pub fn claims(p: &Passage) -> Vec<Claim> {
    let toks = tokens(&p.skeleton);
    let mut out = Vec::new();
    for toks in toks.split(|t| *t == Tok::Punct(';')) {
        let clause = clause(p, toks);
        if clause.figs.len() < 2 {
            continue;
        }
        out.extend(part_of_base(p, &clause));
        out.extend(funded_share(p, &clause));
        out.extend(change(p, &clause));
        out.extend(counts_of_a_whole(p, &clause));
        out.extend(breakdown_in_parenthesis(p, &clause));
        out.extend(shares_of_a_whole(p, &clause));
    }
    out
}

fn clause<'t, 'm>(p: &Passage<'m>, toks: &'t [Tok]) -> Clause<'t, 'm> {
    let mut figs = Vec::new();
    for (at, t) in toks.iter().enumerate() {
        let Tok::Fig(i) = t else { continue };
        let Some(m) = p.mentions.get(*i).copied() else {
            continue;
        };
        let next = |k: usize| match toks.get(at + k) {
            Some(Tok::Word(w)) => w.as_str(),
            _ => "",
        };
        let class = match m.quantity.unit {
            Some("percent") | Some("fraction") => Class::Share,
            Some("rank") => Class::Other,
            _ if next(1) == "percentage" || next(1) == "points" || next(1) == "point" => {
                Class::Points
            }
            _ if next(1) == "times" => Class::Times,
            _ => Class::Count,
        };
        figs.push(Fig { at, m, class });
    }
    let mut clause = Clause { toks, figs };
    clause.set_ranges_apart();
    clause
}

impl Clause<'_, '_> {
    /// "between 20 and 30 per cent", "between 300 and 400 people": the two ends of a range
    /// are no value of their own, and take no role.
    fn set_ranges_apart(&mut self) {
        for i in 1..self.figs.len() {
            let (low, high) = (self.figs[i - 1].at, self.figs[i].at);
            let between = low.checked_sub(1).and_then(|j| self.word(j)) == Some("between");
            if between && high == low + 2 && self.word(low + 1) == Some("and") {
                self.figs[i - 1].class = Class::Other;
                self.figs[i].class = Class::Other;
            }
        }
    }
}

// ----- a part and its share of a base -------------------------------------------------------

fn part_of_base(p: &Passage, c: &Clause) -> Vec<Claim> {
    let mut out = Vec::new();
    for share in c.of_class(Class::Share) {
        let mut readings = Vec::new();
        for base in c.figs.iter().filter(|f| c.is_base(f)) {
            for part in c.of_class(Class::Count).filter(|f| f.at != base.at) {
                if licensed(c, &part, &share, base) {
                    readings.push((part, *base));
                }
            }
        }
        if readings.is_empty() {
            readings.extend(met_against_requirement(c, &share));
        }
        if let [(part, base)] = readings.as_slice() {
            out.push(share_claim(p, part, &share, base));
        }
    }
    out
}

/// Words between an amount received and "against": "USD 42 million was received against".
const MAX_RECEIVED_WORDS: usize = 3;
/// Words between "against" and a requirement: "against a total requirement of USD 120 million".
const MAX_REQUIREMENT_WORDS: usize = 4;

/// "USD 42 million received against requirements of USD 120 million, or 35 per cent", "funded
/// at 35 per cent, with USD 42 million received against the USD 120 million requested": an
/// amount met against a requirement in one currency, and the clause's one share said of it
/// (right after the requirement, or as what was funded).
fn met_against_requirement<'m>(c: &Clause<'_, 'm>, share: &Fig) -> Option<(Fig<'m>, Fig<'m>)> {
    if c.of_class(Class::Share).count() != 1 {
        return None;
    }
    let words_only = |from: usize, to: usize| (from..to).all(|j| c.word(j).is_some());
    let money = |f: &&Fig| f.class == Class::Count && f.m.quantity.unit.is_some();
    let mut readings = c.figs.iter().filter(money).filter_map(|base| {
        let against = (base.at.saturating_sub(MAX_REQUIREMENT_WORDS + 1)..base.at)
            .find(|&j| c.word(j) == Some("against"))?;
        let part = c.figs.iter().filter(money).rev().find(|f| f.at < against)?;
        let said_of_it = share_after_requirement(c, share, base) || share_funded(c, share);
        (words_only(against + 1, base.at)
            && words_only(part.at + 1, against)
            && against - part.at - 1 <= MAX_RECEIVED_WORDS
            && part.m.quantity.unit == base.m.quantity.unit
            && said_of_it)
            .then_some((*part, *base))
    });
    let first = readings.next()?;
    readings.next().is_none().then_some(first)
}

/// "… USD 120 million, or 35 per cent", "… USD 120 million required (35%)": the share printed
/// right after the requirement, no figure between.
fn share_after_requirement(c: &Clause, share: &Fig, base: &Fig) -> bool {
    share.at > base.at
        && share.at - base.at <= 4
        && (c.word_before(share.at, 1) == Some("or") || c.punct(share.at - 1) == Some('('))
        && c.no_figure_between(base.at, share.at)
}

/// "35 per cent funded", "funded at 35 per cent": the share is what was funded.
fn share_funded(c: &Clause, share: &Fig) -> bool {
    c.word(share.at + 1)
        .is_some_and(|w| FUNDED_WORDS.contains(&w))
        || (c.word_before(share.at, 1) == Some("at")
            && c.word_before(share.at, 2)
                .is_some_and(|w| FUNDED_WORDS.contains(&w)))
}

/// Words saying what share of a requirement was met: "the appeal was 60 per cent funded".
const FUNDED_WORDS: &[&str] = &["funded", "financed", "covered", "met"];

/// "The appeal of USD 80 million was 70 per cent funded, with USD 56 million received": a
/// share of the requirement printed before it, met by the amount printed after it, both in
/// one currency.
fn funded_share(p: &Passage, c: &Clause) -> Vec<Claim> {
    let mut out = Vec::new();
    for share in c.of_class(Class::Share) {
        if !c
            .word(share.at + 1)
            .is_some_and(|w| FUNDED_WORDS.contains(&w))
        {
            continue;
        }
        let base = c.figs.iter().rev().find(|f| f.at < share.at);
        let part = c.figs.iter().find(|f| f.at > share.at);
        let (Some(base), Some(part)) = (base, part) else {
            continue;
        };
        let money = |f: &Fig| f.class == Class::Count && f.m.quantity.unit.is_some();
        let same_currency = base.m.quantity.unit == part.m.quantity.unit;
        // "(USD 56 million)", "with USD 56 million received": the amount that met it, not
        // one donor's ("…, with USD 10 million from Japan").
        let received = c.in_parenthesis(part.at)
            || (c.word_before(part.at, 1) == Some("with")
                && matches!(
                    c.word(part.at + 1),
                    Some("received" | "raised" | "mobilized" | "mobilised" | "secured")
                ));
        if money(base) && money(part) && same_currency && received && part.at - share.at <= 6 {
            out.push(share_claim(p, part, &share, base));
        }
    }
    out
}

/// The clause binds part, share and base: the part printed with its share and a base named;
/// "N of the M … (p%)"; "p% of the M … (N)".
fn licensed(c: &Clause, part: &Fig, share: &Fig, base: &Fig) -> bool {
    if c.bound(part.at, share.at) {
        return !c.bound(base.at, share.at);
    }
    let share_in_parens = c.in_parenthesis(share.at) && share.at > base.at;
    if c.part_of_base(part.at, base.at) && share_in_parens {
        return c.no_figure_between(base.at, share.at);
    }
    // "Two thirds of the budget (USD 40 million of USD 80 million)": the share, a few words,
    // then its part and base alone in a parenthesis.
    if c.part_of_base(part.at, base.at) && share.at < part.at {
        let opens = part.at.checked_sub(1).filter(|&j| c.punct(j) == Some('('));
        let words_only = |from: usize, to: usize| (from..to).all(|j| c.word(j).is_some());
        let closes = (base.at + 1..c.toks.len().min(base.at + 4))
            .find(|&j| c.punct(j).is_some())
            .is_some_and(|j| c.punct(j) == Some(')') && words_only(base.at + 1, j));
        return opens.is_some_and(|open| open - share.at <= 12 && words_only(share.at + 1, open))
            && closes;
    }
    // "540 of 1,800 returnees, or 30 per cent": the share restates the part of the base
    // named before it.
    if c.part_of_base(part.at, base.at)
        && share.at > base.at
        && share.at - base.at <= 8
        && matches!(c.word_before(share.at, 1), Some("or" | "i.e"))
    {
        return (base.at + 1..share.at - 1).all(|j| c.word(j).is_some() || c.punct(j) == Some(','));
    }
    if let Some(subject) = share_verb_subject(c, share, base) {
        return subject.at == part.at;
    }
    let part_after = part.at > base.at
        && (c.in_parenthesis(part.at)
            || c.in_parenthesis_with_noun(part.at)
            || c.restating_apposition(part)
            || matches!(c.word_before(part.at, 1), Some("or" | "i.e" | "namely")));
    c.base_cue_before(base.at) == Some(share.at + 1)
        && part_after
        && c.no_figure_between(base.at, part.at)
}

/// Verbs that say a count is a share of a base: "4,000 returns represented 20 per cent of the
/// 25,000 recorded", "USD 42 million, covering 35 per cent of the USD 120 million needed".
const SHARE_VERBS: &[&[&str]] = &[
    &["represented"],
    &["represents"],
    &["represent"],
    &["representing"],
    &["constituted"],
    &["constitutes"],
    &["constitute"],
    &["constituting"],
    &["covered"],
    &["covers"],
    &["cover"],
    &["covering"],
    &["accounted", "for"],
    &["accounts", "for"],
    &["account", "for"],
    &["accounting", "for"],
    &["made", "up"],
    &["makes", "up"],
    &["make", "up"],
    &["making", "up"],
    &["amounted", "to"],
    &["amounting", "to"],
    &["equivalent", "to"],
    &["corresponding", "to"],
    &["which", "is"],
    &["which", "was"],
];

/// Words between a subject's count and its share verb: "the 4,000 returns to Afghanistan".
const MAX_SUBJECT_WORDS: usize = 6;

/// "The 4,000 returns to Afghanistan represented 20 per cent of the 25,000 recorded": the
/// count the share verb's subject prints, when the share's own base follows it ("p of the M")
/// and that count is the only figure before the verb, in the base's unit.
fn share_verb_subject<'m>(c: &Clause<'_, 'm>, share: &Fig, base: &Fig) -> Option<Fig<'m>> {
    if c.base_cue_before(base.at) != Some(share.at + 1) {
        return None;
    }
    let verb = SHARE_VERBS.iter().find_map(|v| {
        let at = share.at.checked_sub(v.len())?;
        (at..share.at)
            .zip(v.iter())
            .all(|(j, w)| c.word(j) == Some(w))
            .then_some(at)
    })?;
    let [subject] = c.figs.iter().filter(|f| f.at < verb).collect::<Vec<_>>()[..] else {
        return None;
    };
    if in_a_phrase_of_place(c, subject) {
        return None;
    }
    let between = subject.at + 1..verb;
    let plain = between
        .clone()
        .all(|j| c.word(j).is_some() || c.punct(j) == Some(','));
    (subject.class == Class::Count
        && subject.m.quantity.unit == base.m.quantity.unit
        && between.len() <= MAX_SUBJECT_WORDS
        && plain)
        .then_some(*subject)
}

/// "Returns from the 12 countries …": a count inside a prepositional phrase of the subject is
/// not the subject's count. "Contributions of USD 42 million" is an amount's own "of".
fn in_a_phrase_of_place(c: &Clause, f: &Fig) -> bool {
    const PREPOSITIONS: &[&str] = &[
        "from", "in", "of", "across", "among", "between", "at", "to", "for", "with", "by", "on",
        "within", "into", "per",
    ];
    let amount_of = f.m.quantity.unit.is_some() && c.word_before(f.at, 1) == Some("of");
    (1..=f.at)
        .map_while(|k| c.word_before(f.at, k))
        .enumerate()
        .any(|(i, w)| PREPOSITIONS.contains(&w) && !(i == 0 && amount_of))
}

/// A computed side: `value` within `interval`, or, where no interval exists (a base or a
/// starting figure that may be zero), a side no stated value can meet.
fn computed(value: f64, interval: Option<Interval>) -> Side {
    match interval {
        Some(interval) => Side {
            value: Some(value),
            interval,
        },
        None => Side {
            value: None,
            interval: (f64::INFINITY, f64::INFINITY),
        },
    }
}

/// Y − X, with the interval the two printings allow.
fn difference(x: &Fig, y: &Fig) -> Side {
    let (xl, xh) = x.interval();
    let (yl, yh) = y.interval();
    Side {
        value: Some(y.value() - x.value()),
        interval: (yl - xh, yh - xl),
    }
}

/// The figures added up, with the arithmetic as printed ("5 + 4").
fn total(figs: &[Fig]) -> (Side, String) {
    let (value, interval) = figs.iter().fold((0.0, (0.0, 0.0)), |(v, iv), f| {
        (v + f.value(), add(iv, f.interval()))
    });
    let how = figs
        .iter()
        .map(|f| f.m.raw.as_str())
        .collect::<Vec<_>>()
        .join(" + ");
    (
        Side {
            value: Some(value),
            interval,
        },
        how,
    )
}

fn share_claim(p: &Passage, part: &Fig, share: &Fig, base: &Fig) -> Claim {
    let (n, m) = (part.value(), base.value());
    // A base of zero: nothing can be its share.
    let interval = div(part.interval(), base.interval()).map(|(lo, hi)| (lo * 100.0, hi * 100.0));
    let computed = computed(n / m * 100.0, interval);
    Claim {
        stated: share.side(),
        computed,
        how: format!("{} / {} × 100", part.m.raw, base.m.raw),
        ..Claim::new(
            p,
            Kind::CountShare,
            "part and share of a base",
            &[part.m, share.m, base.m],
        )
    }
}

// ----- a change between two figures ---------------------------------------------------------

/// Two sides of a change, before and after.
#[derive(Clone, Copy)]
struct Pair<'m> {
    before: Fig<'m>,
    after: Fig<'m>,
    /// Position of the word that tells the change ("from", "compared", "than").
    marker: usize,
}

/// Every before/after pair the clause prints: "from X (in 2015) to Y", "to Y from X",
/// "Y, up from X", "Y compared with X", "Y, against X", "Y …, when X".
fn pairs<'m>(c: &Clause<'_, 'm>) -> Vec<Pair<'m>> {
    let mut out = Vec::new();
    for x in &c.figs {
        match c.word_before(x.at, 1) {
            Some("from") => {
                let to = c.figs.iter().find(|y| {
                    y.at > x.at && y.at - x.at <= 8 && c.word_before(y.at, 1) == Some("to")
                });
                let back = c.figs.iter().rev().find(|y| {
                    y.at < x.at && c.word_before(y.at, 1) == Some("to") && x.at - y.at <= 8
                });
                if let Some(y) = to.filter(|y| c.no_figure_between(x.at, y.at)) {
                    out.push(Pair {
                        before: *x,
                        after: *y,
                        marker: x.at - 1,
                    });
                } else if let Some(y) = back.filter(|y| c.no_figure_between(x.at, y.at)) {
                    out.push(Pair {
                        before: *x,
                        after: *y,
                        marker: x.at - 1,
                    });
                } else if let Some(cue) = direction_before_from(c, x.at)
                    && let Some(y) = earlier_side(c, x, x.at - cue)
                {
                    // "Y, up from X", "Y, an increase from X", "Y, up 40% from X": a bare
                    // "from" ("500 participants from 45 organizations") is not a change.
                    out.push(Pair {
                        before: *x,
                        after: y,
                        marker: x.at - 1,
                    });
                }
            }
            _ => {
                if let Some(marker) = comparison_marker(c, x.at)
                    && let Some(y) =
                        earlier_side(c, x, x.at - marker).or_else(|| later_side(c, x, marker))
                {
                    out.push(Pair {
                        before: *x,
                        after: y,
                        marker,
                    });
                }
            }
        }
    }
    if out.is_empty() {
        out.extend(dated_pair(c));
    }
    out.retain(|p| {
        p.before.class == p.after.class && matches!(p.before.class, Class::Count | Class::Share)
    });
    out
}

/// The word of direction before the "from" at `at - 1`: right before it ("up from X"), or
/// before the change it states ("up 40 per cent from X"). Its position.
fn direction_before_from(c: &Clause, at: usize) -> Option<usize> {
    let word = |j: usize| c.word(j).and_then(direction).map(|_| j);
    let mut before = at.checked_sub(2)?;
    if let Some(direct) = word(before) {
        return Some(direct);
    }
    while matches!(c.word(before), Some("percentage" | "points" | "point")) {
        before = before.checked_sub(1)?;
    }
    let stated = c.fig_at(before)?;
    matches!(stated.class, Class::Share | Class::Points)
        .then(|| word(before.checked_sub(1)?))
        .flatten()
}

/// The year printed after a figure and its noun phrase ("3,351 victims of trafficking were
/// identified in 2011"), within eight tokens and before any other figure.
fn year_after(c: &Clause, at: usize) -> Option<u32> {
    (at + 1..c.toks.len().min(at + 10))
        .take_while(|&j| !matches!(c.toks[j], Tok::Fig(_)))
        .filter(|&j| matches!(c.word(j.saturating_sub(1)), Some("in" | "during" | "for")))
        .find_map(|j| {
            c.word(j)
                .and_then(|w| w.parse::<u32>().ok())
                .filter(|y| (1900..2100).contains(y))
        })
}

/// "3,351 … in 2011 and 4,468 in 2012": two figures of one class, each dated, joined by "and"
/// or a comma; the earlier year is the before side.
fn dated_pair<'m>(c: &Clause<'_, 'm>) -> Option<Pair<'m>> {
    let dated: Vec<(Fig<'m>, u32)> = c
        .figs
        .iter()
        .filter(|f| matches!(f.class, Class::Count | Class::Share))
        .filter_map(|f| Some((*f, year_after(c, f.at)?)))
        .collect();
    let [(a, ya), (b, yb)] = dated.as_slice() else {
        return None;
    };
    let joined = (a.at + 1..b.at).any(|j| c.word(j) == Some("and") || c.punct(j) == Some(','));
    if ya == yb || a.class != b.class || !joined || !c.no_figure_between(a.at, b.at) {
        return None;
    }
    let (before, after) = if ya < yb { (*a, *b) } else { (*b, *a) };
    Some(Pair {
        before,
        after,
        marker: b.at,
    })
}

/// "compared with X", "compared to the X", "against X", "versus X", "when X", "than X", "as
/// many as X": the marker's position, within three words before the figure.
fn comparison_marker(c: &Clause, at: usize) -> Option<usize> {
    (1..=3).find_map(|k| {
        let j = at.checked_sub(k)?;
        let w = c.word(j)?;
        let marks = match w {
            "with" | "to" => c.word_before(j, 1) == Some("compared"),
            "against" | "versus" | "vs" | "when" => true,
            // "three times as many as X", "twice as much as the X"
            "as" => {
                matches!(c.word_before(j, 1), Some("many" | "much"))
                    && c.word_before(j, 2) == Some("as")
            }
            // "a fivefold increase on the 400", "a 20% fall on 2016's 500", "a 20 per cent
            // increase over 2016 (70,000)"
            // "down 20 per cent on the 1,300 of 2016"
            "on" | "over" => direction_before_from(c, j + 1).is_some(),
            _ => false,
        };
        // Only articles and a year or two between the marker and the figure, which may stand
        // in parentheses after its year ("compared with 2016 (70,000)").
        let gap_ok = (j + 1..at).all(|g| {
            c.word(g).is_some_and(|w| {
                matches!(w, "the" | "a" | "some" | "in" | "of")
                    || w.chars().all(|ch| ch.is_ascii_digit())
            }) || (g + 1 == at && c.punct(g) == Some('('))
        });
        (marks && gap_ok).then_some(j)
    })
}

/// The other side of a change printed before `x`: the nearest figure of its class earlier in
/// the clause, with no other figure between them, within a dozen tokens of the marker.
fn earlier_side<'m>(c: &Clause<'_, 'm>, x: &Fig<'m>, marker_len: usize) -> Option<Fig<'m>> {
    let marker = x.at.checked_sub(marker_len)?;
    // A change stated between the two ("a 20% increase over 2016 (70,000)") is no side.
    let y = c.figs.iter().rev().find(|f| {
        f.at < marker
            && matches!(f.class, Class::Count | Class::Share)
            && (f.class == x.class || stated_change(c, f).is_none())
    })?;
    (marker - y.at <= 12 && y.class == x.class).then_some(*y)
}

/// "Compared with 2016 (70,000), the number … grew by 20% to 90,000": a comparison that opens
/// the clause names the before side; the after side is the first figure of its class printed
/// after "to" or "reached" later in the clause.
fn later_side<'m>(c: &Clause<'_, 'm>, x: &Fig<'m>, marker: usize) -> Option<Fig<'m>> {
    let opens = (0..marker.saturating_sub(1)).all(|j| c.punct(j).is_some());
    let y = c.figs.iter().find(|f| f.at > x.at && f.class == x.class)?;
    (opens && matches!(c.word_before(y.at, 1), Some("to" | "reached"))).then_some(*y)
}

/// A change the clause states: its figure, its sign, and the position of its cue.
struct Stated<'m> {
    fig: Fig<'m>,
    sign: f64,
    /// "30% more than X": the comparison's own before side.
    than: Option<Fig<'m>>,
}

/// "an increase of p", "grew by p", "p increase", "(a p% rise)", "up p%", "p% more than X",
/// "fell by a fifth", "p percentage points".
fn stated_change<'m>(c: &Clause<'_, 'm>, f: &Fig<'m>) -> Option<Stated<'m>> {
    if !matches!(f.class, Class::Share | Class::Points | Class::Count) {
        return None;
    }
    let at = f.at;
    let before = |k| c.word_before(at, k);
    let sign = match (before(1), before(2), before(3)) {
        // "an increase of 30%", "a 30 per cent increase" (below), "a drop of one third"
        (Some("of"), Some(w), _)
            if direction(w).is_some() && !MORE_WORDS.contains(&w) && !LESS_WORDS.contains(&w) =>
        {
            direction(w)
        }
        // "grew by 30%", "went up by 30%", "decreased by 35 per cent in 2017"
        (Some("by"), Some(w), _) if direction(w).is_some() => direction(w),
        (Some("by"), Some("up" | "down"), Some("went")) => direction(before(2).unwrap_or("")),
        // "up 40%", "down 12 per cent"
        (Some(w @ ("up" | "down")), _, _) => direction(w),
        // "fell 56% to", "grew 30 per cent": a verb of change right before a share.
        (Some(w), _, _)
            if f.class != Class::Count && !MORE_WORDS.contains(&w) && !LESS_WORDS.contains(&w) =>
        {
            direction(w)
        }
        _ => None,
    };
    // What follows the figure: "30% increase", "6 percentage points higher", "30% more than".
    let mut after = at + 1;
    if f.class == Class::Points {
        while matches!(c.word(after), Some("percentage" | "points" | "point")) {
            after += 1;
        }
    }
    let next = c.word(after);
    let follows = next.and_then(|w| {
        let noun = direction(w).filter(|_| !matches!(w, "up" | "down"));
        noun.map(|s| (s, MORE_WORDS.contains(&w) || LESS_WORDS.contains(&w)))
    });
    match (sign, follows) {
        (Some(sign), _) => Some(Stated {
            fig: *f,
            sign,
            than: None,
        }),
        (None, Some((sign, false))) => Some(Stated {
            fig: *f,
            sign,
            than: None,
        }),
        (None, Some((sign, true))) => {
            // "30% more than the 1,000 of 2016", "20% above the 70,000 of 2016": the
            // comparison names its before side; "(…), i.e. 20 per cent more" leaves it to
            // the pair the clause prints (a share only: "300 more staff" is no change stated).
            let than = if matches!(next, Some("above" | "below")) {
                Some(after)
            } else {
                (after + 1..after + 6)
                    .take_while(|&j| !matches!(c.toks.get(j), Some(Tok::Punct(_))))
                    .find(|&j| c.word(j) == Some("than"))
            };
            let Some(than) = than else {
                return (f.class == Class::Share).then_some(Stated {
                    fig: *f,
                    sign,
                    than: None,
                });
            };
            let x = c
                .figs
                .iter()
                .find(|g| g.at > than && g.at - than <= 4 && c.no_figure_between(than, g.at))?;
            Some(Stated {
                fig: *f,
                sign,
                than: Some(*x),
            })
        }
        (None, None) => None,
    }
}

fn change(p: &Passage, c: &Clause) -> Vec<Claim> {
    let stated: Vec<Stated> = c.figs.iter().filter_map(|f| stated_change(c, f)).collect();
    let mut pairs = pairs(c);
    // A comparative names its own pair: "Y, 30% more than X".
    for s in stated.iter() {
        if let Some(x) = s.than {
            let y = c.figs.iter().rev().find(|g| {
                g.at < s.fig.at
                    && g.class == x.class
                    && g.at != x.at
                    && c.no_figure_between(g.at, s.fig.at)
            });
            if let Some(y) = y {
                pairs.push(Pair {
                    before: x,
                    after: *y,
                    marker: s.fig.at,
                });
            }
        }
    }
    pairs.retain(|pair| {
        !stated
            .iter()
            .any(|s| s.fig.at == pair.before.at || s.fig.at == pair.after.at)
    });
    let [pair] = pairs.as_slice() else {
        return Vec::new();
    };
    // "fell from 7,000 to 5,000, while departures rose by 20%": that change is another's.
    let stated: Vec<Stated> = stated
        .into_iter()
        .filter(|s| !contrasted(c, s.fig.at, pair))
        .collect();
    if let Some(k) = multiple_cue(c).filter(|m| !contrasted(c, m.at, pair)) {
        return vec![multiple_claim(p, pair, k)];
    }
    match stated.as_slice() {
        [s] => stated_claim(p, pair, s).into_iter().collect(),
        [] => direction_near(c, pair)
            .map(|sign| direction_claim(p, pair, sign))
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// A word of direction right before the pair's marker or its first figure: "increased from",
/// "rising to", "up from", "fell … to".
fn direction_near(c: &Clause, pair: &Pair) -> Option<f64> {
    let first = pair.before.at.min(pair.after.at).min(pair.marker);
    let mut signs = (1..=4)
        .filter_map(|k| c.word_before(first, k))
        .filter_map(direction);
    let near_marker = (1..=2)
        .filter_map(|k| c.word_before(pair.marker, k))
        .find_map(direction);
    signs.next().or(near_marker)
}

fn stated_claim(p: &Passage, pair: &Pair, s: &Stated) -> Option<Claim> {
    let (x, y) = (&pair.before, &pair.after);
    let (lo, hi) = s.fig.interval();
    let stated = Side {
        value: Some(s.sign * s.fig.value()),
        interval: if s.sign < 0.0 { (-hi, -lo) } else { (lo, hi) },
    };
    let figures = [s.fig.m, x.m, y.m];
    match (s.fig.class, x.class) {
        (Class::Share, Class::Count) => Some(relative_claim(p, x, y, stated, &figures)),
        (Class::Points, Class::Share) | (Class::Count, Class::Count) => {
            let kind = if x.class == Class::Share {
                Kind::PointChange
            } else {
                Kind::AbsoluteChange
            };
            Some(Claim {
                stated,
                computed: difference(x, y),
                how: format!("{} − {}", y.m.raw, x.m.raw),
                ..Claim::new(p, kind, "a change stated between two figures", &figures)
            })
        }
        // "rose from 35% to 41%, an increase of 6%": points or per cent? Not a claim.
        _ => None,
    }
}

fn relative_claim(p: &Passage, x: &Fig, y: &Fig, stated: Side, figures: &[&Mention]) -> Claim {
    // A change from zero has no percentage.
    let interval =
        div(y.interval(), x.interval()).map(|(lo, hi)| ((lo - 1.0) * 100.0, (hi - 1.0) * 100.0));
    let computed = computed((y.value() - x.value()) / x.value() * 100.0, interval);
    Claim {
        stated,
        computed,
        how: format!("({} − {}) / {} × 100", y.m.raw, x.m.raw, x.m.raw),
        ..Claim::new(
            p,
            Kind::PercentChange,
            "a change stated between two figures",
            figures,
        )
    }
}

fn direction_claim(p: &Passage, pair: &Pair, sign: f64) -> Claim {
    let (x, y) = (&pair.before, &pair.after);
    Claim {
        stated: Side {
            value: None,
            interval: if sign < 0.0 {
                (f64::NEG_INFINITY, 0.0)
            } else {
                (0.0, f64::INFINITY)
            },
        },
        computed: difference(x, y),
        how: format!(
            "{} − {} (stated: {})",
            y.m.raw,
            x.m.raw,
            if sign < 0.0 { "a fall" } else { "a rise" }
        ),
        ..Claim::new(
            p,
            Kind::ChangeDirection,
            "a direction between two figures",
            &[x.m, y.m],
        )
    }
}

/// A stated multiple: its factor and how the wording bounds it.
#[derive(Debug, Clone, Copy)]
struct Multiple {
    k: f64,
    hedge: Hedge,
    /// Where the multiplier is printed.
    at: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Hedge {
    /// "doubled": the ratio rounds to k.
    Plain,
    /// "more than doubled": above k.
    Above,
    /// "nearly doubled", "almost halved": a little short of k.
    JustUnder,
}

fn multiple_cue(c: &Clause) -> Option<Multiple> {
    let mut found = None;
    for (i, t) in c.toks.iter().enumerate() {
        let k = match t {
            Tok::Word(w) => multiplier(w),
            // "three times", "3 times"
            Tok::Fig(_) => c
                .fig_at(i)
                .filter(|f| f.class == Class::Times)
                .map(|f| f.value()),
            Tok::Punct(_) => None,
        };
        let Some(k) = k else { continue };
        let hedge = match (c.word_before(i, 2), c.word_before(i, 1)) {
            (Some("more"), Some("than")) | (_, Some("over")) => Hedge::Above,
            (_, Some("nearly" | "almost")) | (Some("close"), Some("to")) => Hedge::JustUnder,
            _ => Hedge::Plain,
        };
        if found.is_some() {
            return None;
        }
        found = Some(Multiple { k, hedge, at: i });
    }
    found
}

/// Words that turn a clause to another subject: "grew from 3 to 3.5 million, while arrivals
/// doubled (rose by 20%)" says nothing of the first pair's ratio (change).
const CONTRAST_WORDS: &[&str] = &["while", "whereas", "but", "although", "though", "yet"];

/// A word of contrast stands between the multiplier or stated change at `at` and the pair it
/// would describe.
fn contrasted(c: &Clause, at: usize, pair: &Pair) -> bool {
    let sides = [pair.before.at, pair.after.at, pair.marker];
    let lo = sides.iter().copied().min().unwrap_or(at);
    let hi = sides.iter().copied().max().unwrap_or(at);
    let between = if at < lo { at..lo } else { hi..at };
    between
        .into_iter()
        .any(|j| c.word(j).is_some_and(|w| CONTRAST_WORDS.contains(&w)))
}

/// "doubled" → 2, "tripled"/"trebled" → 3, "quadrupled" → 4, "halved" → ½, "fivefold",
/// "five-fold", "5-fold" → 5, "twice" → 2.
fn multiplier(word: &str) -> Option<f64> {
    let verbs: [(&str, f64); 5] = [
        ("doubl", 2.0),
        ("tripl", 3.0),
        ("trebl", 3.0),
        ("quadrupl", 4.0),
        ("halv", 0.5),
    ];
    // Whole words only: "triplex", "doubly" are not multiples.
    let verb = verbs.iter().find(|(stem, _)| {
        word.strip_prefix(stem)
            .is_some_and(|end| matches!(end, "e" | "ed" | "es" | "ing"))
    });
    if let Some((_, k)) = verb {
        return Some(*k);
    }
    if word == "twice" {
        return Some(2.0);
    }
    let stem = word.strip_suffix("fold")?.trim_end_matches('-');
    stem.parse::<f64>()
        .ok()
        .or_else(|| crate::numbers::parse_number_words(stem).map(|v| v as f64))
        .filter(|k| *k >= 2.0)
}

fn multiple_claim(p: &Passage, pair: &Pair, m: Multiple) -> Claim {
    let (x, y) = (&pair.before, &pair.after);
    // A halving is read as the inverse ratio, so that its bounds are those of a doubling.
    let (num, den, k) = if m.k < 1.0 {
        (x, y, 1.0 / m.k)
    } else {
        (y, x, m.k)
    };
    let stated_iv = match m.hedge {
        Hedge::Plain => (k - 0.5, k + 0.5),
        Hedge::Above => (k, f64::INFINITY),
        Hedge::JustUnder => (k * 0.85, k),
    };
    let computed = computed(
        num.value() / den.value(),
        div(num.interval(), den.interval()),
    );
    Claim {
        stated: Side {
            value: Some(k),
            interval: stated_iv,
        },
        computed,
        how: format!("{} / {}", num.m.raw, den.m.raw),
        ..Claim::new(
            p,
            Kind::Multiple,
            "a multiple between two figures",
            &[x.m, y.m],
        )
    }
}

// ----- a whole and its parts ----------------------------------------------------------------

/// Labels that split a whole between them: a list naming both sides of one of these covers it.
const COMPLEMENTS: &[(&str, &str)] = &[
    ("boys", "girls"),
    ("men", "women"),
    ("male", "female"),
    ("males", "females"),
    ("adults", "children"),
    ("adults", "minors"),
    ("open", "closed"),
    ("urban", "rural"),
    ("internal", "international"),
    ("national", "international"),
    ("new", "returning"),
    ("completed", "ongoing"),
];

/// Words saying the last part is the rest of the whole.
const REST_WORDS: &[&str] = &["remaining", "rest", "remainder", "others", "other"];

/// Words saying the parts named may not be all of the whole.
const PARTIAL_WORDS: &[&str] = &[
    "including",
    "included",
    "such",
    "e.g.",
    "example",
    "instance",
    "mainly",
    "mostly",
    "notably",
    "among",
    "amongst",
    "between",
    "roughly",
    "top",
    "main",
    "largest",
    "most",
];

/// The parts name the whole completely: the last is the rest ("the remaining 25%", "the
/// other 12"), or two complementary labels are named.
fn covers_whole(c: &Clause, parts: &[Fig], words: &[&str]) -> bool {
    // "…, with government bodies making up the rest": a rest that is not counted. ("Other"
    // after the parts names something else: "… from other countries".)
    let uncounted_rest = parts.last().is_some_and(|f| {
        words_from(c, f.at + 1)
            .iter()
            .any(|w| *w != "other" && REST_WORDS.contains(w))
    });
    if uncounted_rest {
        return false;
    }
    let rest = parts.last().is_some_and(|f| {
        (1..=2)
            .filter_map(|k| c.word_before(f.at, k))
            .chain(label_before(c, f))
            .any(|w| REST_WORDS.contains(&w))
    });
    rest || COMPLEMENTS
        .iter()
        .any(|(a, b)| words.contains(a) && words.contains(b))
}

/// The words of the clause from token `from` on.
fn words_from<'c>(c: &'c Clause, from: usize) -> Vec<&'c str> {
    (from..c.toks.len()).filter_map(|j| c.word(j)).collect()
}

/// Parts joined as a list: each gap between two parts holds no figure and a comma, "and" or
/// "while", and no word of change or comparison.
fn listed(c: &Clause, parts: &[Fig]) -> bool {
    parts.windows(2).all(|w| {
        let gap: Vec<&Tok> = c.toks[w[0].at + 1..w[1].at].iter().collect();
        let joined = gap.iter().any(|t| {
            matches!(t, Tok::Punct(','))
                || matches!(t, Tok::Word(x) if matches!(x.as_str(), "and" | "while" | "whereas"))
        });
        // "1,500 came from Libya, 700 from Niger": "from" before a place is no change; "from
        // 700 to 900" is.
        let compares = gap.iter().any(|t| {
            matches!(t, Tok::Word(x) if direction(x).is_some() || matches!(x.as_str(), "than" | "compared"))
        }) || matches!(gap.last(), Some(Tok::Word(x)) if matches!(x.as_str(), "from" | "to"));
        joined && !compares && gap.len() <= 10
    })
}

/// "Among the 640 children registered, 352 were boys and 288 girls", "7,250 people, of whom
/// 3,000 were children and 4,250 adults": counts after a whole named as a base, summing to it
/// (or at most it, when the parts may not cover it).
fn counts_of_a_whole(p: &Passage, c: &Clause) -> Option<Claim> {
    let whole = c.figs.first().filter(|f| f.class == Class::Count)?;
    // A part's own share in parentheses ("1,200 (60%) were men") is read by the share
    // claims; the counts still add up to the whole.
    let after: Vec<Fig> = c.figs[1..]
        .iter()
        .filter(|f| !share_of_a_part(c, f))
        .copied()
        .collect();
    let tie = tie_to_whole(c, whole, &after)?;
    if after
        .iter()
        .any(|f| matches!(f.class, Class::Share | Class::Points | Class::Times))
    {
        return None;
    }
    // "5,000 in Libya, 2,000 of them women, and 3,000 in Niger": a part of a part is not
    // one of the whole's.
    let parts: Vec<Fig> = after
        .iter()
        .filter(|f| tie == Tie::OfThem || !part_of_part(c, f))
        .copied()
        .collect();
    let parts = before_predicate(c, parts);
    if parts.len() < 2 || !listed(c, &parts) || dated_apart(c, &parts) {
        return None;
    }
    let words = words_from(c, whole.at);
    if words
        .iter()
        .any(|w| PARTIAL_WORDS.contains(w) || OVERLAP_WORDS.contains(w))
    {
        return None;
    }
    let complete = tie == Tie::Exhaustive || covers_whole(c, &parts, &words);
    if !complete && (tie == Tie::IfCovered || overlapping(c, &parts)) {
        return None;
    }
    Some(whole_of_parts(
        p,
        whole,
        &parts,
        complete,
        "a whole and its counted parts",
    ))
}

/// How a clause ties the counts after its first figure to it as parts of a whole.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Tie {
    /// "Of the M …, a … and b …", "M people …, of whom a … and b …", "M …: X (a), Y (b)".
    Named,
    /// "a total of M people, a of them … and b of them …".
    OfThem,
    /// "The M offices comprised a in Africa and b in Asia": every part is named.
    Exhaustive,
    /// "The M participants, a men and b women, …": parts only if their labels split M.
    IfCovered,
}

fn tie_to_whole(c: &Clause, whole: &Fig, after: &[Fig]) -> Option<Tie> {
    // The whole opens the clause ("Of the M …,", "Among the M …,", "Out of M …,"), or is
    // named before what is counted of it ("M people were relocated, of whom a … and b …").
    let opener = c.base_cue_before(whole.at).is_some_and(|cue| {
        (0..cue).all(|j| matches!(c.word(j), Some("out")) || matches!(c.toks[j], Tok::Punct(_)))
    });
    // "The 4,500 beneficiaries were in Jordan (2,000), Lebanon (1,700) and Iraq (800)": each
    // part in parentheses after its label, and the whole no such part ("Ecuador (two), Fiji
    // (three)" in a footnote).
    let labelled =
        after.len() >= 2 && !labelled_count(c, whole) && after.iter().all(|f| labelled_count(c, f));
    if after.len() >= 2 && after.iter().all(|f| part_of_part(c, f)) {
        return Some(Tie::OfThem);
    }
    if opener || c.base_cue_after(whole.at) || labelled {
        return Some(Tie::Named);
    }
    let first = after.first()?;
    let lead: Vec<&str> = (whole.at + 1..first.at).filter_map(|j| c.word(j)).collect();
    let only_words = (whole.at + 1..first.at).all(|j| c.word(j).is_some() || j + 1 == first.at);
    if !only_words || lead.len() > 10 {
        return None;
    }
    let comprises = lead.iter().any(|w| COMPRISE_WORDS.contains(w))
        || lead.windows(3).any(|w| w == ["made", "up", "of"]);
    if comprises && c.word_before(first.at, 1).is_some() {
        Some(Tie::Exhaustive)
    } else if c.punct(first.at - 1) == Some(',') {
        Some(Tie::IfCovered)
    } else {
        None
    }
}

/// "The 14 staff deployed, 9 women and 5 men, worked in three camps": after the parts, a
/// comma and a verb start the whole's own predicate, whose figures are no parts.
fn before_predicate<'m>(c: &Clause<'_, 'm>, mut parts: Vec<Fig<'m>>) -> Vec<Fig<'m>> {
    let Some(first) = parts.first() else {
        return parts;
    };
    let predicate = (first.at + 1..c.toks.len())
        .find(|&j| c.punct(j) == Some(',') && c.word(j + 1).is_some_and(is_verb));
    if let Some(end) = predicate {
        parts.retain(|f| f.at < end);
    }
    parts
}

/// Verbs saying a list names every part of the whole before them.
const COMPRISE_WORDS: &[&str] = &[
    "comprised",
    "comprising",
    "comprises",
    "comprise",
    "consisted",
    "consisting",
    "consists",
];

/// Words saying the parts may overlap: "12 spoke both", "20 also received cash".
const OVERLAP_WORDS: &[&str] = &["both", "also"];

/// "Of the 80 offices, 60 had a focal point and 50 had a strategy", "40 took place in Africa
/// and 35 were led by national staff": counts each with a verb of their own may overlap,
/// unless their labels split the whole.
fn overlapping(c: &Clause, parts: &[Fig]) -> bool {
    let verbs: std::collections::BTreeSet<&str> = parts
        .iter()
        .filter_map(|f| c.word(f.at + 1).filter(|w| is_verb(w)))
        .collect();
    parts_followed_by(c, parts, COPULAS) + parts_followed_by(c, parts, ATTRIBUTE_VERBS) > 1
        || verbs.len() > 1
}

/// A verb as it follows a count: a copula, an attribute verb, a regular past tense or a
/// common irregular one.
fn is_verb(word: &str) -> bool {
    const IRREGULAR: &[&str] = &[
        "took", "spoke", "went", "came", "got", "gave", "made", "found", "left", "lost", "sought",
        "held", "led", "won", "became", "began", "remain", "remained", "fled", "chose", "met",
        "sent", "kept", "paid", "did", "do", "does", "speak", "work", "live", "come",
    ];
    COPULAS.contains(&word)
        || ATTRIBUTE_VERBS.contains(&word)
        || IRREGULAR.contains(&word)
        || (word.len() > 4 && word.ends_with("ed"))
}

/// "Jordan (2,000)", "other countries (300 people)": a count alone in parentheses after a
/// word that labels it.
fn labelled_count(c: &Clause, f: &Fig) -> bool {
    f.class == Class::Count
        && (c.in_parenthesis(f.at) || c.in_parenthesis_with_noun(f.at))
        && label_before(c, f).next().is_some()
}

/// The words printed right before the parenthesis that holds `f`, nearest first, at most four:
/// "the rest of the region (300)".
fn label_before<'c>(c: &'c Clause, f: &Fig) -> impl Iterator<Item = &'c str> {
    let open =
        f.at.checked_sub(1)
            .filter(|&j| c.punct(j) == Some('('))
            .unwrap_or(0);
    (open.saturating_sub(4)..open)
        .rev()
        .map_while(|j| c.word(j).filter(|w| w.chars().all(char::is_alphabetic)))
}

/// "1,200 (60%)": a share in parentheses right after a count.
fn share_of_a_part(c: &Clause, f: &Fig) -> bool {
    f.class == Class::Share
        && c.in_parenthesis(f.at)
        && f.at
            .checked_sub(2)
            .and_then(|j| c.fig_at(j))
            .is_some_and(|part| part.class == Class::Count)
}

/// "2,000 of them", "300 of whom": a figure counting part of the part before it.
fn part_of_part(c: &Clause, f: &Fig) -> bool {
    c.word(f.at + 1) == Some("of")
        && matches!(
            c.word(f.at + 2),
            Some("them" | "whom" | "which" | "these" | "those")
        )
}

/// "30 per cent of arrivals in 2016 and 35 per cent in 2017": figures of different years are
/// not parts of one whole.
fn dated_apart(c: &Clause, parts: &[Fig]) -> bool {
    let years: std::collections::BTreeSet<u32> =
        parts.iter().filter_map(|f| year_after(c, f.at)).collect();
    years.len() > 1
}

/// Verbs that say what a part is: "352 were boys".
const COPULAS: &[&str] = &["was", "were", "is", "are"];

/// Verbs that give a part an attribute, which other parts may share: "60 had a focal point",
/// "40 per cent received cash".
const ATTRIBUTE_VERBS: &[&str] = &[
    "had",
    "have",
    "has",
    "received",
    "reported",
    "said",
    "needed",
    "lacked",
    "used",
    "cited",
    "wanted",
    "expressed",
    "spoke",
    "speak",
];

/// How many of the parts are followed by one of `verbs`.
fn parts_followed_by(c: &Clause, parts: &[Fig], verbs: &[&str]) -> usize {
    parts
        .iter()
        .filter(|f| c.word(f.at + 1).is_some_and(|w| verbs.contains(&w)))
        .count()
}

/// "17 returnees were registered in 2009 (3 in Europe, 4 in Asia and 10 in Africa)": a count
/// followed, within a few words and no other figure, by a parenthesis listing counts only.
fn breakdown_in_parenthesis(p: &Passage, c: &Clause) -> Vec<Claim> {
    let mut out = Vec::new();
    for whole in c.of_class(Class::Count).filter(|f| !c.in_parenthesis(f.at)) {
        let Some(open) = (whole.at + 1..c.toks.len().min(whole.at + 14))
            .take_while(|&j| !matches!(c.toks[j], Tok::Fig(_) | Tok::Punct(')' | ':' | '.')))
            .find(|&j| c.punct(j) == Some('('))
        else {
            continue;
        };
        let Some(close) = (open + 1..c.toks.len()).find(|&j| matches!(c.punct(j), Some(')' | '(')))
        else {
            continue;
        };
        if c.punct(close) != Some(')') {
            continue;
        }
        let parts: Vec<Fig> = c
            .figs
            .iter()
            .filter(|f| f.at > open && f.at < close)
            .copied()
            .collect();
        let words: Vec<&str> = (open + 1..close).filter_map(|j| c.word(j)).collect();
        if parts.len() < 2
            || parts
                .iter()
                .any(|f| f.class != Class::Count || c.in_parenthesis(f.at))
            || !listed(c, &parts)
            || words
                .iter()
                .any(|w| PARTIAL_WORDS.contains(w) || matches!(*w, "of" | "per" | "each"))
        {
            continue;
        }
        out.push(whole_of_parts(
            p,
            &whole,
            &parts,
            true,
            "a count and its breakdown in parentheses",
        ));
    }
    out
}

/// The parts summed against their whole: equal to it, or at most it when not `complete`.
fn whole_of_parts(
    p: &Passage,
    whole: &Fig,
    parts: &[Fig],
    complete: bool,
    form: &'static str,
) -> Claim {
    let (lo, hi) = whole.interval();
    let (computed, how) = total(parts);
    let mut figures: Vec<&Mention> = parts.iter().map(|f| f.m).collect();
    figures.push(whole.m);
    Claim {
        stated: Side {
            value: Some(whole.value()),
            interval: if complete {
                (lo, hi)
            } else {
                (f64::NEG_INFINITY, hi)
            },
        },
        computed,
        partial: !complete,
        how,
        ..Claim::new(p, Kind::PartsWhole, form, &figures)
    }
}

/// "Women made up 56 per cent of participants, men 44 per cent", "Of the budget, 48% went to
/// shelter, 27% to health and the remaining 25% to protection": shares of one base against 100.
fn shares_of_a_whole(p: &Passage, c: &Clause) -> Option<Claim> {
    let shares: Vec<Fig> = c.of_class(Class::Share).collect();
    // Besides the shares, only their base may be printed ("70% of the 12,000 returnees").
    let others = c.figs.len() - shares.len();
    let based = others == 1
        && c.figs
            .iter()
            .any(|f| f.class == Class::Count && c.is_base(f));
    if shares.len() < 2 || !(others == 0 || based) || !listed(c, &shares) || dated_apart(c, &shares)
    {
        return None;
    }
    // Shares each "of" something else ("45% of women and 30% of men") have different bases.
    let of_after = shares
        .iter()
        .filter(|f| c.word(f.at + 1) == Some("of"))
        .count();
    if of_after > 1 {
        return None;
    }
    let words = words_from(c, 0);
    if words
        .iter()
        .any(|w| PARTIAL_WORDS.contains(w) || matches!(*w, "than" | "respectively"))
    {
        return None;
    }
    let opener = matches!(c.word(0), Some("of" | "among"))
        && c.toks.iter().take(8).any(|t| *t == Tok::Punct(','));
    let made_up = words.windows(2).any(|w| {
        matches!(
            w,
            ["made", "up"] | ["accounted", "for"] | ["account", "for"]
        )
    });
    let complete = covers_whole(c, &shares, &words);
    // "40% had access to water, while 70% had access to health care": attributes, not a split
    // of the base ("86% were refugees …, and 14% were migrant workers" is one).
    let attributes = parts_followed_by(c, &shares, ATTRIBUTE_VERBS) > 1;
    if !(opener || made_up || complete) || (attributes && !complete) {
        return None;
    }
    let (computed, how) = total(&shares);
    let figures: Vec<&Mention> = shares.iter().map(|f| f.m).collect();
    // "Of the budget, a% went to X, b% to Y and c% to Z" divides its base; "Syrians accounted
    // for 40% of arrivals, Afghans 30%" may name only the largest parts: at most 100.
    let whole = complete || opener;
    Some(Claim {
        stated: Side {
            value: Some(100.0),
            interval: if whole {
                (100.0, 100.0)
            } else {
                (f64::NEG_INFINITY, 100.0)
            },
        },
        computed,
        partial: !whole,
        how,
        ..Claim::new(p, Kind::SharesSum, "shares of one whole", &figures)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_figures_words_and_punctuation() {
        let t = tokens("Of the «c0» staff, «c1» («p2») were women; i.e. «c3»-fold.");
        assert_eq!(t[0], Tok::Word("of".into()));
        assert_eq!(t[2], Tok::Fig(0));
        assert!(t.contains(&Tok::Punct(';')));
        assert!(t.contains(&Tok::Word("i.e".into())));
    }

    #[test]
    fn multipliers() {
        assert_eq!(multiplier("doubled"), Some(2.0));
        assert_eq!(multiplier("halved"), Some(0.5));
        assert_eq!(multiplier("three-fold"), Some(3.0));
        assert_eq!(multiplier("fivefold"), Some(5.0));
        assert_eq!(multiplier("fold"), None);
        assert_eq!(multiplier("manifold"), None);
        assert_eq!(multiplier("triplex"), None);
        assert_eq!(multiplier("tripling"), Some(3.0));
    }
}
