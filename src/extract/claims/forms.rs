//! Claims between two or three figures of one sentence: a count and its share of a base, and a
//! change stated between two printed figures (a percentage, a direction); multiples are
//! composed from cues (`cues.rs`), which read their hedges ("more than doubled").

use std::sync::LazyLock;

use regex::{Captures, Regex};

use super::{Claim, Kind, Passage, Side};
use crate::extract::figures::Mention;
use crate::interval::{Interval, div};

/// Up to three words between "of" and the base: "of the 145", "of all IOM 145".
const WORDS: &str = r"(?:[A-Za-z’'-]+ ){0,3}";

fn compile(forms: &[(&'static str, String)]) -> Vec<(&'static str, Regex)> {
    forms
        .iter()
        .map(|(name, re)| (*name, Regex::new(&format!("(?i){re}")).unwrap()))
        .collect()
}

/// Count and share of a base; groups `n` (count), `p` (share), `m` (base).
static COUNT_SHARE: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    compile(&[
        ("N (p%) of M", format!(r"«c(?P<n>\d+)» \((?:or |i\.e\.,? )?«p(?P<p>\d+)»\) of {WORDS}«c(?P<m>\d+)»")),
        ("p% (N) of M", format!(r"«p(?P<p>\d+)» \(«c(?P<n>\d+)»\) of {WORDS}«c(?P<m>\d+)»")),
        ("N or p% of M", format!(r"«c(?P<n>\d+)»,? (?:or|i\.e\.,?) «p(?P<p>\d+)»,? of {WORDS}«c(?P<m>\d+)»")),
        ("N of M … (p%)", format!(r"«c(?P<n>\d+)» (?:out )?of {WORDS}«c(?P<m>\d+)»[^«.;]{{0,80}}?\((?:or )?«p(?P<p>\d+)»\)")),
        ("M … of which N (p%)", r"«c(?P<m>\d+)»[^«;]{0,60}? (?:out of|of) (?:which|whom|those) «c(?P<n>\d+)»[^«;()]{0,40}?\(«p(?P<p>\d+)»\)".to_string()),
        ("M … with N (p%)", r"«c(?P<m>\d+)»[^«;]{0,80}? with «c(?P<n>\d+)» [A-Za-z ]{0,30}\(«p(?P<p>\d+)»\)".to_string()),
    ])
});

const UP: &str = r"increase|increased|increasing|rise|rising|rose|growth|grew|growing|went up|up";
const DOWN: &str = r"decrease|decreased|decreasing|decline|declined|declining|drop|dropped|dropping|fall|fell|falling|reduction|went down|down";

/// A percentage change; groups `p`, `x` (before), `y` (after), `dir`.
static PERCENT_CHANGE: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    compile(&[
        ("a change of p% from X to Y", format!(r"(?P<dir>{UP}|{DOWN}) of «p(?P<p>\d+)»[^«]{{0,60}}? from «c(?P<x>\d+)»[^«]{{0,40}}? to «c(?P<y>\d+)»")),
        ("p% change from X to Y", format!(r"«p(?P<p>\d+)» (?P<dir>{UP}|{DOWN})[^«]{{0,60}}? from «c(?P<x>\d+)»[^«]{{0,40}}? to «c(?P<y>\d+)»")),
        ("a change of p%, rising to Y from X", format!(r"(?P<dir>{UP}|{DOWN}) of «p(?P<p>\d+)»[^«]{{0,80}}? (?:{UP}|{DOWN}) to «c(?P<y>\d+)»[^«]{{0,40}}? from «c(?P<x>\d+)»")),
        ("Y (p% more than X)", r"«c(?P<y>\d+)»[^«]{0,40}?\(«p(?P<p>\d+)» (?P<dir>more|higher|greater|larger|up|less|fewer|lower|smaller|down) than [^«]{0,30}?«c(?P<x>\d+)»\)".to_string()),
        ("Y, a p% greater number … than X", r"«c(?P<y>\d+)»[^«]{0,80}?«p(?P<p>\d+)» (?P<dir>more|higher|greater|larger|less|fewer|lower|smaller)[^«]{0,60}? than [^«]{0,40}?«c(?P<x>\d+)»".to_string()),
    ])
});

/// A direction only; groups `x`, `y`, `dir`. The word boundaries are ASCII ones: the words
/// are ASCII, and a Unicode boundary makes the regex engine give up its fast automaton on every
/// skeleton (the tokens' « » are not ASCII), which cost a tenth of a dense document's run.
static DIRECTION: LazyLock<Vec<(&'static str, Regex)>> = LazyLock::new(|| {
    compile(&[
        (
            "changed from X to Y",
            format!(
                r"(?-u:\b)(?P<dir>{UP}|{DOWN})(?-u:\b)[^«.;]{{0,30}}? from «c(?P<x>\d+)»(?: [A-Za-z]+){{0,3}} to «c(?P<y>\d+)»"
            ),
        ),
        (
            "rising to Y from X",
            format!(
                r"(?-u:\b)(?P<dir>{UP}|{DOWN}) to «c(?P<y>\d+)»(?: [A-Za-z]+){{0,3}} from «c(?P<x>\d+)»"
            ),
        ),
    ])
});

