//! Relations between stated figures, declared in the catalogue, and the automatic check that a
//! figure stated twice (for the same metric and year) agrees with itself. Every comparison is
//! rounding-aware: each printed figure stands for the interval of values its printing allows
//! ("4.2 million" = 4.15–4.25 million, "83%" = 82.5–83.5, "over 98,000" = 98,000 or more).

use std::collections::BTreeMap;

use crate::catalogue::{Catalogue, Ref, Relation, RelationKind};
use crate::extract::metrics::{DATASET, Stated};
use crate::validate::{Finding, Severity, Status, check_id};

type Interval = (f64, f64);

fn overlap(a: Interval, b: Interval) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

fn add(a: Interval, b: Interval) -> Interval {
    (a.0 + b.0, a.1 + b.1)
}

/// a / b for positive intervals.
fn div(a: Interval, b: Interval) -> Option<Interval> {
    (b.0 > 0.0).then(|| (a.0 / b.1, a.1 / b.0))
}

fn fmt_num(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "-∞".into() };
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{:.2}", v)
    }
}

fn fmt_interval(i: Interval) -> String {
    format!("[{}, {}]", fmt_num(i.0), fmt_num(i.1))
}

/// Looks a reference up: the first stated figure (catalogue order) for key and year, from the
/// named document when the reference names one.
fn lookup<'a>(stated: &'a [Stated], r: &Ref) -> Option<&'a Stated> {
    stated.iter().find(|s| {
        s.key == r.key && s.year == r.year && r.doc.as_ref().is_none_or(|d| *d == s.doc_id)
    })
}

pub fn evaluate(catalogue: &Catalogue, stated: &[Stated]) -> Vec<Finding> {
    let mut out = Vec::new();
    for relation in &catalogue.relations {
        out.push(evaluate_one(catalogue, relation, stated));
    }
    out.extend(agreement(stated));
    out
}

/// A stated figure against the interval computed from others.
struct Comparison<'a> {
    /// The stated figure the finding points at (its document and line).
    side: Option<&'a Stated>,
    stated: f64,
    stated_iv: Interval,
    computed: f64,
    computed_iv: Interval,
    /// Only a bound: the computed value must not exceed the stated one (`at_most`).
    bound_only: bool,
    how: String,
}

