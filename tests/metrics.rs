//! Metrics, relations and mentions on the real documents. Every expected value was read by
//! hand in raw/ (document and line given); altered copies check that failures are loud.

mod common;

use std::sync::OnceLock;

use common::{Scratch, read_csv, repo, stderr};
use iomtally::catalogue::{Catalogue, DocYears};
use iomtally::config::Config;
use iomtally::extract::figures::{self, Mention};
use iomtally::extract::metrics;
use iomtally::pipeline::ingest;
use iomtally::relations;
use iomtally::stated::Stated;
use iomtally::validate::{Finding, Severity, Status};

const DOCS: [&str; 5] = [
    "migration_initiatives_2016",
    "annual_report_2015",
    "annual_report_2016",
    "global_activities_2017",
    "programme_2020_crises",
];

struct Run {
    stated: Vec<Stated>,
    findings: Vec<Finding>,
}

fn run_on(config: &std::path::Path) -> Run {
    let config = Config::load(config).unwrap();
    let library = ingest(&config, &DOCS).unwrap();
    let ids: Vec<DocYears> = DOCS
        .iter()
        .map(|id| DocYears {
            id: id.to_string(),
            years: config.document(id).unwrap().years.clone(),
        })
        .collect();
    let catalogue =
        Catalogue::load(&config.base_dir.join("raw/reference/metrics.toml"), &ids).unwrap();
    let docs: Vec<_> = DOCS.iter().map(|id| library.get(id)).collect();
    let ex = metrics::extract("metrics", &catalogue, &docs).unwrap();
    let mut findings = ex.findings;
    findings.extend(relations::evaluate("metrics", &catalogue, &ex.stated));
    Run {
        stated: ex.stated,
        findings,
    }
}

fn real() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| run_on(&repo().join("pipeline.toml")))
}

/// (value, qualifier, raw, line) of a metric for a year from a document.
fn metric(key: &str, year: i32, doc: &str) -> (f64, Option<&'static str>, String, usize) {
    let s = real()
        .stated
        .iter()
        .find(|s| s.key == key && s.year == year && s.doc_id == doc)
        .unwrap_or_else(|| panic!("{key}@{year} from {doc}"));
    (
        s.value,
        s.quantity.qualifier.map(|q| q.as_str()),
        s.raw.clone(),
        s.line,
    )
}

fn finding(id_suffix: &str) -> &'static Finding {
    real()
        .findings
        .iter()
        .find(|f| f.check_id.ends_with(id_suffix))
        .unwrap_or_else(|| panic!("finding {id_suffix}"))
}

#[test]
fn every_pattern_matches_its_document() {
    let misses: Vec<&String> = real()
        .findings
        .iter()
        .filter(|f| f.kind == "pattern_match")
        .map(|f| &f.message)
        .collect();
    assert!(misses.is_empty(), "{misses:?}");
    assert_eq!(real().stated.len(), 212);
}

/// Series found with `suggest --series`, read by hand in the documents: each indicator's
/// figure in each edition, at its line.
#[test]
fn series_across_editions_read_their_figures() {
    let stated = |key: &str, year: i32| {
        real()
            .stated
            .iter()
            .find(|s| s.key == key && s.year == year)
            .map(|s| (s.doc_id.clone(), s.line, s.value))
    };
    let at = |doc: &str, line: usize, value: f64| Some((doc.to_string(), line, value));
    // "an estimated 7,000" (2015) and "over 8,500" (2016) victims given direct assistance.
    assert_eq!(
        stated("trafficking_victims_direct_assistance", 2015),
        at("annual_report_2015", 1547, 7000.0)
    );
    assert_eq!(
        stated("trafficking_victims_direct_assistance", 2016),
        at("annual_report_2016", 1193, 8500.0)
    );
    // "more than 60 different private sector entities" / "over 150 private sector partners".
    assert_eq!(
        stated("private_sector_partners", 2015),
        at("annual_report_2015", 1210, 60.0)
    );
    assert_eq!(
        stated("private_sector_partners", 2016),
        at("annual_report_2016", 968, 150.0)
    );
    // Twin paragraphs under "2016" and "2017": "That year 28 staff were involved in surge".
    assert_eq!(
        stated("hq_surge_staff", 2016),
        at("global_activities_2017", 121, 28.0)
    );
    assert_eq!(
        stated("hq_surge_staff", 2017),
        at("global_activities_2017", 137, 28.0)
    );
    assert_eq!(
        stated("hq_surge_days_per_deployment", 2017),
        at("global_activities_2017", 142, 42.0)
    );
    // A catalogued series continued into a year it lacked.
    assert_eq!(
        stated("crisis_beneficiaries", 2016),
        at("annual_report_2016", 1335, 26_000_000.0)
    );
    assert_eq!(
        stated("standby_partner_personnel_days", 2015),
        at("annual_report_2015", 1069, 7236.0)
    );
    assert_eq!(
        stated("ngo_consultations_ngos", 2016),
        at("annual_report_2016", 949, 46.0)
    );
}

