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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// parts add up to whole.
    Sum,
    /// percentage parts add up to `total` (100 by default).
    SharesSum,
    /// the stated % change from `from` to `to` matches the change computed from them.
    PercentChange,
    /// a count's stated share of its base: count / base × 100 = share.
    CountShare,
    /// parts together do not exceed whole, or `total` (top-N of a total; partial shares).
    AtMost,
    /// a stated average or ratio: value = numerator / denominator.
    Ratio,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Sum => "sum",
            RelationKind::SharesSum => "shares_sum",
            RelationKind::PercentChange => "percent_change",
            RelationKind::CountShare => "count_share",
            RelationKind::AtMost => "at_most",
            RelationKind::Ratio => "ratio",
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

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationDef {
    pub id: String,
    pub kind: RelationKind,
    pub severity: SeverityName,
    pub description: String,
    pub whole: Option<String>,
    #[serde(default)]
    pub parts: Vec<String>,
    pub total: Option<f64>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub change: Option<String>,
    pub count: Option<String>,
    pub share: Option<String>,
    pub base: Option<String>,
    pub value: Option<String>,
    pub numerator: Option<String>,
    pub denominator: Option<String>,
    /// The stated side is printed rounded to this half-step at least ("averaging 9 days" with
    /// 0.5 = 8.5–9.5), where its printing alone would read as exact.
    pub stated_rounding: Option<f64>,
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

#[derive(Debug, Clone)]
pub struct Relation {
    pub def: RelationDef,
    pub line: usize,
}

impl Relation {
    /// Every figure the relation names, by role.
    pub fn refs(&self) -> Vec<(&'static str, &String)> {
        let d = &self.def;
        let mut out: Vec<(&'static str, &String)> = Vec::new();
        for (role, r) in [
            ("whole", &d.whole),
            ("from", &d.from),
            ("to", &d.to),
            ("change", &d.change),
            ("count", &d.count),
            ("share", &d.share),
            ("base", &d.base),
            ("value", &d.value),
            ("numerator", &d.numerator),
            ("denominator", &d.denominator),
        ] {
            if let Some(r) = r {
                out.push((role, r));
            }
        }
        out.extend(d.parts.iter().map(|p| ("part", p)));
        out
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
        let mut keys = BTreeSet::new();
        let mut stated: BTreeMap<(String, i32), Vec<String>> = BTreeMap::new();
        let mut metrics = Vec::new();
        for m in raw.metrics {
            let span = m.span();
            let def = m.into_inner();
            if def.key.is_empty()
                || !def
                    .key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(at(
                    span.start,
                    format!("metric key '{}' must be snake_case", def.key),
                ));
            }
            if !keys.insert(def.key.clone()) {
                return Err(at(
                    span.start,
                    format!("metric key '{}' is declared twice", def.key),
                ));
            }
            if def.sources.is_empty() {
                return Err(at(
                    span.start,
                    format!("metric '{}' has no sources", def.key),
                ));
            }
            let mut sources = Vec::new();
            for s in &def.sources {
                let src = s.get_ref();
                let line = line_col(text, s.span().start).0;
                if !documents.contains(&src.doc) {
                    return Err(at(
                        s.span().start,
                        format!(
                            "metric '{}': document '{}' is not one of this dataset's documents ({})",
                            def.key,
                            src.doc,
                            documents.join(", ")
                        ),
                    ));
                }
                if src.pattern.matches("{value}").count() != 1 {
                    return Err(at(
                        s.span().start,
                        format!(
                            "metric '{}': a pattern needs exactly one {{value}}",
                            def.key
                        ),
                    ));
                }
                if src.sign != 1 && src.sign != -1 {
                    return Err(at(s.span().start, "sign must be 1 or -1".into()));
                }
                if src.occurrence == Some(0) {
                    return Err(at(s.span().start, "occurrence counts from 1".into()));
                }
                stated
                    .entry((def.key.clone(), src.year))
                    .or_default()
                    .push(src.doc.clone());
                sources.push((src.clone(), line));
            }
            metrics.push(Metric {
                line: line_col(text, span.start).0,
                sources,
                def,
            });
        }
        let mut relations = Vec::new();
        let mut ids = BTreeSet::new();
        for r in raw.relations {
            let span = r.span();
            let relation = Relation {
                line: line_col(text, span.start).0,
                def: r.into_inner(),
            };
            if !ids.insert(relation.def.id.clone()) {
                return Err(at(
                    span.start,
                    format!("relation id '{}' is declared twice", relation.def.id),
                ));
            }
            let needed: &[&str] = match relation.def.kind {
                RelationKind::Sum => &["whole", "part"],
                RelationKind::AtMost if relation.def.total.is_some() => &["part"],
                RelationKind::AtMost => &["whole", "part"],
                RelationKind::SharesSum => &["part"],
                RelationKind::PercentChange => &["from", "to", "change"],
                RelationKind::CountShare => &["count", "share", "base"],
                RelationKind::Ratio => &["value", "numerator", "denominator"],
            };
            let refs = relation.refs();
            for role in needed {
                if !refs.iter().any(|(r, _)| r == role) {
                    return Err(at(
                        span.start,
                        format!(
                            "relation '{}' ({}) needs '{role}'",
                            relation.def.id,
                            relation.def.kind.as_str()
                        ),
                    ));
                }
            }
            for (_, r) in refs {
                let parsed = Ref::parse(r).ok_or_else(|| {
                    at(
                        span.start,
                        format!(
                            "relation '{}': '{r}' is not key@year[:doc]",
                            relation.def.id
                        ),
                    )
                })?;
                let docs = stated.get(&(parsed.key.clone(), parsed.year));
                let known = match (&parsed.doc, docs) {
                    (_, None) => false,
                    (None, Some(_)) => true,
                    (Some(d), Some(docs)) => docs.contains(d),
                };
                if !known {
                    return Err(at(
                        span.start,
                        format!(
                            "relation '{}': no metric source states {r}",
                            relation.def.id
                        ),
                    ));
                }
            }
            relations.push(relation);
        }
        Ok(Catalogue {
            path: path.to_path_buf(),
            metrics,
            relations,
        })
    }
}