impl<'a> Comparison<'a> {
    fn new(
        side: (Option<&'a Stated>, f64, Interval),
        computed: f64,
        computed_iv: Interval,
        how: String,
    ) -> Self {
        Comparison {
            side: side.0,
            stated: side.1,
            stated_iv: side.2,
            computed,
            computed_iv,
            bound_only: false,
            how,
        }
    }

    fn holds(&self) -> bool {
        if self.bound_only {
            self.computed_iv.0 <= self.stated_iv.1
        } else {
            overlap(self.stated_iv, self.computed_iv)
        }
    }
}

fn missing(catalogue: &Catalogue, relation: &Relation, what: &[String]) -> Finding {
    let d = &relation.def;
    Finding {
        check_id: check_id(DATASET, d.kind.as_str(), &[&d.id]),
        dataset: DATASET.into(),
        kind: d.kind.as_str().into(),
        subject: d.description.clone(),
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Fail,
        severity: Severity::Error,
        doc_id: String::new(),
        line: None,
        evidence: String::new(),
        message: format!(
            "relation '{}' ({}:{}) cannot be checked: {} not found in the documents (see the pattern_match findings)",
            d.id,
            catalogue.path.display(),
            relation.line,
            what.join(", ")
        ),
    }
}

fn evaluate_one<'a>(catalogue: &Catalogue, relation: &Relation, stated: &'a [Stated]) -> Finding {
    let d = &relation.def;
    let get = |r: &Option<String>| r.as_ref().and_then(|s| Ref::parse(s));
    // Resolve every reference first: a relation over a figure that was not found is reported.
    let mut absent = Vec::new();
    let mut resolve = |r: Option<Ref>| -> Option<&Stated> {
        let r = r?;
        let found = lookup(stated, &r);
        if found.is_none() {
            absent.push(r.to_string());
        }
        found
    };
    let whole = resolve(get(&d.whole));
    let from = resolve(get(&d.from));
    let to = resolve(get(&d.to));
    let change = resolve(get(&d.change));
    let count = resolve(get(&d.count));
    let share = resolve(get(&d.share));
    let base = resolve(get(&d.base));
    let value = resolve(get(&d.value));
    let numerator = resolve(get(&d.numerator));
    let denominator = resolve(get(&d.denominator));
    let parts: Vec<&Stated> = d
        .parts
        .iter()
        .filter_map(|p| resolve(Ref::parse(p)))
        .collect();
    if !absent.is_empty() {
        return missing(catalogue, relation, &absent);
    }

    let sum_parts = || {
        parts.iter().fold(((0.0, 0.0), 0.0), |(i, v), p| {
            (add(i, p.interval()), v + p.value)
        })
    };
    let stated_side = |s: &'a Stated| (Some(s), s.value, s.interval());
    let fixed = |side: Option<&'a Stated>, t: f64| (side, t, (t, t));
    let c = match d.kind {
        RelationKind::Sum => {
            let (iv, v) = sum_parts();
            Comparison::new(
                stated_side(whole.expect("checked at load")),
                v,
                iv,
                format!("sum of {} parts", parts.len()),
            )
        }
        RelationKind::SharesSum => {
            let (iv, v) = sum_parts();
            let side = fixed(parts.first().copied(), d.total.unwrap_or(100.0));
            Comparison::new(side, v, iv, format!("sum of {} shares", parts.len()))
        }
        RelationKind::AtMost => {
            let (iv, v) = sum_parts();
            let side = match (whole, d.total) {
                (Some(w), _) => stated_side(w),
                (None, Some(t)) => fixed(parts.first().copied(), t),
                (None, None) => unreachable!("checked at load"),
            };
            let how = format!(
                "sum of {} parts must not exceed {}",
                parts.len(),
                fmt_num(side.1)
            );
            Comparison {
                bound_only: true,
                ..Comparison::new(side, v, iv, how)
            }
        }
        RelationKind::PercentChange => {
            let (f, t, ch) = (
                from.expect("load"),
                to.expect("load"),
                change.expect("load"),
            );
            let computed = (t.value / f.value - 1.0) * 100.0;
            let iv = div(t.interval(), f.interval())
                .map(|(lo, hi)| ((lo - 1.0) * 100.0, (hi - 1.0) * 100.0))
                .unwrap_or((computed, computed));
            let how = format!("change from {} to {}", fmt_num(f.value), fmt_num(t.value));
            Comparison::new(stated_side(ch), computed, iv, how)
        }
        RelationKind::CountShare => {
            let (n, sh, b) = (
                count.expect("load"),
                share.expect("load"),
                base.expect("load"),
            );
            // A share printed in words ("half") is a fraction, not a percentage.
            let scale = if sh.quantity.unit == Some("fraction") {
                1.0
            } else {
                100.0
            };
            let computed = n.value / b.value * scale;
            let iv = div(n.interval(), b.interval())
                .map(|(lo, hi)| (lo * scale, hi * scale))
                .unwrap_or((computed, computed));
            let how = format!(
                "{} of {} as a percentage",
                fmt_num(n.value),
                fmt_num(b.value)
            );
            Comparison::new(stated_side(sh), computed, iv, how)
        }
        RelationKind::Ratio => {
            let (v, n, dn) = (
                value.expect("load"),
                numerator.expect("load"),
                denominator.expect("load"),
            );
            let computed = n.value / dn.value;
            let iv = div(n.interval(), dn.interval()).unwrap_or((computed, computed));
            let how = format!("{} / {}", fmt_num(n.value), fmt_num(dn.value));
            Comparison::new(stated_side(v), computed, iv, how)
        }
    };
    // A declared rounding widens the stated side ("averaging 9 days" = 8.5–9.5).
    let c = match d.stated_rounding {
        Some(r) => Comparison {
            stated_iv: (
                c.stated_iv.0.min(c.stated - r),
                c.stated_iv.1.max(c.stated + r),
            ),
            ..c
        },
        None => c,
    };
    let Comparison {
        side,
        stated: stated_value,
        stated_iv,
        computed,
        computed_iv,
        ref how,
        ..
    } = c;
    let pass = c.holds();
    let mut cited: Vec<&Stated> = Vec::new();
    for s in [
        whole,
        from,
        to,
        change,
        count,
        share,
        base,
        value,
        numerator,
        denominator,
    ]
    .into_iter()
    .flatten()
    {
        cited.push(s);
    }
    cited.extend(parts.iter().copied());
    let evidence = cited
        .iter()
        .map(|s| s.cite())
        .collect::<Vec<_>>()
        .join(" | ");
    let slack = (stated_iv.1 - stated_iv.0) / 2.0 + (computed_iv.1 - computed_iv.0) / 2.0;
    let message = format!(
        "{}: stated {} {} vs computed {} {} ({how}): {}",
        d.description,
        fmt_num(stated_value),
        fmt_interval(stated_iv),
        fmt_num(computed),
        fmt_interval(computed_iv),
        if pass {
            "consistent within the printed rounding and qualifiers"
        } else {
            "does not hold"
        }
    );
    Finding {
        check_id: check_id(DATASET, d.kind.as_str(), &[&d.id]),
        dataset: DATASET.into(),
        kind: d.kind.as_str().into(),
        subject: d.description.clone(),
        stated: Some(stated_value),
        computed: Some(computed),
        tolerance: slack.is_finite().then_some(slack),
        status: if pass { Status::Pass } else { Status::Fail },
        severity: d.severity.into(),
        doc_id: side.map(|s| s.doc_id.clone()).unwrap_or_default(),
        line: side.map(|s| s.line),
        evidence,
        message,
    }
}

