//! `claims`: the arithmetic that prose and chart labels claim about figures printed beside
//! them, found in every document's figures (the mentions layer) without a catalogue, and
//! checked rounding-aware: "59 (or 41%) of 145 offices", "increased from 93 to 204",
//! "(68% male, 32% female)", "in 6 countries: A, B, C, D, E and F", a share printed in a chart
//! and again in the prose. A claim that does not hold is a publication inconsistency: severity
//! `warning`, or `info` where the wording leaves room for parts not listed; never `error`.

mod cues;
mod forms;
mod lists;
mod passage;
mod same_share;

use crate::countries::{CountryTable, Resolved};
use crate::dataset::{DType, Field, TableBuilder, Value};
use crate::document::Document;
use crate::extract::figures::{self, Mention};
use crate::extract::{
    Analysis, Context, DocumentReader, Extractor, Output, Reading, RowGroups, reading,
};
use crate::interval::{Interval, fmt_interval, fmt_num, overlap};
use crate::output::findings::FindingLog;
use crate::validate::{Finding, Severity, Status, check_id};
use rayon::prelude::*;

pub use passage::{Passage, passage, sentences};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A count printed with its share of a printed base.
    CountShare,
    /// A percentage change stated between two printed figures.
    PercentChange,
    /// A change between two shares stated in percentage points.
    PointChange,
    /// A change between two counts stated as a count ("an increase of 4,000").
    AbsoluteChange,
    /// "increased from X to Y": the direction only.
    ChangeDirection,
    /// "a twofold increase", "doubled" between two printed figures.
    Multiple,
    /// Shares of one whole listed together, against 100.
    SharesSum,
    /// Parts printed against their whole: listed names or counts against the count stated.
    PartsWhole,
    /// One category's share printed in a chart and again in the prose describing it.
    SameShare,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::CountShare,
        Kind::PercentChange,
        Kind::PointChange,
        Kind::AbsoluteChange,
        Kind::ChangeDirection,
        Kind::Multiple,
        Kind::SharesSum,
        Kind::PartsWhole,
        Kind::SameShare,
    ];

    /// Kinds that read the same figures the same way: a change is stated as a percentage, in
    /// points, as a count, a direction or a multiple, never two of these at once.
    fn family(self) -> u8 {
        match self {
            Kind::CountShare => 0,
            Kind::PercentChange | Kind::PointChange | Kind::AbsoluteChange | Kind::Multiple => 1,
            Kind::ChangeDirection => 2,
            Kind::SharesSum | Kind::PartsWhole | Kind::SameShare => 3,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::CountShare => "count_share",
            Kind::PercentChange => "percent_change",
            Kind::PointChange => "point_change",
            Kind::AbsoluteChange => "absolute_change",
            Kind::ChangeDirection => "change_direction",
            Kind::Multiple => "multiple",
            Kind::SharesSum => "shares_sum",
            Kind::PartsWhole => "parts_whole",
            Kind::SameShare => "same_share",
        }
    }
}

/// One side of a claim: a value and the interval of values its printing allows. The value is
/// absent for a claim that states only a bound or a direction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Side {
    pub value: Option<f64>,
    pub interval: Interval,
}

impl Side {
    pub fn of(m: &Mention) -> Side {
        Side {
            value: Some(m.quantity.value),
            interval: m.quantity.interval(),
        }
    }

