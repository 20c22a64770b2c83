//! Relations between stated figures, declared in the catalogue, and the automatic check that a
//! figure stated twice (for the same metric and year) agrees with itself. Every comparison is
//! rounding-aware: each printed figure stands for the interval of values its printing allows
//! ("4.2 million" = 4.15–4.25 million, "83%" = 82.5–83.5, "over 98,000" = 98,000 or more).

use std::collections::BTreeMap;

use crate::catalogue::{Bound, Catalogue, Form, Ref, Relation};
use crate::stated::Stated;
use crate::validate::{Finding, Severity, Status, check_id};

use crate::interval::{Interval, add, div, fmt_interval, fmt_num, overlap};

/// Looks a reference up: the first stated figure (catalogue order) for key and year, from the
/// named document when the reference names one.
fn lookup<'a>(stated: &'a [Stated], r: &Ref) -> Option<&'a Stated> {
    stated.iter().find(|s| {
        s.key == r.key && s.year == r.year && r.doc.as_ref().is_none_or(|d| *d == s.doc_id)
    })
}

pub fn evaluate(dataset: &str, catalogue: &Catalogue, stated: &[Stated]) -> Vec<Finding> {
    let mut out = Vec::new();
    for relation in &catalogue.relations {
        out.push(evaluate_one(dataset, catalogue, relation, stated));
    }
    out.extend(agreement(dataset, stated));
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

type Side<'a> = (Option<&'a Stated>, f64, Interval);

impl<'a> Comparison<'a> {
    fn new(side: Side<'a>, computed: f64, computed_iv: Interval, how: String) -> Self {
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

    /// A declared rounding widens the stated side ("averaging 9 days" = 8.5–9.5).
    fn widened(self, rounding: Option<f64>) -> Self {
        match rounding {
            Some(r) => Comparison {
                stated_iv: (
                    self.stated_iv.0.min(self.stated - r),
                    self.stated_iv.1.max(self.stated + r),
                ),
                ..self
            },
            None => self,
        }
    }
}

fn base_finding(dataset: &str, catalogue: &Catalogue, relation: &Relation) -> Finding {
    Finding {
        check_id: check_id(
            dataset,
            &relation.doc,
            relation.form.kind(),
            &[&relation.id],
        ),
        dataset: dataset.into(),
        kind: relation.form.kind().into(),
        subject: relation.description.clone(),
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Fail,
        severity: Severity::Error,
        doc_id: relation.doc.clone(),
        line: None,
        evidence: String::new(),
        message: format!(
            "relation '{}' ({}:{})",
            relation.id,
            catalogue.path.display(),
            relation.line
        ),
    }
}

fn stated_side(s: &Stated) -> Side<'_> {
    (Some(s), s.value, s.interval())
}

/// Sum of the parts' intervals and values.
fn sum_parts<'a>(
    parts: &[Ref],
    get: &impl Fn(&Ref) -> Option<&'a Stated>,
) -> Option<(Interval, f64)> {
    parts.iter().try_fold(((0.0, 0.0), 0.0), |(i, v), p| {
        let s = get(p)?;
        Some((add(i, s.interval()), v + s.value))
    })
}

