//! `report.html` and `iomtally explain` on the default run: the page is parsed (scraper) and
//! every failed and inferred finding must be there with its stated and computed numbers and
//! its source lines; the funding grids must hold the printed values; nothing is fetched from
//! the network; `report DIR` rebuilds the same page; `explain` shows a finding with its lines.

mod common;

use std::sync::OnceLock;

use common::{Scratch, read_csv, stderr};
use scraper::{Html, Selector};

struct Run {
    scratch: Scratch,
    html: String,
}

fn run() -> &'static Run {
    static RUN: OnceLock<Run> = OnceLock::new();
    RUN.get_or_init(|| {
        let scratch = Scratch::new();
        let out = scratch.run(&["run"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let html = scratch.read("output/report.html");
        Run { scratch, html }
    })
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn text(e: scraper::ElementRef) -> String {
    e.text().collect::<String>()
}

/// As the page prints numbers: grouped whole numbers, two decimals otherwise, "—" for none.
fn shown(cell: &str) -> String {
    match cell.parse::<f64>() {
        Err(_) => "—".into(),
        Ok(v) if v.fract() == 0.0 => {
            let digits = (v.abs() as i64).to_string();
            let mut out = if v < 0.0 {
                "−".to_string()
            } else {
                String::new()
            };
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i).is_multiple_of(3) {
                    out.push(',');
                }
                out.push(c);
            }
            out
        }
        Ok(v) => format!("{v:.2}"),
    }
}

fn anchor(id: &str) -> String {
    let mut a = String::from("f-");
    a.extend(id.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        }
    }));
    a
}

