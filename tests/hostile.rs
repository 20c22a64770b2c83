//! Hostile and odd inputs: documents, configuration, catalogue, country table, output location
//! and concurrency. Each case asserts the exit code, a message naming the file (and the line
//! where there is one), no panic, and, for runs that stop (exit 2, 3, 4), the earlier outputs
//! byte for byte intact. Kills are in tests/unattended.rs.

mod common;

use std::fs;

use common::{Scratch, read_csv, snapshot};

/// What a case does to a scratch copy of the project before running.
type Setup = fn(&Scratch);

struct Case {
    name: &'static str,
    setup: Setup,
    args: &'static [&'static str],
    code: i32,
    /// Every one must appear on stderr.
    needles: &'static [&'static str],
}

fn replace(s: &Scratch, file: &str, from: &str, to: &str) {
    let text = s.read(file);
    assert!(text.contains(from), "{file}: '{from}'");
    s.write(file, &text.replacen(from, to, 1));
}

fn config(s: &Scratch, from: &str, to: &str) {
    replace(s, "pipeline.toml", from, to);
}

const DOC: &str = "raw/programme_2020_crises.txt";
const MI: &str = "raw/migration_initiatives_2016.txt";
const CATALOGUE: &str = "raw/reference/metrics.toml";
const COUNTRIES: &str = "raw/reference/countries.csv";