/// Ranks in words are figures: Global Activities 2017, lines 583–585: "the fifth largest WASH
/// agency … from the twenty-third largest in 2008".
#[test]
fn a_rank_in_words_is_a_series() {
    let rank = |year: i32| {
        real()
            .stated
            .iter()
            .find(|s| s.key == "wash_agency_rank" && s.year == year)
            .map(|s| (s.value, s.line, s.unit.clone()))
    };
    assert_eq!(rank(2017), Some((5.0, 583, "rank".to_string())));
    assert_eq!(rank(2008), Some((23.0, 585, "rank".to_string())));
}

#[test]
fn values_read_by_hand_across_three_years() {
    // Plain values (key, year, document, value), read by hand from raw/.
    #[rustfmt::skip]
    let values: [(&str, i32, &str, f64); 20] = [
        ("offices_private_sector_engagement", 2015, "annual_report_2015", 49.0),
        ("avrr_male_share", 2015, "annual_report_2015", 76.0),
        ("stranded_migrants_assisted", 2015, "annual_report_2015", 524.0),
        ("orientation_beneficiaries", 2015, "annual_report_2015", 41_467.0),
        ("dtm_countries", 2015, "annual_report_2015", 22.0),
        ("offices_local_government_share", 2015, "annual_report_2015", 80.0),
        ("offices_local_government_share", 2016, "annual_report_2016", 68.0),
        ("cccm_training_countries", 2017, "global_activities_2017", 28.0),
        ("emergency_funding_mechanism_target", 2015, "annual_report_2015", 30_000_000.0),
        ("member_states", 2016, "annual_report_2016", 166.0),
        ("shelter_nfi_beneficiaries", 2016, "annual_report_2016", 4_650_000.0),
        ("standby_partner_personnel_days", 2016, "annual_report_2016", 4_388.0),
        ("hq_deployments", 2016, "global_activities_2017", 229.0),
        ("hq_deployments", 2017, "global_activities_2017", 258.0),
        ("hq_deployment_staff_days", 2017, "global_activities_2017", 2_184.0),
        ("wash_hygiene_promotion_change", 2017, "global_activities_2017", -27.0),
        ("wash_countries_change", 2017, "global_activities_2017", -2.0),
        ("hq_l3_staff_days_share", 2017, "global_activities_2017", 0.5),
        ("standby_partner_personnel_days", 2016, "global_activities_2017", 4_800.0),
        ("coordination_platforms", 2016, "global_activities_2017", 52.0),
    ];
    for (key, year, doc, value) in values {
        assert_eq!(metric(key, year, doc).0, value, "{key}@{year} from {doc}");
    }
    // 2015 (Annual Report for 2015), including numbers in words and qualifiers.
    assert_eq!(
        metric(
            "offices_supporting_international_standards",
            2015,
            "annual_report_2015"
        ),
        (91.0, None, "Ninety-one".into(), 380)
    );
    assert_eq!(
        metric("avrr_migrants_assisted", 2015, "annual_report_2015"),
        (
            69_500.0,
            Some("approximately"),
            "approximately 69,500".into(),
            2453
        )
    );
    assert_eq!(
        metric("crisis_beneficiaries", 2015, "annual_report_2015"),
        (
            22_700_000.0,
            Some("approximately"),
            "some 22.7 million".into(),
            1780
        )
    );
    // 2016 (Annual Report for 2016), with 2015 restated in it.
    assert_eq!(
        metric(
            "offices_supporting_international_standards",
            2016,
            "annual_report_2016"
        ),
        (103.0, None, "103".into(), 331)
    );
    assert_eq!(
        metric(
            "offices_supporting_international_standards",
            2015,
            "annual_report_2016"
        )
        .3,
        332
    );
    assert_eq!(
        metric("avrr_migrants_assisted", 2016, "annual_report_2016"),
        (98_000.0, Some("over"), "over 98,000".into(), 1601)
    );
    assert_eq!(
        metric("health_assessments", 2016, "annual_report_2016").1,
        Some("nearly")
    );
    assert_eq!(
        metric(
            "offices_private_sector_engagement",
            2016,
            "annual_report_2016"
        )
        .2,
        "Fifty-three"
    );
    // 2017 (Global activities in 2017), with 2016 in its comparisons.
    assert_eq!(
        metric("crisis_beneficiaries", 2017, "global_activities_2017"),
        (29_700_000.0, Some("over"), "over 29.7 million".into(), 2)
    );
    assert_eq!(
        metric("wash_hygiene_promotion", 2017, "global_activities_2017"),
        (1_500_000.0, None, "1,5 million".into(), 565)
    );
    // Page numbers come from the 2016 report's page markers.
    let page = real()
        .stated
        .iter()
        .find(|s| s.key == "avrr_migrants_assisted" && s.year == 2016)
        .unwrap()
        .page;
    assert_eq!(page, Some(33));
}

