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
    #[serde(default, rename = "exclude")]
    exclusions: Vec<Spanned<ExcludeDef>>,
}

/// Year-bound figures deliberately not catalogued (context statistics, a year the text does
/// not settle, a table another dataset reads), so that `iomtally suggest` stops listing them:
/// `doc` (id or glob), what is excluded, and why. What is excluded is either one figure,
/// `pattern` (a phrase with `{value}` as in sources), or every figure of the sentences that
/// print `sentence` (a phrase; `{year}` allowed in both).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExcludeDef {
    pub doc: String,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub sentence: Option<String>,
    pub reason: String,
}

/// What an exclusion takes off `suggest`'s list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Excluded {
    /// The figure a phrase with `{value}` locates.
    Figure(String),
    /// Every figure of each sentence that prints the phrase (whitespace collapsed).
    Sentence(String),
}

/// An exclusion for one document, with its line in the catalogue.
#[derive(Debug, Clone)]
pub struct Exclusion {
    pub doc: String,
    pub excluded: Excluded,
    pub reason: String,
    pub line: usize,
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
    pub sources: Vec<Spanned<SourceSpec>>,
}

/// A source as written: `doc` may be a glob over the dataset's document ids, and `year` (like
/// the phrase) may say `{year}` or `{year-1}`: the year the document reports on (the last of its
/// declared years) and the one before. One written source becomes one [`SourceDef`] per
/// document it selects, so a phrase that recurs from one edition to the next is written once.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub doc: String,
    pub year: YearSpec,
    pub pattern: String,
    pub occurrence: Option<usize>,
    #[serde(default = "plus_one")]
    pub sign: i8,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum YearSpec {
    Fixed(i32),
    /// `{year}` or `{year-N}`.
    Relative(String),
}

/// `{year}` → the document's year, `{year-N}` → N years before, in any text.
fn resolve_years(text: &str, year: i32) -> std::result::Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("{year") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "{year".len()..];
        let close = after
            .find('}')
            .ok_or_else(|| format!("'{text}': an unclosed {{year"))?;
        let offset = match &after[..close] {
            "" => 0,
            minus => minus
                .strip_prefix('-')
                .and_then(|n| n.trim().parse::<i32>().ok())
                .ok_or_else(|| {
                    format!("'{text}': {{year{minus}}} is not {{year}} or {{year-N}}")
                })?,
        };
        out.push_str(&(year - offset).to_string());
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// A document of the metrics dataset and the years it covers (declared in pipeline.toml).
#[derive(Debug, Clone)]
pub struct DocYears {
    pub id: String,
    pub years: Vec<i32>,
}

/// A source for one document and one year (a written source expanded).
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
        years: Option<Years>,
        whole: String,
        parts: Vec<String>,
    },
    /// percentage parts add up to `total` (100 by default).
    SharesSum {
        id: String,
        severity: SeverityName,
        description: String,
        years: Option<Years>,
        parts: Vec<String>,
        total: Option<f64>,
    },
    /// parts together do not exceed `whole`, or the number `total` (top-N of a total).
    AtMost {
        id: String,
        severity: SeverityName,
        description: String,
        years: Option<Years>,
        whole: Option<String>,
        total: Option<f64>,
        parts: Vec<String>,
    },
    /// the stated % change from `from` to `to` matches the change computed from them.
    PercentChange {
        id: String,
        severity: SeverityName,
        description: String,
        years: Option<Years>,
        from: String,
        to: String,
        change: String,
    },
    /// a count's stated share of its base: count / base × 100 = share.
    CountShare {
        id: String,
        severity: SeverityName,
        description: String,
        years: Option<Years>,
        count: String,
        share: String,
        base: String,
    },
    /// a stated average or ratio: value = numerator / denominator.
    Ratio {
        id: String,
        severity: SeverityName,
        description: String,
        years: Option<Years>,
        value: String,
        numerator: String,
        denominator: String,
        /// The stated side is printed rounded to this half-step at least ("averaging 9 days"
        /// with 0.5 = 8.5–9.5), where its printing alone would read as exact.
        stated_rounding: Option<f64>,
    },
}

