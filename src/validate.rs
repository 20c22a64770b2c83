//! Findings: the result of every check and every inference, kept as a dataset of its own so
//! that a reader sees stated vs computed and the line of text each comes from.

use crate::dataset::{DType, Field, TableBuilder, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Fail,
    Inferred,
    /// The check could not be made: a figure it needs is not stated (severity info).
    Skipped,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Pass,
        Status::Fail,
        Status::Inferred,
        Status::Skipped,
    ];

    /// The status a written set spells (`as_str`'s inverse).
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Inferred => "inferred",
            Status::Skipped => "skipped",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    /// Most severe first.
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    /// The severity a written set spells (`as_str`'s inverse).
    pub fn parse(s: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub check_id: String,
    pub dataset: String,
    pub kind: String,
    pub subject: String,
    pub stated: Option<f64>,
    pub computed: Option<f64>,
    pub tolerance: Option<f64>,
    pub status: Status,
    pub severity: Severity,
    pub doc_id: String,
    pub line: Option<usize>,
    pub evidence: String,
    pub message: String,
}

impl Finding {
    pub fn difference(&self) -> Option<f64> {
        Some(self.computed? - self.stated?)
    }

    /// Failed errors, failed warnings, inferences, failed info: the order a reader looks at
    /// findings in; None for passed and skipped checks.
    pub fn priority(&self) -> Option<u8> {
        match (self.status, self.severity) {
            (Status::Fail, Severity::Error) => Some(0),
            (Status::Fail, Severity::Warning) => Some(1),
            (Status::Inferred, _) => Some(2),
            (Status::Fail, _) => Some(3),
            _ => None,
        }
    }

    /// A finding that counts against the run: a failed check of severity error.
    pub fn is_error(&self) -> bool {
        self.status == Status::Fail && self.severity == Severity::Error
    }
}

/// Where a stated figure was printed.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub doc_id: &'a str,
    pub line: usize,
    pub evidence: &'a str,
}

/// Compares a stated integer total with the sum computed from its parts.
pub struct SumCheck<'a> {
    pub check_id: String,
    pub dataset: &'a str,
    pub kind: &'a str,
    pub subject: String,
    pub stated: i128,
    pub computed: i128,
    pub tolerance: i64,
    pub source: Source<'a>,
    pub how: String,
}

impl SumCheck<'_> {
    pub fn finding(self) -> Finding {
        let diff = self.computed - self.stated;
        let ok = diff.abs() <= i128::from(self.tolerance);
        let message = if ok {
            format!(
                "{}: stated {} = computed {}",
                self.how, self.stated, self.computed
            )
        } else {
            format!(
                "{}: stated {} but computed {} (difference {diff})",
                self.how, self.stated, self.computed
            )
        };
        Finding {
            check_id: self.check_id,
            dataset: self.dataset.to_string(),
            kind: self.kind.to_string(),
            subject: self.subject,
            stated: Some(self.stated as f64),
            computed: Some(self.computed as f64),
            tolerance: Some(self.tolerance as f64),
            status: if ok { Status::Pass } else { Status::Fail },
            severity: Severity::Error,
            doc_id: self.source.doc_id.to_string(),
            line: Some(self.source.line),
            evidence: self.source.evidence.trim().to_string(),
            message,
        }
    }
}

/// Stable, readable ids: `dataset:document:kind:part:part`, parts lower-cased with `_` for
/// other characters. The document makes ids unique when a dataset reads several editions.
pub fn check_id(dataset: &str, doc: &str, kind: &str, parts: &[&str]) -> String {
    let mut id = format!("{dataset}:{doc}:{kind}");
    for part in parts {
        id.push(':');
        id.push_str(&slug(part));
    }
    id
}

pub fn slug(s: &str) -> String {
    match s.is_ascii() {
        true => slug_ascii(s),
        false => slug_chars(s),
    }
}

