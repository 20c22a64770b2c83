//! The real binary on real files: outputs, exit codes, atomicity, determinism, bad input.

mod common;

use std::fs;

use common::{Scratch, read_csv, snapshot, stderr};

#[test]
fn run_writes_datasets_and_manifest() {
    let s = Scratch::new();
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("funding_requirements"), "{err}");
    assert!(err.contains("1092 rows"), "{err}");
    assert!(err.contains("(0 errors,"), "{err}");

    let (header, rows) = read_csv(&s.output().join("funding_requirements.csv"));
    #[rustfmt::skip]
    assert_eq!(
        header,
        [
            "region", "region_code", "country", "country_iso3", "country_m49", "country_name", "category",
            "category_code", "amount_usd", "cell_status", "doc_id", "line", "page"
        ]
    );
    assert_eq!(rows.len(), 1092);
    let angola = &rows[0];
    #[rustfmt::skip]
    assert_eq!(
        angola[..10],
        [
            "Southern Africa", "southern_africa", "Angola", "AGO", "024", "Angola",
            "Emergency, operations and post-crisis", "emergency_post_crisis", "4400000", "value"
        ]
    );
    assert_eq!(angola[11], "433");
    assert_eq!(angola[12], "", "no page markers in this document");

    let (header, totals) = read_csv(&s.output().join("funding_requirements_totals.csv"));
    #[rustfmt::skip]
    assert_eq!(
        header,
        [
            "region", "region_code", "country", "country_iso3", "country_m49", "country_name", "category",
            "category_code", "stated_usd", "cell_status", "doc_id", "line"
        ]
    );
    assert_eq!(totals.len(), 156 + 9 * 8);
    let sa_grand = totals
        .iter()
        .find(|r| r[0] == "Southern Africa" && r[2] == "Total" && r[6] == "Total")
        .unwrap();
    assert_eq!(
        (sa_grand[8].as_str(), sa_grand[11].as_str()),
        ("99735000", "459")
    );

    let (header, checks) = read_csv(&s.output().join("validation_results.csv"));
    assert_eq!(
        header,
        [
            "check_id",
            "dataset",
            "kind",
            "subject",
            "stated",
            "computed",
            "difference",
            "tolerance",
            "status",
            "severity",
            "doc_id",
            "line",
            "evidence",
            "message"
        ]
    );
    assert!(
        checks
            .iter()
            .filter(|r| r[2] == "row_total")
            .all(|r| r[8] == "pass")
    );

    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(s.output().join("manifest.json")).unwrap())
            .unwrap();
    assert_eq!(manifest["iomtally_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(manifest["config"]["sha256"].as_str().unwrap().len(), 64);
    let references: Vec<&str> = manifest["references"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        references,
        ["raw/reference/countries.csv", "raw/reference/metrics.toml"]
    );
    let input = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "migration_initiatives_2016")
        .unwrap();
    assert_eq!(input["path"], "raw/migration_initiatives_2016.txt");
    assert_eq!(input["sha256"].as_str().unwrap().len(), 64);
    let funding = manifest["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "funding_requirements")
        .unwrap();
    assert_eq!(funding["rows"], 1092);
    assert_eq!(funding["files"].as_array().unwrap().len(), 2);
    assert_eq!(manifest["checks"]["fail_error"], 0);
    assert!(manifest["checks"]["pass"].as_u64().unwrap() >= 246);
    // No staging folder is left behind, in the set or beside it (only the lock file stays).
    let hidden: Vec<String> = fs::read_dir(s.dir.path())
        .unwrap()
        .chain(fs::read_dir(s.output()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(hidden, [".output.lock"]);
}

#[test]
fn same_inputs_give_byte_identical_files() {
    let s = Scratch::new();
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    let first = snapshot(&s.output());
    assert_eq!(s.run(&["run", "--output", "again"]).status.code(), Some(0));
    let second = snapshot(&s.path("again"));
    assert_eq!(first.len(), second.len());
    // run.json and report.html record when the run happened; every data file, the manifest
    // and the data package are byte-identical.
    let data = |set: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        set.into_iter()
            .filter(|(n, _)| n != "run.json" && n != "report.html")
            .collect()
    };
    let (first, second) = (data(first), data(second));
    assert!(first.len() >= 15);
    for ((n1, b1), (n2, b2)) in first.iter().zip(&second) {
        assert_eq!(n1, n2);
        assert!(b1 == b2, "{n1} differs between runs");
    }
}

#[test]
fn one_thread_or_many_give_byte_identical_files() {
    let s = Scratch::new();
    s.expect(&["run", "--threads", "1", "--output", "one"], 0, &[]);
    s.expect(&["run", "--threads", "4", "--output", "four"], 0, &[]);
    let data = |dir: &str| -> Vec<(String, Vec<u8>)> {
        snapshot(&s.path(dir))
            .into_iter()
            .filter(|(n, _)| n != "run.json" && n != "report.html")
            .collect()
    };
    let (one, four) = (data("one"), data("four"));
    assert!(one.len() >= 15);
    assert!(one == four, "outputs differ between 1 and 4 threads");
    s.expect(
        &["run", "--threads", "0"],
        2,
        &["--threads takes a number of threads from 1"],
    );
}

#[test]
fn check_writes_nothing() {
    let s = Scratch::new();
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!s.output().exists());
    assert!(stderr(&out).contains("nothing written"));
}

#[test]
fn failed_checks_exit_1_and_still_write_findings() {
    let s = Scratch::new();
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        540,
        "  750,000 ",
        "  760,000 ",
    );
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("FAIL funding_requirements:migration_initiatives_2016:row_total:east_and_horn_of_africa:kenya (migration_initiatives_2016:540)"), "{err}");
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    let failed: Vec<&Vec<String>> = checks
        .iter()
        .filter(|r| r[1] == "funding_requirements" && r[8] == "fail")
        .collect();
    assert_eq!(failed.len(), 3);
    assert!(failed.iter().all(|r| r[9] == "error"));
    assert_eq!(failed[0][4..7], ["9400000", "9410000", "10000"]);
}

