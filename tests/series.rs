//! `iomtally suggest --series` on generated editions of an annual report.
//!
//! Each edition states one indicator in its own wording (a phrasebook of how reports word a
//! yearly figure: the verb, the order, the hedge and where the year stands all change), beside
//! sentences on other subjects, wrapped at random widths. The truth is what was rendered: the
//! indicator's figure and year in each edition. The linker must put those figures in one
//! series and nothing else with them; a series it continues from the catalogue must read, once
//! pasted, the new edition's figure.

mod common;

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use proptest::prelude::*;

use common::{grouped, metrics_project, repo, run_in};

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

/// Ways reports word one yearly indicator: {h} hedge, {v} value, {y} year.
const INDICATORS: &[&[&str]] = &[
    &[
        "In {y}, IOM provided direct assistance to {h}{v} victims of human trafficking and associated forms of exploitation.",
        "IOM provided direct assistance to {h}{v} victims of trafficking in {y}, including children and young adults.",
        "During {y}, {h}{v} victims of human trafficking received direct assistance from the Organization.",
    ],
    &[
        "In {y}, IOM worked with {h}{v} different private sector entities, about half of them new partners.",
        "IOM offices reported engagement with {h}{v} private sector partners and donors in {y}.",
        "The Organization partnered with {h}{v} private sector companies and foundations during {y}.",
    ],
    &[
        "IOM helped {h}{v} migrants return home voluntarily from their host countries in {y}.",
        "In {y}, {h}{v} migrants were assisted to return voluntarily to their countries of origin.",
        "Assisted voluntary return programmes supported {h}{v} migrants returning home in {y}.",
    ],
];

/// Sentences on subjects no other edition repeats: {n} a figure.
const ELSEWHERE: &[&str] = &[
    "A regional workshop in Dakar gathered {n} participants from ministries of labour.",
    "The new warehouse in Panama stores {n} tonnes of relief supplies for the hurricane season.",
    "A radio drama series was broadcast in {n} languages across the coastal provinces.",
    "The mobile clinic team vaccinated {n} children against measles in remote villages.",
    "A photo exhibition displayed {n} portraits of seafarers in the harbour museum.",
    "The hotline answered {n} calls about labour contracts and unpaid wages.",
    "Engineers rehabilitated {n} boreholes along the northern transhumance corridor.",
    "The library of the training centre now lends {n} textbooks on consular law.",
];

const HEDGES: &[&str] = &[
    "",
    "over ",
    "an estimated ",
    "more than ",
    "nearly ",
    "some ",
];

/// Words wrapped at `width` characters.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

/// One edition: (id, year, text, the indicator's value).
struct Edition {
    id: String,
    year: i32,
    text: String,
    value: u64,
}

#[derive(Debug, Clone)]
struct Plan {
    first_year: i32,
    indicator: usize,
    /// Per edition: wording, hedge, value, other subject, its figure, line width.
    editions: Vec<(usize, usize, u64, usize, u64, usize)>,
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        2005..2030i32,
        0..INDICATORS.len(),
        500u64..50_000,
        prop::collection::vec(
            (
                0..3usize,
                0..HEDGES.len(),
                70u64..140,
                20usize..200,
                30usize..90,
            ),
            2..=3,
        ),
        // Each edition speaks of another subject.
        Just((0..ELSEWHERE.len()).collect::<Vec<usize>>()).prop_shuffle(),
    )
        .prop_map(|(first_year, indicator, base, eds, others)| Plan {
            first_year,
            indicator,
            editions: eds
                .into_iter()
                .enumerate()
                // Year to year the indicator moves by at most a factor of two.
                .map(|(k, (w, h, pct, other_n, width))| {
                    (w, h, base * pct / 100, others[k], other_n as u64, width)
                })
                .collect(),
        })
}

fn render(plan: &Plan) -> Vec<Edition> {
    plan.editions
        .iter()
        .enumerate()
        .map(|(k, &(wording, hedge, value, other, other_n, width))| {
            let year = plan.first_year + k as i32;
            let indicator = INDICATORS[plan.indicator][wording]
                .replace("{y}", &year.to_string())
                .replace("{h}", HEDGES[hedge])
                .replace("{v}", &grouped(value));
            let elsewhere = ELSEWHERE[other].replace("{n}", &other_n.to_string());
            let members = 160 + k;
            let body = format!(
                "IOM now has {members} Member States. {elsewhere} {indicator} The Organization thanks its donors for their support."
            );
            Edition {
                id: format!("annual_report_{year}"),
                year,
                text: format!("Annual Report for {year}\n\n{}\n", wrap(&body, width)),
                value,
            }
        })
        .collect()
}

