//! The metrics catalogue (a TOML file that `pipeline.toml` points to): which figures to read
//! from which document for which year, and which relations between them must hold.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::config::line_col;
use crate::error::{Error, Result};
use crate::validate::Severity;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    #[serde(default, rename = "metric")]
    metrics: Vec<Spanned<MetricDef>>,
    #[serde(default, rename = "relation")]
    relations: Vec<Spanned<RelationDef>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricDef {
    /// Stable snake_case key.
    pub key: String,
    /// persons, offices, countries, percent, usd, eur, days, ...
    pub unit: String,
    pub description: String,
    /// A headline figure of its year.
    #[serde(default)]
    pub headline: bool,
    pub sources: Vec<Spanned<SourceDef>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDef {
    pub doc: String,
    pub year: i32,
    /// Phrase with one `{value}`; `{...}` skips up to 80 characters. Spaces match any run of
    /// whitespace, line breaks included.
    pub pattern: String,
    /// Which match to take (1-based) when the phrase occurs more than once.
    pub occurrence: Option<usize>,
    /// -1 when the printed figure is a decrease ("27% decrease").
    #[serde(default = "plus_one")]
    pub sign: i8,
}

fn plus_one() -> i8 {
    1
}

/// A relation between stated figures, as written in the catalogue (`kind` says which).
#[derive(Debug, Clone, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum RelationDef {
    /// parts add up to whole.
    Sum {
        id: String,
        severity: SeverityName,
        description: String,
        whole: String,
        parts: Vec<String>,
    },
    /// percentage parts add up to `total` (100 by default).
    SharesSum {
        id: String,
        severity: SeverityName,
        description: String,
        parts: Vec<String>,
        total: Option<f64>,
    },
    /// parts together do not exceed `whole`, or the number `total` (top-N of a total).
    AtMost {
        id: String,
        severity: SeverityName,
        description: String,
        whole: Option<String>,
        total: Option<f64>,
        parts: Vec<String>,
    },
    /// the stated % change from `from` to `to` matches the change computed from them.
    PercentChange {
        id: String,
        severity: SeverityName,
        description: String,
        from: String,
        to: String,
        change: String,
    },
    /// a count's stated share of its base: count / base × 100 = share.
    CountShare {
        id: String,
        severity: SeverityName,
        description: String,
        count: String,
        share: String,
        base: String,
    },
    /// a stated average or ratio: value = numerator / denominator.
    Ratio {
        id: String,
        severity: SeverityName,
        description: String,
        value: String,
        numerator: String,
        denominator: String,
        /// The stated side is printed rounded to this half-step at least ("averaging 9 days"
        /// with 0.5 = 8.5–9.5), where its printing alone would read as exact.
        stated_rounding: Option<f64>,
    },
}

/// What an `at_most` relation bounds its parts by.
#[derive(Debug, Clone)]
pub enum Bound {
    Whole(Ref),
    Total(f64),
}

/// A relation's figures, by what they mean in it.
#[derive(Debug, Clone)]
pub enum Form {
    Sum {
        whole: Ref,
        parts: Vec<Ref>,
    },
    SharesSum {
        parts: Vec<Ref>,
        total: f64,
    },
    AtMost {
        bound: Bound,
        parts: Vec<Ref>,
    },
    PercentChange {
        from: Ref,
        to: Ref,
        change: Ref,
    },
    CountShare {
        count: Ref,
        share: Ref,
        base: Ref,
    },
    Ratio {
        value: Ref,
        numerator: Ref,
        denominator: Ref,
        stated_rounding: Option<f64>,
    },
}