#[test]
fn every_failed_and_inferred_finding_is_shown_with_its_numbers_and_lines() {
    let r = run();
    let page = Html::parse_document(&r.html);
    let (header, rows) = read_csv(&r.scratch.output().join("validation_results.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let mut shown_count = 0;
    for row in rows
        .iter()
        .filter(|r| r[col("status")] == "fail" || r[col("status")] == "inferred")
    {
        let id = &row[col("check_id")];
        let article = page
            .select(&sel(&format!("article#{}", anchor(id))))
            .next()
            .unwrap_or_else(|| panic!("no article for {id}"));
        let stated = text(article.select(&sel("dd.stated")).next().unwrap());
        let computed = text(article.select(&sel("dd.computed")).next().unwrap());
        assert_eq!(stated, shown(&row[col("stated")]), "{id}");
        assert_eq!(computed, shown(&row[col("computed")]), "{id}");
        // The source lines around the finding, its own line among the highlighted ones.
        let focus: Vec<String> = article.select(&sel("tr.focus td.ln")).map(text).collect();
        assert!(
            focus.contains(&row[col("line")]),
            "{id}: line {} not in {focus:?}",
            row[col("line")]
        );
        // And the headline links to it.
        let link = format!("a[href=\"#{}\"]", anchor(id));
        assert!(page.select(&sel(&link)).next().is_some(), "{id} not linked");
        shown_count += 1;
    }
    // 12 warnings, 2 info, 3 inferred on the five documents.
    assert_eq!(shown_count, 17);
}

#[test]
fn the_figures_of_a_claim_are_highlighted_on_their_lines() {
    let page = Html::parse_document(&run().html);
    let id = "claims:global_activities_2017:count_share:l912c161";
    let article = page
        .select(&sel(&format!("article#{}", anchor(id))))
        .next()
        .unwrap();
    let marks: Vec<String> = article.select(&sel("tr.focus mark")).map(text).collect();
    assert_eq!(marks, ["6,207", "4,201", "67%"]);
    let lines: Vec<String> = article.select(&sel("tr.focus td.ln")).map(text).collect();
    assert_eq!(lines, ["912", "913", "914"]);
}

#[test]
fn funding_grids_hold_the_printed_values_and_marks() {
    let r = run();
    let page = Html::parse_document(&r.html);
    let (header, rows) = read_csv(&r.scratch.output().join("funding_requirements.csv"));
    let col = |n: &str| header.iter().position(|h| h == n).unwrap();
    let slug = |s: &str| iomtally::validate::slug(s);
    for row in &rows {
        let grid_id = format!(
            "figure#grid-{}-{}",
            slug(&row[col("doc_id")]),
            slug(&row[col("region")])
        );
        let grid = page
            .select(&sel(&grid_id))
            .next()
            .unwrap_or_else(|| panic!("no {grid_id}"));
        let country = &row[col("country")];
        let tr = grid
            .select(&sel("tbody tr"))
            .find(|tr| tr.select(&sel("th")).next().map(text).as_deref() == Some(country.as_str()))
            .unwrap_or_else(|| panic!("{country} not in {grid_id}"));
        let cells: Vec<String> = tr
            .select(&sel("td"))
            .map(|td| text(td).trim().to_string())
            .collect();
        let expected = match row[col("cell_status")].as_str() {
            "dash" => "–".to_string(),
            "blank_inferred" => "blank".to_string(),
            _ => shown(&row[col("amount_usd")]),
        };
        assert!(
            cells.contains(&expected),
            "{country} in {grid_id}: {expected} not in {cells:?}"
        );
    }
    // Every printed total is marked: 156 rows, 63 column totals and the grand totals, all pass.
    assert_eq!(
        page.select(&sel("figure.grid span.pass")).count(),
        156 + 63 + 27 / 3
    );
    assert_eq!(page.select(&sel("figure.grid .fail")).count(), 0);
    // The lost title is shown as inferred, linked to its finding.
    let west = page
        .select(&sel(
            "figure#grid-migration_initiatives_2016-west_and_central_africa figcaption a.inferred",
        ))
        .next();
    assert!(west.is_some());
}

#[test]
fn the_page_fetches_nothing_and_draws_its_charts_inline() {
    let html = &run().html;
    let page = Html::parse_document(html);
    for (tag, attr) in [
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("iframe", "src"),
        ("a", "href"),
    ] {
        for e in page.select(&sel(tag)) {
            if let Some(v) = e.value().attr(attr) {
                let remote =
                    v.starts_with("http:") || v.starts_with("https:") || v.starts_with("//");
                assert!(
                    !remote || tag == "a",
                    "{tag} {attr}={v} fetches from the network"
                );
                assert!(
                    tag != "link" && tag != "script" && tag != "img",
                    "external {tag}: {v}"
                );
            }
        }
    }
    assert!(
        !html.contains("@import") && !html.contains("url("),
        "CSS fetches nothing"
    );
    // Funding by region, AVRR hosts and origins, metrics small multiples, claims.
    assert!(page.select(&sel("#charts svg")).count() >= 5);
    assert!(
        html.contains("Requirements by region")
            && html.contains("Top 10 host")
            && html.contains("Claims found in the text")
    );
}

#[test]
fn report_rebuilds_the_same_page_and_says_when_a_source_changed() {
    let r = run();
    let scratch = Scratch::new();
    assert_eq!(scratch.run(&["run"]).status.code(), Some(0));
    let first = scratch.read("output/report.html");
    std::fs::remove_file(scratch.path("output/report.html")).unwrap();
    scratch.expect(&["report", "output"], 0, &["report.html"]);
    assert_eq!(scratch.read("output/report.html"), first);
    // Same inputs, same page, but for the run's id and times.
    assert_eq!(without_run_line(&first), without_run_line(&r.html));
    // A report deleted: the next run is not "up to date" and writes it again.
    std::fs::remove_file(scratch.path("output/report.html")).unwrap();
    let err = scratch.expect(&["run"], 0, &[]);
    assert!(
        !err.contains("up to date") && scratch.path("output/report.html").is_file(),
        "{err}"
    );
    // A source edited after the run: its lines are not shown, and the page says why.
    scratch.edit_line("raw/global_activities_2017.txt", 914, "(67%)", "(68%)");
    scratch.expect(&["report", "output"], 0, &[]);
    let page = scratch.read("output/report.html");
    assert!(page.contains(
        "global_activities_2017: the source file is missing or has changed since the run"
    ));
    // Not an output folder: exit 3, named; for explain too.
    scratch.expect(&["report", "raw"], 3, &["manifest.json"]);
    scratch.expect(&["report", "nowhere"], 3, &["manifest.json"]);
    scratch.expect(&["explain", "x", "--output", "raw"], 3, &["manifest.json"]);
}

#[test]
fn explain_shows_a_finding_with_its_lines_and_suggests_close_ids() {
    let r = run();
    let out = r.scratch.run(&[
        "explain",
        "claims:migration_initiatives_2016:count_share:l3844c6",
    ]);
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        shown.contains("raw/migration_initiatives_2016.txt:3844"),
        "{shown}"
    );
    assert!(shown.contains("stated 41 · computed 40.22"), "{shown}");
    // The figures underlined under their line.
    let lines: Vec<&str> = shown.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("11,290 fatalities"))
        .unwrap();
    assert!(
        lines[at + 1].contains("^") || lines[at + 1].contains("-"),
        "{shown}"
    );
    assert!(lines[at].trim_start().starts_with("3844"), "{shown}");
    // An unknown id: exit 2 with the closest known ones.
    r.scratch.expect(
        &[
            "explain",
            "funding_requirements:migration_initiatives_2016:row_total:southern_africa:angol",
        ],
        2,
        &[
            "did you mean",
            "funding_requirements:migration_initiatives_2016:row_total:southern_africa:angola",
        ],
    );
}

