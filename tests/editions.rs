//! Editions: generated funding and AVRR tables (random countries, values, dashes, short rows,
//! wrapping, value placement, lost titles, chart labels, years, column offsets) rendered in the
//! documents' layout must come back exactly, or be refused precisely where the generator made
//! the layout truly ambiguous. `PROPTEST_CASES` sets the number of cases (default 1000).

mod common;
mod generate;

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;

use common::repo;
use generate::{Rng, avrr as gen_avrr, funding as gen_funding};
use iomtally::config::{Config, DatasetConfig};
use iomtally::countries::CountryTable;
use iomtally::document::Document;
use iomtally::extract::{avrr, funding};
use iomtally::validate::Status;

static NAMES: LazyLock<Vec<String>> = LazyLock::new(|| generate::country_names(&repo()));
static COUNTRIES: LazyLock<CountryTable> = LazyLock::new(|| {
    CountryTable::load(
        &repo().join("raw/reference/countries.csv"),
        &["Regional programmes".to_string()],
    )
    .unwrap()
});

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn coded(items: &[(String, String)]) -> String {
    let rows: Vec<String> = items
        .iter()
        .map(|(c, n)| format!("{{ code = \"{c}\", name = \"{n}\" }}"))
        .collect();
    format!("[{}]", rows.join(", "))
}

/// A one-document configuration with the given dataset table.
fn config(dataset: &str) -> Config {
    let text = format!(
        r#"
[output]
dir = "out"
formats = ["csv"]

[countries]
table = "countries.csv"
not_countries = ["Regional programmes"]

[[documents]]
id = "generated"
path = "generated.txt"
title = "Generated edition"
publisher = "test"
years = [2017]

{dataset}

[datasets.metrics.metrics]
documents = ["generated"]
catalogue = "metrics.toml"
"#
    );
    Config::parse(Path::new("generated.toml"), text).unwrap()
}

/// A generated edition as the document `generated`.
fn generated(text: &str) -> Document {
    Document::from_bytes(
        "generated",
        Path::new("generated.txt"),
        text.as_bytes(),
        &[],
    )
    .unwrap()
}

fn funding_config(ed: &gen_funding::Edition) -> funding::Extraction {
    try_funding(ed).unwrap_or_else(|e| panic!("{e}\n{}", ed.text))
}

fn try_funding(ed: &gen_funding::Edition) -> Result<funding::Extraction, iomtally::Error> {
    let config = config(&format!(
        "[datasets.funding.funding]\ndocuments = [\"generated\"]\nsection_anchor = \"{}\"\ncategories = {}\nregions = {}\n",
        gen_funding::ANCHOR,
        coded(&ed.categories),
        coded(&ed.regions)
    ));
    let DatasetConfig::Funding(cfg) = config.raw.datasets["funding"].get_ref() else {
        unreachable!()
    };
    let doc = generated(&ed.text);
    funding::extract(&doc, "funding", cfg, &cfg.regions, 0)
}

/// "generated.txt:81: …": an error that names a line of the document.
fn names_a_line(message: &str) -> bool {
    message
        .strip_prefix("generated.txt:")
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
}

/// Rows as (region, [(name, total)]): what a reading of the section gives.
type Reading = Vec<(String, Vec<(String, Option<i64>)>)>;

/// A corrupted section is read exactly as the edition printed it, or refused with an error
/// naming a line of the document: never different rows.
fn check_corrupted(ed: &gen_funding::Edition, rng: &mut Rng) {
    let (kind, text) = gen_funding::corrupt(rng, ed);
    let damaged = gen_funding::Edition { text, ..ed.clone() };
    match try_funding(&damaged) {
        Err(e) => {
            let message = e.to_string();
            assert!(
                names_a_line(&message),
                "{kind:?}: the error names no line: {message}"
            );
        }
        Ok(ex) => {
            let got: Reading = ex
                .tables
                .iter()
                .map(|t| {
                    (
                        t.region.code.clone(),
                        t.rows
                            .iter()
                            .map(|r| (r.name.clone(), r.total.value))
                            .collect(),
                    )
                })
                .collect();
            let want: Reading = ed
                .tables
                .iter()
                .map(|t| {
                    (
                        t.region.0.clone(),
                        t.rows
                            .iter()
                            .map(|r| (r.name.clone(), Some(r.total)))
                            .collect(),
                    )
                })
                .collect();
            assert_eq!(
                got, want,
                "{kind:?} read as different rows\n{}",
                damaged.text
            );
        }
    }
}