#[rustfmt::skip]
const STOPPING: &[Case] = &[
    // Documents.
    Case { name: "document missing", setup: |s| fs::remove_file(s.path(DOC)).unwrap(), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "not found", "pipeline.toml:"] },
    Case { name: "document empty", setup: |s| s.write(DOC, ""), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "is empty"] },
    Case { name: "document only whitespace", setup: |s| s.write(DOC, " \n\t\n\n"), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "is empty"] },
    Case { name: "document binary", setup: |s| fs::write(s.path(DOC), [0x89u8, b'P', b'N', b'G', 0, 1, 2]).unwrap(), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "binary", "NUL byte at line 1, column 5, offset 4"] },
    Case { name: "document Latin-1", setup: |s| fs::write(s.path(DOC), b"Migration in C\xf4te d'Ivoire\n").unwrap(), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "not UTF-8", "byte 0xF4 at line 1, column 15, offset 14", "iconv"] },
    Case { name: "document UTF-16", setup: |s| fs::write(s.path(DOC), [0xFFu8, 0xFE, b'I', 0, b'O', 0, b'M', 0]).unwrap(), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "UTF-16 (little-endian)", "iconv -f UTF-16"] },
    Case { name: "document UTF-16 without its mark", setup: |s| fs::write(s.path(DOC), "IOM report\n".encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>()).unwrap(), args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt", "UTF-16 (big-endian)"] },
    Case { name: "document is a folder", setup: |s| { fs::remove_file(s.path(DOC)).unwrap(); fs::create_dir(s.path(DOC)).unwrap(); }, args: &["run"], code: 3,
           needles: &["programme_2020_crises.txt"] },
    // Configuration.
    Case { name: "configuration missing", setup: |s| fs::remove_file(s.path("pipeline.toml")).unwrap(), args: &["run"], code: 2,
           needles: &["pipeline.toml", "cannot read configuration"] },
    Case { name: "configuration not UTF-8", setup: |s| fs::write(s.path("pipeline.toml"), b"[output]\ndir = \"\xff\"\n").unwrap(), args: &["run"], code: 2,
           needles: &["pipeline.toml", "not UTF-8", "line 2, column 8"] },
    Case { name: "configuration TOML syntax", setup: |s| config(s, "[output]", "[output"), args: &["run"], code: 2,
           needles: &["pipeline.toml:4:"] },
    Case { name: "negative tolerance", setup: |s| config(s, "usd_tolerance = 0", "usd_tolerance = -5"), args: &["run"], code: 2,
           needles: &["pipeline.toml:11:", "usd_tolerance is -5"] },
    Case { name: "repair from empty", setup: |s| config(s, "from = \"\\uFFFD\"", "from = \"\""), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "repair 1 has an empty 'from'"] },
    Case { name: "no output format", setup: |s| config(s, "formats = [\"parquet\", \"csv\"]", "formats = []"), args: &["run"], code: 2,
           needles: &["pipeline.toml:6:", "formats lists no format"] },
    Case { name: "format listed twice", setup: |s| config(s, "formats = [\"parquet\", \"csv\"]", "formats = [\"csv\", \"csv\"]"), args: &["run"], code: 2,
           needles: &["pipeline.toml:6:", "listed twice"] },
    Case { name: "unknown format", setup: |s| config(s, "formats = [\"parquet\", \"csv\"]", "formats = [\"xlsx\"]"), args: &["run"], code: 2,
           needles: &["pipeline.toml:6:", "xlsx"] },
    Case { name: "document listed twice in a dataset", setup: |s| config(s, "documents = [\"annual_report_2016\"]", "documents = [\"annual_report_2016\", \"annual_report_2016\"]"), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "selected twice"] },
    Case { name: "document id declared twice", setup: |s| config(s, "id = \"annual_report_2015\"", "id = \"annual_report_2016\""), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "declared twice"] },
    Case { name: "document without years", setup: |s| config(s, "years = [2020]", "years = []"), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "years lists no year"] },
    Case { name: "year that is not a year", setup: |s| config(s, "years = [2020]", "years = [20]"), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "year 20 is not a year"] },
    Case { name: "empty region code", setup: |s| config(s, "code = \"south_america\"", "code = \"\""), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "empty code or name"] },
    Case { name: "unknown extractor", setup: |s| config(s, "[datasets.mentions.mentions]", "[datasets.mentions.figures]"), args: &["run"], code: 2,
           needles: &["pipeline.toml:", "unknown variant `figures`"] },
    Case { name: "unknown dataset in --only", setup: |_| {}, args: &["run", "--only", "fundng"], code: 2,
           needles: &["unknown dataset 'fundng'", "pipeline.toml declares"] },
    Case { name: "bad log level", setup: |_| {}, args: &["--log", "loud", "run"], code: 2,
           needles: &["--log takes one of"] },
    Case { name: "bad --fail-on", setup: |_| {}, args: &["run", "--fail-on", "sometimes"], code: 2,
           needles: &["sometimes"] },
    // Metrics catalogue.
    Case { name: "catalogue missing", setup: |s| fs::remove_file(s.path(CATALOGUE)).unwrap(), args: &["run"], code: 2,
           needles: &["metrics.toml", "cannot read the metrics catalogue"] },
    Case { name: "catalogue empty", setup: |s| s.write(CATALOGUE, "# nothing yet\n"), args: &["run"], code: 2,
           needles: &["metrics.toml:1:", "declares no metric"] },
    Case { name: "catalogue pattern without value", setup: |s| replace(s, CATALOGUE, "In 2016, {value} IOM offices supported their host governments", "In 2016, IOM offices supported their host governments"), args: &["run"], code: 2,
           needles: &["metrics.toml:", "exactly one {value}"] },
    Case { name: "catalogue relation to an unknown figure", setup: |s| replace(s, CATALOGUE, "\"orientation_refugee_share@2016\"", "\"orientation_refugee_share@2013\""), args: &["run"], code: 2,
           needles: &["metrics.toml:", "no metric source states orientation_refugee_share@2013"] },
    Case { name: "catalogue not UTF-8", setup: |s| fs::write(s.path(CATALOGUE), b"# metrics\n# caf\xe9\n").unwrap(), args: &["run"], code: 2,
           needles: &["metrics.toml", "not UTF-8", "line 2, column 6"] },
    Case { name: "catalogue not TOML", setup: |s| s.write(CATALOGUE, "[[metric]\nkey = 1\n"), args: &["run"], code: 2,
           needles: &["metrics.toml:1:"] },
    // Country table (reference data).
    Case { name: "country table missing", setup: |s| fs::remove_file(s.path(COUNTRIES)).unwrap(), args: &["run"], code: 3,
           needles: &["countries.csv", "cannot read the country reference table"] },
    Case { name: "country table in Windows-1252", setup: |s| { let mut t = fs::read(s.path(COUNTRIES)).unwrap(); t.extend_from_slice(b"Tr\xe0nsnistria,XTR\n"); fs::write(s.path(COUNTRIES), t).unwrap(); }, args: &["run"], code: 3,
           needles: &["countries.csv", "not UTF-8", "byte 0xE0", "column 3"] },
    Case { name: "country code not three letters", setup: |s| replace(s, COUNTRIES, ",AFG,", ",AF,"), args: &["run"], code: 3,
           needles: &["countries.csv:", "iso3 'AF' is not three capital letters"] },
    Case { name: "country code given twice", setup: |s| replace(s, COUNTRIES, ",ALB,", ",AFG,"), args: &["run"], code: 3,
           needles: &["countries.csv:", "iso3 'AFG' is already the code of"] },
    Case { name: "country name given twice", setup: |s| replace(s, COUNTRIES, "Albania,ALB", "Afghanistan,ALB"), args: &["run"], code: 3,
           needles: &["countries.csv:", "also names"] },
    Case { name: "country table without rows", setup: |s| s.write(COUNTRIES, "name,iso3,m49,eu,eea,efta,covers,aliases,note\n"), args: &["run"], code: 3,
           needles: &["countries.csv", "no rows"] },
    // Output location.
    Case { name: "output is a file", setup: |s| { fs::write(s.path("file"), "x").unwrap(); }, args: &["run", "--output", "file/out"], code: 3,
           needles: &["file"] },
    Case { name: "output folder holds a foreign folder", setup: |s| fs::create_dir_all(s.path("output/photos")).unwrap(), args: &["run", "--force"], code: 3,
           needles: &["output", "holds the folder 'photos'"] },
    Case { name: "output where nothing can be written", setup: |_| {}, args: &["run", "--output", "/proc/iomtally-out"], code: 3,
           needles: &["/proc/"] },
    // Concurrency: another run holds the folder.
    Case { name: "output folder locked", setup: |s| hold_forever(s), args: &["run", "--force"], code: 4,
           needles: &[".output.lock", "locked by pid"] },
];