/// [`slug`] for any text, a character at a time.
fn slug_chars(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// [`slug`] for ASCII text (most ids' parts), a byte at a time.
fn slug_ascii(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() {
            out.push(char::from(b.to_ascii_lowercase()));
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.ends_with('_') {
        out.pop();
    }
    out
}

/// A table that could not be read in one document: an error finding for that document (its
/// rows are absent), so that the other documents and datasets still go through.
pub fn extraction_failure(dataset: &str, doc_id: &str, err: &crate::Error) -> Finding {
    let (line, evidence) = match err {
        crate::Error::Malformed { line, .. } => (Some(*line), err.to_string()),
        _ => (None, err.to_string()),
    };
    Finding {
        check_id: check_id(dataset, doc_id, "extraction", &[]),
        dataset: dataset.to_string(),
        kind: "extraction".into(),
        subject: format!("{dataset} from {doc_id}"),
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Fail,
        severity: Severity::Error,
        doc_id: doc_id.to_string(),
        line,
        evidence,
        message: format!(
            "could not be read from document '{doc_id}', whose rows are absent from '{dataset}': {err}"
        ),
    }
}

pub const DATASET: &str = "validation_results";

#[rustfmt::skip]
pub fn fields() -> Vec<Field> {
    use DType::*;
    vec![
        Field::new("check_id", Utf8, false, "Stable identifier of the check: dataset:document:kind:subject parts.").hxl("#meta+id"),
        Field::new("dataset", Utf8, false, "Dataset whose figures the check is about.").hxl("#meta+dataset"),
        Field::new("kind", Utf8, false, "What is checked: row_total, column_total, grand_total, blank_placement, region_title, extraction, country_code, ...").hxl("#indicator+check"),
        Field::new("subject", Utf8, false, "The figure checked, in words (region / country / category).").hxl("#description+subject"),
        Field::new("stated", Float64, true, "Value printed in the document (a printed '-' counts as 0).").hxl("#value+stated"),
        Field::new("computed", Float64, true, "Value computed from the extracted parts.").hxl("#value+computed"),
        Field::new("difference", Float64, true, "computed - stated.").hxl("#value+difference"),
        Field::new("tolerance", Float64, true, "Largest absolute difference that still passes.").hxl("#value+tolerance"),
        Field::new("status", Utf8, false, "pass | fail | inferred (a value the extractor had to infer; see message) | skipped (a figure the check needs is not stated).").hxl("#status").allowed(&["pass", "fail", "inferred", "skipped"]),
        Field::new("severity", Utf8, false, "error | warning | info. A run exits 1 when any check fails with severity error.").hxl("#severity").allowed(&["error", "warning", "info"]),
        Field::new("doc_id", Utf8, false, "Document the stated value comes from (id in pipeline.toml).").hxl("#meta+source"),
        Field::new("line", Int64, true, "1-based line of the stated value in the raw document.").hxl("#meta+line"),
        Field::new("evidence", Utf8, false, "The source line(s), verbatim.").hxl("#description+evidence"),
        Field::new("message", Utf8, false, "Human-readable explanation of the result.").hxl("#description"),
    ]
}

/// A finding as a row of the validation dataset.
pub fn push_row(table: &mut TableBuilder, f: &Finding) {
    table.push(vec![
        f.check_id.as_str().into(),
        f.dataset.as_str().into(),
        f.kind.as_str().into(),
        f.subject.as_str().into(),
        f.stated.into(),
        f.computed.into(),
        f.difference().into(),
        f.tolerance.into(),
        f.status.as_str().into(),
        f.severity.as_str().into(),
        f.doc_id.as_str().into(),
        Value::Int(f.line.map(|l| l as i64)),
        f.evidence.as_str().into(),
        f.message.as_str().into(),
    ]);
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        #[test]
        fn an_ascii_slug_is_the_character_slug(s in "[\\x00-\\x7f]{0,30}|[ _a-zA-Z0-9-]{0,30}") {
            proptest::prop_assert_eq!(super::slug_ascii(&s), super::slug_chars(&s));
        }
    }

    #[test]
    fn slugs_keep_letters_and_digits_joined_by_single_underscores() {
        assert_eq!(
            super::slug("  Middle East & North Africa "),
            "middle_east_north_africa"
        );
        assert_eq!(super::slug("__Côte d'Ivoire__"), "côte_d_ivoire");
        assert_eq!(super::slug("--"), "");
    }
}
