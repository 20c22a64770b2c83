//! `metrics` and `metrics_wide`: the figures the catalogue declares, read from the documents
//! by their phrase patterns, one row per metric × year × source document.

use std::collections::BTreeSet;

use crate::catalogue::{Catalogue, DocYears, Metric, SourceDef};
use crate::config::{Config, MetricsConfig};
use crate::dataset::{DType, Dataset, Field, TableBuilder, Value};
use crate::document::Document;
use crate::error::Result;
use crate::extract::phrase::{Phrase, PhraseMatch};
use crate::extract::{Analysis, Context, DocumentReader, Extractor, Output, Reading, reading};
use crate::relations;
use crate::stated::Stated;
use crate::validate::{Finding, Severity, Status, check_id};

pub struct Extraction {
    pub stated: Vec<Stated>,
    pub findings: Vec<Finding>,
}

/// What the sources naming one document found there, by (metric, source) index.
pub type Found = Vec<((usize, usize), std::result::Result<Stated, String>)>;

/// Reads every source naming `doc`. Each phrase is compiled here, for the one document it
/// reads, on every core, and dropped when it is done: compiling ahead of the run kept every
/// compiled phrase for the whole run and made the run wait for all of them.
pub fn read_document(catalogue: &Catalogue, doc: &Document) -> Found {
    use rayon::prelude::*;
    let sources: Vec<(usize, usize)> = catalogue
        .metrics
        .iter()
        .enumerate()
        .flat_map(|(m, metric)| {
            metric
                .sources
                .iter()
                .enumerate()
                .filter(|(_, (source, _))| source.doc == doc.id)
                .map(move |(k, _)| (m, k))
        })
        .collect();
    sources
        .into_par_iter()
        .map(|(m, k)| {
            let metric = &catalogue.metrics[m];
            let source = &metric.sources[k].0;
            let hit = Phrase::compile(&source.pattern)
                .map_err(|e| format!("does not compile: {e}"))
                .and_then(|phrase| find(&phrase, doc, source));
            ((m, k), hit.map(|h| read(metric, source, doc, &h)))
        })
        .collect()
}

/// The figures in catalogue order, and a loud finding for every source that found nothing.
pub fn assemble(dataset: &str, catalogue: &Catalogue, found: Found) -> Extraction {
    let mut by_source: std::collections::BTreeMap<(usize, usize), _> = found.into_iter().collect();
    let mut stated = Vec::new();
    let mut findings = Vec::new();
    for (m, metric) in catalogue.metrics.iter().enumerate() {
        for (k, (source, cat_line)) in metric.sources.iter().enumerate() {
            let result = by_source
                .remove(&(m, k))
                .unwrap_or_else(|| Err("names a document this run could not read".to_string()));
            match result {
                Ok(s) => stated.push(s),
                Err(problem) => findings.push(pattern_finding(
                    dataset, catalogue, metric, source, *cat_line, &problem,
                )),
            }
        }
    }
    findings.extend(read_twice(dataset, catalogue, &stated));
    Extraction { stated, findings }
}

/// One printed figure read by two metrics: the catalogue holds one indicator twice under two
/// keys (or one phrase reaches the wrong figure). An error naming both.
fn read_twice(dataset: &str, catalogue: &Catalogue, stated: &[Stated]) -> Vec<Finding> {
    let mut first: std::collections::BTreeMap<(&str, usize, usize), &Stated> =
        std::collections::BTreeMap::new();
    let mut out = Vec::new();
    for s in stated {
        let at = (s.doc_id.as_str(), s.span.start, s.span.end);
        match first.get(&at) {
            Some(earlier) if earlier.key != s.key => out.push(Finding {
                check_id: check_id(dataset, &s.doc_id, "pattern_match", &[&s.key, "read_twice"]),
                dataset: dataset.into(),
                kind: "pattern_match".into(),
                subject: format!("{}@{}", s.key, s.year),
                stated: None,
                computed: None,
                tolerance: None,
                status: Status::Fail,
                severity: Severity::Error,
                doc_id: s.doc_id.clone(),
                line: Some(s.line),
                evidence: s.quote.clone(),
                message: format!(
                    "metrics '{}' and '{}' ({}) read the same figure, {} at line {}: one figure is one metric",
                    earlier.key,
                    s.key,
                    catalogue.path.display(),
                    s.raw,
                    s.line
                ),
            }),
            Some(_) => {}
            None => {
                first.insert(at, s);
            }
        }
    }
    out
}

pub fn extract(dataset: &str, catalogue: &Catalogue, docs: &[&Document]) -> Result<Extraction> {
    let found = docs
        .iter()
        .flat_map(|doc| read_document(catalogue, doc))
        .collect();
    Ok(assemble(dataset, catalogue, found))
}

