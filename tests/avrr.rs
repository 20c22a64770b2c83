//! AVRR key figures (Annual Report for 2016, lines 1614–1632): all 40 values read by hand,
//! the checks on the real document, and altered copies.

mod common;

use common::{Scratch, read_csv, stderr};

/// (role, rank, country, 2016, 2015, line of the numbers), as printed in the document.
#[rustfmt::skip]
const TABLE: [(&str, usize, &str, i64, i64, usize); 20] = [
    ("host", 1, "Germany", 54_006, 35_446, 1618),
    ("host", 2, "Greece", 6_153, 3_746, 1619),
    ("host", 3, "Austria", 4_812, 4_126, 1620),
    ("host", 4, "Niger", 4_788, 1_322, 1621),
    ("host", 5, "Netherlands", 4_635, 2_927, 1623),
    ("host", 6, "Belgium", 4_117, 3_870, 1625),
    ("host", 7, "Yemen", 2_594, 2_733, 1627),
    ("host", 8, "Finland", 2_116, 632, 1629),
    ("host", 9, "Djibouti", 1_803, 990, 1630),
    ("host", 10, "Norway", 1_459, 1_164, 1631),
    ("origin", 1, "Albania", 17_976, 12_014, 1618),
    ("origin", 2, "Iraq", 12_776, 3_607, 1619),
    ("origin", 3, "Afghanistan", 7_102, 1_413, 1620),
    ("origin", 4, "Serbia", 6_978, 6_659, 1621),
    ("origin", 5, "UNSC resolution 1244-administered Kosovo", 5_889, 9_908, 1623),
    ("origin", 6, "Ethiopia", 5_675, 4_689, 1625),
    ("origin", 7, "The former Yugoslav Republic of Macedonia", 4_986, 3_134, 1627),
    ("origin", 8, "Iran (Islamic Republic of)", 4_485, 1_133, 1629),
    ("origin", 9, "Ukraine", 3_438, 2_210, 1630),
    ("origin", 10, "Russian Federation", 2_058, 2_120, 1631),
];

struct Outputs {
    rows: Vec<Vec<String>>,
    header: Vec<String>,
    checks: Vec<Vec<String>>,
}

fn run(s: &Scratch) -> (Option<i32>, String, Option<Outputs>) {
    let out = s.run(&["run"]);
    let code = out.status.code();
    if code == Some(0) || code == Some(1) {
        let (header, rows) = read_csv(&s.output().join("avrr_top_countries.csv"));
        let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
        (
            code,
            stderr(&out),
            Some(Outputs {
                rows,
                header,
                checks,
            }),
        )
    } else {
        (code, stderr(&out), None)
    }
}

fn check<'a>(o: &'a Outputs, id: &str) -> &'a Vec<String> {
    o.checks
        .iter()
        .find(|r| r[0] == id)
        .unwrap_or_else(|| panic!("check {id}"))
}

#[test]
fn all_forty_values_with_provenance() {
    let s = Scratch::new();
    let (code, err, o) = run(&s);
    assert_eq!(code, Some(0), "{err}");
    let o = o.unwrap();
    assert_eq!(
        o.header,
        [
            "role",
            "rank",
            "country",
            "country_iso3",
            "country_m49",
            "country_name",
            "year",
            "migrants_assisted",
            "doc_id",
            "line",
            "page"
        ]
    );
    assert_eq!(o.rows.len(), 40);
    for (role, rank, country, v2016, v2015, line) in TABLE {
        for (year, value) in [(2016, v2016), (2015, v2015)] {
            let row = o
                .rows
                .iter()
                .find(|r| r[0] == role && r[1] == rank.to_string() && r[6] == year.to_string())
                .unwrap_or_else(|| panic!("{role} {rank} {year}"));
            assert_eq!(row[2], country);
            assert_eq!(row[7], value.to_string(), "{role} {rank} {country} {year}");
            assert_eq!(
                (row[8].as_str(), row[9].as_str(), row[10].as_str()),
                ("annual_report_2016", line.to_string().as_str(), "33")
            );
        }
    }
    // Codes for the wrapped names.
    let codes = |country: &str| {
        let r = o.rows.iter().find(|r| r[2] == country).unwrap();
        (r[3].clone(), r[4].clone())
    };
    assert_eq!(
        codes("UNSC resolution 1244-administered Kosovo"),
        ("XKX".into(), "".into())
    );
    assert_eq!(
        codes("The former Yugoslav Republic of Macedonia"),
        ("MKD".into(), "807".into())
    );
    assert_eq!(codes("Netherlands"), ("NLD".into(), "528".into()));
}

