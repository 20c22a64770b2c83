//! Claims about lists: shares of one whole listed together (their sum against 100, or against
//! the share they break down), and parts printed against their whole (names or counts listed
//! against the count stated before them).

use std::sync::LazyLock;

use regex::Regex;

use super::{Claim, Kind, Names, Passage, Side};
use crate::extract::figures::Mention;
use crate::interval::{Interval, add};

/// Words saying a list may be partial: its check is a bound (severity info).
static PARTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:followed by|including|included|such as|e\.g\.|for example|for instance|mainly|mostly|main|most|top|notably|among(?:st)? others|among|inter alia|other than|next|between|roughly)\b").unwrap()
});

/// "(68% male, 32% female)": shares and their labels in one parenthesis.
static PAREN_SHARES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\(«p\d+» [^«()]{1,40}?(?:(?:, and |, | and |; )«p\d+» [^«()]{1,40}?)+\)").unwrap()
});

/// A share in parentheses after its label: "refugees (95%)", "Conflict (38%)".
static LABELLED_SHARE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\(«p(\d+)»\)").unwrap());

/// What may stand between two labelled shares of one list: a label, commas, "and".
static LIST_GAP: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[^«().;:]{1,80}$").unwrap());

/// "Total exporters 15 (42%) 21 (58%)": counts with their shares of the row's sum.
static COUNT_SHARE_ROW: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:«c\d+» ?\(«p\d+»\) ?){2,}").unwrap());

/// "The remaining 17 per cent of events were composed of": a share broken down after it.
static SHARE_BROKEN_DOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)«p(?P<w>\d+)»[^«]{0,80}?\b(?:composed of|consist(?:s|ed|ing)? of|made up of|comprised of|comprising|divided (?:into|between|among)|split (?:into|between|among)|broken down (?:into|as)|distributed (?:among|between))\b[^«]{0,80}$").unwrap()
});

/// "6 countries: A, B and C", "three … emergencies, in A, B and C", "six settings (A, … F)".
static NAMED_PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"«c(?P<n>\d+)» (?P<np>[^«():;.,]{0,60}?[A-Za-z]s)(?: \([^()«]{0,30}\))?(?P<open>: |, in | \(|,? namely |,? i\.e\.,? |,? including |,? such as )(?P<list>[^«();:]{3,300})").unwrap()
});

/// "N platforms: a CCCM, b Shelter and c others", "N migrants returned home: a from A, b from
/// B and c from C": counts listed against their whole (after a plural, or after a colon).
static COUNTED_PARTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"«c(?P<n>\d+)» (?P<np>[^«():;.,]{0,60}?[A-Za-z0-9])(?P<open>: | \(|, including |, of which )(?P<list>«c\d+» [^«();:.]{1,40}?(?:(?:, and |, | and )«c\d+» [^«();:.]{1,40}?)+)(?:\)|\.|;|$)").unwrap()
});

/// "a X and b Y, for a total of N", "a in A, b in B and c in C, or N in total": counts listed
/// before the whole they add up to. ("Bringing the total to N" is left out: it is most often a
/// running total, an earlier count plus the new ones.)
static PARTS_THEN_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?P<list>«c\d+» [^«();:.]{1,60}?(?:(?:, and |, | and )«c\d+»(?: [^«();:.]{1,40}?)?)+),? (?:for |making )?(?:a (?:grand |combined )?total of |totall?ing |(?:or|that is|i\.e\.,?) )?«c(?P<n>\d+)»(?P<tail> in (?:total|all)\b| altogether\b)?").unwrap()
});

/// One share printed in words and in per cent, the one in parentheses after the other:
/// "nearly two thirds of returnees (64%)", "38 per cent (over a third) of the households".
static SHARE_TWICE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"«f(?P<f1>\d+)»(?: [a-z][^«();:.]{0,60}?)? \(«p(?P<p1>\d+)»\)|«p(?P<p2>\d+)»(?: [a-z][^«();:.]{0,60}?)? \((?:or |i\.e\.,? )?«f(?P<f2>\d+)»\)").unwrap()
});

