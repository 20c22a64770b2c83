//! Country codes on the real documents, the data package and the HXL row.

mod common;

use std::collections::BTreeSet;
use std::fs::{self, File};

use common::{Scratch, read_csv, repo, stderr};
use iomtally::countries::{CountryTable, Resolved};

fn table() -> CountryTable {
    CountryTable::load(
        &repo().join("raw/reference/countries.csv"),
        &["Regional programmes".to_string()],
    )
    .unwrap()
}

/// (iso3, m49, canonical name) for a printed name.
fn codes(t: &CountryTable, printed: &str) -> (String, Option<String>, String) {
    match t.resolve(printed) {
        Resolved::Country(c) => (c.iso3.clone(), c.m49.clone(), c.name.clone()),
        other => panic!("{printed}: {other:?}"),
    }
}

#[test]
fn codes_looked_up_by_hand() {
    let t = table();
    let iso = |p: &str| {
        let (i, m, _) = codes(&t, p);
        (i, m)
    };
    let some = |i: &str, m: &str| (i.to_string(), Some(m.to_string()));
    // Kosovo: user-assigned XKX, no M49 code.
    assert_eq!(
        iso("UNSC resolution 1244-administered Kosovo"),
        ("XKX".to_string(), None)
    );
    assert_eq!(iso("Hong Kong SAR, China"), some("HKG", "344"));
    assert_eq!(
        iso("The former Yugoslav Republic of Macedonia"),
        some("MKD", "807")
    );
    assert_eq!(iso("Bolivia, Plunational State of"), some("BOL", "068"));
    assert_eq!(iso("Côte d’Ivoire"), some("CIV", "384"));
    assert_eq!(iso("Cote d'Ivoire"), some("CIV", "384"));
    assert_eq!(iso("Democratic Republic of the Congo"), some("COD", "180"));
    assert_eq!(iso("Congo, Republic of the"), some("COG", "178"));
    assert_eq!(iso("United Republic of Tanzania"), some("TZA", "834"));
    assert_eq!(iso("Iran (Islamic Republic of)"), some("IRN", "364"));
    assert_eq!(iso("Iran, Islamic Republic of"), some("IRN", "364"));
    assert_eq!(iso("Micronesia, Federated States of"), some("FSM", "583"));
    assert_eq!(iso("Lao People’s Democratic Republic"), some("LAO", "418"));
    assert_eq!(iso("Netherlands, the"), some("NLD", "528"));
    assert_eq!(iso("Sint Maarten"), some("SXM", "534"));
    assert_eq!(iso("Afghanistan"), some("AFG", "004"));
    assert_eq!(iso("Turkey"), some("TUR", "792"));
    // The programme group is coded to South Africa and says it is a group.
    let (i, m, name) = codes(&t, "South Africa, including Lesotho and Swaziland");
    assert_eq!((i.as_str(), m.as_deref()), ("ZAF", Some("710")));
    assert!(name.contains("Lesotho"), "{name}");
    assert!(matches!(
        t.resolve("Regional programmes"),
        Resolved::NotACountry
    ));
    assert!(matches!(t.resolve("Atlantis"), Resolved::Unknown));
    // Membership flags the AVRR checks need (as of 2015–2017).
    assert!(t.by_iso3("DEU").unwrap().eea);
    assert!(t.by_iso3("NOR").unwrap().eea && !t.by_iso3("NOR").unwrap().eu);
    assert!(!t.by_iso3("CHE").unwrap().eea && t.by_iso3("CHE").unwrap().efta);
    assert!(t.by_iso3("GBR").unwrap().eu);
    assert!(!t.by_iso3("NER").unwrap().eea);
}