    pub fn exact(v: f64) -> Side {
        Side {
            value: Some(v),
            interval: (v, v),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Claim {
    pub kind: Kind,
    /// The wording recognised, e.g. `N (p%) of M`.
    pub form: &'static str,
    /// The figures involved, as printed, in the order printed.
    pub figures: Vec<Mention>,
    /// The passage the claim is read from, figures as printed.
    pub passage: String,
    pub stated: Side,
    pub computed: Side,
    /// The wording leaves room for parts not listed (the check is a bound; severity info).
    pub partial: bool,
    /// How the computed side is worked out, e.g. `4,201 / 6,207 × 100`.
    pub how: String,
}

impl Claim {
    /// A claim of `kind` about `figures` (put in printed order) of a passage; its sides are
    /// set by the wording that found it.
    pub fn new(p: &Passage, kind: Kind, form: &'static str, figures: &[&Mention]) -> Claim {
        let mut figures: Vec<Mention> = figures.iter().map(|m| (*m).clone()).collect();
        figures.sort_by_key(|m| m.span.start);
        Claim {
            kind,
            form,
            figures,
            passage: p.text(),
            stated: Side::exact(0.0),
            computed: Side::exact(0.0),
            partial: false,
            how: String::new(),
        }
    }

    /// The intervals meet (within a float's rounding: 1,005 / 1,000 − 1 is not quite 0.5%).
    pub fn holds(&self) -> bool {
        let (lo, hi) = self.stated.interval;
        let slack = |v: f64| {
            if v.is_finite() {
                v.abs().max(1.0) * 1e-9
            } else {
                0.0
            }
        };
        overlap((lo - slack(lo), hi + slack(hi)), self.computed.interval)
    }

    pub fn severity(&self) -> Severity {
        if self.partial {
            Severity::Info
        } else {
            Severity::Warning
        }
    }

    pub fn line(&self) -> usize {
        self.figures.first().map_or(0, |m| m.line)
    }

    /// Half the stated interval plus half the computed one: how far apart the two printed
    /// values may be and still agree (null when either side is a bound).
    pub fn tolerance(&self) -> Option<f64> {
        let half = |i: Interval| (i.1 - i.0) / 2.0;
        let t = half(self.stated.interval) + half(self.computed.interval);
        t.is_finite().then_some(t)
    }

    fn message(&self) -> String {
        let verdict = if self.holds() {
            "holds"
        } else {
            "does not hold"
        };
        let stated = match self.stated.value {
            Some(v) => format!("{} {}", fmt_num(v), fmt_interval(self.stated.interval)),
            None => fmt_interval(self.stated.interval),
        };
        format!(
            "{} ({}): stated {stated} vs computed {} {} from {}; {verdict}{}",
            self.kind.as_str(),
            self.form,
            self.computed.value.map_or_else(String::new, fmt_num),
            fmt_interval(self.computed.interval),
            self.how,
            if self.partial {
                " (the wording may leave parts unlisted: a bound, reported for information)"
            } else {
                ""
            }
        )
    }

    /// "line 458 '59'; line 460 '145'".
    pub fn figures_text(&self) -> String {
        self.figures
            .iter()
            .map(|m| format!("line {} '{}'", m.line, m.raw))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// Names a list may hold with "and" inside ("Bosnia and Herzegovina"), from the country table.
pub struct Names<'a>(pub Option<&'a CountryTable>);

impl Names<'_> {
    pub fn is_one_name(&self, text: &str) -> bool {
        self.0
            .is_some_and(|t| matches!(t.resolve(text), Resolved::Country(_)))
    }
}

/// Every claim a document makes, in the order printed.
pub fn claims_of(doc: &Document, names: &Names) -> Vec<Claim> {
    claims_among(doc, &figures::scan(doc), names)
}

/// The claims of a document whose figures are scanned already.
pub fn claims_among(doc: &Document, mentions: &[Mention], names: &Names) -> Vec<Claim> {
    claims_owned(doc, mentions, 0..doc.flat.len(), names)
}

/// The claims whose first figure starts in `own` (bytes of the document's text), read from
/// `mentions`: those of `own` and of the whole sentences around it that a chart's share may
/// be printed in ([`same_share::REACH`] lines each side).
pub fn claims_owned(
    doc: &Document,
    mentions: &[Mention],
    own: std::ops::Range<usize>,
    names: &Names,
) -> Vec<Claim> {
    let owns = |m: &Mention| own.contains(&m.span.start);
    // Passages are read on their own, so a long document's are read in parallel, each made
    // and dropped in its task (a dense document's skeletons are never all held); only the
    // labelled shares the chart check compares are kept.
    let (found, labelled): (Vec<Vec<Claim>>, Vec<Vec<same_share::Labelled>>) = sentences(mentions)
        .par_iter()
        .with_min_len(PASSAGES_PER_TASK)
        .map(|group| {
            let p = passage(doc, group);
            let found = match owns(&group[0]) {
                true => claims_in(&p, names),
                false => Vec::new(),
            };
            (found, same_share::labelled(doc, &p))
        })
        .unzip();
    let mut out: Vec<Claim> = found.into_iter().flatten().collect();
    let labelled: Vec<same_share::Labelled> = labelled.into_iter().flatten().collect();
    let charted = same_share::claims(&labelled).into_iter();
    out.extend(charted.filter(|c| c.figures.first().is_some_and(owns)));
    out.sort_by_key(|c| {
        let first = c.figures.first();
        (
            first.map_or(0, |m| m.line),
            first.map_or(0, |m| m.column),
            c.kind,
        )
    });
    out
}

/// Passages read per parallel task: a typical report's passages are a few tasks.
const PASSAGES_PER_TASK: usize = 256;

/// The claims of one passage: its wordings, its lists, then what its cues compose that no
/// wording read.
fn claims_in(p: &Passage, names: &Names) -> Vec<Claim> {
    let mut found = forms::claims(p);
    found.extend(lists::claims(p, names));
    let composed: Vec<Claim> = cues::claims(p)
        .into_iter()
        .filter(|c| !read_already(&found, c))
        .collect();
    found.extend(composed);
    without_repeats(found)
}

/// A claim composed from cues that a whole-sentence wording already read: one of the same
/// family over two or more of the same figures.
fn read_already(found: &[Claim], c: &Claim) -> bool {
    let spans = |c: &Claim| -> Vec<usize> { c.figures.iter().map(|m| m.span.start).collect() };
    let mine = spans(c);
    found.iter().any(|f| {
        let shared = spans(f).iter().filter(|s| mine.contains(s)).count();
        f.kind.family() == c.kind.family() && shared >= 2.min(mine.len())
    })
}

/// A set of figures read as two claims of one kind by two wordings counts once.
fn without_repeats(claims: Vec<Claim>) -> Vec<Claim> {
    let mut seen = std::collections::BTreeSet::new();
    claims
        .into_iter()
        .filter(|c| {
            let spans: Vec<usize> = c.figures.iter().map(|m| m.span.start).collect();
            seen.insert((c.kind, spans))
        })
        .collect()
}

/// Check ids: `claims:DOC:KIND:lLINEcCOLUMN` of the first figure, `-2`, `-3` for a repeat.
fn ids(dataset: &str, doc: &str, claims: &[Claim]) -> Vec<String> {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    claims
        .iter()
        .map(|c| {
            let first = c.figures.first();
            let at = format!(
                "l{}c{}",
                first.map_or(0, |m| m.line),
                first.map_or(0, |m| m.column)
            );
            let id = check_id(dataset, doc, c.kind.as_str(), &[&at]);
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n == 1 { id } else { format!("{id}-{n}") }
        })
        .collect()
}

pub fn finding(dataset: &str, doc_id: &str, id: String, c: &Claim) -> Finding {
    Finding {
        check_id: id,
        dataset: dataset.to_string(),
        kind: c.kind.as_str().to_string(),
        subject: format!("{}: {}", c.form, c.how),
        stated: c.stated.value,
        computed: c.computed.value,
        tolerance: c.tolerance(),
        status: if c.holds() {
            Status::Pass
        } else {
            Status::Fail
        },
        severity: c.severity(),
        doc_id: doc_id.to_string(),
        line: Some(c.line()),
        evidence: c.passage.clone(),
        message: format!("{}; figures: {}", c.message(), c.figures_text()),
    }
}

#[rustfmt::skip]
pub fn fields() -> Vec<Field> {
    use DType::*;
    let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
    vec![
        Field::new("claim_id", Utf8, false, "The claim's check id in validation_results: claims-dataset:document:kind:lLINEcCOLUMN of its first figure.").hxl("#meta+id"),
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml).").hxl("#meta+source"),
        Field::new("kind", Utf8, false, "count_share | percent_change | point_change | absolute_change | change_direction | multiple | shares_sum | parts_whole | same_share.").hxl("#indicator+kind").allowed(&kinds),
        Field::new("form", Utf8, false, "The wording recognised, e.g. 'N (p%) of M', 'label (p%) list'.").hxl("#indicator+form"),
        Field::new("line", Int64, false, "1-based line of the claim's first figure.").hxl("#meta+line"),
        Field::new("column", Int64, false, "1-based character column of the claim's first figure.").hxl("#meta+column"),
        Field::new("page", Int64, true, "Page of the first figure, where the document has page markers.").hxl("#meta+page"),
        Field::new("figures", Utf8, false, "Every figure involved as printed, with its line: line 458 '59'; line 460 '145'.").hxl("#value+figures"),
        Field::new("stated", Float64, true, "The value the text states (a share, a change, a count, 100 for a breakdown); null when it states only a direction.").hxl("#value+stated"),
        Field::new("stated_low", Float64, true, "Lowest value the stated printing allows (rounding, qualifiers); null for unbounded.").hxl("#value+stated+min"),
        Field::new("stated_high", Float64, true, "Highest value the stated printing allows; null for unbounded.").hxl("#value+stated+max"),
        Field::new("computed", Float64, true, "The value computed from the other printed figures.").hxl("#value+computed"),
        Field::new("computed_low", Float64, true, "Lowest computed value the figures' printing allows; null for unbounded.").hxl("#value+computed+min"),
        Field::new("computed_high", Float64, true, "Highest computed value the figures' printing allows; null for unbounded.").hxl("#value+computed+max"),
        Field::new("tolerance", Float64, true, "How far stated and computed may differ and still agree (half of each interval); null when a side is a bound.").hxl("#value+tolerance"),
        Field::new("status", Utf8, false, "pass: the intervals meet; fail: they do not.").hxl("#status").allowed(&["pass", "fail"]),
        Field::new("severity", Utf8, false, "warning: the wording presents the figures as the whole; info: it may leave parts unlisted.").hxl("#severity").allowed(&["warning", "info"]),
        Field::new("how", Utf8, false, "How the computed value is worked out from the figures.").hxl("#meta+method"),
        Field::new("passage", Utf8, false, "The sentence or chart legend, whitespace collapsed.").hxl("#description"),
    ]
}

fn finite(v: f64) -> Value<'static> {
    Value::Float(v.is_finite().then_some(v))
}

fn row<'a>(id: &'a str, doc_id: &'a str, c: &'a Claim) -> Vec<Value<'a>> {
    let first = c.figures.first();
    let status = if c.holds() {
        Status::Pass
    } else {
        Status::Fail
    };
    vec![
        id.into(),
        doc_id.into(),
        c.kind.as_str().into(),
        c.form.into(),
        c.line().into(),
        first.map_or(0, |m| m.column).into(),
        first.and_then(|m| m.page).into(),
        c.figures_text().into(),
        Value::Float(c.stated.value),
        finite(c.stated.interval.0),
        finite(c.stated.interval.1),
        Value::Float(c.computed.value),
        finite(c.computed.interval.0),
        finite(c.computed.interval.1),
        Value::Float(c.tolerance()),
        status.as_str().into(),
        c.severity().as_str().into(),
        c.how.as_str().into(),
        c.passage.as_str().into(),
    ]
}