fn find(
    phrase: &Phrase,
    doc: &Document,
    source: &SourceDef,
) -> std::result::Result<PhraseMatch, String> {
    let hits = phrase.matches(&doc.flat);
    let n = hits.len();
    match (source.occurrence, n) {
        (_, 0) => Err("matches nothing".to_string()),
        (Some(k), _) if k > n => Err(format!("has no occurrence {k}: it matches {n} time(s)")),
        (Some(k), _) => Ok(hits.into_iter().nth(k - 1).expect("k <= n")),
        (None, 1) => Ok(hits.into_iter().next().expect("one hit")),
        (None, _) => Err(format!("matches {n} times; set occurrence to choose one")),
    }
}

fn read(metric: &Metric, source: &SourceDef, doc: &Document, hit: &PhraseMatch) -> Stated {
    let line = doc.line_at(hit.value.start);
    let collapse = crate::text::collapse_whitespace;
    Stated {
        key: metric.def.key.clone(),
        year: source.year,
        unit: metric.def.unit.clone(),
        headline: metric.def.headline,
        value: hit.quantity.value * f64::from(source.sign),
        quantity: hit.quantity.clone(),
        raw: collapse(&doc.flat[hit.value.clone()]),
        doc_id: doc.id.clone(),
        line: line.number,
        page: line.page,
        quote: collapse(&doc.flat[hit.whole.clone()]),
        span: hit.value.clone(),
    }
}

fn pattern_finding(
    dataset: &str,
    catalogue: &Catalogue,
    metric: &Metric,
    source: &SourceDef,
    cat_line: usize,
    problem: &str,
) -> Finding {
    Finding {
        check_id: check_id(
            dataset,
            &source.doc,
            "pattern_match",
            &[&metric.def.key, &source.year.to_string()],
        ),
        dataset: dataset.into(),
        kind: "pattern_match".into(),
        subject: format!("{}@{}", metric.def.key, source.year),
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Fail,
        severity: Severity::Error,
        doc_id: source.doc.clone(),
        line: None,
        evidence: source.pattern.clone(),
        message: format!(
            "metric '{}' ({}:{cat_line}): the pattern for {} / {} {problem}",
            metric.def.key,
            catalogue.path.display(),
            source.doc,
            source.year
        ),
    }
}

const COUNT_UNITS: &[&str] = &[
    "persons",
    "offices",
    "countries",
    "usd",
    "eur",
    "days",
    "deployments",
    "nationalities",
    "platforms",
    "staff",
    "members",
    "items",
    "kits",
    "consultations",
    "assessments",
    "documents",
    "households",
    "locations",
    "organizations",
    "projects",
    "sites",
];

#[rustfmt::skip]
pub fn fields() -> Vec<Field> {
    use DType::*;
    vec![
        Field::new("metric_key", Utf8, false, "Stable key of the metric (catalogue).").hxl("#indicator+code"),
        Field::new("year", Int64, false, "Year the figure is about.").hxl("#date+year"),
        Field::new("value", Float64, false, "The figure: scale words applied, percentages as printed (68), a stated decrease negative.").hxl("#indicator+value"),
        Field::new("value_int", Int64, true, "The same figure as an integer for counts and money (units persons, offices, countries, usd, days, ...); null for percentages and fractions.").hxl("#indicator+value+int"),
        Field::new("unit", Utf8, false, "Unit from the catalogue: persons, offices, countries, percent, usd, ...").hxl("#indicator+unit"),
        Field::new("qualifier", Utf8, true, "over | at_least | nearly | up_to | approximately; null for a plain figure.").hxl("#indicator+qualifier").allowed(&["over", "at_least", "nearly", "up_to", "approximately"]),
        Field::new("raw", Utf8, false, "The figure as printed.").hxl("#indicator+raw"),
        Field::new("headline", Bool, false, "A headline figure of its year.").hxl("#indicator+headline"),
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml); a 2015 figure restated in the 2016 report comes from that report.").hxl("#meta+source"),
        Field::new("line", Int64, false, "1-based line where the figure is printed.").hxl("#meta+line"),
        Field::new("page", Int64, true, "Page, where the document has page markers.").hxl("#meta+page"),
        Field::new("quote", Utf8, false, "The matched phrase, verbatim (after ligature repair), whitespace collapsed.").hxl("#description+quote"),
    ]
}

/// The figure as an integer for counts and money, where it is one and fits exactly (a float
/// holds integers exactly up to 2^53; beyond, no integer is claimed rather than a rounded one).
fn value_int(s: &Stated) -> Option<i64> {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    (COUNT_UNITS.contains(&s.unit.as_str()) && s.value.fract() == 0.0 && s.value.abs() <= EXACT)
        .then_some(s.value as i64)
}