fn write_set(dir: &Path, editions: &[Edition], catalogue: &str) {
    let years: Vec<[i32; 1]> = editions.iter().map(|e| [e.year]).collect();
    let documents: Vec<(&str, &[i32], &str)> = editions
        .iter()
        .zip(&years)
        .map(|(e, y)| (e.id.as_str(), &y[..], e.text.as_str()))
        .collect();
    metrics_project(dir, &documents, "annual_report_*", catalogue);
}

fn suggest_series(dir: &Path) -> (Option<i32>, String, String) {
    run_in(dir, &["suggest", "--series"])
}

/// Each series of a listing as its figures: (document, year, value digits).
fn series_in(listing: &str) -> Vec<BTreeSet<(String, i32, String)>> {
    let mut out: Vec<BTreeSet<(String, i32, String)>> = Vec::new();
    for line in listing.lines() {
        if line.starts_with("# series ") {
            out.push(BTreeSet::new());
        } else if let Some(rest) = line.strip_prefix("#   ") {
            let mut parts = rest.split("  ");
            let doc = parts.next().unwrap().split(':').next().unwrap().to_string();
            let year: i32 = parts
                .next()
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let raw = parts.next().unwrap();
            let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
            out.last_mut().unwrap().insert((doc, year, digits));
        }
    }
    out
}

/// A catalogue that reads only the Member States: the linker starts from nothing on the
/// indicator.
const EMPTY_CATALOGUE: &str = r#"[[metric]]
key = "member_states"
unit = "countries"
description = "IOM Member States"
sources = [{ doc = "*", year = "{year}", pattern = "IOM now has {value} Member States" }]
"#;

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Every edition's figure of the indicator, in one series, with its year; no figure of
    /// another subject with them.
    #[test]
    fn one_indicator_in_other_words_each_year_is_one_series(plan in plan()) {
        let editions = render(&plan);
        let dir = tempfile::tempdir().unwrap();
        write_set(dir.path(), &editions, EMPTY_CATALOGUE);
        let (code, listing, err) = suggest_series(dir.path());
        prop_assert_eq!(code, Some(1), "{}", err);
        let truth: BTreeSet<(String, i32, String)> = editions
            .iter()
            .map(|e| (e.id.clone(), e.year, e.value.to_string()))
            .collect();
        let found = series_in(&listing);
        prop_assert!(
            found.contains(&truth),
            "no series is exactly {:?}:\n{}\n{}",
            truth,
            listing,
            editions.iter().map(|e| e.text.as_str()).collect::<String>()
        );
        for s in &found {
            let mixed = !s.is_disjoint(&truth) && !s.is_subset(&truth);
            prop_assert!(!mixed, "a series mixes the indicator with another subject: {:?}\n{}", s, listing);
        }
    }
}