fn check_funding(ed: &gen_funding::Edition) {
    let ex = funding_config(ed);
    assert_eq!(ex.tables.len(), ed.tables.len(), "{}", ed.text);
    for (got, want) in ex.tables.iter().zip(&ed.tables) {
        assert_eq!(got.region.code, want.region.0);
        assert_eq!(
            got.title_line.is_some(),
            want.title_printed,
            "{} {:?}\n{}",
            want.region.1,
            got.title_line,
            ed.text
        );
        assert_eq!(got.rows.len(), want.rows.len(), "{}", ed.text);
        let placeable = want.fitting_placements() == 1;
        for (g, w) in got.rows.iter().zip(&want.rows) {
            assert_eq!(g.name, w.name, "{}", ed.text);
            assert_eq!(g.total.value, Some(w.total));
            if w.is_short() && !placeable {
                assert!(
                    g.cells
                        .iter()
                        .all(|c| c.status == funding::CellStatus::Unresolved)
                );
                continue;
            }
            let cells: Vec<gen_funding::Cell> = g
                .cells
                .iter()
                .map(|c| match (c.status, c.amount) {
                    (funding::CellStatus::Value, Some(v)) => gen_funding::Cell::Value(v),
                    (funding::CellStatus::Dash, None) => gen_funding::Cell::Dash,
                    (funding::CellStatus::BlankInferred, None) => gen_funding::Cell::Blank,
                    other => panic!("unexpected cell {other:?}"),
                })
                .collect();
            assert_eq!(cells, w.cells, "row {}\n{}", w.name, ed.text);
        }
        let totals: Vec<Option<i64>> = got.column_totals.iter().map(|p| p.value).collect();
        assert_eq!(totals, want.column_totals);
        assert_eq!(got.grand_total.value, Some(want.grand_total));
        if !placeable && want.rows.iter().any(|r| r.is_short()) {
            assert!(ex.findings.iter().any(|f| f.kind == "blank_placement"
                && f.status == Status::Fail
                && f.subject.starts_with(&want.region.1)));
        }
    }
    // Every printed total adds up, except where a blank could not be placed.
    let ambiguous: Vec<&str> = ed
        .tables
        .iter()
        .filter(|t| t.fitting_placements() != 1 && t.rows.iter().any(|r| r.is_short()))
        .map(|t| t.region.1.as_str())
        .collect();
    for f in ex.findings.iter().filter(|f| f.status == Status::Fail) {
        assert!(
            ambiguous.iter().any(|r| f.subject.starts_with(r)),
            "{}: {}\n{}",
            f.check_id,
            f.message,
            ed.text
        );
    }
    let lost = ed.tables.iter().filter(|t| !t.title_printed).count();
    let inferred = ex
        .findings
        .iter()
        .filter(|f| f.kind == "region_title")
        .count();
    assert_eq!(inferred, lost);
}

/// A configuration with one AVRR dataset for a generated edition; `rule` adds lines to it.
fn avrr_config(ed: &gen_avrr::Edition, rule: &str) -> Config {
    let panels: Vec<String> = ed
        .panels
        .iter()
        .map(|(r, t)| format!("{{ role = \"{r}\", title = \"{t}\" }}"))
        .collect();
    config(&format!(
        "[datasets.avrr.avrr]\ndocuments = [\"generated\"]\nheading = \"{}\"\npanels = [{}]\nrows = {}\nhost_role = \"host\"\nmetrics_dataset = \"metrics\"\ntotal_metric = \"avrr_migrants_assisted\"\n{rule}",
        gen_avrr::HEADING,
        panels.join(", "),
        ed.rows
    ))
}

fn avrr_table(ed: &gen_avrr::Edition) -> Result<avrr::AvrrTable, iomtally::Error> {
    let config = avrr_config(ed, "");
    let DatasetConfig::Avrr(cfg) = config.raw.datasets["avrr"].get_ref() else {
        unreachable!()
    };
    let doc = generated(&ed.text);
    avrr::extract(&doc, cfg, &COUNTRIES, None)
}