/// "Of the 1,200 staff trained, 720 were women (60%) and 480 men (40%)": counts of a whole
/// stated before them, each with its share after its label.
static BASE_THEN_LABELLED_COUNTS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:of|among(?:st)?|out of) (?:the |these |those |all )?«c(?P<w>\d+)»[^«();:.]{0,60}?,(?P<list>(?:,? (?:and )?«c\d+» [^«();:.]{1,40}? \(«p\d+»\))+)").unwrap()
});

/// One count of such a list with its share: "720 were women (60%)".
static LABELLED_COUNT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"«c(?P<n>\d+)» [^«();:.]{1,40}? \(«p(?P<p>\d+)»\)").unwrap());

/// Words saying the counts of a list are changes to a running total ("12 new offices opened
/// and 4 closed, for a total of 420"), not its parts.
static RUNNING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:new|newly|open(?:ed|ing)?|clos(?:ed|ing)|join(?:ed|ing)|add(?:ed|ing)|additional|more|another|further|left|leaving|since)\b").unwrap()
});

/// Words saying a total named after a list runs over more than the list ("for a total of
/// 20,000 to date").
static RUNNING_TOTAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:since|to date|so far|thus far|until now|ever|cumulative(?:ly)?|overall)\b",
    )
    .unwrap()
});

/// The words after a figure up to the end of its clause: "… 20,000 to date; …".
fn rest_of_clause(after: &str) -> &str {
    let end = after
        .find(['.', ';', ':', '(', ',', '«'])
        .unwrap_or(after.len());
    &after[..end]
}

/// A year printed among a list's parts.
static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(?:19|20)\d\d\b").unwrap());

pub fn claims(p: &Passage, names: &Names) -> Vec<Claim> {
    let mut out = Vec::new();
    if p.shares >= 1 && p.skeleton.contains("«f") {
        out.extend(share_twice(p));
    }
    if p.shares >= 2 {
        out.extend(paren_shares(p));
        out.extend(labelled_lists(p));
    }
    if p.shares >= 2 && p.counts >= 2 {
        out.extend(count_share_rows(p));
    }
    if p.shares >= 1 && p.counts >= 2 {
        out.extend(labelled_counts_of_base(p));
    }
    if p.counts >= 1 && p.skeleton.contains([':', '(', ',']) || p.skeleton.contains(" such as ") {
        out.extend(named_parts(p, names));
    }
    if p.counts >= 3 {
        out.extend(counted_parts(p));
        out.extend(parts_then_total(p));
    }
    out
}

fn sum_of(figures: &[&Mention]) -> (f64, Interval) {
    figures.iter().fold((0.0, (0.0, 0.0)), |(v, iv), m| {
        (v + m.quantity.value, add(iv, m.quantity.interval()))
    })
}