/// A metric and year stated more than once (in two documents, or twice in one) must agree:
/// the intervals the printings allow must overlap ("over 98,000" is not contradicted by 98,403).
/// Severity: error within one document, warning across documents.
fn agreement(stated: &[Stated]) -> Vec<Finding> {
    let mut groups: BTreeMap<(String, i32), Vec<&Stated>> = BTreeMap::new();
    let mut order = Vec::new();
    for s in stated {
        let k = (s.key.clone(), s.year);
        if !groups.contains_key(&k) {
            order.push(k.clone());
        }
        groups.entry(k).or_default().push(s);
    }
    let mut out = Vec::new();
    for k in order {
        let group = &groups[&k];
        let Some((first, rest)) = group.split_first() else {
            continue;
        };
        for other in rest {
            let pass = overlap(first.interval(), other.interval());
            let slack = (first.interval().1 - first.interval().0) / 2.0
                + (other.interval().1 - other.interval().0) / 2.0;
            out.push(Finding {
                check_id: check_id(
                    DATASET,
                    "agree",
                    &[
                        &k.0,
                        &k.1.to_string(),
                        &other.doc_id,
                        &other.line.to_string(),
                    ],
                ),
                dataset: DATASET.into(),
                kind: "agree".into(),
                subject: format!("{}@{}", k.0, k.1),
                stated: Some(first.value),
                computed: Some(other.value),
                tolerance: slack.is_finite().then_some(slack),
                status: if pass { Status::Pass } else { Status::Fail },
                // Two documents may disagree; one document disagreeing with itself is more
                // likely a misread.
                severity: if first.doc_id == other.doc_id {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                doc_id: first.doc_id.clone(),
                line: Some(first.line),
                evidence: format!("{} | {}", first.cite(), other.cite()),
                message: format!(
                    "{} for {} is stated as {} ({}:{}) and as {} ({}:{}): {}",
                    k.0,
                    k.1,
                    first.raw,
                    first.doc_id,
                    first.line,
                    other.raw,
                    other.doc_id,
                    other.line,
                    if pass {
                        "they agree within the printed rounding and qualifiers"
                    } else {
                        "they contradict each other"
                    }
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::parse_quantity;

    fn stated(raw: &str, doc: &str) -> Stated {
        let quantity = parse_quantity(raw).unwrap();
        Stated {
            key: "k".into(),
            year: 2016,
            unit: "persons".into(),
            headline: false,
            value: quantity.value,
            quantity,
            raw: raw.into(),
            doc_id: doc.into(),
            line: 1,
            page: None,
            quote: raw.into(),
        }
    }

    #[test]
    fn agreement_respects_qualifiers() {
        // "over 98,000" is not contradicted by 98,403; a plain 98,000 is.
        let f = agreement(&[stated("over 98,000", "a"), stated("98,403", "b")]);
        assert_eq!(f[0].status, Status::Pass);
        let f = agreement(&[stated("98,000", "a"), stated("98,403", "b")]);
        assert_eq!(
            (f[0].status, f[0].severity),
            (Status::Fail, Severity::Warning)
        );
        let f = agreement(&[stated("98,000", "a"), stated("98,403", "a")]);
        assert_eq!(
            f[0].severity,
            Severity::Error,
            "one document contradicting itself"
        );
        let f = agreement(&[stated("approximately 40,000", "a"), stated("41,200", "b")]);
        assert_eq!(f[0].status, Status::Pass);
        let f = agreement(&[stated("nearly 440,000", "a"), stated("445,000", "b")]);
        assert_eq!(f[0].status, Status::Fail);
    }
}