fn check_avrr(ed: &gen_avrr::Edition) {
    let table = match avrr_table(ed) {
        Ok(table) => table,
        // A page break after the last row that neither layout nor names settle is refused,
        // naming its line; anything else must read exactly.
        Err(e) if ed.broken && names_a_line(&e.to_string()) => return,
        Err(e) => panic!("{e}\n{}", ed.text),
    };
    assert_eq!(table.years, ed.years, "{}", ed.text);
    assert_eq!(table.ranked_year, ed.years[0]);
    // Positions alone settle every generated table, but a page break right after the last
    // row, where the country table tells whether the line after it ends a name.
    assert!(
        table.settled_by_names.is_none() || ed.broken,
        "positions alone settle it\n{}",
        ed.text
    );
    for (panel, want) in table.panels.iter().zip(&ed.tables) {
        for (i, (g, w)) in panel.rows.iter().zip(want).enumerate() {
            assert_eq!(g.name, w.name, "\n{}", ed.text);
            let values: Vec<i64> = g.values.iter().map(|v| v.0).collect();
            assert_eq!(values, w.values);
            assert!(g.values.iter().all(|v| v.1 == ed.number_lines[i]));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn generated_funding_editions_come_back_exact(seed in any::<u64>()) {
        check_funding(&gen_funding::edition(&mut Rng::new(seed), &NAMES));
    }

    #[test]
    fn corrupted_sections_are_read_exactly_or_refused_naming_a_line(seed in any::<u64>()) {
        let mut rng = Rng::new(seed);
        let ed = gen_funding::edition(&mut rng, &NAMES);
        check_corrupted(&ed, &mut rng);
    }

    #[test]
    fn generated_avrr_editions_come_back_exact(seed in any::<u64>()) {
        check_avrr(&gen_avrr::edition(&mut Rng::new(seed), &NAMES));
    }
}

// ---------------------------------------------------------------------------------------
// Layouts that positions alone cannot settle, and the ones they can.
// ---------------------------------------------------------------------------------------

const HEADER: &str = "       Assisted voluntary return and reintegration: key figures
   Top 2 host countries                          Top 2 places of origin
        Number of migrants assisted                    Number of migrants assisted
                        2017      2016                                 2017      2016";

fn avrr_from(body: &str) -> Result<avrr::AvrrTable, iomtally::Error> {
    let ed = gen_avrr::Edition {
        text: format!("{HEADER}\n{body}\n\nNext section\n"),
        years: vec![2017, 2016],
        panels: vec![
            ("host".into(), "Top 2 host countries".into()),
            ("origin".into(), "Top 2 places of origin".into()),
        ],
        rows: 2,
        tables: Vec::new(),
        number_lines: Vec::new(),
        broken: false,
    };
    avrr_table(&ed)
}

fn names(t: &avrr::AvrrTable, panel: usize) -> Vec<&str> {
    t.panels[panel]
        .rows
        .iter()
        .map(|r| r.name.as_str())
        .collect()
}

#[test]
fn a_name_continued_below_its_numbers_stays_in_its_row() {
    // "of)" closes the bracket opened on the number line: it cannot start the next row.
    let t = avrr_from(
        " Iran (Islamic Republic      900       800    Chile                  70        60
 of)
 Ukraine                      500       400    Peru                   50        40",
    )
    .unwrap();
    assert_eq!(names(&t, 0), ["Iran (Islamic Republic of)", "Ukraine"]);
    assert_eq!(names(&t, 1), ["Chile", "Peru"]);
    assert_eq!(t.panels[0].rows[1].values, [(500, 7), (400, 7)]);
    assert_eq!(t.settled_by_names, None);
}

#[test]
fn names_settle_what_positions_leave_open_and_it_is_recorded() {
    // "Guinea" could end row 1 or start row 2; only "Papua New Guinea" + "Chile" are names.
    let t = avrr_from(
        " Papua New                   900       800    Chile                  70        60
 Guinea
 Chile                        500       400    Peru                   50        40",
    )
    .unwrap();
    assert_eq!(names(&t, 0), ["Papua New Guinea", "Chile"]);
    assert_eq!(t.settled_by_names, Some(6));
}

#[test]
fn a_country_ranked_twice_in_a_panel_is_refused() {
    // A row band printed twice (a repeated page) gives Germany two ranks in the host panel.
    let err = avrr_from(
        " Germany                     900       800    Chile                  70        60
 Germany                     900       800    Peru                   50        40",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("generated.txt:6")
            && err.contains("'Germany' is ranked twice (lines 5 and 6)"),
        "{err}"
    );
}

#[test]
fn a_truly_ambiguous_wrap_is_refused_with_its_lines() {
    // Neither names nor positions nor the wording tell whose line 6 is.
    let err = avrr_from(
        " Xland One                   900       800    Chile                  70        60
 Yland Two
 Zland                        500       400    Peru                   50        40",
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("generated.txt:6")
            && err.contains(
                "could belong to the row whose numbers are on line 5 or to the one on line 7"
            ),
        "{err}"
    );
}

#[test]
fn two_consecutive_wrapped_rows_in_both_panels() {
    // The seed document's layout: names around, above and below their numbers, back to back.
    let t = avrr_from(
        " Netherlands                                  UNSC resolution 1244-
                     4 635     2 927                                5 889     9 908
                                              administered Kosovo
 Yemen                                        The former Yugoslav
                     2 594     2 733                                4 986     3 134
                                              Republic of Macedonia",
    )
    .unwrap();
    assert_eq!(names(&t, 0), ["Netherlands", "Yemen"]);
    assert_eq!(
        names(&t, 1),
        [
            "UNSC resolution 1244-administered Kosovo",
            "The former Yugoslav Republic of Macedonia"
        ]
    );
    assert_eq!(t.settled_by_names, None);
}

#[test]
fn the_ranked_column_follows_the_rule_or_the_document_override() {
    let ed = gen_avrr::edition_with(&mut Rng::new(7), &NAMES, vec![2019, 2018], 4, 9_000);
    assert_eq!(avrr_table(&ed).unwrap().ranked_year, 2019);
    let config = avrr_config(&ed, "ranked_by = \"last_year_column\"\n");
    let DatasetConfig::Avrr(cfg) = config.raw.datasets["avrr"].get_ref() else {
        unreachable!()
    };
    let doc =
        Document::from_bytes("generated", Path::new("g.txt"), ed.text.as_bytes(), &[]).unwrap();
    assert_eq!(
        avrr::extract(&doc, cfg, &COUNTRIES, None)
            .unwrap()
            .ranked_year,
        2018
    );
    assert_eq!(
        avrr::extract(&doc, cfg, &COUNTRIES, Some(2019))
            .unwrap()
            .ranked_year,
        2019
    );
    let err = avrr::extract(&doc, cfg, &COUNTRIES, Some(2015))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("avrr_ranked_year = 2015") && err.contains("[2019, 2018]"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------
// Fixed generated editions, added to a copy of the project exactly as the README says.
// ---------------------------------------------------------------------------------------

const EDITIONS: &str = "tests/editions";

/// An edition of the declared regions and categories whose short rows all have one placement.
/// Shuffled, it prints its regions in another order and loses two titles out of declared
/// order: only its declaration can say which is which.
fn fixed_funding(seed: u64, lost_percent: u64, shuffle: bool) -> gen_funding::Edition {
    let (categories, declared) = gen_funding::declared();
    let rank = |code: &str| declared.iter().position(|r| r.0 == code).unwrap();
    (seed..)
        .map(|s| {
            let mut rng = Rng::new(s);
            let regions = if shuffle {
                rng.sample(&declared, declared.len())
            } else {
                declared.clone()
            };
            gen_funding::edition_with(&mut rng, &NAMES, categories.clone(), regions, lost_percent)
        })
        .find(|ed| {
            let lost: Vec<usize> = ed
                .tables
                .iter()
                .filter(|t| !t.title_printed)
                .map(|t| rank(&t.region.0))
                .collect();
            let out_of_order = lost.windows(2).any(|w| w[0] > w[1]);
            ed.tables
                .iter()
                .all(|t| t.fitting_placements() == 1 || !t.rows.iter().any(|r| r.is_short()))
                && !lost.is_empty()
                && (!shuffle || out_of_order)
                && ed
                    .tables
                    .iter()
                    .any(|t| t.rows.iter().any(|r| r.is_short()))
        })
        .unwrap()
}

fn funding_expected(id: &str, ed: &gen_funding::Edition) -> String {
    let mut out = String::from("doc_id,region_code,country,category_code,amount_usd,cell_status\n");
    for t in &ed.tables {
        for r in &t.rows {
            for (c, (code, _)) in r.cells.iter().zip(&ed.categories) {
                let (amount, status) = match c {
                    gen_funding::Cell::Value(v) => (v.to_string(), "value"),
                    gen_funding::Cell::Dash => (String::new(), "dash"),
                    gen_funding::Cell::Blank => (String::new(), "blank_inferred"),
                };
                out.push_str(&format!(
                    "{id},{},\"{}\",{code},{amount},{status}\n",
                    t.region.0, r.name
                ));
            }
        }
    }
    out
}

fn avrr_expected(id: &str, ed: &gen_avrr::Edition) -> String {
    let mut out = String::from("doc_id,role,rank,country,year,migrants_assisted,line\n");
    for ((role, _), rows) in ed.panels.iter().zip(&ed.tables) {
        for (i, r) in rows.iter().enumerate() {
            for (v, y) in r.values.iter().zip(&ed.years) {
                out.push_str(&format!(
                    "{id},{role},{},\"{}\",{y},{v},{}\n",
                    i + 1,
                    r.name,
                    ed.number_lines[i]
                ));
            }
        }
    }
    out
}

fn declaration(id: &str, title: &str, years: &[i32], extra: &str) -> String {
    format!(
        "\n[[documents]]\nid = \"{id}\"\npath = \"raw/{id}.txt\"\ntitle = \"{title}\"\npublisher = \"International Organization for Migration (IOM)\"\nyears = {years:?}\n{extra}"
    )
}

/// Regenerates the files under tests/editions (run with `--ignored` after changing a generator).
#[test]
#[ignore]
fn write_fixed_editions() {
    let dir = repo().join(EDITIONS);
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).unwrap();
    let mi17 = fixed_funding(2017, 30, false);
    write("migration_initiatives_2017.txt", &mi17.text);
    write(
        "migration_initiatives_2017.expected.csv",
        &funding_expected("migration_initiatives_2017", &mi17),
    );
    write(
        "migration_initiatives_2017.toml",
        &declaration(
            "migration_initiatives_2017",
            "Migration Initiatives 2017 (generated edition)",
            &[2017],
            "",
        ),
    );
    // Printed in another order than declared, with a lost title: its declaration says the order.
    let mi18 = fixed_funding(2018, 30, true);
    let order: Vec<String> = mi18
        .regions
        .iter()
        .map(|r| format!("\"{}\"", r.0))
        .collect();
    write("migration_initiatives_2018.txt", &mi18.text);
    write(
        "migration_initiatives_2018.expected.csv",
        &funding_expected("migration_initiatives_2018", &mi18),
    );
    write(
        "migration_initiatives_2018.toml",
        &declaration(
            "migration_initiatives_2018",
            "Migration Initiatives 2018 (generated edition)",
            &[2018],
            &format!(
                "# This edition prints its regions in another order and loses two titles out of that order.\noverrides = {{ funding_region_order = [{}] }}\n",
                order.join(", ")
            ),
        ),
    );
    let ar17 = gen_avrr::edition_with(&mut Rng::new(2017), &NAMES, vec![2017, 2016], 10, 9_000);
    write("annual_report_2017.txt", &ar17.text);
    write(
        "annual_report_2017.expected.csv",
        &avrr_expected("annual_report_2017", &ar17),
    );
    write(
        "annual_report_2017.toml",
        &declaration(
            "annual_report_2017",
            "Annual Report for 2017 (generated edition)",
            &[2016, 2017],
            "",
        ),
    );
}

/// The rows of an output CSV for one document, in the expected file's columns.
fn rows_for(csv_path: &Path, doc: &str, columns: &[&str]) -> Vec<Vec<String>> {
    let (header, rows) = common::read_csv(csv_path);
    let idx: Vec<usize> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == c).unwrap())
        .collect();
    rows.into_iter()
        .filter(|r| r[idx[0]] == doc)
        .map(|r| idx.iter().map(|&i| r[i].clone()).collect())
        .collect()
}