#[test]
fn every_printed_country_resolves_and_unknown_names_warn() {
    let s = Scratch::new();
    let out = s.run(&["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let (header, rows) = read_csv(&s.output().join("funding_requirements.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let (country, iso3, m49) = (col("country"), col("country_iso3"), col("country_m49"));
    let unresolved: BTreeSet<&str> = rows
        .iter()
        .filter(|r| r[iso3].is_empty() && r[country] != "Regional programmes")
        .map(|r| r[country].as_str())
        .collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
    let kosovo = rows.iter().find(|r| r[country].contains("Kosovo")).unwrap();
    assert_eq!((kosovo[iso3].as_str(), kosovo[m49].as_str()), ("XKX", ""));
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    assert_eq!(checks.iter().filter(|r| r[2] == "country_code").count(), 0);

    // A name the table does not know: a warning naming it and its line; the row is kept.
    let s = Scratch::new();
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        433,
        "Angola",
        "Angolia",
    );
    let out = s.run(&["run"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "a warning does not fail the run: {}",
        stderr(&out)
    );
    let (_, rows) = read_csv(&s.output().join("funding_requirements.csv"));
    let kept: Vec<&Vec<String>> = rows.iter().filter(|r| r[country] == "Angolia").collect();
    assert_eq!(kept.len(), 7);
    assert!(kept.iter().all(|r| r[iso3].is_empty() && r[m49].is_empty()));
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    let warnings: Vec<&Vec<String>> = checks.iter().filter(|r| r[2] == "country_code").collect();
    assert_eq!(warnings.len(), 1);
    let w = warnings[0];
    assert_eq!(
        (w[3].as_str(), w[8].as_str(), w[9].as_str(), w[11].as_str()),
        ("Angolia", "fail", "warning", "433")
    );
}

#[test]
fn datapackage_describes_every_written_file() {
    let s = Scratch::new();
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    let package: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(s.output().join("datapackage.json")).unwrap())
            .unwrap();
    assert_eq!(package["profile"], "tabular-data-package");
    assert!(!package["sources"].as_array().unwrap().is_empty());
    let resources = package["resources"].as_array().unwrap();
    let listed: BTreeSet<String> = resources
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect();
    let written: BTreeSet<String> = fs::read_dir(s.output())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".csv") || n.ends_with(".parquet"))
        .collect();
    assert_eq!(listed, written);
    let names: BTreeSet<&str> = resources
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), resources.len(), "resource names are unique");

    for r in resources {
        let name = r["name"].as_str().unwrap();
        assert!(
            name.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_-.".contains(c))
        );
        let fields = r["schema"]["fields"].as_array().unwrap();
        for key in r["schema"]["primaryKey"].as_array().unwrap() {
            assert!(
                fields.iter().any(|f| &f["name"] == key),
                "{name}: key {key} is a field"
            );
        }
        for f in fields {
            assert!(
                ["integer", "number", "string", "boolean"].contains(&f["type"].as_str().unwrap())
            );
            assert!(!f["description"].as_str().unwrap().is_empty());
        }
        if r["format"] == "parquet" {
            // Fields match the Parquet file's schema, read by an independent reader.
            let file = File::open(s.output().join(r["path"].as_str().unwrap())).unwrap();
            let builder =
                parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
                    .unwrap();
            let schema = builder.schema();
            let parquet_fields: Vec<(String, String)> = schema
                .fields()
                .iter()
                .map(|f| {
                    let t = match f.data_type() {
                        arrow::datatypes::DataType::Int64 => "integer",
                        arrow::datatypes::DataType::Float64 => "number",
                        arrow::datatypes::DataType::Boolean => "boolean",
                        _ => "string",
                    };
                    (f.name().clone(), t.to_string())
                })
                .collect();
            let package_fields: Vec<(String, String)> = fields
                .iter()
                .map(|f| {
                    (
                        f["name"].as_str().unwrap().to_string(),
                        f["type"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(parquet_fields, package_fields, "{name}");
        }
    }
    let amount = resources
        .iter()
        .find(|r| r["name"] == "funding_requirements")
        .unwrap()["schema"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "cell_status")
        .unwrap()
        .clone();
    assert_eq!(
        amount["constraints"]["enum"],
        serde_json::json!(["value", "dash", "blank_inferred", "unresolved"])
    );
}

#[test]
fn hxl_row_only_when_asked() {
    let s = Scratch::new();
    assert_eq!(s.run(&["run"]).status.code(), Some(0));
    let plain = fs::read_to_string(s.output().join("funding_requirements.csv")).unwrap();
    assert!(
        plain
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("Southern Africa,")
    );

    assert_eq!(s.run(&["run", "--hxl"]).status.code(), Some(0));
    let tagged = fs::read_to_string(s.output().join("funding_requirements.csv")).unwrap();
    let mut lines = tagged.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let tags: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header.len(), tags.len());
    let tag = |col: &str| tags[header.iter().position(|h| *h == col).unwrap()];
    assert_eq!(tag("country_iso3"), "#country+code");
    assert_eq!(tag("category"), "#sector+name");
    assert_eq!(tag("amount_usd"), "#value+funding+required+usd");
    assert!(lines.next().unwrap().starts_with("Southern Africa,"));
    let package = fs::read_to_string(s.output().join("datapackage.json")).unwrap();
    assert!(package.contains("\"commentRows\""));
}