/// A document's claims: their rows and their findings.
pub struct DocumentClaims {
    pub rows: TableBuilder,
    pub findings: Vec<Finding>,
}

pub fn read_document(dataset: &str, analysis: &Analysis, names: &Names) -> DocumentClaims {
    let doc: &Document = &analysis.document;
    let (mentions, _) = analysis.figures_in_reach();
    let claims = claims_owned(doc, mentions, analysis.own_bytes(), names);
    let mut rows = TableBuilder::new(fields());
    let mut findings = Vec::with_capacity(claims.len());
    for (id, c) in ids(dataset, &doc.id, &claims).into_iter().zip(&claims) {
        rows.push(row(&id, &doc.id, c));
        findings.push(finding(dataset, &doc.id, id, c));
    }
    DocumentClaims { rows, findings }
}

pub struct ClaimsExtractor {
    name: String,
}

impl ClaimsExtractor {
    pub fn new(name: &str) -> Self {
        ClaimsExtractor {
            name: name.to_string(),
        }
    }
}

impl Extractor for ClaimsExtractor {
    /// A passage is read on its own; a chart's share is looked for a few lines around.
    fn section_margin(&self) -> Option<usize> {
        Some(same_share::REACH)
    }

    fn outputs(&self) -> Vec<String> {
        vec![self.name.clone()]
    }