/// Next year's edition: the catalogue reads the indicator in the first edition; the linker
/// proposes the second edition's figure as a source of that metric, and the pasted source
/// reads it.
#[test]
fn a_new_edition_continues_a_catalogued_metric() {
    let plan = Plan {
        first_year: 2024,
        indicator: 0,
        editions: vec![(0, 2, 7000, 0, 120, 60), (2, 1, 8500, 3, 45, 72)],
    };
    let editions = render(&plan);
    let catalogue = r#"[[metric]]
key = "member_states"
unit = "countries"
description = "IOM Member States"
sources = [{ doc = "*", year = "{year}", pattern = "IOM now has {value} Member States" }]

[[metric]]
key = "trafficking_victims_assisted"
unit = "persons"
description = "Victims of trafficking given direct assistance"
sources = [
  { doc = "annual_report_2024", year = 2024, pattern = "IOM provided direct assistance to {value} victims" },
]
"#;
    let dir = tempfile::tempdir().unwrap();
    write_set(dir.path(), &editions, catalogue);
    let (code, listing, err) = suggest_series(dir.path());
    assert_eq!(code, Some(1), "{err}");
    assert!(
        listing.contains("# continues metric 'trafficking_victims_assisted': add to its sources"),
        "{listing}"
    );
    let source = listing
        .lines()
        .find(|l| l.contains("doc = \"annual_report_2025\""))
        .unwrap_or_else(|| panic!("no source for the new edition:\n{listing}"));
    assert!(source.contains("year = 2025"), "{source}");

    // Pasted into the catalogue, the source reads the new figure, and nothing is left.
    let pasted = catalogue.replace("},\n]", &format!("}},\n{source}\n]"));
    fs::write(dir.path().join("metrics.toml"), &pasted).unwrap();
    let (code, listing, err) = suggest_series(dir.path());
    assert_eq!((code, listing.as_str()), (Some(0), ""), "{err}\n{pasted}");
    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["run", "--only", "metrics"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let metrics = fs::read_to_string(dir.path().join("out/metrics.csv"))
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    assert!(
        metrics
            .lines()
            .any(|l| l.contains("trafficking_victims_assisted")
                && l.contains(",2025,")
                && l.contains("8500")),
        "{metrics}"
    );
}

/// A passage printed once per year (two columns extracted one after the other, under year
/// headings) gives each figure its column's year: "That year" and the headings set them.
#[test]
fn twin_paragraphs_take_their_years_from_the_headings() {
    let text = "Global activities in 2031\n\nIOM now has 180 Member States.\n\n2030\n41 staff were involved in 200 deployments to 50 different countries. That year 27 staff were involved in surge\ndeployments to 30 countries.\n\n2031\n44 staff were involved in 260 deployments to 61 different countries. That year 31 staff were involved in surge\ndeployments to 35 countries.\n";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    metrics_project(
        d,
        &[("global_2031", &[2030, 2031], text)],
        "global_*",
        EMPTY_CATALOGUE,
    );
    let (code, listing, err) = suggest_series(d);
    assert_eq!(code, Some(1), "{err}");
    let found = series_in(&listing);
    let surge: BTreeSet<(String, i32, String)> = [
        ("global_2031".to_string(), 2030, "27".to_string()),
        ("global_2031".to_string(), 2031, "31".to_string()),
    ]
    .into();
    assert!(found.contains(&surge), "{listing}");
    assert!(
        listing.contains("occurrence = 1") && listing.contains("occurrence = 2"),
        "{listing}"
    );
}

/// Ways reports name a sector by its words, and by the acronym they define for it once.
const SECTORS: &[(&str, &str, &str)] = &[
    (
        "Camp Coordination and Camp Management",
        "CCCM",
        "camp management work",
    ),
    (
        "Water, Sanitation and Hygiene",
        "WASH",
        "water and hygiene programming",
    ),
    (
        "Displacement Tracking Matrix",
        "DTM",
        "displacement tracking teams",
    ),
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// One edition counts a sector's countries under the acronym it defines, the other in
    /// part of the sector's words: the acronym's definition, read from the text, links them.
    #[test]
    fn an_acronym_meets_the_words_it_stands_for(
        sector in 0..SECTORS.len(),
        first_year in 2005..2030i32,
        (before, after) in (20u64..80, 20u64..80),
        widths in (40usize..100, 40usize..100),
        defined_first in any::<bool>(),
    ) {
        let (long, short, partial) = SECTORS[sector];
        let defining = format!(
            "As lead of the global {long} ({short}) cluster, IOM coordinated partners in the field. The Organization was active in {short} in {after} countries."
        );
        let worded = format!(
            "The Organization's {partial} benefited many displaced people across {before} countries."
        );
        let (first, second) = if defined_first { (defining, worded) } else { (worded, defining) };
        let texts = [
            format!("IOM now has 170 Member States. {first} The hotline answered 900 calls about labour contracts."),
            format!("IOM now has 171 Member States. {second} A radio drama was broadcast in 12 languages."),
        ];
        let dir = tempfile::tempdir().unwrap();
        let ids = [format!("annual_report_{first_year}"), format!("annual_report_{}", first_year + 1)];
        let years = [[first_year], [first_year + 1]];
        let bodies: Vec<String> = texts
            .iter()
            .zip([widths.0, widths.1])
            .zip(&years)
            .map(|((t, w), y)| format!("Annual Report for {}\n\n{}\n", y[0], wrap(t, w)))
            .collect();
        let documents: Vec<(&str, &[i32], &str)> = (0..2)
            .map(|k| (ids[k].as_str(), &years[k][..], bodies[k].as_str()))
            .collect();
        metrics_project(dir.path(), &documents, "annual_report_*", EMPTY_CATALOGUE);
        let (code, listing, err) = suggest_series(dir.path());
        prop_assert_eq!(code, Some(1), "{}", err);
        let value = |defining: bool| if defining { after } else { before };
        let truth: BTreeSet<(String, i32, String)> = [
            (ids[0].clone(), first_year, value(defined_first).to_string()),
            (ids[1].clone(), first_year + 1, value(!defined_first).to_string()),
        ]
        .into();
        prop_assert!(series_in(&listing).contains(&truth), "{:?}\n{}\n{}", truth, listing, bodies.concat());
    }
}

/// A passage printed once for each year gives its year to every figure in it, not only to the
/// figures its twin prints in the same words; "in comparison to 2030" compares with a year, it
/// does not date the figure.
#[test]
fn a_twin_passage_dates_the_figures_it_words_differently() {
    let text = "Global activities in 2031\n\nIOM now has 180 Member States.\n\nActive system-wide responses were in four countries.\nThere were 42 deployments to the countries involved in those responses that represented a\ntotal of 595 staff days; that represented 18% of all\ndeployments and 28% of the overall staff days in\nterms of support.\n\nActive system-wide responses were in six countries.\nThere were 83 deployments to the countries involved in those responses that represented a\ntotal of 1,100 staff days. In comparison to 2030\nthis represents a twofold increase and stands for\nhalf of the total deployment days of rapid response staff.\n";
    let dir = tempfile::tempdir().unwrap();
    metrics_project(
        dir.path(),
        &[("global_2031", &[2030, 2031], text)],
        "global_*",
        EMPTY_CATALOGUE,
    );
    let (code, listing, err) = suggest_series(dir.path());
    assert_eq!(code, Some(1), "{err}");
    let dated = |raw: &str, year: i32| {
        listing
            .lines()
            .any(|l| l.contains(&format!("  {year} (")) && l.contains(&format!(")  {raw}  ")))
    };
    assert!(dated("28%", 2030) && dated("half", 2031), "{listing}");
    assert!(dated("42", 2030) && dated("83", 2031), "{listing}");
}

/// Of two partners alike in words, the one whose value is nearer joins the series: a
/// country's figure printed beside the worldwide one is another size.
#[test]
fn the_nearer_value_of_two_alike_partners_continues_the_series() {
    let texts = [
        "IOM now has 170 Member States. IOM's water, sanitation and hygiene programming assisted 3.3 million people in 30 countries.",
        "IOM now has 171 Member States. IOM provided water, sanitation and hygiene services to nearly 4.2 million people in need. In Yemen, water, sanitation and hygiene activities provided assistance to over 570,000 people.",
    ];
    let bodies: Vec<String> = texts
        .iter()
        .zip([2040, 2041])
        .map(|(t, y)| format!("Annual Report for {y}\n\n{}\n", wrap(t, 70)))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    metrics_project(
        dir.path(),
        &[
            ("annual_report_2040", &[2040], &bodies[0]),
            ("annual_report_2041", &[2041], &bodies[1]),
        ],
        "annual_report_*",
        EMPTY_CATALOGUE,
    );
    let (code, listing, err) = suggest_series(dir.path());
    assert_eq!(code, Some(1), "{err}");
    let found = series_in(&listing);
    let people = found
        .iter()
        .find(|s| s.iter().any(|(_, _, v)| v == "33"))
        .unwrap_or_else(|| panic!("3.3 million is in no series:\n{listing}"));
    let values: BTreeSet<&str> = people.iter().map(|(_, _, v)| v.as_str()).collect();
    assert_eq!(values, ["33", "42"].into(), "{listing}");
}

/// The five documents: every series the linker finds is catalogued or excluded, and the
/// leave-one-out share stays where it was measured (printed; the README quotes it).
#[test]
fn the_real_documents_leave_nothing_and_most_metrics_come_back() {
    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["suggest", "--series"])
        .current_dir(repo())
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert_eq!((out.status.code(), listing.as_ref()), (Some(0), ""));

    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["suggest", "--series", "--leave-one-out"])
        .current_dir(repo())
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    println!("{table}");
    let last = table.lines().last().unwrap_or_default();
    let share: f64 = last
        .split(['(', '%'])
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no share in {last}"));
    assert!(
        share >= 90.0,
        "leave-one-out share fell to {share}%:\n{table}"
    );
}
