//! The funding extractor on the real Migration Initiatives 2016 text. Every expected value
//! below was read by hand from raw/migration_initiatives_2016.txt (line numbers included).

mod common;

use common::{Scratch, repo};
use iomtally::config::{Config, DatasetConfig};
use iomtally::extract::funding::{self, CellStatus, Table};
use iomtally::pipeline::ingest;
use iomtally::validate::{Finding, Status};

const DOC: &str = "migration_initiatives_2016";

fn extract_from(config_path: &std::path::Path) -> (Vec<Table>, Vec<Finding>) {
    let config = Config::load(config_path).unwrap();
    let DatasetConfig::Funding(cfg) = config.raw.datasets["funding_requirements"].get_ref() else {
        panic!("funding_requirements is a funding dataset");
    };
    let library = ingest(&config, &[DOC]).unwrap();
    let doc = library.get(DOC);
    let ex = funding::extract(doc, "funding_requirements", cfg, &cfg.regions, 0).unwrap();
    (ex.tables, ex.findings)
}

fn real() -> (Vec<Table>, Vec<Finding>) {
    extract_from(&repo().join("pipeline.toml"))
}

const CATEGORIES: [&str; 7] = [
    "emergency_post_crisis",
    "migration_health",
    "immigration_border_management",
    "migrant_assistance",
    "labour_mobility_human_development",
    "migration_policy_research",
    "migration_environment_climate_change",
];

/// (amount, status, line) of one cell.
fn cell(
    tables: &[Table],
    region: &str,
    country: &str,
    category: &str,
) -> (Option<i64>, CellStatus, usize) {
    let table = tables
        .iter()
        .find(|t| t.region.name == region)
        .expect(region);
    let row = table
        .rows
        .iter()
        .find(|r| r.name == country)
        .unwrap_or_else(|| panic!("{country} in {region}"));
    let k = CATEGORIES
        .iter()
        .position(|c| *c == category)
        .expect(category);
    let c = &row.cells[k];
    (c.amount, c.status, c.line)
}

fn row_total(tables: &[Table], region: &str, country: &str) -> Option<i64> {
    let table = tables.iter().find(|t| t.region.name == region).unwrap();
    table
        .rows
        .iter()
        .find(|r| r.name == country)
        .unwrap()
        .total
        .value
}

#[test]
fn tables_rows_and_cells() {
    let (tables, _) = real();
    assert_eq!(tables.len(), 9);
    let rows: Vec<usize> = tables.iter().map(|t| t.rows.len()).collect();
    assert_eq!(rows, [12, 10, 19, 13, 11, 13, 28, 30, 20]);
    let cells: usize = tables
        .iter()
        .flat_map(|t| &t.rows)
        .map(|r| r.cells.len())
        .sum();
    assert_eq!(cells, 1092);
    assert!(
        tables
            .iter()
            .all(|t| t.rows.last().unwrap().name == "Regional programmes")
    );
    let names: Vec<&str> = tables.iter().map(|t| t.region.name.as_str()).collect();
    assert_eq!(names[2], "West and Central Africa");
    assert_eq!(tables[2].title_line, None, "title lost in the text");
    assert_eq!(tables[2].rows[0].name, "Benin");
    assert_eq!(tables[0].title_line, Some(356));
}

