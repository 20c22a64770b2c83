//! `iomtally suggest` on a small report with one uncatalogued comparison: it lists the two
//! figures of that sentence with entries that, pasted into the catalogue, read them; then it
//! lists nothing.

mod common;

use std::fs;

use common::{metrics_project, read_csv, repo, run_in};

const REPORT: &str = "Annual report for 2017\n\nIn 2017, IOM opened 12 new offices in the region.\nThe Organization trained 1,300 border officials, compared with\n950 the year before.\n";

const CATALOGUE: &str = r#"[[metric]]
key = "new_offices"
unit = "offices"
description = "New offices opened"
sources = [{ doc = "report_*", year = "{year}", pattern = "In {year}, IOM opened {value} new offices" }]
"#;

#[test]
fn suggest_lists_an_uncatalogued_comparison_ready_to_paste() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    metrics_project(
        d,
        &[("report_2017", &[2016, 2017], REPORT)],
        "report_*",
        CATALOGUE,
    );

    let (code, listing, err) = run_in(d, &["suggest"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("2 figure(s) in 1 sentence(s)"), "{err}");
    assert!(listing.contains("# report_2017:4  The Organization trained 1,300 border officials, compared with 950 the year before."), "{listing}");
    assert!(
        listing.contains(
            "year = 2017, pattern = \"The Organization trained {value} border officials, compared\""
        ),
        "{listing}"
    );
    // "the year before" in a report for 2017: 2016.
    assert!(
        listing.contains(
            "year = 2016, pattern = \"1,300 border officials, compared with {value} the year\""
        ),
        "{listing}"
    );
    assert!(
        !listing.contains("12 new offices"),
        "a catalogued figure is not suggested"
    );

    // An exclusion, with its reason, takes its figure off the list.
    fs::write(
        d.join("metrics.toml"),
        format!("{CATALOGUE}\n[[exclude]]\ndoc = \"report_*\"\npattern = \"compared with {{value}} the year before\"\nreason = \"a restatement kept out of the catalogue\"\n"),
    )
    .unwrap();
    let (code, excluded, err) = run_in(d, &["suggest"]);
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("1 figure(s) in 1 sentence(s)"), "{err}");
    assert!(
        excluded.contains("1,300") && !excluded.contains("{value} the year"),
        "{excluded}"
    );

    // A sentence exclusion takes every figure of the sentence printing its phrase.
    fs::write(
        d.join("metrics.toml"),
        format!("{CATALOGUE}\n[[exclude]]\ndoc = \"report_*\"\nsentence = \"border officials, compared with\"\nreason = \"a test\"\n"),
    )
    .unwrap();
    let (code, _, err) = run_in(d, &["suggest"]);
    assert_eq!(code, Some(0), "{err}");
    // An exclusion that says neither one figure nor a sentence is refused with its line.
    fs::write(
        d.join("metrics.toml"),
        format!("{CATALOGUE}\n[[exclude]]\ndoc = \"report_*\"\nsentence = \"with {{value}}\"\nreason = \"a test\"\n"),
    )
    .unwrap();
    let (code, _, err) = run_in(d, &["suggest"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("metrics.toml:7"), "{err}");

    // Pasted as printed, the entries read the two figures exactly.
    fs::write(d.join("metrics.toml"), format!("{CATALOGUE}\n{listing}")).unwrap();
    let (code, _, err) = run_in(d, &["run"]);
    assert_eq!(code, Some(0), "{err}");
    let (header, rows) = read_csv(&d.join("out/metrics.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut values: Vec<(String, String, String)> = rows
        .iter()
        .map(|r| {
            (
                r[col("metric_key")].clone(),
                r[col("year")].clone(),
                r[col("value")].clone(),
            )
        })
        .collect();
    values.sort();
    assert_eq!(
        values,
        [
            (
                "border_officials_compared".into(),
                "2017".into(),
                "1300".into()
            ),
            ("new_offices".into(), "2017".into(), "12".into()),
            ("year_before".into(), "2016".into(), "950".into()),
        ]
    );
    let (code, listing, err) = run_in(d, &["suggest"]);
    assert_eq!((code, listing.as_str()), (Some(0), ""), "{err}");
    assert!(err.contains("nothing to suggest"));
}

/// On the five documents every year-bound or compared figure is catalogued or excluded.
#[test]
fn suggest_lists_nothing_on_the_real_documents() {
    let (code, listing, err) = run_in(&repo(), &["suggest"]);
    assert_eq!((code, listing.as_str()), (Some(0), ""), "{err}");
    assert!(err.contains("nothing to suggest"), "{err}");
}