#[test]
fn the_2020_programme_yields_no_metric_and_no_finding() {
    assert!(
        real()
            .stated
            .iter()
            .all(|s| s.doc_id != "programme_2020_crises")
    );
    assert!(
        real()
            .findings
            .iter()
            .all(|f| f.doc_id != "programme_2020_crises")
    );
}

#[test]
fn each_relation_kind_on_the_real_documents() {
    let f = finding("shares_sum:avrr_sex_2016");
    assert_eq!(
        (f.status, f.stated, f.computed),
        (Status::Pass, Some(100.0), Some(100.0))
    );
    assert!(f.evidence.contains("68%") && f.evidence.contains("32%"));

    let f = finding("at_most:avrr_host_regions_2015");
    assert_eq!((f.status, f.computed), (Status::Pass, Some(94.0)));

    let f = finding("count_share:humanitarian_principles_2015");
    assert_eq!(f.status, Status::Pass);
    assert!((f.computed.unwrap() - 59.0 / 145.0 * 100.0).abs() < 1e-9);

    let f = finding("sum:wash_countries_change_2017");
    assert_eq!(
        (f.status, f.stated, f.computed),
        (Status::Pass, Some(28.0), Some(28.0))
    );

    let f = finding("percent_change:wash_safe_water_change_2017");
    assert_eq!(f.status, Status::Pass, "{}", f.message);
    // A contradiction: 41,467 (2015 report) to 71,325 is +72%, but the 2016 report says +42%.
    let f = finding("percent_change:orientation_change_2016");
    assert_eq!(
        (f.status, f.severity, f.stated),
        (Status::Fail, Severity::Warning, Some(42.0))
    );
    assert!((f.computed.unwrap() - 72.0).abs() < 0.01);
    assert!(
        f.evidence.contains("annual_report_2015:1416")
            && f.evidence.contains("annual_report_2016:1065")
    );

    let f = finding("ratio:hq_days_per_deployment_2016");
    assert_eq!(f.status, Status::Pass, "9 days ≈ 2,094 / 229");
    let f = finding("ratio:hq_days_per_staff_2016");
    assert_eq!(
        (f.status, f.severity),
        (Status::Fail, Severity::Warning),
        "53 printed, 2,094 / 39 = 53.7"
    );

    // The same figure in two documents: 4,388 vs 4,800 personnel days for 2016.
    let f = finding("agree:standby_partner_personnel_days:2016:global_activities_2017:215");
    assert_eq!(
        (f.status, f.severity, f.stated, f.computed),
        (
            Status::Fail,
            Severity::Warning,
            Some(4_388.0),
            Some(4_800.0)
        )
    );
    assert!(
        f.evidence.contains("4,388 days of personnel service")
            && f.evidence.contains("4,800 personnel days")
    );
    let f = finding("agree:offices_supporting_international_standards:2015:annual_report_2015:380");
    assert_eq!(f.status, Status::Pass, "91 and Ninety-one agree");
}

#[test]
fn a_figure_changed_in_the_text_breaks_its_relation() {
    // "68% male" → "70% male" (annual_report_2016 line 1601): male + female is no longer 100,
    // even allowing for rounding (69% + 32% still is: 68.5 + 31.5).
    let s = Scratch::new();
    s.edit_line("raw/annual_report_2016.txt", 1601, "(68% male", "(70% male");
    let run = run_on(&s.config());
    let f = run
        .findings
        .iter()
        .find(|f| f.check_id.ends_with("shares_sum:avrr_sex_2016"))
        .unwrap();
    assert_eq!(
        (f.status, f.severity, f.computed, f.line),
        (Status::Fail, Severity::Error, Some(102.0), Some(1601))
    );
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(1), "an error finding fails the run");
    assert!(
        stderr(&out).contains("FAIL metrics:annual_report_2016:shares_sum:avrr_sex_2016"),
        "{}",
        stderr(&out)
    );
}