#[test]
fn values_read_by_hand() {
    let (t, _) = real();
    // Plain rows.
    assert_eq!(
        cell(&t, "Southern Africa", "Angola", "emergency_post_crisis"),
        (Some(4_400_000), CellStatus::Value, 433)
    );
    assert_eq!(
        cell(&t, "South America", "Colombia", "emergency_post_crisis").0,
        Some(180_000_000)
    );
    assert_eq!(
        cell(
            &t,
            "West and Central Africa",
            "Benin",
            "labour_mobility_human_development"
        )
        .0,
        Some(22_000)
    );
    assert_eq!(
        cell(
            &t,
            "Middle East and North Africa",
            "Yemen",
            "emergency_post_crisis"
        )
        .0,
        Some(60_000_000)
    );
    // Wrapped names, values on the line after the name.
    assert_eq!(
        cell(
            &t,
            "Southern Africa",
            "South Africa, including Lesotho and Swaziland",
            "migration_health"
        ),
        (Some(5_200_000), CellStatus::Value, 452)
    );
    assert_eq!(
        cell(
            &t,
            "South-Eastern Europe, Eastern Europe and Central Asia",
            "UNSC resolution 1244-administered Kosovo",
            "labour_mobility_human_development"
        ),
        (Some(5_000_000), CellStatus::Value, 845)
    );
    assert_eq!(
        cell(
            &t,
            "Asia and the Pacific",
            "Lao People’s Democratic Republic",
            "emergency_post_crisis"
        ),
        (Some(1_000_000), CellStatus::Value, 749)
    );
    assert_eq!(
        cell(
            &t,
            "European Union, Switzerland and Norway",
            "Netherlands, the",
            "migrant_assistance"
        )
        .0,
        Some(12_000_000)
    );
    assert_eq!(
        cell(
            &t,
            "Asia and the Pacific",
            "Hong Kong SAR, China",
            "migrant_assistance"
        )
        .0,
        Some(200_000)
    );
    assert_eq!(
        cell(
            &t,
            "Central and North America and the Caribbean",
            "United States of America",
            "migration_policy_research"
        ),
        (Some(196_000), CellStatus::Value, 677)
    );
    assert_eq!(
        cell(
            &t,
            "South America",
            "Bolivia, Plunational State of",
            "emergency_post_crisis"
        )
        .0,
        Some(900_000)
    );
    // The split row: DRC's values start on line 439 and continue on line 440.
    assert_eq!(
        cell(
            &t,
            "Southern Africa",
            "Democratic Republic of the Congo",
            "migration_health"
        ),
        (Some(1_000_000), CellStatus::Value, 439)
    );
    assert_eq!(
        cell(
            &t,
            "Southern Africa",
            "Democratic Republic of the Congo",
            "immigration_border_management"
        ),
        (Some(5_500_000), CellStatus::Value, 440)
    );
    assert_eq!(
        row_total(&t, "Southern Africa", "Democratic Republic of the Congo"),
        Some(23_500_000)
    );
    // Short rows: the blank lands where the column totals say.
    assert_eq!(
        cell(
            &t,
            "Southern Africa",
            "Mauritius",
            "immigration_border_management"
        ),
        (None, CellStatus::BlankInferred, 444)
    );
    assert_eq!(
        cell(&t, "Southern Africa", "Mauritius", "emergency_post_crisis"),
        (None, CellStatus::Dash, 444)
    );
    assert_eq!(
        cell(&t, "Southern Africa", "Mauritius", "migrant_assistance").0,
        Some(300_000)
    );
    assert_eq!(
        cell(
            &t,
            "Southern Africa",
            "Mauritius",
            "migration_environment_climate_change"
        )
        .0,
        Some(500_000)
    );
    let bih = "Bosnia and Herzegovina";
    let see = "South-Eastern Europe, Eastern Europe and Central Asia";
    assert_eq!(
        cell(&t, see, bih, "migration_environment_climate_change"),
        (None, CellStatus::BlankInferred, 830)
    );
    assert_eq!(
        cell(&t, see, bih, "migration_policy_research").0,
        Some(300_000)
    );
    assert_eq!(row_total(&t, see, bih), Some(6_700_000));
    // All-dash row, including its total.
    for c in CATEGORIES {
        assert_eq!(
            cell(&t, "Asia and the Pacific", "Australia", c),
            (None, CellStatus::Dash, 732)
        );
    }
    assert_eq!(row_total(&t, "Asia and the Pacific", "Australia"), None);
    // Regional programmes, with a double space between values.
    assert_eq!(
        cell(
            &t,
            "South America",
            "Regional programmes",
            "labour_mobility_human_development"
        )
        .0,
        Some(450_000)
    );
    // Total rows: a column total printed as '-', and grand totals.
    let east = &t[1];
    assert_eq!(east.column_totals[6].value, None);
    assert_eq!(east.grand_total.value, Some(207_625_000));
    assert_eq!(t[0].grand_total.value, Some(99_735_000));
    assert_eq!(t[0].total_line, 459);
    assert_eq!(t[7].grand_total.value, Some(76_996_000));
}