/// The years one written relation stands for: a list, or `"stated"` (every year for which all
/// its figures are stated). Its figures then say `key@{year}` (or `{year-1}`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Years {
    List(Vec<i32>),
    Word(String),
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
    fn header(&self) -> (&str, SeverityName, &str, Option<&Years>) {
        let (id, severity, description, years) = match self {
            RelationDef::Sum {
                id,
                severity,
                description,
                years,
                ..
            }
            | RelationDef::SharesSum {
                id,
                severity,
                description,
                years,
                ..
            }
            | RelationDef::AtMost {
                id,
                severity,
                description,
                years,
                ..
            }
            | RelationDef::PercentChange {
                id,
                severity,
                description,
                years,
                ..
            }
            | RelationDef::CountShare {
                id,
                severity,
                description,
                years,
                ..
            }
            | RelationDef::Ratio {
                id,
                severity,
                description,
                years,
                ..
            } => (id, severity, description, years),
        };
        (id, *severity, description, years.as_ref())
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
    /// One relation per year it is declared for (its id then ends in `_YEAR`), or just itself.
    fn expand(
        def: &RelationDef,
        line: usize,
        stated: &StatedBy,
    ) -> std::result::Result<Vec<Relation>, String> {
        let years: Vec<i32> = match def.header().3 {
            None => return Ok(vec![Relation::from_def(def, line, stated, None)?]),
            Some(Years::List(years)) if !years.is_empty() => years.clone(),
            Some(Years::Word(w)) if w == "stated" => {
                let candidates: BTreeSet<i32> = stated.keys().map(|k| k.1).collect();
                let all: Vec<i32> = candidates
                    .into_iter()
                    .filter(|&y| Relation::from_def(def, line, stated, Some(y)).is_ok())
                    .collect();
                if all.is_empty() {
                    return Err("years = \"stated\", but no year states all its figures".into());
                }
                all
            }
            Some(_) => return Err("years is a list of years or \"stated\"".into()),
        };
        years
            .into_iter()
            .map(|y| Relation::from_def(def, line, stated, Some(y)))
            .collect()
    }

    fn from_def(
        def: &RelationDef,
        line: usize,
        stated: &StatedBy,
        year: Option<i32>,
    ) -> std::result::Result<Relation, String> {
        let parse = |r: &str| -> std::result::Result<Ref, String> {
            let r = &match year {
                Some(y) => resolve_years(r, y)?,
                None if r.contains("{year") => {
                    return Err(format!(
                        "'{r}' says {{year}} but the relation declares no years"
                    ));
                }
                None => r.to_string(),
            };
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
        let (id, severity, description, _) = def.header();
        Ok(Relation {
            id: match year {
                Some(y) => format!("{id}_{y}"),
                None => id.to_string(),
            },
            description: match year {
                Some(y) => resolve_years(description, y)?,
                None => description.to_string(),
            },
            severity: severity.into(),
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
    pub exclusions: Vec<Exclusion>,
}

impl Catalogue {
    pub fn load(path: &Path, documents: &[DocYears]) -> Result<Catalogue> {
        let error = |message: String| Error::Config {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message,
        };
        let bytes = std::fs::read(path)
            .map_err(|e| error(format!("cannot read the metrics catalogue: {e}")))?;
        let text = crate::text::utf8_text(&bytes)
            .map_err(|what| error(format!("the metrics catalogue {what}")))?;
        Self::parse(path, text, documents)
    }

    pub fn parse(path: &Path, text: &str, documents: &[DocYears]) -> Result<Catalogue> {
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
            let expanded = Relation::expand(&def, line_col(text, span.start).0, &stated)
                .map_err(|m| at(span.start, format!("relation '{id}': {m}")))?;
            for relation in expanded {
                if !ids.insert(relation.id.clone()) {
                    return Err(at(
                        span.start,
                        format!("relation id '{}' is declared twice", relation.id),
                    ));
                }
                relations.push(relation);
            }
        }
        let exclusions = parse_exclusions(raw.exclusions, text, documents)
            .map_err(|(offset, m)| at(offset, m))?;
        Ok(Catalogue {
            path: path.to_path_buf(),
            metrics,
            relations,
            exclusions,
        })
    }
}

/// Each `[[exclude]]`, checked and expanded per document it selects; an error carries its offset.
fn parse_exclusions(
    defs: Vec<Spanned<ExcludeDef>>,
    text: &str,
    documents: &[DocYears],
) -> std::result::Result<Vec<Exclusion>, (usize, String)> {
    let mut exclusions = Vec::new();
    for x in defs {
        let span = x.span();
        let def = x.into_inner();
        let fail = |m: String| (span.start, format!("exclude: {m}"));
        if def.reason.trim().is_empty() {
            return Err(fail("needs a reason".into()));
        }
        let (phrase, figure) = match (&def.pattern, &def.sentence) {
            (Some(p), None) if p.matches("{value}").count() == 1 => (p.clone(), true),
            (None, Some(s)) if !s.trim().is_empty() && !s.contains("{value}") => (s.clone(), false),
            _ => {
                return Err(fail(
                    "needs either a pattern with exactly one {value} or a sentence phrase \
                     (without {value})"
                        .into(),
                ));
            }
        };
        let spec = SourceSpec {
            doc: def.doc.clone(),
            year: YearSpec::Fixed(0),
            pattern: phrase,
            occurrence: None,
            sign: 1,
        };
        for source in expand(&spec, documents).map_err(fail)? {
            exclusions.push(Exclusion {
                doc: source.doc,
                excluded: if figure {
                    Excluded::Figure(source.pattern)
                } else {
                    Excluded::Sentence(
                        source
                            .pattern
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                },
                reason: def.reason.clone(),
                line: line_col(text, span.start).0,
            });
        }
    }
    Ok(exclusions)
}

/// A metric with its sources checked; an error carries the byte offset of the source at fault
/// (None: the metric itself).
fn parse_metric(
    def: MetricDef,
    line: usize,
    text: &str,
    documents: &[DocYears],
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
        let fail = |m: String| (Some(s.span().start), format!("metric '{key}': {m}"));
        let spec = s.get_ref();
        if spec.pattern.matches("{value}").count() != 1 {
            return Err(fail("a pattern needs exactly one {value}".into()));
        }
        if spec.sign != 1 && spec.sign != -1 {
            return Err(fail("sign must be 1 or -1".into()));
        }
        if spec.occurrence == Some(0) {
            return Err(fail("occurrence counts from 1".into()));
        }
        for source in expand(spec, documents).map_err(fail)? {
            sources.push((source, line_col(text, s.span().start).0));
        }
    }
    Ok(Metric { line, sources, def })
}

/// One source per document the written source selects, its year and phrase resolved.
fn expand(
    spec: &SourceSpec,
    documents: &[DocYears],
) -> std::result::Result<Vec<SourceDef>, String> {
    let ids: Vec<&str> = documents.iter().map(|d| d.id.as_str()).collect();
    let selected: Vec<&DocYears> = if spec.doc.contains(['*', '?', '[']) {
        let glob = glob::Pattern::new(&spec.doc)
            .map_err(|e| format!("doc '{}' is not a valid glob: {e}", spec.doc))?;
        documents.iter().filter(|d| glob.matches(&d.id)).collect()
    } else {
        documents.iter().filter(|d| d.id == spec.doc).collect()
    };
    if selected.is_empty() {
        return Err(format!(
            "document '{}' is not one of this dataset's documents ({})",
            spec.doc,
            ids.join(", ")
        ));
    }
    selected
        .into_iter()
        .map(|doc| {
            let reported = doc.years.iter().copied().max().unwrap_or_default();
            let year = match &spec.year {
                YearSpec::Fixed(y) => *y,
                YearSpec::Relative(r) => resolve_years(r, reported)?
                    .parse()
                    .map_err(|_| format!("year '{r}' is not a year, {{year}} or {{year-N}}"))?,
            };
            Ok(SourceDef {
                doc: doc.id.clone(),
                year,
                pattern: resolve_years(&spec.pattern, reported)?,
                occurrence: spec.occurrence,
                sign: spec.sign,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> Vec<DocYears> {
        vec![
            DocYears {
                id: "annual_report_2015".into(),
                years: vec![2015],
            },
            DocYears {
                id: "annual_report_2016".into(),
                years: vec![2015, 2016],
            },
            DocYears {
                id: "global_activities_2017".into(),
                years: vec![2016, 2017],
            },
        ]
    }

    fn parse(text: &str) -> Result<Catalogue> {
        Catalogue::parse(Path::new("metrics.toml"), text, &docs())
    }

    #[test]
    fn year_placeholders() {
        assert_eq!(
            resolve_years("In {year}, {value} offices ({year-1}: more)", 2016).unwrap(),
            "In 2016, {value} offices (2015: more)"
        );
        assert!(resolve_years("{year+1}", 2016).is_err());
        assert!(resolve_years("{year", 2016).is_err());
    }

    #[test]
    fn a_source_written_once_applies_to_every_edition_it_selects() {
        let c = parse(
            r#"
[[metric]]
key = "offices"
unit = "offices"
description = "Offices"
sources = [
  { doc = "annual_report_*", year = "{year}", pattern = "In {year}, {value} IOM offices" },
  { doc = "annual_report_*", year = "{year-1}", pattern = "compared with {value} in {year-1}" },
]
"#,
        )
        .unwrap();
        let got: Vec<(String, i32, String)> = c.metrics[0]
            .sources
            .iter()
            .map(|(s, _)| (s.doc.clone(), s.year, s.pattern.clone()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "annual_report_2015".into(),
                    2015,
                    "In 2015, {value} IOM offices".into()
                ),
                (
                    "annual_report_2016".into(),
                    2016,
                    "In 2016, {value} IOM offices".into()
                ),
                (
                    "annual_report_2015".into(),
                    2014,
                    "compared with {value} in 2014".into()
                ),
                (
                    "annual_report_2016".into(),
                    2015,
                    "compared with {value} in 2015".into()
                ),
            ]
        );
        let err = parse(
            r#"
[[metric]]
key = "offices"
unit = "offices"
description = "Offices"
sources = [{ doc = "annual_reports_*", year = "{year}", pattern = "{value}" }]
"#,
        )
        .err()
        .unwrap()
        .to_string();
        assert!(
            err.contains("metrics.toml:6:")
                && err.contains("'annual_reports_*' is not one of this dataset's documents"),
            "{err}"
        );
    }

    #[test]
    fn a_relation_declared_once_for_several_years() {
        let metric = r#"
[[metric]]
key = "male"
unit = "percent"
description = "Male"
sources = [{ doc = "annual_report_*", year = "{year}", pattern = "{value} male" }]
[[metric]]
key = "female"
unit = "percent"
description = "Female"
sources = [{ doc = "annual_report_2016", year = 2016, pattern = "{value} female" }]
"#;
        let relation = |years: &str| {
            format!(
                "{metric}
[[relation]]
id = \"sex\"
kind = \"shares_sum\"
severity = \"error\"
description = \"Sex {{year}}\"
years = {years}
parts = [\"male@{{year}}\", \"female@{{year}}\"]
"
            )
        };
        // Every year where both figures are stated: only 2016 states female.
        let c = parse(&relation("\"stated\"")).unwrap();
        let ids: Vec<(&str, &str)> = c
            .relations
            .iter()
            .map(|r| (r.id.as_str(), r.description.as_str()))
            .collect();
        assert_eq!(ids, [("sex_2016", "Sex 2016")]);
        // A listed year whose figures are not stated is an error with the line.
        let err = parse(&relation("[2015, 2016]")).err().unwrap().to_string();
        assert!(
            err.contains("relation 'sex': no metric source states female@2015"),
            "{err}"
        );
        // {year} without years is refused.
        let err = parse(&relation("[2016]").replace("years = [2016]\n", ""))
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("says {year} but the relation declares no years"),
            "{err}"
        );
    }
}