#[test]
fn checks_on_the_real_document() {
    let s = Scratch::new();
    let (_, _, o) = run(&s);
    let o = o.unwrap();
    // Ranked column descends; the 2015 column is not a ranking: info, not an error.
    for role in ["host", "origin"] {
        let r = check(
            &o,
            &format!("avrr_top_countries:annual_report_2016:rank_order:{role}:2016"),
        );
        assert_eq!((r[8].as_str(), r[9].as_str()), ("pass", "error"));
        let r = check(
            &o,
            &format!("avrr_top_countries:annual_report_2016:rank_order:{role}:2015"),
        );
        assert_eq!((r[8].as_str(), r[9].as_str()), ("fail", "info"));
    }
    // Top 10 within the stated totals: over 98,000 (2016), approximately 69,500 (2015).
    for (id, stated, computed) in [
        ("host:2016", "98000", "86483"),
        ("origin:2016", "98000", "71363"),
        ("host:2015", "69500", "56956"),
        ("origin:2015", "69500", "46887"),
    ] {
        let r = check(
            &o,
            &format!("avrr_top_countries:annual_report_2016:top_n_total:{id}"),
        );
        assert_eq!(
            (r[4].as_str(), r[5].as_str(), r[8].as_str()),
            (stated, computed, "pass"),
            "{id}"
        );
    }
    // EEA (+ Switzerland) hosts in the 2016 top 10: 77,298 of over 98,000 = 78.9% ≤ 83%.
    let r = check(
        &o,
        "avrr_top_countries:annual_report_2016:share_lower_bound:avrr_share_from_eea_switzerland:2016",
    );
    assert_eq!((r[4].as_str(), r[8].as_str()), ("83", "pass"));
    assert!((r[5].parse::<f64>().unwrap() - 77_298.0 / 98_000.0 * 100.0).abs() < 1e-9);
    // EU + Norway + Switzerland in 2015: 51,911 of approximately 69,500 = 74.7% ≤ 81%.
    let r = check(
        &o,
        "avrr_top_countries:annual_report_2016:share_lower_bound:avrr_share_from_eu_norway_switzerland:2015",
    );
    assert_eq!((r[4].as_str(), r[8].as_str()), ("81", "pass"));
    // Male + female = 100, both years, from the metrics catalogue.
    for id in [
        "metrics:annual_report_2016:shares_sum:avrr_sex_2016",
        "metrics:annual_report_2015:shares_sum:avrr_sex_2015",
    ] {
        assert_eq!(check(&o, id)[8], "pass");
    }
}

#[test]
fn two_digits_swapped_in_a_ranked_cell_break_the_order_at_that_line() {
    // Finland 2016: 2 116 → 2 611 (line 1629) now exceeds Yemen's 2 594 above it.
    let s = Scratch::new();
    s.edit_line("raw/annual_report_2016.txt", 1629, "2 116", "2 611");
    let (code, err, o) = run(&s);
    assert_eq!(code, Some(1), "{err}");
    assert!(
        err.contains("FAIL avrr_top_countries:annual_report_2016:rank_order:host:2016 (annual_report_2016:1629)"),
        "{err}"
    );
    let o = o.unwrap();
    let r = check(
        &o,
        "avrr_top_countries:annual_report_2016:rank_order:host:2016",
    );
    assert_eq!((r[8].as_str(), r[11].as_str()), ("fail", "1629"));
    assert!(r[12].starts_with("Finland             2 611"), "{}", r[12]);
}

#[test]
fn two_digits_swapped_past_the_stated_total() {
    // Germany 2015: 35 446 → 53 446 (line 1618): the 2015 top 10 hosts now sum to 74,956,
    // more than "approximately 69,500".
    let s = Scratch::new();
    s.edit_line("raw/annual_report_2016.txt", 1618, "35 446", "53 446");
    let (code, _, o) = run(&s);
    assert_eq!(code, Some(1));
    let r = check(
        o.as_ref().unwrap(),
        "avrr_top_countries:annual_report_2016:top_n_total:host:2015",
    );
    assert_eq!(
        (r[5].as_str(), r[8].as_str(), r[9].as_str()),
        ("74956", "fail", "error")
    );
    assert!(r[12].contains("[annual_report_2016:1618]"), "{}", r[12]);
}

/// The one extraction finding of the document, whose rows are then absent: (line, evidence).
fn extraction_failure(o: &Outputs) -> (String, String) {
    let r = check(o, "avrr_top_countries:annual_report_2016:extraction");
    assert_eq!((r[8].as_str(), r[9].as_str()), ("fail", "error"));
    assert!(o.rows.is_empty(), "the document's rows are absent");
    (r[11].clone(), r[12].clone())
}

#[test]
fn a_panel_with_a_row_missing_is_an_error_finding_for_its_document() {
    let s = Scratch::new();
    let text = s.read("raw/annual_report_2016.txt");
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(lines[1629].starts_with(" Djibouti"));
    let cut: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1629)
        .map(|(_, l)| *l)
        .collect();
    s.write("raw/annual_report_2016.txt", &cut.join("\n"));
    // The rest of the run goes through: exit 1, the other datasets written.
    let (code, err, o) = run(&s);
    assert_eq!(code, Some(1), "{err}");
    let (_, evidence) = extraction_failure(&o.unwrap());
    assert!(
        evidence.contains("panel 'host' has 9 rows; pipeline.toml expects 10"),
        "{evidence}"
    );
    assert!(
        evidence.contains("annual_report_2016.txt:1618"),
        "{evidence}"
    );
    let (_, funding) = read_csv(&s.output().join("funding_requirements.csv"));
    assert_eq!(funding.len(), 1092);
}

#[test]
fn a_missing_year_column_is_an_error_finding_naming_the_year_line() {
    let s = Scratch::new();
    s.edit_line(
        "raw/annual_report_2016.txt",
        1617,
        "2016           2015  ",
        "2016                 ",
    );
    let (code, err, o) = run(&s);
    assert_eq!(code, Some(1), "{err}");
    let (line, evidence) = extraction_failure(&o.unwrap());
    assert_eq!(line, "1617");
    assert!(
        evidence.contains("annual_report_2016.txt:1617") && evidence.contains("column years"),
        "{evidence}"
    );
}