impl Form {
    pub fn kind(&self) -> &'static str {
        match self {
            Form::Sum { .. } => "sum",
            Form::SharesSum { .. } => "shares_sum",
            Form::AtMost { .. } => "at_most",
            Form::PercentChange { .. } => "percent_change",
            Form::CountShare { .. } => "count_share",
            Form::Ratio { .. } => "ratio",
        }
    }

    /// Every figure the relation names, in declaration order.
    pub fn refs(&self) -> Vec<&Ref> {
        let mut out: Vec<&Ref> = Vec::new();
        match self {
            Form::Sum { whole, parts } => {
                out.push(whole);
                out.extend(parts);
            }
            Form::SharesSum { parts, .. } => out.extend(parts),
            Form::AtMost { bound, parts } => {
                if let Bound::Whole(w) = bound {
                    out.push(w);
                }
                out.extend(parts);
            }
            Form::PercentChange { from, to, change } => out.extend([from, to, change]),
            Form::CountShare { count, share, base } => out.extend([count, share, base]),
            Form::Ratio {
                value,
                numerator,
                denominator,
                ..
            } => out.extend([value, numerator, denominator]),
        }
        out
    }

    /// The figure the finding points at: the stated side of the comparison.
    pub fn stated_ref(&self) -> Option<&Ref> {
        match self {
            Form::Sum { whole, .. }
            | Form::AtMost {
                bound: Bound::Whole(whole),
                ..
            } => Some(whole),
            Form::SharesSum { parts, .. } | Form::AtMost { parts, .. } => parts.first(),
            Form::PercentChange { change, .. } => Some(change),
            Form::CountShare { share, .. } => Some(share),
            Form::Ratio { value, .. } => Some(value),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SeverityName {
    Error,
    Warning,
    Info,
}

impl From<SeverityName> for Severity {
    fn from(s: SeverityName) -> Severity {
        match s {
            SeverityName::Error => Severity::Error,
            SeverityName::Warning => Severity::Warning,
            SeverityName::Info => Severity::Info,
        }
    }
}

/// `key@year` or `key@year:doc` — a stated figure.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ref {
    pub key: String,
    pub year: i32,
    pub doc: Option<String>,
}

impl Ref {
    pub fn parse(s: &str) -> Option<Ref> {
        let (key, rest) = s.split_once('@')?;
        let (year, doc) = match rest.split_once(':') {
            Some((y, d)) => (y, Some(d.to_string())),
            None => (rest, None),
        };
        Some(Ref {
            key: key.trim().to_string(),
            year: year.trim().parse().ok()?,
            doc,
        })
    }
}

impl std::fmt::Display for Ref {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}@{}", self.key, self.year)?;
        if let Some(d) = &self.doc {
            write!(f, ":{d}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone)]
pub struct Metric {
    pub def: MetricDef,
    pub line: usize,
    /// (source, line in the catalogue)
    pub sources: Vec<(SourceDef, usize)>,
}

/// A checked relation: its figures parsed and known to be stated by some metric source.
#[derive(Debug, Clone)]
pub struct Relation {
    pub id: String,
    pub severity: Severity,
    pub description: String,
    pub form: Form,
    /// Line in the catalogue.
    pub line: usize,
    /// Document of the stated side's first source (for the check id).
    pub doc: String,
}

/// Which documents state each metric and year, in catalogue order.
type StatedBy = BTreeMap<(String, i32), Vec<String>>;

impl RelationDef {
    /// (id, severity, description): what every kind of relation declares.
    fn header(&self) -> (&str, SeverityName, &str) {
        match self {
            RelationDef::Sum {
                id,
                severity,
                description,
                ..
            }
            | RelationDef::SharesSum {
                id,
                severity,
                description,
                ..
            }
            | RelationDef::AtMost {
                id,
                severity,
                description,
                ..
            }
            | RelationDef::PercentChange {
                id,
                severity,
                description,
                ..
            }
            | RelationDef::CountShare {
                id,
                severity,
                description,
                ..
            }
            | RelationDef::Ratio {
                id,
                severity,
                description,
                ..
            } => (id, *severity, description),
        }
    }

    /// The relation's figures, each parsed and known to be stated.
    fn form(
        &self,
        parse: &dyn Fn(&str) -> std::result::Result<Ref, String>,
    ) -> std::result::Result<Form, String> {
        let parts = |ps: &[String]| -> std::result::Result<Vec<Ref>, String> {
            if ps.is_empty() {
                return Err("needs at least one part".into());
            }
            ps.iter().map(|p| parse(p)).collect()
        };
        Ok(match self {
            RelationDef::Sum {
                whole, parts: ps, ..
            } => Form::Sum {
                whole: parse(whole)?,
                parts: parts(ps)?,
            },
            RelationDef::SharesSum {
                parts: ps, total, ..
            } => Form::SharesSum {
                parts: parts(ps)?,
                total: total.unwrap_or(100.0),
            },
            RelationDef::AtMost {
                whole,
                total,
                parts: ps,
                ..
            } => {
                let bound = match (whole, total) {
                    (Some(w), None) => Bound::Whole(parse(w)?),
                    (None, Some(t)) => Bound::Total(*t),
                    _ => return Err("at_most needs either 'whole' or 'total'".into()),
                };
                Form::AtMost {
                    bound,
                    parts: parts(ps)?,
                }
            }
            RelationDef::PercentChange {
                from, to, change, ..
            } => Form::PercentChange {
                from: parse(from)?,
                to: parse(to)?,
                change: parse(change)?,
            },
            RelationDef::CountShare {
                count, share, base, ..
            } => Form::CountShare {
                count: parse(count)?,
                share: parse(share)?,
                base: parse(base)?,
            },
            RelationDef::Ratio {
                value,
                numerator,
                denominator,
                stated_rounding,
                ..
            } => Form::Ratio {
                value: parse(value)?,
                numerator: parse(numerator)?,
                denominator: parse(denominator)?,
                stated_rounding: *stated_rounding,
            },
        })
    }
}

impl Relation {
    fn from_def(
        def: &RelationDef,
        line: usize,
        stated: &StatedBy,
    ) -> std::result::Result<Relation, String> {
        let parse = |r: &str| -> std::result::Result<Ref, String> {
            let parsed = Ref::parse(r).ok_or_else(|| format!("'{r}' is not key@year[:doc]"))?;
            let known = match (&parsed.doc, stated.get(&(parsed.key.clone(), parsed.year))) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some(d), Some(docs)) => docs.contains(d),
            };
            if known {
                Ok(parsed)
            } else {
                Err(format!("no metric source states {r}"))
            }
        };
        let form = def.form(&parse)?;
        // The check id names the document of the stated side's first source.
        let doc = form
            .stated_ref()
            .and_then(|r| {
                r.doc.clone().or_else(|| {
                    stated
                        .get(&(r.key.clone(), r.year))
                        .and_then(|d| d.first().cloned())
                })
            })
            .unwrap_or_default();
        let (id, severity, description) = def.header();
        Ok(Relation {
            id: id.to_string(),
            severity: severity.into(),
            description: description.to_string(),
            form,
            line,
            doc,
        })
    }
}

#[derive(Debug)]
pub struct Catalogue {
    pub path: PathBuf,
    pub metrics: Vec<Metric>,
    pub relations: Vec<Relation>,
}

impl Catalogue {
    pub fn load(path: &Path, documents: &[String]) -> Result<Catalogue> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read the metrics catalogue: {e}"),
        })?;
        Self::parse(path, &text, documents)
    }

    pub fn parse(path: &Path, text: &str, documents: &[String]) -> Result<Catalogue> {
        let at = |offset: usize, message: String| {
            let (line, column) = line_col(text, offset);
            Error::Config {
                path: path.to_path_buf(),
                line: Some(line),
                column: Some(column),
                message,
            }
        };
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| {
            at(
                e.span().map_or(0, |s| s.start),
                e.message().trim().to_string(),
            )
        })?;
        let mut stated: StatedBy = BTreeMap::new();
        let mut keys = BTreeSet::new();
        let mut metrics: Vec<Metric> = Vec::new();
        for m in raw.metrics {
            let span = m.span();
            let def = m.into_inner();
            if !keys.insert(def.key.clone()) {
                return Err(at(
                    span.start,
                    format!("metric key '{}' is declared twice", def.key),
                ));
            }
            let metric = parse_metric(def, line_col(text, span.start).0, text, documents)
                .map_err(|(offset, m)| at(offset.unwrap_or(span.start), m))?;
            for (src, _) in &metric.sources {
                stated
                    .entry((metric.def.key.clone(), src.year))
                    .or_default()
                    .push(src.doc.clone());
            }
            metrics.push(metric);
        }
        if metrics.is_empty() {
            return Err(at(
                0,
                "the catalogue declares no metric: the metrics datasets would be empty".into(),
            ));
        }
        let mut ids = BTreeSet::new();
        let mut relations: Vec<Relation> = Vec::new();
        for r in raw.relations {
            let span = r.span();
            let def = r.into_inner();
            let id = def.header().0.to_string();
            if !ids.insert(id.clone()) {
                return Err(at(
                    span.start,
                    format!("relation id '{id}' is declared twice"),
                ));
            }
            let relation = Relation::from_def(&def, line_col(text, span.start).0, &stated)
                .map_err(|m| at(span.start, format!("relation '{id}': {m}")))?;
            relations.push(relation);
        }
        Ok(Catalogue {
            path: path.to_path_buf(),
            metrics,
            relations,
        })
    }
}