/// The comparison a relation makes; None when one of its figures is not stated.
fn compare<'a>(form: &Form, get: &impl Fn(&Ref) -> Option<&'a Stated>) -> Option<Comparison<'a>> {
    let first_part = |parts: &[Ref]| parts.first().and_then(get);
    Some(match form {
        Form::Sum { whole, parts } => {
            let (iv, v) = sum_parts(parts, get)?;
            let how = format!("sum of {} parts", parts.len());
            Comparison::new(stated_side(get(whole)?), v, iv, how)
        }
        Form::SharesSum { parts, total } => {
            let (iv, v) = sum_parts(parts, get)?;
            let side = (first_part(parts), *total, (*total, *total));
            Comparison::new(side, v, iv, format!("sum of {} shares", parts.len()))
        }
        Form::AtMost { bound, parts } => {
            let (iv, v) = sum_parts(parts, get)?;
            let side = match bound {
                Bound::Whole(w) => stated_side(get(w)?),
                Bound::Total(t) => (first_part(parts), *t, (*t, *t)),
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
        Form::PercentChange { from, to, change } => {
            let (f, t) = (get(from)?, get(to)?);
            let computed = (t.value / f.value - 1.0) * 100.0;
            let iv = div(t.interval(), f.interval())
                .map(|(lo, hi)| ((lo - 1.0) * 100.0, (hi - 1.0) * 100.0))
                .unwrap_or((computed, computed));
            let how = format!("change from {} to {}", fmt_num(f.value), fmt_num(t.value));
            Comparison::new(stated_side(get(change)?), computed, iv, how)
        }
        Form::CountShare { count, share, base } => {
            let (n, sh, b) = (get(count)?, get(share)?, get(base)?);
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
        Form::Ratio {
            value,
            numerator,
            denominator,
            stated_rounding,
        } => {
            let (n, d) = (get(numerator)?, get(denominator)?);
            let computed = n.value / d.value;
            let iv = div(n.interval(), d.interval()).unwrap_or((computed, computed));
            let how = format!("{} / {}", fmt_num(n.value), fmt_num(d.value));
            Comparison::new(stated_side(get(value)?), computed, iv, how).widened(*stated_rounding)
        }
    })
}

fn evaluate_one(
    dataset: &str,
    catalogue: &Catalogue,
    relation: &Relation,
    stated: &[Stated],
) -> Finding {
    let mut f = base_finding(dataset, catalogue, relation);
    let get = |r: &Ref| lookup(stated, r);
    let refs = relation.form.refs();
    let absent: Vec<String> = refs
        .iter()
        .filter(|r| get(r).is_none())
        .map(|r| r.to_string())
        .collect();
    let comparison = match compare(&relation.form, &get) {
        Some(c) if absent.is_empty() => c,
        _ => {
            f.message = format!(
                "{} cannot be checked: {} not found in the documents (see the pattern_match findings)",
                f.message,
                absent.join(", ")
            );
            return f;
        }
    };
    let pass = comparison.holds();
    let Comparison {
        side,
        stated: stated_value,
        stated_iv,
        computed,
        computed_iv,
        ref how,
        ..
    } = comparison;
    let evidence: Vec<String> = refs
        .iter()
        .filter_map(|r| get(r))
        .map(Stated::cite)
        .collect();
    let slack = (stated_iv.1 - stated_iv.0) / 2.0 + (computed_iv.1 - computed_iv.0) / 2.0;
    f.message = format!(
        "{}: stated {} {} vs computed {} {} ({how}): {}",
        relation.description,
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
    f.stated = Some(stated_value);
    f.computed = Some(computed);
    f.tolerance = slack.is_finite().then_some(slack);
    f.status = if pass { Status::Pass } else { Status::Fail };
    f.severity = relation.severity;
    f.doc_id = side.map(|s| s.doc_id.clone()).unwrap_or_default();
    f.line = side.map(|s| s.line);
    f.evidence = evidence.join(" | ");
    f
}

/// A metric and year stated more than once (in two documents, or twice in one) must agree:
/// the intervals the printings allow must overlap ("over 98,000" is not contradicted by 98,403).
/// Severity: error within one document, warning across documents.
fn agreement(dataset: &str, stated: &[Stated]) -> Vec<Finding> {
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
                    dataset,
                    &first.doc_id,
                    "agree",
                    &[
                        &k.0,
                        &k.1.to_string(),
                        &other.doc_id,
                        &other.line.to_string(),
                    ],
                ),
                dataset: dataset.into(),
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
            span: 0..raw.len(),
        }
    }

    #[test]
    fn agreement_respects_qualifiers() {
        // "over 98,000" is not contradicted by 98,403; a plain 98,000 is.
        let f = agreement(
            "metrics",
            &[stated("over 98,000", "a"), stated("98,403", "b")],
        );
        assert_eq!(f[0].status, Status::Pass);
        let f = agreement("metrics", &[stated("98,000", "a"), stated("98,403", "b")]);
        assert_eq!(
            (f[0].status, f[0].severity),
            (Status::Fail, Severity::Warning)
        );
        let f = agreement("metrics", &[stated("98,000", "a"), stated("98,403", "a")]);
        assert_eq!(
            f[0].severity,
            Severity::Error,
            "one document contradicting itself"
        );
        let f = agreement(
            "metrics",
            &[stated("approximately 40,000", "a"), stated("41,200", "b")],
        );
        assert_eq!(f[0].status, Status::Pass);
        let f = agreement(
            "metrics",
            &[stated("nearly 440,000", "a"), stated("445,000", "b")],
        );
        assert_eq!(f[0].status, Status::Fail);
    }
}