/// Runs once cleanly, breaks something, runs again: the second run fails with `code` and a
/// message containing `needle`, and the first run's outputs are byte-for-byte unchanged.
fn fails_leaving_outputs(s: &Scratch, args: &[&str], code: i32, needle: &str) {
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    let before = snapshot(&s.output());
    assert!(!before.is_empty());
    let out = s.run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(code), "{err}");
    assert!(err.contains(needle), "expected '{needle}' in: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(snapshot(&s.output()), before, "earlier outputs changed");
}

#[test]
fn missing_document() {
    let s = Scratch::new();
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    fs::remove_file(s.path("raw/migration_initiatives_2016.txt")).unwrap();
    fs::write(s.path("marker"), "").unwrap();
    let before = snapshot(&s.output());
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(3));
    let err = stderr(&out);
    assert!(err.contains("raw/migration_initiatives_2016.txt"), "{err}");
    assert!(
        err.contains("pipeline.toml:"),
        "names where it is declared: {err}"
    );
    assert_eq!(snapshot(&s.output()), before);
}

#[test]
fn broken_pipeline_toml_names_its_line() {
    let s = Scratch::new();
    let text = s.read("pipeline.toml");
    let broken = text.replacen("usd_tolerance = 0", "usd_tolerance = = 0", 1);
    let line = broken.lines().position(|l| l.contains("= = 0")).unwrap() + 1;
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    let before = snapshot(&s.output());
    s.write("pipeline.toml", &broken);
    s.expect(&["run"], 2, &[&format!("pipeline.toml:{line}:")]);
    assert_eq!(snapshot(&s.output()), before);
}