/// Beyond the first tables the page draws only those with a failed total: a table that fails
/// late in a long corpus (the 72nd of 72) is drawn, with its failed mark.
#[test]
fn a_failing_table_beyond_the_first_drawn_is_drawn() {
    let s = Scratch::new();
    let original = s.read("raw/migration_initiatives_2016.txt");
    let config = s.read("pipeline.toml");
    let start = config
        .find("[[documents]]\nid = \"migration_initiatives_2016\"")
        .unwrap();
    let end = start + config[start + 1..].find("[[documents]]").unwrap() + 1;
    let block = &config[start..end];
    let mut extra = String::new();
    for k in 1..=7 {
        let id = format!("migration_initiatives_2016_copy{k}");
        let mut text = original.clone();
        if k == 7 {
            // The last table's grand total, one dollar off.
            let total = "Total 20,800,000 5,580,000 27,850,000 32,510,000 32,305,000 6,880,000 - 125,925,000";
            assert_eq!(text.matches(total).count(), 1);
            text = text.replace(total, &total.replace("125,925,000", "125,925,001"));
        }
        s.write(&format!("raw/{id}.txt"), &text);
        extra.push_str(
            &block
                .replace("\"migration_initiatives_2016\"", &format!("\"{id}\""))
                .replace(
                    "raw/migration_initiatives_2016.txt",
                    &format!("raw/{id}.txt"),
                ),
        );
    }
    s.write(
        "pipeline.toml",
        &config.replacen(block, &format!("{block}{extra}"), 1),
    );
    s.expect(&["run"], 1, &["grand_total"]);
    let page = Html::parse_document(&s.read("output/report.html"));
    let grid = "figure#grid-migration_initiatives_2016_copy7-south_eastern_europe_eastern_europe_and_central_asia";
    let failing = page
        .select(&sel(grid))
        .next()
        .expect("the failing table is drawn");
    assert_eq!(failing.select(&sel(".fail")).count(), 1);
    assert_eq!(page.select(&sel("figure.grid")).count(), 61);
}

/// The page without the run's id and times.
fn without_run_line(s: &str) -> String {
    let start = s.find("<p class=\"run\">").unwrap();
    let end = start + s[start..].find("</p>").unwrap();
    format!("{}{}", &s[..start], &s[end..])
}

#[test]
fn the_page_is_the_same_from_csv_alone_and_from_parquet_alone() {
    // The report reads a set's Parquet files when it has them (only the columns it draws) and
    // its CSV otherwise: both must give the page the default set (both formats) gives.
    let r = run();
    for formats in [r#"["csv"]"#, r#"["parquet"]"#] {
        let scratch = Scratch::new();
        let config = scratch.read("pipeline.toml");
        let line = config
            .lines()
            .position(|l| l.starts_with("formats = "))
            .unwrap();
        scratch.edit_line("pipeline.toml", line + 1, r#"["parquet", "csv"]"#, formats);
        let out = scratch.run(&["run"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let page = scratch.read("output/report.html");
        assert_eq!(
            without_run_line(&page),
            without_run_line(&r.html),
            "{formats}"
        );
    }
}

#[test]
fn a_parquet_file_reads_back_as_its_csv_prints_it() {
    use iomtally::set::read::{each_csv_row, each_parquet_row};
    let r = run();
    let dir = r.scratch.output();
    let manifest = iomtally::set::Manifest::read(&dir).unwrap();
    let mut compared = 0;
    for record in &manifest.datasets {
        let file = |format: &str| {
            let f = record.files.iter().find(|f| f.format == format).unwrap();
            dir.join(&f.path)
        };
        let mut from_csv = Vec::new();
        let csv_header = each_csv_row(&file("csv"), |_, row| {
            from_csv.push(row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        })
        .unwrap();
        let mut from_parquet = Vec::new();
        let parquet_header = each_parquet_row(&file("parquet"), None, |_, row| {
            from_parquet.push(row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        })
        .unwrap();
        assert_eq!(parquet_header, csv_header, "{}", record.name);
        assert_eq!(from_parquet.len(), record.rows, "{}", record.name);
        assert_eq!(from_parquet, from_csv, "{}", record.name);
        // Asked for some columns, in any order: those, in the file's order.
        let keep = [csv_header[2].as_str(), csv_header[0].as_str()];
        let mut picked = Vec::new();
        let header = each_parquet_row(&file("parquet"), Some(&keep), |_, row| {
            picked.push(row.iter().map(|c| c.to_string()).collect::<Vec<_>>())
        })
        .unwrap();
        assert_eq!(header, [csv_header[0].clone(), csv_header[2].clone()]);
        let want: Vec<Vec<String>> = from_csv
            .iter()
            .map(|row| vec![row[0].clone(), row[2].clone()])
            .collect();
        assert_eq!(picked, want, "{}", record.name);
        compared += 1;
    }
    assert!(compared >= 6, "{compared} datasets compared");
}