/// One indicator catalogued twice under two keys (as counter-trafficking trainees once were)
/// is an error naming both, not two rows that look like two indicators.
#[test]
fn one_figure_read_by_two_metrics_is_an_error() {
    let s = Scratch::new();
    let mut catalogue = s.read("raw/reference/metrics.toml");
    catalogue.push_str(
        "\n[[metric]]\nkey = \"victims_assisted_again\"\nunit = \"persons\"\ndescription = \"The same figure again\"\nsources = [{ doc = \"annual_report_2016\", year = 2016, pattern = \"direct assistance to {value} victims of human\" }]\n",
    );
    s.write("raw/reference/metrics.toml", &catalogue);
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(
            "metrics 'trafficking_victims_direct_assistance' and 'victims_assisted_again'"
        ) && err.contains("at line 1193"),
        "{err}"
    );
}

#[test]
fn a_pattern_that_no_longer_matches_fails_loudly() {
    let s = Scratch::new();
    s.edit_line(
        "raw/annual_report_2016.txt",
        331,
        "103 IOM offices supported",
        "103 IOM offices helped",
    );
    let catalogue = s.read("raw/reference/metrics.toml");
    let line = catalogue
        .lines()
        .position(|l| l.contains("In 2016, {value} IOM offices supported their host governments"))
        .unwrap()
        + 1;
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("FAIL metrics:annual_report_2016:pattern_match:offices_supporting_international_standards:2016"),
        "{err}"
    );
    assert!(
        err.contains(&format!("metrics.toml:{line}")) && err.contains("matches nothing"),
        "{err}"
    );
    // The metric is absent for that year, not null: its other years are still there.
    let (header, rows) = read_csv(&s.output().join("metrics.csv"));
    let key = header.iter().position(|h| h == "metric_key").unwrap();
    let year = header.iter().position(|h| h == "year").unwrap();
    let rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[key] == "offices_supporting_international_standards")
        .collect();
    assert_eq!(
        rows.iter().map(|r| r[year].as_str()).collect::<Vec<_>>(),
        ["2015", "2015"]
    );

    // A phrase that occurs twice needs `occurrence`.
    let s = Scratch::new();
    let catalogue = s.read("raw/reference/metrics.toml");
    s.write(
        "raw/reference/metrics.toml",
        &catalogue.replacen("pattern = \"now has {value} Member States, and its global presence\", occurrence = 1 }", "pattern = \"now has {value} Member States, and its global presence\" }", 1),
    );
    s.expect(&["check"], 1, &["matches 2 times; set occurrence"]);
}

#[test]
fn broken_catalogue_is_a_configuration_error_with_its_line() {
    let s = Scratch::new();
    let catalogue = s.read("raw/reference/metrics.toml");
    let broken = catalogue.replacen("unit = \"offices\"", "units = \"offices\"", 1);
    let line = broken
        .lines()
        .position(|l| l.starts_with("units = "))
        .unwrap()
        + 1;
    s.write("raw/reference/metrics.toml", &broken);
    s.expect(&["check"], 2, &[&format!("metrics.toml:{line}:")]);

    let s = Scratch::new();
    s.write(
        "raw/reference/metrics.toml",
        &catalogue.replacen(
            "parts = [\"orientation_refugee_share@2016\"",
            "parts = [\"orientation_refugee_share@2019\"",
            1,
        ),
    );
    s.expect(
        &["check"],
        2,
        &["no metric source states orientation_refugee_share@2019"],
    );
}

#[test]
fn metrics_wide_has_a_column_per_year() {
    let s = Scratch::new();
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    let (header, rows) = read_csv(&s.output().join("metrics_wide.csv"));
    assert_eq!(
        header,
        [
            "metric_key",
            "unit",
            "description",
            "headline",
            "value_2008",
            "value_2014",
            "value_2015",
            "value_2016",
            "value_2017"
        ]
    );
    let avrr = rows
        .iter()
        .find(|r| r[0] == "avrr_migrants_assisted")
        .unwrap();
    assert_eq!(avrr[3..], ["true", "", "", "69500", "98000", ""]);
    let shelter = rows
        .iter()
        .find(|r| r[0] == "shelter_nfi_beneficiaries")
        .unwrap();
    assert_eq!(shelter[6..], ["5200000", "4650000", "5200000"]);
    // Migration Initiatives 2016 states the 2014 orientation figures ("In 2014, IOM hosted
    // migrant training programmes for more than 38,000 migrants"), the reports 2015 and 2016.
    let orientation = rows
        .iter()
        .find(|r| r[0] == "orientation_beneficiaries")
        .unwrap();
    assert_eq!(orientation[5..], ["38000", "41467", "71325", ""]);
}