    /// Rows written as documents finish when the run writes (a dense document's claims are
    /// never held whole); the findings are kept for validation_results.
    fn start<'a>(&'a self, ctx: &'a Context<'a>) -> crate::Result<Box<dyn Reading + 'a>> {
        let empty = TableBuilder::new(fields()).finish(
            &self.name,
            ctx.document_ids(),
            vec!["claim_id".into()],
        );
        reading(ClaimsReading {
            name: &self.name,
            names: Names(Some(ctx.countries)),
            rows: RowGroups::open(ctx, empty)?,
            findings: ctx.finding_log()?,
        })
    }
}

struct ClaimsReading<'a> {
    name: &'a str,
    names: Names<'a>,
    rows: RowGroups,
    findings: FindingLog,
}

impl DocumentReader for ClaimsReading<'_> {
    type Part = DocumentClaims;

    fn read(&self, doc: &Analysis) -> crate::Result<DocumentClaims> {
        Ok(read_document(self.name, doc, &self.names))
    }

    fn take(&mut self, parts: Vec<DocumentClaims>) -> crate::Result<()> {
        for doc in parts {
            self.rows.push(doc.rows);
            self.findings.extend(doc.findings)?;
        }
        Ok(())
    }

    fn finish(self) -> crate::Result<Output> {
        let mut out = Output {
            findings: self.findings,
            ..Output::default()
        };
        self.rows.finish(&mut out)?;
        Ok(out)
    }
}