/// A metric with its sources checked; an error carries the byte offset of the source at fault
/// (None: the metric itself).
fn parse_metric(
    def: MetricDef,
    line: usize,
    text: &str,
    documents: &[String],
) -> std::result::Result<Metric, (Option<usize>, String)> {
    let key = &def.key;
    let snake = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_';
    if key.is_empty() || !key.chars().all(snake) {
        return Err((None, format!("metric key '{key}' must be snake_case")));
    }
    if def.sources.is_empty() {
        return Err((None, format!("metric '{key}' has no sources")));
    }
    let mut sources = Vec::new();
    for s in &def.sources {
        let src = s.get_ref();
        let fail = |m: String| (Some(s.span().start), m);
        if !documents.contains(&src.doc) {
            return Err(fail(format!(
                "metric '{key}': document '{}' is not one of this dataset's documents ({})",
                src.doc,
                documents.join(", ")
            )));
        }
        if src.pattern.matches("{value}").count() != 1 {
            return Err(fail(format!(
                "metric '{key}': a pattern needs exactly one {{value}}"
            )));
        }
        if src.sign != 1 && src.sign != -1 {
            return Err(fail("sign must be 1 or -1".into()));
        }
        if src.occurrence == Some(0) {
            return Err(fail("occurrence counts from 1".into()));
        }
        sources.push((src.clone(), line_col(text, s.span().start).0));
    }
    Ok(Metric { line, sources, def })
}
