//! A long document is read in sections (cut between sentences, each reaching some lines past
//! its ends): what the sections report, put together, is exactly what the whole document
//! reports. The real documents are cut at many sizes, down to a few lines per section, so
//! that every kind of cut (inside tables, chart legends, wrapped sentences, page breaks) is
//! crossed; the chart-and-prose check, which looks furthest around a figure, is among them.

use std::path::Path;

use iomtally::document::Document;
use iomtally::extract::analysis::sections;
use iomtally::extract::claims::ClaimsExtractor;
use iomtally::extract::claims::{Names, read_document};
use iomtally::extract::figures::{Found, Mention};
use iomtally::extract::{Analysis, Extractor};
use proptest::prelude::*;

const DOCUMENTS: &[&str] = &[
    "annual_report_2015",
    "annual_report_2016",
    "global_activities_2017",
    "migration_initiatives_2016",
    "programme_2020_crises",
];

/// Each case reads a whole document twice: a few dozen by default, more with PROPTEST_CASES.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

/// The margin the claims reader asks for (a chart's share is looked for this far around).
fn margin() -> usize {
    ClaimsExtractor::new("claims").section_margin().unwrap()
}

fn load(id: &str) -> Document {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("raw")
        .join(format!("{id}.txt"));
    Document::load(id, &path, &[]).unwrap()
}

/// What a mention reports, as text (the fields a mentions row is made of).
fn described(m: &Mention) -> String {
    format!(
        "{}:{} p{:?} {} {:?} {:?} {:?} {:?} [{}]",
        m.line, m.column, m.page, m.raw, m.quantity, m.unit, m.year, m.sentence, m.context
    )
}

/// Every mention and every claim finding of `doc`, read whole (size None) or in sections.
fn read(doc: &Document, size: Option<usize>) -> (Vec<String>, Vec<String>) {
    let whole = || vec![Analysis::new(std::borrow::Cow::Borrowed(doc))];
    let found = Found::of(doc);
    let analyses: Vec<Analysis> = match size {
        None => whole(),
        Some(size) => sections(doc, &found, size, margin())
            .into_iter()
            .map(|s| Analysis::section(doc, &found, s))
            .collect(),
    };
    let mut mentions = Vec::new();
    let mut claims = Vec::new();
    for a in &analyses {
        mentions.extend(a.figures().iter().map(described));
        let read = read_document("claims", a, &Names(None));
        claims.extend(
            read.findings
                .iter()
                .map(|f| format!("{} {} | {}", f.check_id, f.message, f.evidence)),
        );
    }
    (mentions, claims)
}

fn assert_same_in_sections(doc: &Document, size: usize) {
    let (mentions, claims) = read(doc, None);
    let (cut_mentions, cut_claims) = read(doc, Some(size));
    assert_eq!(
        cut_mentions.len(),
        mentions.len(),
        "{} in sections of {size} bytes: mentions",
        doc.id
    );
    for (a, b) in mentions.iter().zip(&cut_mentions) {
        assert_eq!(a, b, "{} in sections of {size} bytes", doc.id);
    }
    assert_eq!(claims, cut_claims, "{} in sections of {size} bytes", doc.id);
}

#[test]
fn every_document_reads_the_same_in_sections_of_many_sizes() {
    let mut claims_read = 0;
    for id in DOCUMENTS {
        let doc = load(id);
        let (mentions, claims) = read(&doc, None);
        // The documents print figures and claims: an empty reading would prove nothing.
        assert!(mentions.len() > 5, "{id}");
        claims_read += claims.len();
        for size in [300, 1_000, 4_096, 20_000, 65_536] {
            assert_same_in_sections(&doc, size);
        }
    }
    assert!(claims_read > 30, "{claims_read} claims");
}

#[test]
fn sections_cover_the_text_once_and_reach_past_their_ends() {
    let doc = load("annual_report_2016");
    let found = Found::of(&doc);
    let cut = sections(&doc, &found, 2_000, margin());
    assert!(cut.len() > 20, "{} sections", cut.len());
    assert_eq!(cut.first().map(|s| s.own.start), Some(0));
    assert_eq!(cut.last().map(|s| s.own.end), Some(doc.flat.len()));
    for pair in cut.windows(2) {
        assert_eq!(pair[0].own.end, pair[1].own.start, "sections meet");
    }
    for s in &cut {
        assert!(s.reach.start <= s.own.start && s.own.end <= s.reach.end);
        let line = |offset: usize| doc.line_at(offset.min(doc.flat.len() - 1)).number;
        if s.reach.start > 0 {
            assert!(line(s.own.start) - line(s.reach.start) >= margin());
        }
        if s.reach.end < doc.flat.len() {
            assert!(line(s.reach.end) - line(s.own.end) >= margin());
        }
    }
}

#[test]
fn a_short_text_is_one_section() {
    let doc =
        Document::from_bytes("t", Path::new("t.txt"), b"In 2016, 59 (41%) of 145.\n", &[]).unwrap();
    let found = Found::of(&doc);
    let cut = sections(&doc, &found, 1 << 20, margin());
    assert_eq!(cut.len(), 1);
    assert_eq!(cut[0].own, 0..doc.flat.len());
    assert_eq!(cut[0].reach, 0..doc.flat.len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Any section size, on any of the documents.
    #[test]
    fn any_section_size_reads_the_same(doc in 0..DOCUMENTS.len(), size in 200usize..40_000) {
        assert_same_in_sections(&load(DOCUMENTS[doc]), size);
    }
}