fn mentions_of(doc: &str) -> Vec<Mention> {
    let config = Config::load(&repo().join("pipeline.toml")).unwrap();
    let library = ingest(&config, &[doc]).unwrap();
    figures::scan(library.get(doc))
}

#[test]
fn mentions_keep_figures_and_leave_out_what_is_not_a_figure() {
    let ar16 = mentions_of("annual_report_2016");
    let on = |line: usize| -> Vec<String> {
        ar16.iter()
            .filter(|m| m.line == line)
            .map(|m| m.raw.to_string())
            .collect()
    };
    // Line 1601: a year standing alone is not a figure; the qualifier is kept.
    assert_eq!(on(1601), ["over 98,000", "68%", "32%"]);
    let m = ar16.iter().find(|m| m.line == 1601).unwrap();
    assert_eq!(
        (
            m.quantity.qualifier.map(|q| q.as_str()),
            m.unit,
            m.year,
            m.page
        ),
        (Some("over"), Some("persons"), Some(2016), Some(33))
    );
    assert!(
        m.context
            .starts_with("In 2016, IOM assisted over 98,000 migrants")
    );
    // A number word split over a line break (1237: "Thirty-" / 1238: "nine offices").
    assert!(on(1237).contains(&"Thirty- nine".to_string()));
    // Paragraph number "14." on line 292 is left out; the figure after it is kept.
    assert_eq!(on(292), ["70"]);
    // SDG indicator id (273: "indicator 10.7.2"), dates (108: "19 September"), codes and page markers.
    assert!(on(273).is_empty(), "{:?}", on(273));
    assert!(on(108).is_empty(), "{:?}", on(108));
    assert!(on(1).is_empty() && on(17).is_empty() && on(1632).is_empty());
    // Year ranges (1412: "strategy (2017–2021)").
    assert!(on(1412).is_empty());
    // A list of SDG targets names them all (282–283: "targets 5.2, 8.7 and / 16.2").
    assert!(
        on(282).is_empty() && on(283).is_empty(),
        "{:?} {:?}",
        on(282),
        on(283)
    );
    // A Security Council resolution and a conference are named, not counted: "Kosovo/UNSC
    // 1244" (Annual Report 2015, 1358), "COP 21" (817), while "over 30" (400) is a figure.
    let ar15 = mentions_of("annual_report_2015");
    let on15 = |line: usize| -> Vec<String> {
        ar15.iter()
            .filter(|m| m.line == line)
            .map(|m| m.raw.to_string())
            .collect()
    };
    assert!(on15(1358).is_empty(), "{:?}", on15(1358));
    assert!(!on15(817).contains(&"21".to_string()), "{:?}", on15(817));
    assert_eq!(on15(400), ["over 30"]);

    let programme = mentions_of("programme_2020_crises");
    assert!(
        !programme.is_empty() && programme.len() < 10,
        "{}",
        programme.len()
    );
    assert!(programme.iter().any(|m| m.raw == "More than 4.8 million"));
}

#[test]
fn a_phrase_written_once_reads_every_annual_report() {
    // `{ doc = "annual_report_*", year = "{year}", pattern = "stranded individuals of {value}
    // different nationalities" }`: 43 in the report for 2015 (line 2542), 50 in the report for
    // 2016 (line 1681).
    assert_eq!(
        metric(
            "stranded_migrants_nationalities",
            2015,
            "annual_report_2015"
        ),
        (43.0, None, "43".to_string(), 2542)
    );
    assert_eq!(
        metric(
            "stranded_migrants_nationalities",
            2016,
            "annual_report_2016"
        ),
        (50.0, None, "50".to_string(), 1681)
    );
    // One relation written for every year both AVRR shares are stated.
    for year in [2015, 2016] {
        let f = finding(&format!("shares_sum:avrr_sex_{year}"));
        assert_eq!(f.status, Status::Pass);
        assert_eq!(
            f.subject,
            format!("AVRR beneficiaries {year}: male + female = 100%")
        );
    }
}