fn raw_sum(figures: &[&Mention]) -> String {
    figures
        .iter()
        .map(|m| m.raw.as_str())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Shares against 100 (whole) or at most 100 (partial).
fn shares_sum(p: &Passage, form: &'static str, shares: Vec<&Mention>, partial: bool) -> Claim {
    let (value, interval) = sum_of(&shares);
    let how = raw_sum(&shares);
    Claim {
        stated: Side {
            value: Some(100.0),
            interval: if partial {
                (f64::NEG_INFINITY, 100.0)
            } else {
                (100.0, 100.0)
            },
        },
        computed: Side {
            value: Some(value),
            interval,
        },
        partial,
        how,
        ..Claim::new(p, Kind::SharesSum, form, &shares)
    }
}

fn paren_shares(p: &Passage) -> Vec<Claim> {
    PAREN_SHARES
        .find_iter(&p.skeleton)
        .map(|m| {
            let partial = PARTIAL.is_match(m.as_str());
            shares_sum(p, "(p% a, q% b)", p.figures_in(m.as_str()), partial)
        })
        .collect()
}

/// Runs of labelled shares with only labels, commas and "and" between them.
fn labelled_runs(p: &Passage) -> Vec<(usize, usize)> {
    let found: Vec<regex::Match> = LABELLED_SHARE.find_iter(&p.skeleton).collect();
    let mut runs = Vec::new();
    let mut i = 0;
    while i < found.len() {
        let mut j = i;
        while j + 1 < found.len()
            && LIST_GAP.is_match(&p.skeleton[found[j].end()..found[j + 1].start()])
        {
            j += 1;
        }
        if j > i {
            runs.push((found[i].start(), found[j].end()));
        }
        i = j + 1;
    }
    runs
}

fn labelled_lists(p: &Passage) -> Vec<Claim> {
    labelled_runs(p)
        .into_iter()
        .map(|(start, end)| {
            let run = &p.skeleton[start..end];
            let shares = p.figures_in(run);
            let before = &p.skeleton[..start];
            if let Some(whole) = SHARE_BROKEN_DOWN
                .captures(before)
                .and_then(|c| p.figure(&c, "w"))
            {
                return parts_of_share(p, whole, shares);
            }
            // Items joined by commas or "and" are a list in prose; bare labels one after the
            // other are a chart legend, which text extraction often scatters.
            let prose = joined_in_prose(run);
            let partial = !prose || PARTIAL.is_match(&p.skeleton[..end]);
            let form = if prose {
                "a (p%), b (q%) and c (r%)"
            } else {
                "chart legend a (p%) b (q%)"
            };
            shares_sum(p, form, shares, partial)
        })
        .collect()
}

/// Some item of a run follows its predecessor's ")" with a comma or "and".
fn joined_in_prose(run: &str) -> bool {
    run.split(')').skip(1).any(|gap| {
        let gap = gap.to_lowercase();
        gap.starts_with(',') || gap.starts_with(" and ") || gap.starts_with("; ")
    })
}

fn parts_of_share(p: &Passage, whole: &Mention, parts: Vec<&Mention>) -> Claim {
    let (value, interval) = sum_of(&parts);
    let how = raw_sum(&parts);
    let mut figures = parts;
    figures.push(whole);
    Claim {
        stated: Side::of(whole),
        computed: Side {
            value: Some(value),
            interval,
        },
        how,
        ..Claim::new(
            p,
            Kind::PartsWhole,
            "p% composed of a (q%), b (r%)",
            &figures,
        )
    }
}

/// A row of counts with their shares: the shares sum to 100 and each is its count's share of
/// the row's sum.
fn count_share_rows(p: &Passage) -> Vec<Claim> {
    let mut out = Vec::new();
    for row in COUNT_SHARE_ROW.find_iter(&p.skeleton) {
        let figures = p.figures_in(row.as_str());
        let (counts, shares): (Vec<&Mention>, Vec<&Mention>) = figures
            .iter()
            .partition(|m| m.quantity.unit != Some("percent"));
        let (total, total_iv) = sum_of(&counts);
        if total <= 0.0 {
            continue;
        }
        out.push(shares_sum(p, "N (p%) N (q%) row", shares.clone(), false));
        for (n, share) in counts.iter().zip(&shares) {
            let (lo, hi) = n.quantity.interval();
            out.push(Claim {
                stated: Side::of(share),
                computed: Side {
                    value: Some(n.quantity.value / total * 100.0),
                    interval: (lo / total_iv.1 * 100.0, hi / total_iv.0 * 100.0),
                },
                how: format!("{} / ({}) × 100", n.raw, raw_sum(&counts)),
                ..Claim::new(p, Kind::CountShare, "N (p%) of the row's sum", &{
                    let mut involved = counts.clone();
                    involved.push(share);
                    involved
                })
            });
        }
    }
    out
}

/// Items of a list of names: split at commas and "and" (unless the country table knows the
/// words around an "and" as one name), leading "the" dropped; the list ends at the first item
/// that is not a capitalised name of at most six words.
fn list_items(list: &str, names: &Names) -> Vec<String> {
    let mut items = Vec::new();
    for chunk in list.split(", ") {
        let chunk = chunk.trim().trim_start_matches("and ").trim();
        let chunk = chunk.trim_end_matches(['.', ')']);
        let parts: Vec<&str> = if names.is_one_name(chunk) {
            vec![chunk]
        } else {
            chunk.split(" and ").collect()
        };
        for part in parts {
            let part = part.trim();
            let part = part.strip_prefix("the ").unwrap_or(part);
            let capitalised = part.chars().next().is_some_and(char::is_uppercase);
            if !capitalised || part.split_whitespace().count() > 6 {
                return items;
            }
            items.push(part.to_string());
        }
    }
    items
}

/// The list is printed whole within the passage: a parenthesis closes, or the sentence ends.
fn closed(skeleton: &str, open: &str, list_end: usize) -> bool {
    let after = skeleton[list_end..].chars().next();
    if open == " (" {
        return after == Some(')');
    }
    after.is_some() || skeleton.trim_end().ends_with(['.', '!', '?'])
}

/// A count stated as the size of what follows: the interval of the count, or only its upper
/// end when the wording says the list is partial (the parts listed are at most the whole).
fn whole_side(n: &Mention, partial: bool) -> Side {
    let (lo, hi) = n.quantity.interval();
    Side {
        value: Some(n.quantity.value),
        interval: if partial {
            (f64::NEG_INFINITY, hi)
        } else {
            (lo, hi)
        },
    }
}

fn named_parts(p: &Passage, names: &Names) -> Vec<Claim> {
    let mut out = Vec::new();
    for caps in NAMED_PARTS.captures_iter(&p.skeleton) {
        let Some(n) = p.figure(&caps, "n") else {
            continue;
        };
        let (Some(open), Some(list)) = (caps.name("open"), caps.name("list")) else {
            continue;
        };
        if n.quantity.unit.is_some() || n.quantity.value > 30.0 || n.quantity.value < 2.0 {
            continue;
        }
        if !closed(&p.skeleton, open.as_str(), list.end()) {
            continue;
        }
        let items = list_items(list.as_str(), names);
        if items.len() < 2 {
            continue;
        }
        let partial = PARTIAL.is_match(open.as_str());
        let count = items.len() as f64;
        out.push(Claim {
            stated: whole_side(n, partial),
            computed: Side::exact(count),
            partial,
            how: format!("{} names listed: {}", items.len(), items.join(" | ")),
            ..Claim::new(p, Kind::PartsWhole, "N things: a, b and c", &[n])
        });
    }
    out
}

fn counted_parts(p: &Passage) -> Vec<Claim> {
    let mut out = Vec::new();
    for caps in COUNTED_PARTS.captures_iter(&p.skeleton) {
        let (Some(n), Some(open), Some(list)) =
            (p.figure(&caps, "n"), caps.name("open"), caps.name("list"))
        else {
            continue;
        };
        // What the count counts is a plural noun ("platforms (…)"), or a colon opens the list.
        let plural = caps.name("np").is_some_and(|np| np.as_str().ends_with('s'));
        // ", of which a … and b …" may list some of the whole or all of it: the cue grammar
        // reads it, complete only when its labels cover the whole.
        if (!plural && open.as_str() != ": ") || open.as_str() == ", of which " {
            continue;
        }
        let parts = p.figures_in(list.as_str());
        if parts.iter().any(|m| m.quantity.unit != n.quantity.unit) {
            continue;
        }
        let partial = PARTIAL.is_match(open.as_str());
        let (value, interval) = sum_of(&parts);
        let how = raw_sum(&parts);
        let mut figures = parts;
        figures.push(n);
        out.push(Claim {
            stated: whole_side(n, partial),
            computed: Side {
                value: Some(value),
                interval,
            },
            partial,
            how,
            ..Claim::new(p, Kind::PartsWhole, "N things: a x, b y and c z", &figures)
        });
    }
    out
}

fn parts_then_total(p: &Passage) -> Vec<Claim> {
    let mut out = Vec::new();
    for caps in PARTS_THEN_TOTAL.captures_iter(&p.skeleton) {
        let (Some(n), Some(list)) = (p.figure(&caps, "n"), caps.name("list")) else {
            continue;
        };
        // The total is named as one: "a total of", "totalling", or "in total" after it
        // ("a X and b Y, 12 of them …" states no total).
        let end = caps.get(0).map_or(list.end(), |m| m.end());
        let joint = p.skeleton[list.end()..end].to_lowercase();
        let named = caps.name("tail").is_some() || joint.contains("total");
        let parts = p.figures_in(list.as_str());
        // "…, for a total of 20,000 since 2015": a running total counts more than the parts
        // listed.
        if !named
            || RUNNING.is_match(list.as_str())
            || RUNNING_TOTAL.is_match(&joint)
            || RUNNING_TOTAL.is_match(rest_of_clause(&p.skeleton[end..]))
            || YEAR.is_match(&joint)
            || parts.iter().any(|m| m.quantity.unit != n.quantity.unit)
        {
            continue;
        }
        let (value, (lo, hi)) = sum_of(&parts);
        // Parts by year may count one thing twice ("15 countries in 2020 and 18 in 2021, a
        // total of 22 countries"): their sum is only a bound of the total.
        let partial = YEAR.is_match(list.as_str());
        let how = raw_sum(&parts);
        let mut figures = parts;
        figures.push(n);
        out.push(Claim {
            stated: whole_side(n, false),
            computed: Side {
                value: Some(value),
                interval: if partial {
                    (f64::NEG_INFINITY, hi)
                } else {
                    (lo, hi)
                },
            },
            partial,
            how,
            ..Claim::new(p, Kind::PartsWhole, "a x and b y, a total of N", &figures)
        });
    }
    out
}

fn share_twice(p: &Passage) -> Vec<Claim> {
    let mut out = Vec::new();
    for caps in SHARE_TWICE.captures_iter(&p.skeleton) {
        let words = p.figure(&caps, "f1").or_else(|| p.figure(&caps, "f2"));
        let share = p.figure(&caps, "p1").or_else(|| p.figure(&caps, "p2"));
        let (Some(words), Some(share)) = (words, share) else {
            continue;
        };
        let (lo, hi) = words.quantity.interval();
        out.push(Claim {
            stated: Side::of(share),
            computed: Side {
                value: Some(words.quantity.value * 100.0),
                interval: (lo * 100.0, hi * 100.0),
            },
            how: format!("{} = {:.1}%", words.raw, words.quantity.value * 100.0),
            ..Claim::new(p, Kind::SameShare, "a share in words (p%)", &[words, share])
        });
    }
    out
}

/// Each labelled count's share against the count over the base stated before the list.
fn labelled_counts_of_base(p: &Passage) -> Vec<Claim> {
    let mut out = Vec::new();
    for caps in BASE_THEN_LABELLED_COUNTS.captures_iter(&p.skeleton) {
        let (Some(base), Some(list)) = (p.figure(&caps, "w"), caps.name("list")) else {
            continue;
        };
        let (base_lo, base_hi) = base.quantity.interval();
        if base.quantity.unit.is_some() || base_lo <= 0.0 {
            continue;
        }
        for pair in LABELLED_COUNT.captures_iter(list.as_str()) {
            let (Some(n), Some(share)) = (p.figure(&pair, "n"), p.figure(&pair, "p")) else {
                continue;
            };
            if n.quantity.unit.is_some() {
                continue;
            }
            let (lo, hi) = n.quantity.interval();
            out.push(Claim {
                stated: Side::of(share),
                computed: Side {
                    value: Some(n.quantity.value / base.quantity.value * 100.0),
                    interval: (lo / base_hi * 100.0, hi / base_lo * 100.0),
                },
                how: format!("{} / {} × 100", n.raw, base.raw),
                ..Claim::new(
                    p,
                    Kind::CountShare,
                    "of the M, N label (p%)",
                    &[base, n, share],
                )
            });
        }
    }
    out
}