#[test]
fn every_total_check_passes_and_inferences_are_recorded() {
    let (tables, findings) = real();
    let count = |kind: &str| findings.iter().filter(|f| f.kind == kind).count();
    assert_eq!(count("row_total"), 156);
    assert_eq!(count("column_total"), 63);
    assert_eq!(count("grand_total"), 27);
    let not_passing: Vec<&Finding> = findings
        .iter()
        .filter(|f| f.status != Status::Pass)
        .collect();
    let subjects: Vec<(&str, &str)> = not_passing
        .iter()
        .map(|f| (f.kind.as_str(), f.subject.as_str()))
        .collect();
    assert_eq!(
        subjects,
        [
            ("blank_placement", "Southern Africa / Mauritius"),
            ("region_title", "West and Central Africa"),
            (
                "blank_placement",
                "South-Eastern Europe, Eastern Europe and Central Asia / Bosnia and Herzegovina"
            ),
        ]
    );
    assert!(not_passing.iter().all(|f| f.status == Status::Inferred));
    assert!(
        not_passing[0]
            .message
            .contains("Immigration and border management")
    );
    assert_eq!(not_passing[0].line, Some(444));
    assert_eq!(tables.iter().map(|t| t.rows.len()).sum::<usize>(), 156);
}

fn failing(findings: &[Finding]) -> Vec<(String, Option<usize>)> {
    findings
        .iter()
        .filter(|f| f.status == Status::Fail)
        .map(|f| (f.check_id.clone(), f.line))
        .collect()
}

#[test]
fn an_altered_cell_fails_its_row_and_its_column() {
    // Kenya, Migration health: 750,000 on line 540 becomes 760,000.
    let s = Scratch::new();
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        540,
        "  750,000 ",
        "  760,000 ",
    );
    let (_, findings) = extract_from(&s.config());
    assert_eq!(
        failing(&findings),
        [
            (
                "funding_requirements:migration_initiatives_2016:row_total:east_and_horn_of_africa:kenya".to_string(),
                Some(540)
            ),
            (
                "funding_requirements:migration_initiatives_2016:column_total:east_and_horn_of_africa:migration_health"
                    .to_string(),
                Some(554)
            ),
            // The grand total checked against the sum of all cells necessarily moves with any cell.
            (
                "funding_requirements:migration_initiatives_2016:grand_total:east_and_horn_of_africa:cells".to_string(),
                Some(554)
            ),
        ]
    );
    let row = findings
        .iter()
        .find(|f| {
            f.check_id
                .ends_with("row_total:east_and_horn_of_africa:kenya")
        })
        .unwrap();
    assert_eq!(
        (row.stated, row.computed),
        (Some(9_400_000.0), Some(9_410_000.0))
    );
    assert!(row.evidence.starts_with("Kenya  3,500,000  760,000"));
}

#[test]
fn an_altered_row_total_fails_its_row_and_the_total_column() {
    // Uganda's printed total 14,050,000 (line 544) becomes 14,060,000.
    let s = Scratch::new();
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        544,
        "14,050,000",
        "14,060,000",
    );
    let (_, findings) = extract_from(&s.config());
    assert_eq!(
        failing(&findings),
        [
            (
                "funding_requirements:migration_initiatives_2016:row_total:east_and_horn_of_africa:uganda".to_string(),
                Some(544)
            ),
            (
                "funding_requirements:migration_initiatives_2016:grand_total:east_and_horn_of_africa:row_totals".to_string(),
                Some(554)
            ),
        ]
    );
}

#[test]
fn a_short_row_whose_blank_fits_nowhere_is_an_error_not_a_guess() {
    // Mauritius (line 444) with a value that no placement can reconcile with the column totals.
    let s = Scratch::new();
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        444,
        " 50,000 ",
        " 60,000 ",
    );
    let (tables, findings) = extract_from(&s.config());
    let f = findings
        .iter()
        .find(|f| f.kind == "blank_placement" && f.subject.ends_with("Mauritius"))
        .unwrap();
    assert_eq!((f.status, f.line), (Status::Fail, Some(444)));
    assert!(f.message.contains("no placement"), "{}", f.message);
    let row = tables[0]
        .rows
        .iter()
        .find(|r| r.name == "Mauritius")
        .unwrap();
    assert!(
        row.cells
            .iter()
            .all(|c| c.status == CellStatus::Unresolved && c.amount.is_none())
    );
    assert_eq!(row.cells.len(), 7, "the row is kept, not dropped");
}
