//! The typed plan: datasets are instances named by their key (two may share an extractor),
//! document selectors (ids and globs), and what the configuration or the writer refuses.

mod common;

use common::{Scratch, read_csv, snapshot};

#[test]
fn two_datasets_may_use_the_same_extractor() {
    let s = Scratch::new();
    let config = s.read("pipeline.toml");
    // A second funding dataset over the same document, with its own name.
    let start = config
        .find("[datasets.funding_requirements.funding]")
        .unwrap();
    let end = config.find("# Every figure printed").unwrap();
    let second = config[start..end].replace(
        "[datasets.funding_requirements.funding]",
        "[datasets.funding_requirements_2018_revision.funding]",
    );
    s.write("pipeline.toml", &format!("{config}\n{second}"));
    s.expect(
        &["run"],
        0,
        &["funding_requirements_2018_revision", "1092 rows"],
    );
    let (_, a) = read_csv(&s.output().join("funding_requirements.csv"));
    let (_, b) = read_csv(&s.output().join("funding_requirements_2018_revision.csv"));
    assert_eq!(a, b);
    let (_, totals) = read_csv(
        &s.output()
            .join("funding_requirements_2018_revision_totals.csv"),
    );
    assert_eq!(totals.len(), 228);
    // Each dataset's checks carry its own name and the document: no id is repeated.
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    let revision = checks
        .iter()
        .filter(|r| r[1] == "funding_requirements_2018_revision")
        .count();
    assert_eq!(revision, 246 + 3);
    let mut ids: Vec<&String> = checks.iter().map(|r| &r[0]).collect();
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n);
    assert!(checks.iter().any(|r| r[0]
        == "funding_requirements_2018_revision:migration_initiatives_2016:row_total:southern_africa:angola"));
    let manifest = s.read("output/manifest.json");
    assert!(manifest.contains("\"name\": \"funding_requirements_2018_revision_totals\""));
}

#[test]
fn a_repeated_primary_key_is_refused_before_anything_is_written() {
    // Two catalogue sources reading the same printed figure give two metrics rows with the
    // same (metric_key, year, doc_id, line).
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let before = snapshot(&s.output());
    let catalogue = s.read("raw/reference/metrics.toml");
    let source = r#"{ doc = "annual_report_2016", year = 2016, pattern = "In 2016, {value} IOM offices supported their host governments" },"#;
    assert_eq!(catalogue.matches(source).count(), 1);
    s.write(
        "raw/reference/metrics.toml",
        &catalogue.replacen(source, &format!("{source}\n  {source}"), 1),
    );
    s.expect(
        &["run"],
        3,
        &[
            "dataset 'metrics' has two rows with the primary key (metric_key, year, doc_id, line)",
            "offices_supporting_international_standards, 2016, annual_report_2016, 331",
            "nothing was written",
        ],
    );
    assert_eq!(snapshot(&s.output()), before);
}

#[test]
fn document_selectors_are_ids_or_globs_and_must_select() {
    let s = Scratch::new();
    let config = s.read("pipeline.toml");
    // A glob over declared paths selects the same document as the glob over ids.
    let by_path = config.replacen(
        "documents = [\"migration_initiatives_*\"]",
        "documents = [\"raw/migration_initiatives_*.txt\"]",
        1,
    );
    s.write("pipeline.toml", &by_path);
    s.expect(&["check"], 0, &["funding_requirements", "1092 rows"]);

    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let nothing = config.replacen(
        "documents = [\"migration_initiatives_*\"]",
        "documents = [\"migration_initiative_*\"]",
        1,
    );
    let line = line_of(&nothing, "migration_initiative_*");
    s.write("pipeline.toml", &nothing);
    s.expect(
        &["check"],
        2,
        &[
            &format!("pipeline.toml:{line}:"),
            "'migration_initiative_*' names no document declared in [[documents]]",
        ],
    );

    let twice = config.replacen(
        "documents = [\"migration_initiatives_*\"]",
        "documents = [\"migration_initiatives_*\", \"migration_initiatives_2016\"]",
        1,
    );
    s.write("pipeline.toml", &twice);
    s.expect(
        &["check"],
        2,
        &["document 'migration_initiatives_2016' is selected twice (again by 'migration_initiatives_2016')"],
    );
}

#[test]
fn the_configuration_says_what_it_means() {
    let s = Scratch::new();
    let config = s.read("pipeline.toml");
    let line_of =
        |text: &str, needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;

    // An extractor that does not exist is named, with its line.
    let unknown = config.replacen(
        "[datasets.mentions.mentions]",
        "[datasets.mentions.mentionz]",
        1,
    );
    s.write("pipeline.toml", &unknown);
    s.expect(
        &["check"],
        2,
        &[
            &format!("pipeline.toml:{}:", line_of(&unknown, "mentionz")),
            "unknown variant `mentionz`",
        ],
    );

    // An option of another extractor is an unknown key for this one.
    let stray = config.replacen(
        "section_anchor = \"OVERVIEW OF FUNDING\"",
        "section_anchor = \"OVERVIEW OF FUNDING\"\nheading = \"x\"",
        1,
    );
    s.write("pipeline.toml", &stray);
    s.expect(&["check"], 2, &["unknown field `heading`"]);

    // The old per-dataset title flag: titles are read from the text now.
    let flag = config.replacen(
        "name = \"West and Central Africa\" }",
        "name = \"West and Central Africa\", title_in_text = false }",
        1,
    );
    s.write("pipeline.toml", &flag);
    s.expect(&["check"], 2, &["unknown field `title_in_text`"]);

    // A dataset that needs figures from a dataset that does not make them.
    let needs = config.replacen(
        "metrics_dataset = \"metrics\"",
        "metrics_dataset = \"mentions\"",
        1,
    );
    s.write("pipeline.toml", &needs);
    s.expect(
        &["check"],
        2,
        &["metrics_dataset 'mentions' is not a dataset with extractor 'metrics'"],
    );

    // A document override naming a region the funding dataset does not declare.
    let overridden = config.replacen(
        "years = [2016]\n",
        "years = [2016]\noverrides = { funding_region_order = [\"atlantis\"] }\n",
        1,
    );
    s.write("pipeline.toml", &overridden);
    s.expect(
        &["check"],
        2,
        &["funding_region_order names 'atlantis', which is not a region code of dataset 'funding_requirements'"],
    );
}

#[test]
fn only_runs_what_the_named_dataset_needs() {
    // AVRR checks read the metrics' figures: --only avrr runs metrics too, but writes only AVRR.
    let s = Scratch::new();
    s.expect(
        &["run", "--only", "avrr_top_countries"],
        0,
        &["avrr_top_countries", "40 rows"],
    );
    assert!(s.output().join("avrr_top_countries.csv").exists());
    assert!(!s.output().join("metrics.csv").exists());
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    assert!(checks.iter().all(|r| r[1] == "avrr_top_countries"));
    let top = checks
        .iter()
        .find(|r| r[0] == "avrr_top_countries:annual_report_2016:top_n_total:host:2016")
        .unwrap();
    assert_eq!((top[4].as_str(), top[8].as_str()), ("98000", "pass"));
}