pub fn datasets(
    name: &str,
    catalogue: &Catalogue,
    stated: &[Stated],
    sources: Vec<String>,
) -> (Dataset, Dataset) {
    let mut long = TableBuilder::new(fields());
    for s in stated {
        long.push(vec![
            s.key.as_str().into(),
            Value::Int(Some(i64::from(s.year))),
            s.value.into(),
            value_int(s).into(),
            s.unit.as_str().into(),
            s.quantity.qualifier.map(|q| q.as_str()).into(),
            s.raw.as_str().into(),
            s.headline.into(),
            s.doc_id.as_str().into(),
            s.line.into(),
            s.page.into(),
            s.quote.as_str().into(),
        ]);
    }
    let years: BTreeSet<i32> = stated.iter().map(|s| s.year).collect();
    let mut wide_fields = vec![
        Field::new(
            "metric_key",
            DType::Utf8,
            false,
            "Stable key of the metric (catalogue).",
        )
        .hxl("#indicator+code"),
        Field::new("unit", DType::Utf8, false, "Unit from the catalogue.").hxl("#indicator+unit"),
        Field::new("description", DType::Utf8, false, "What the metric counts.")
            .hxl("#indicator+name"),
        Field::new("headline", DType::Bool, false, "A headline figure.").hxl("#indicator+headline"),
    ];
    for y in &years {
        wide_fields.push(
            Field::new(
                &format!("value_{y}"),
                DType::Float64,
                true,
                &format!("Value for {y}: from the first catalogue source that states it (disagreements are in validation_results); null when not stated."),
            )
            .hxl(&format!("#indicator+value+y{y}")),
        );
    }
    let mut wide = TableBuilder::new(wide_fields);
    for metric in &catalogue.metrics {
        let mut row: Vec<Value> = vec![
            metric.def.key.as_str().into(),
            metric.def.unit.as_str().into(),
            metric.def.description.as_str().into(),
            metric.def.headline.into(),
        ];
        for y in &years {
            let v = stated
                .iter()
                .find(|s| s.key == metric.def.key && s.year == *y)
                .map(|s| s.value);
            row.push(v.into());
        }
        wide.push(row);
    }
    (
        long.finish(
            name,
            sources.clone(),
            vec![
                "metric_key".into(),
                "year".into(),
                "doc_id".into(),
                "line".into(),
            ],
        ),
        wide.finish(&format!("{name}_wide"), sources, vec!["metric_key".into()]),
    )
}

/// The figures a catalogue declares, read from the dataset's documents, with the relations
/// between them checked. Its stated figures are what other datasets (AVRR) compare against.
pub struct MetricsExtractor {
    name: String,
    catalogue: Catalogue,
    catalogue_path: String,
}

impl MetricsExtractor {
    /// Loads and checks the catalogue: a broken catalogue stops the run before any work.
    pub fn load(name: &str, cfg: &MetricsConfig, config: &Config) -> Result<Self> {
        let path = config.base_dir.join(&cfg.catalogue);
        let documents: Vec<DocYears> = config
            .documents_of(name)
            .iter()
            .map(|id| DocYears {
                id: id.clone(),
                years: config
                    .document(id)
                    .map(|d| d.years.clone())
                    .unwrap_or_default(),
            })
            .collect();
        let catalogue = Catalogue::load(&path, &documents)?;
        Ok(MetricsExtractor {
            name: name.to_string(),
            catalogue,
            catalogue_path: cfg.catalogue.clone(),
        })
    }
}

impl MetricsExtractor {
    pub fn catalogue(&self) -> &Catalogue {
        &self.catalogue
    }
}

impl Extractor for MetricsExtractor {
    fn references(&self) -> Vec<String> {
        vec![self.catalogue_path.clone()]
    }

    fn outputs(&self) -> Vec<String> {
        vec![self.name.clone(), format!("{}_wide", self.name)]
    }

    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> Result<Box<dyn Reading + 'a>> {
        reading(MetricsReading {
            extractor: self,
            sources: ctx.document_ids(),
            found: Vec::new(),
        })
    }
}

struct MetricsReading<'a> {
    extractor: &'a MetricsExtractor,
    sources: Vec<String>,
    found: Found,
}

impl DocumentReader for MetricsReading<'_> {
    type Part = Found;

    fn read(&self, doc: &Analysis) -> Result<Found> {
        let x = self.extractor;
        Ok(read_document(&x.catalogue, &doc.document))
    }

    fn take(&mut self, parts: Vec<Found>) -> Result<()> {
        self.found.extend(parts.into_iter().flatten());
        Ok(())
    }

    fn finish(self) -> Result<Output> {
        let x = self.extractor;
        let ex = assemble(&x.name, &x.catalogue, self.found);
        let mut findings = ex.findings;
        findings.extend(relations::evaluate(&x.name, &x.catalogue, &ex.stated));
        let (long, wide) = datasets(&x.name, &x.catalogue, &ex.stated, self.sources);
        Ok(Output {
            datasets: vec![long, wide],
            findings: findings.into(),
            figures: ex.stated,
            ..Output::default()
        })
    }
}