pub fn claims(p: &Passage) -> Vec<Claim> {
    let mut out = Vec::new();
    // Every wording here relates two counts (and a share).
    if p.counts < 2 {
        return out;
    }
    // Literals every wording of a family prints: a passage without them skips the family's
    // regexes (most passages of a dense document, where the capture engines cost a tenth of
    // the run).
    if token_after(&p.skeleton, "", b'p') {
        each(p, &COUNT_SHARE, &mut out, count_share);
        each(p, &PERCENT_CHANGE, &mut out, percent_change);
    }
    if token_after(&p.skeleton, "from ", b'c') {
        each(p, &DIRECTION, &mut out, direction);
    }
    out
}

/// The skeleton holds a token of `kind` (`c`, `p`) right after `word`, matched as the
/// case-insensitive wordings match it.
fn token_after(skeleton: &str, word: &str, kind: u8) -> bool {
    let bytes = skeleton.as_bytes();
    memchr::memmem::find_iter(bytes, "«".as_bytes()).any(|at| {
        let end = at + "«".len();
        bytes
            .get(end)
            .is_some_and(|b| b.eq_ignore_ascii_case(&kind))
            && at
                .checked_sub(word.len())
                .and_then(|start| bytes.get(start..at))
                .is_some_and(|before| before.eq_ignore_ascii_case(word.as_bytes()))
    })
}

type Reader = fn(&Passage, &Captures, &'static str) -> Option<Claim>;

fn each(p: &Passage, forms: &[(&'static str, Regex)], out: &mut Vec<Claim>, read: Reader) {
    for (form, re) in forms {
        for caps in re.captures_iter(&p.skeleton) {
            out.extend(read(p, &caps, form));
        }
    }
}

fn scale(i: Interval, k: f64) -> Interval {
    (i.0 * k, i.1 * k)
}

fn count_share(p: &Passage, caps: &Captures, form: &'static str) -> Option<Claim> {
    let (n, share, m) = (
        p.figure(caps, "n")?,
        p.figure(caps, "p")?,
        p.figure(caps, "m")?,
    );
    let (nv, mv) = (n.quantity.value, m.quantity.value);
    if mv <= 0.0 || nv > mv {
        return None;
    }
    let computed_iv = scale(div(n.quantity.interval(), m.quantity.interval())?, 100.0);
    Some(Claim {
        stated: Side::of(share),
        computed: Side {
            value: Some(nv / mv * 100.0),
            interval: (computed_iv.0, computed_iv.1.min(100.0)),
        },
        how: format!("{} / {} × 100", n.raw, m.raw),
        ..Claim::new(p, Kind::CountShare, form, &[n, share, m])
    })
}

static FALLS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(&format!("(?i)^(?:{DOWN}|less|fewer|lower|smaller)$")).unwrap());

fn falls(dir: &str) -> bool {
    FALLS.is_match(dir)
}

/// (y − x) / x × 100 as an interval, for a positive x.
fn change(x: &Mention, y: &Mention) -> Option<(f64, Interval)> {
    let ratio = div(y.quantity.interval(), x.quantity.interval())?;
    let xv = x.quantity.value;
    (xv > 0.0).then(|| {
        (
            (y.quantity.value - xv) / xv * 100.0,
            ((ratio.0 - 1.0) * 100.0, (ratio.1 - 1.0) * 100.0),
        )
    })
}

fn percent_change(p: &Passage, caps: &Captures, form: &'static str) -> Option<Claim> {
    let (share, x, y) = (
        p.figure(caps, "p")?,
        p.figure(caps, "x")?,
        p.figure(caps, "y")?,
    );
    let sign = if falls(caps.name("dir")?.as_str()) {
        -1.0
    } else {
        1.0
    };
    let (value, interval) = change(x, y)?;
    let (lo, hi) = share.quantity.interval();
    let stated_iv = if sign < 0.0 { (-hi, -lo) } else { (lo, hi) };
    Some(Claim {
        stated: Side {
            value: Some(sign * share.quantity.value),
            interval: stated_iv,
        },
        computed: Side {
            value: Some(value),
            interval,
        },
        how: format!("({} − {}) / {} × 100", y.raw, x.raw, x.raw),
        ..Claim::new(p, Kind::PercentChange, form, &[share, x, y])
    })
}

fn direction(p: &Passage, caps: &Captures, form: &'static str) -> Option<Claim> {
    let (x, y) = (p.figure(caps, "x")?, p.figure(caps, "y")?);
    if x.quantity.unit != y.quantity.unit {
        return None;
    }
    let down = falls(caps.name("dir")?.as_str());
    let (xl, xh) = x.quantity.interval();
    let (yl, yh) = y.quantity.interval();
    Some(Claim {
        stated: Side {
            value: None,
            interval: if down {
                (f64::NEG_INFINITY, 0.0)
            } else {
                (0.0, f64::INFINITY)
            },
        },
        computed: Side {
            value: Some(y.quantity.value - x.quantity.value),
            interval: (yl - xh, yh - xl),
        },
        how: format!(
            "{} − {} (stated: {})",
            y.raw,
            x.raw,
            if down { "a fall" } else { "a rise" }
        ),
        ..Claim::new(p, Kind::ChangeDirection, form, &[x, y])
    })
}