/// Holds the output folder's lock for the rest of the test process, as a running run would.
fn hold_forever(s: &Scratch) {
    std::mem::forget(common::hold_lock(s));
}

#[test]
fn runs_that_stop_say_why_and_leave_earlier_outputs_intact() {
    assert!(STOPPING.len() >= 30, "{} cases", STOPPING.len());
    for case in STOPPING {
        let s = Scratch::new();
        s.expect(&["run"], 0, &[]);
        let before = snapshot(&s.output());
        (case.setup)(&s);
        let out = s.run(case.args);
        let err = common::stderr(&out);
        assert_eq!(out.status.code(), Some(case.code), "{}: {err}", case.name);
        for needle in case.needles {
            assert!(
                err.contains(needle),
                "{}: expected '{needle}' in: {err}",
                case.name
            );
        }
        assert!(!err.contains("panicked"), "{}: {err}", case.name);
        if s.output().exists() {
            assert_eq!(
                snapshot(&s.output()),
                before,
                "{}: outputs changed",
                case.name
            );
        }
    }
}

/// Inputs a run reads through: a finding (exit 1) for the one document, the rest written.
#[test]
fn a_broken_table_is_a_finding_for_its_document_only() {
    let cases: &[(&str, Setup, &str)] = &[
        (
            "a figure beyond i64",
            |s| {
                replace(
                    s,
                    MI,
                    "Angola 4,400,000",
                    "Angola 9,223,372,036,854,775,808",
                )
            },
            "figure '9,223,372,036,854,775,808' is too large for a 64-bit integer",
        ),
        (
            "text after a row's numbers",
            |s| {
                replace(
                    s,
                    MI,
                    "Botswana 40,000 50,000 - 350,000",
                    "Botswana 40,000 50,000 - 350,000 see note",
                )
            },
            "unexpected text 'see' after the numbers of a row",
        ),
        (
            "a row with too many numbers",
            |s| replace(s, MI, "Zambia 1,690,000", "Zambia 1,000 1,690,000"),
            "row 'Zambia' prints 9 values",
        ),
        (
            "the funding anchor gone",
            |s| replace(s, MI, "OVERVIEW OF FUNDING", "OVERVIEW"),
            "funding section anchor 'OVERVIEW OF FUNDING' not found",
        ),
        (
            "the AVRR heading gone",
            |s| {
                replace(
                    s,
                    "raw/annual_report_2016.txt",
                    "reintegration: key figures",
                    "reintegration: figures",
                )
            },
            "AVRR heading 'Assisted voluntary return and reintegration: key figures' not found",
        ),
    ];
    for (name, setup, needle) in cases {
        let s = Scratch::new();
        setup(&s);
        s.expect(&["run"], 1, &["extraction"]);
        let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
        let f = checks
            .iter()
            .find(|r| r[2] == "extraction")
            .unwrap_or_else(|| panic!("{name}: an extraction finding"));
        assert!(f[12].contains(needle), "{name}: {}", f[12]);
        assert!(
            f[12].contains(".txt:"),
            "{name}: names the file and line: {}",
            f[12]
        );
        let (_, mentions) = read_csv(&s.output().join("mentions.csv"));
        assert!(mentions.len() > 2000, "{name}: other datasets written");
    }
}

#[test]
fn the_largest_funding_figures_that_fit_add_up_exactly() {
    // Three cells near i64::MAX: their sum is checked exactly (i128), never wrapped.
    let s = Scratch::new();
    let big = "3,074,457,345,618,258,602";
    replace(
        &s,
        MI,
        "Angola 4,400,000 350,000 250,000 2,300,000 200,000 250,000 800,000 8,550,000",
        &format!("Angola {big} {big} {big} 0 0 0 0 9,223,372,036,854,775,806"),
    );
    s.expect(
        &["check"],
        1,
        &["column_total:southern_africa:emergency_post_crisis"],
    );
    let out = s.run(&["run", "--fail-on", "never"]);
    assert_eq!(out.status.code(), Some(0));
    let (_, checks) = read_csv(&s.output().join("validation_results.csv"));
    let row = checks
        .iter()
        .find(|r| r[0] == "funding_requirements:migration_initiatives_2016:row_total:southern_africa:angola")
        .unwrap();
    assert_eq!(
        row[8], "pass",
        "3 × 3,074,457,345,618,258,602 = 9,223,372,036,854,775,806"
    );
    // The column totals no longer match (the table's other figures are small): failures,
    // with the true difference, not a wrapped one.
    let column = checks
        .iter()
        .find(|r| r[0] == "funding_requirements:migration_initiatives_2016:column_total:southern_africa:emergency_post_crisis")
        .unwrap();
    assert_eq!(column[8], "fail");
    assert!(column[6].parse::<f64>().unwrap() > 3e18, "{}", column[6]);
}