#[test]
fn fixed_editions_run_end_to_end_with_the_readme_steps() {
    let s = common::Scratch::new();
    let mut config = s.read("pipeline.toml");
    for id in [
        "migration_initiatives_2017",
        "migration_initiatives_2018",
        "annual_report_2017",
    ] {
        // 1. Copy the text into raw/. 2. Declare it. 3. Add its id to the dataset (the funding
        // dataset selects `migration_initiatives_*` already).
        let src = repo().join(EDITIONS);
        std::fs::copy(
            src.join(format!("{id}.txt")),
            s.path(&format!("raw/{id}.txt")),
        )
        .unwrap();
        config.push_str(&std::fs::read_to_string(src.join(format!("{id}.toml"))).unwrap());
    }
    let config = config.replacen(
        "documents = [\"annual_report_2016\"]",
        "documents = [\"annual_report_2016\", \"annual_report_2017\"]",
        1,
    );
    s.write("pipeline.toml", &config);
    s.expect(&["run"], 0, &[]);

    for id in ["migration_initiatives_2017", "migration_initiatives_2018"] {
        let (header, expected) =
            common::read_csv(&repo().join(EDITIONS).join(format!("{id}.expected.csv")));
        let cols: Vec<&str> = header.iter().map(String::as_str).collect();
        let got = rows_for(&s.output().join("funding_requirements.csv"), id, &cols);
        assert_eq!(got, expected, "{id}");
    }
    let (header, expected) = common::read_csv(
        &repo()
            .join(EDITIONS)
            .join("annual_report_2017.expected.csv"),
    );
    let cols: Vec<&str> = header.iter().map(String::as_str).collect();
    let got = rows_for(
        &s.output().join("avrr_top_countries.csv"),
        "annual_report_2017",
        &cols,
    );
    assert_eq!(got, expected);
    // The seed edition is untouched by the new ones.
    let (_, seed) = common::read_csv(&s.output().join("funding_requirements.csv"));
    assert_eq!(
        seed.iter()
            .filter(|r| r.contains(&"migration_initiatives_2016".to_string()))
            .count(),
        1092
    );

    // Checks of the new editions: every total passes; lost titles are named by order (the
    // declared one, or the 2018 edition's own); no 2017 AVRR total is stated: skipped, info.
    let (_, checks) = common::read_csv(&s.output().join("validation_results.csv"));
    let of = |doc: &str| -> Vec<&Vec<String>> {
        checks
            .iter()
            .filter(|r| r[0].contains(&format!(":{doc}:")))
            .collect()
    };
    for doc in ["migration_initiatives_2017", "migration_initiatives_2018"] {
        let rows = of(doc);
        assert!(rows.iter().filter(|r| r[2] == "row_total").count() > 10);
        assert!(rows.iter().all(|r| r[8] != "fail"), "{doc}");
        assert!(
            rows.iter()
                .any(|r| r[2] == "region_title" && r[8] == "inferred")
        );
    }
    let ar = of("annual_report_2017");
    let top = ar
        .iter()
        .find(|r| r[0] == "avrr_top_countries:annual_report_2017:top_n_total:host:2017")
        .unwrap();
    assert_eq!((top[8].as_str(), top[9].as_str()), ("skipped", "info"));
    assert!(top[13].contains("nothing stated to compare"), "{}", top[13]);
    let top16 = ar
        .iter()
        .find(|r| r[0] == "avrr_top_countries:annual_report_2017:top_n_total:host:2016")
        .unwrap();
    assert_eq!((top16[4].as_str(), top16[8].as_str()), ("98000", "pass"));
    let rank = ar
        .iter()
        .find(|r| r[0] == "avrr_top_countries:annual_report_2017:rank_order:host:2017")
        .unwrap();
    assert_eq!((rank[8].as_str(), rank[9].as_str()), ("pass", "error"));
}