#[test]
fn unknown_key_and_wrong_type_in_pipeline_toml() {
    let s = Scratch::new();
    let text = s.read("pipeline.toml");
    let unknown = text.replacen("formats = ", "formts = ", 1);
    let line = unknown
        .lines()
        .position(|l| l.starts_with("formts"))
        .unwrap()
        + 1;
    s.write("pipeline.toml", &unknown);
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("pipeline.toml:{line}:")) && err.contains("formts"),
        "{err}"
    );

    let wrong = text.replacen("usd_tolerance = 0", "usd_tolerance = \"none\"", 1);
    let line = wrong
        .lines()
        .position(|l| l.starts_with("usd_tolerance"))
        .unwrap()
        + 1;
    s.write("pipeline.toml", &wrong);
    s.expect(&["check"], 2, &[&format!("pipeline.toml:{line}:")]);

    let undeclared = text.replacen(
        "documents = [\"migration_initiatives_*\"]",
        "documents = [\"nope\"]",
        1,
    );
    s.write("pipeline.toml", &undeclared);
    let out = s.run(&["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("'nope'"), "{}", stderr(&out));
}

#[test]
fn missing_config_is_a_usage_error() {
    let s = Scratch::new();
    let out = s.run(&["run", "--config", "nope.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("nope.toml"));
}

/// The funding extraction finding of the Migration Initiatives document: (line, evidence).
fn funding_failure(s: &Scratch) -> (String, String) {
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    let r = checks
        .iter()
        .find(|r| r[0] == "funding_requirements:migration_initiatives_2016:extraction")
        .expect("an extraction finding");
    assert_eq!((r[8].as_str(), r[9].as_str()), ("fail", "error"));
    (r[11].clone(), r[12].clone())
}

#[test]
fn table_cut_before_its_total_row_is_an_error_finding_for_that_document() {
    // Southern Africa's Total row (line 459) removed: its rows run into the next table's title.
    let s = Scratch::new();
    let text = s.read("raw/migration_initiatives_2016.txt");
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert!(lines[458].starts_with("Total 28,580,000"));
    lines.remove(458);
    let cut = lines.join("\n");
    s.write("raw/migration_initiatives_2016.txt", &cut);
    // The document's funding rows are absent; every other dataset is still written; exit 1.
    s.expect(
        &["run"],
        1,
        &["FAIL funding_requirements:migration_initiatives_2016:extraction"],
    );
    let (line, evidence) = funding_failure(&s);
    assert_eq!(line, "462");
    assert!(
        evidence.contains("migration_initiatives_2016.txt:462"),
        "{evidence}"
    );
    assert!(
        evidence.contains("'Southern Africa' has no Total row"),
        "{evidence}"
    );
    let (_, funding) = read_csv(&s.output().join("funding_requirements.csv"));
    assert!(funding.is_empty());
    let (_, avrr) = read_csv(&s.output().join("avrr_top_countries.csv"));
    assert_eq!(avrr.len(), 40);

    // The document truncated in the middle of the last table.
    let truncated: String = text.split('\n').take(850).collect::<Vec<_>>().join("\n");
    s.write("raw/migration_initiatives_2016.txt", &truncated);
    s.expect(&["run"], 1, &[]);
    let (_, evidence) = funding_failure(&s);
    assert!(
        evidence.contains("'South-Eastern Europe, Eastern Europe and Central Asia' has no Total row before the section ends"),
        "{evidence}"
    );
}

#[test]
fn empty_and_binary_documents() {
    let s = Scratch::new();
    s.write("raw/migration_initiatives_2016.txt", "  \n");
    fails_leaving_outputs_after(&s, "is empty");
    let s = Scratch::new();
    fs::write(
        s.path("raw/migration_initiatives_2016.txt"),
        b"PK\x03\x04\x00\x00binary",
    )
    .unwrap();
    fails_leaving_outputs_after(&s, "binary");
}

fn fails_leaving_outputs_after(s: &Scratch, needle: &str) {
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(needle), "{}", stderr(&out));
    assert!(stderr(&out).contains("migration_initiatives_2016.txt"));
    assert!(!s.output().exists(), "nothing written");
}

#[test]
fn unknown_dataset_name() {
    let s = Scratch::new();
    fails_leaving_outputs(&s, &["run", "--only", "nope"], 2, "unknown dataset 'nope'");
}

#[test]
fn only_runs_the_named_dataset() {
    let s = Scratch::new();
    let out = s.run(&["run", "--only", "funding_requirements"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(s.output().join("funding_requirements.parquet").exists());
    assert!(s.output().join("validation_results.csv").exists());
}

/// The case: West and Central Africa's table (title lost, rows from "Benin" on line 555
/// to its Total row on line 580) printed twice by the extraction. Before, the copy took the lost
/// title's region, the tables after it took the wrong regions and the last table was never read,
/// with exit 0. Now the copy is refused at its first line, which repeats line 555's figures.
#[test]
fn a_table_printed_twice_is_an_error_naming_its_lines() {
    let s = Scratch::new();
    let text = s.read("raw/migration_initiatives_2016.txt");
    let mut lines: Vec<&str> = text.split('\n').collect();
    assert!(
        lines[554].trim_start().starts_with("Benin") && lines[579].starts_with("Total 123,826,000")
    );
    let copy: Vec<&str> = lines[554..580].to_vec();
    lines.splice(580..580, copy);
    s.write("raw/migration_initiatives_2016.txt", &lines.join("\n"));
    s.expect(&["run"], 1, &[]);
    let (_, evidence) = funding_failure(&s);
    // The copy's first row repeats line 555 to the figure: refused at the copy's first line.
    assert!(
        evidence.contains("migration_initiatives_2016.txt:581")
            && evidence.contains("line 581 prints the same figures as line 555"),
        "{evidence}"
    );
    let (_, funding) = read_csv(&s.output().join("funding_requirements.csv"));
    assert!(funding.is_empty());
}

/// The same document as a paginated PDF's text: a page marker, a running head and the printed
/// page number every 40 lines (through tables, wrapped names and split values), and the first
/// table's column headings printed again after the break that falls in its rows. Every funding
/// row, value and check comes out as from the unpaginated text.
#[test]
fn the_funding_tables_read_the_same_through_page_furniture() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let columns = [
        "region_code",
        "country_name",
        "category_code",
        "amount_usd",
        "cell_status",
    ];
    let before = rows_without_lines(&s, &columns);
    let text = s.read("raw/migration_initiatives_2016.txt");
    let lines: Vec<&str> = text.split('\n').collect();
    // The first table's column headings: from "Emergency, " (line 397) to its lone "Total".
    let headings_end = (380..460).find(|&i| lines[i].trim() == "Total").unwrap();
    let start = (380..headings_end)
        .find(|&i| lines[i] == "Emergency, ")
        .unwrap();
    let headings: Vec<&str> = lines[start..=headings_end].to_vec();
    let mut paged: Vec<String> = Vec::new();
    let mut page = 1;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && i % 40 == 0 {
            paged.push(format!(
                "-----------------------Page {page} End-----------------------"
            ));
            paged.push(String::new());
            paged.push("MIGRATION INITIATIVES 2016".into());
            paged.push(format!("{}", page + 100));
            page += 1;
            if (headings_end + 1..459).contains(&i) {
                paged.extend(headings.iter().map(|h| h.to_string()));
            }
        }
        paged.push(line.to_string());
    }
    s.write("raw/migration_initiatives_2016.txt", &paged.join("\n"));
    s.expect(&["run"], 0, &[]);
    assert_eq!(rows_without_lines(&s, &columns), before);
}

/// Selected columns of funding_requirements.csv (the line columns move with the furniture).
fn rows_without_lines(s: &Scratch, columns: &[&str]) -> Vec<Vec<String>> {
    let (header, rows) = read_csv(&s.output().join("funding_requirements.csv"));
    let at: Vec<usize> = columns
        .iter()
        .map(|c| {
            header
                .iter()
                .position(|h| h == c)
                .unwrap_or_else(|| panic!("{c}"))
        })
        .collect();
    assert!(!rows.is_empty());
    rows.iter()
        .map(|r| at.iter().map(|&i| r[i].clone()).collect())
        .collect()
}

/// A run that fails more checks than a log can be read for lists the first of them, says how
/// many more there are and where, and still counts them all.
#[test]
fn many_failed_checks_are_counted_and_only_the_first_listed() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        common::repo().join("raw/reference/countries.csv"),
        dir.path().join("countries.csv"),
    )
    .unwrap();
    // Each sentence states a share its own figures do not give: 12 of 100 is not 50%.
    let text: String = (0..60)
        .map(|i| {
            format!(
                "In region {i}, {} (50%) of 100 offices reported.\n\n",
                12 + i % 7
            )
        })
        .collect();
    fs::write(dir.path().join("doc.txt"), text).unwrap();
    fs::write(
        dir.path().join("pipeline.toml"),
        "[output]\ndir = \"out\"\nformats = [\"csv\"]\n[countries]\ntable = \"countries.csv\"\n\
         [[documents]]\nid = \"doc\"\npath = \"doc.txt\"\ntitle = \"Doc\"\npublisher = \"IOM\"\nyears = [2016]\n\
         [datasets.claims.claims]\ndocuments = [\"doc\"]\n",
    )
    .unwrap();
    let (code, _, err) = common::run_in(dir.path(), &["run"]);
    assert_eq!(code, Some(0), "{err}");
    let listed = err.lines().filter(|l| l.starts_with("WARN ")).count();
    assert_eq!(listed, iomtally::pipeline::FAILED_LISTED, "{err}");
    assert!(err.contains("… and 10 more failed checks"), "{err}");
    assert!(
        err.contains("60 failed (0 errors, 60 warnings, 0 info)"),
        "{err}"
    );
    let (_, rows) = common::read_csv(&dir.path().join("out/validation_results.csv"));
    assert_eq!(
        rows.iter()
            .filter(|r| r.contains(&"fail".to_string()))
            .count(),
        60
    );
}