/// A generated edition the property test once failed on: names wrapped as "Republic of" stood
/// before three of its four page breaks and were taken for a running footer, so "Republic of
/// Singapore" was read as "Singapore".
#[test]
fn a_wrapped_official_name_reads_whole() {
    check_funding(&gen_funding::edition(
        &mut Rng::new(15309794597265155267),
        &NAMES,
    ));
}

/// A generated edition whose copied region title landed between a page marker and the
/// running head of the next page (the head one line lower there): the copy is refused by
/// line, never read as the table's title with the rows before it dropped.
#[test]
fn a_title_copied_above_a_running_head_is_refused_not_read_short() {
    let mut rng = Rng::new(6_114_602_172_750_749_611);
    let ed = gen_funding::edition(&mut rng, &NAMES);
    check_corrupted(&ed, &mut rng);
}

/// Found by 50,000 generated editions: a row of dashes whose total `0` wraps onto a line of
/// its own, a page before the first printed page number (2), was read as page 0's number and
/// the row lost its total.
#[test]
fn a_zero_total_alone_on_its_line_is_the_rows_total() {
    let ed = gen_funding::edition(&mut Rng::new(17120379760585767632), &NAMES);
    assert!(ed.text.contains("\n0\n"), "the edition prints a lone 0");
    check_funding(&ed);
}
