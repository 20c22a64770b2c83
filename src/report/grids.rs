//! Funding reconciliation grids: each table as printed (countries × categories, the Total
//! column and the Total row), every printed total marked pass or fail against its check,
//! dashes and inferred blanks marked, and the region-title inference shown.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::load::{Funding, Loaded, Rows};
use super::parts::{GRIDS, anchor, grouped};
use crate::validate::{Finding, Status, check_id, slug};

/// One printed table: (document, region) with its rows in printed order.
struct Grid<'a> {
    doc: String,
    region: String,
    first_line: usize,
    categories: Vec<(String, String)>,
    rows: Vec<(String, BTreeMap<String, Cell<'a>>)>,
    /// Per country, and "Total" for the Total row: category code → printed total.
    totals: BTreeMap<String, BTreeMap<String, Cell<'a>>>,
}

struct Cell<'a> {
    amount: &'a str,
    status: &'a str,
}

fn grids<'a>(f: &'a Funding) -> Vec<Grid<'a>> {
    let mut by_table: BTreeMap<(String, String), Grid<'a>> = BTreeMap::new();
    let cells = &f.cells;
    for r in &cells.rows {
        let key = (
            cells.get(r, "doc_id").to_string(),
            cells.get(r, "region").to_string(),
        );
        let line: usize = cells.get(r, "line").parse().unwrap_or(0);
        let grid = by_table.entry(key.clone()).or_insert_with(|| Grid {
            doc: key.0.clone(),
            region: key.1.clone(),
            first_line: line,
            categories: Vec::new(),
            rows: Vec::new(),
            totals: BTreeMap::new(),
        });
        grid.first_line = grid.first_line.min(line);
        let cat = (
            cells.get(r, "category_code").to_string(),
            cells.get(r, "category").to_string(),
        );
        if !grid.categories.contains(&cat) {
            grid.categories.push(cat.clone());
        }
        let country = cells.get(r, "country").to_string();
        let cell = Cell {
            amount: cells.get(r, "amount_usd"),
            status: cells.get(r, "cell_status"),
        };
        match grid.rows.iter_mut().find(|(c, _)| *c == country) {
            Some((_, row)) => {
                row.insert(cat.0, cell);
            }
            None => grid.rows.push((country, BTreeMap::from([(cat.0, cell)]))),
        }
    }
    if let Some(t) = &f.totals {
        add_totals(t, &mut by_table);
    }
    let mut out: Vec<Grid> = by_table.into_values().collect();
    out.sort_by(|a, b| (&a.doc, a.first_line).cmp(&(&b.doc, b.first_line)));
    out
}

fn add_totals<'a>(t: &'a Rows, by_table: &mut BTreeMap<(String, String), Grid<'a>>) {
    for r in &t.rows {
        let key = (
            t.get(r, "doc_id").to_string(),
            t.get(r, "region").to_string(),
        );
        if let Some(grid) = by_table.get_mut(&key) {
            grid.totals
                .entry(t.get(r, "country").to_string())
                .or_default()
                .insert(
                    t.get(r, "category_code").to_string(),
                    Cell {
                        amount: t.get(r, "stated_usd"),
                        status: t.get(r, "cell_status"),
                    },
                );
        }
    }
}

pub fn funding(loaded: &Loaded) -> Markup {
    let by_id: BTreeMap<&str, &Finding> = loaded
        .findings
        .iter()
        .map(|f| (f.check_id.as_str(), f))
        .collect();
    html! {
        section #funding {
            h2 { "Funding tables as printed" }
            p.legend {
                span.pass { "✓ total agrees" } " " span.fail { "✗ total differs" } " "
                span.dash { "– printed dash" } " " span.inferred { "blank placed by inference" }
            }
            @for f in &loaded.funding { (dataset_grids(f, &by_id)) }
        }
    }
}

/// A dataset's tables in printed order; beyond [`GRIDS`], those with a failed total first.
fn dataset_grids(f: &Funding, by_id: &BTreeMap<&str, &Finding>) -> Markup {
    // The loader kept the first tables printed and every table with a failed total.
    let all = grids(f);
    let mut order: Vec<&Grid> = all.iter().collect();
    if f.tables > GRIDS {
        order.sort_by_cached_key(|g| !table_fails(&f.name, g, by_id));
    }
    html! {
        @for g in &order { (grid(&f.name, g, by_id)) }
        @if f.tables > all.len() {
            p.note { (f.tables - all.len()) " more tables pass and are not drawn (the page draws the first " (GRIDS) " and every table with a failed total)." }
        }
    }
}

fn table_fails(dataset: &str, g: &Grid, by_id: &BTreeMap<&str, &Finding>) -> bool {
    let prefix = format!("{dataset}:{}:", g.doc);
    let region = format!(":{}:", slug(&g.region));
    // Ids sort by their prefix: the document's findings are one range of the map.
    by_id
        .range(prefix.as_str()..)
        .take_while(|(id, _)| id.starts_with(&prefix))
        .any(|(id, f)| f.status == Status::Fail && id.contains(&region))
}

fn mark(f: Option<&&Finding>) -> Markup {
    match f {
        Some(f) if f.status == Status::Pass => html! { span.pass title=(f.message) { "✓" } },
        Some(f) => html! { a.fail href={ "#" (anchor(&f.check_id)) } title=(f.message) { "✗" } },
        None => html! {},
    }
}

fn amount(cell: Option<&Cell>) -> Markup {
    match cell {
        None => html! { span.missing { "" } },
        Some(c) if c.status == "dash" => html! { span.dash { "–" } },
        Some(c) if c.status.contains("inferred") => {
            let shown = if c.amount.is_empty() {
                "blank".to_string()
            } else {
                money(c.amount)
            };
            html! { span.inferred title="a cell the row does not print, placed by inference (see its finding)" { (shown) } }
        }
        Some(c) => html! { (money(c.amount)) },
    }
}

fn money(s: &str) -> String {
    s.parse::<i64>()
        .map(grouped)
        .unwrap_or_else(|_| s.to_string())
}

fn grid(dataset: &str, g: &Grid, by_id: &BTreeMap<&str, &Finding>) -> Markup {
    let id = |kind: &str, parts: &[&str]| check_id(dataset, &g.doc, kind, parts);
    let title = by_id
        .get(id("region_title", &[&g.region]).as_str())
        .copied();
    let grand: Vec<&&Finding> = ["row_totals", "column_totals", "cells"]
        .iter()
        .filter_map(|p| by_id.get(id("grand_total", &[&g.region, p]).as_str()))
        .collect();
    let grand_ok = grand.iter().all(|f| f.status == Status::Pass);
    html! {
        figure.grid id={ "grid-" (slug(&g.doc)) "-" (slug(&g.region)) } {
            figcaption {
                strong { (g.region) } " · " code { (g.doc) } " from line " (g.first_line)
                @if let Some(t) = title {
                    " " a.inferred href={ "#" (anchor(&t.check_id)) } title=(t.message) { "title inferred" }
                }
            }
            div.scroll {
                table.funding {
                    thead {
                        tr {
                            th { "country" }
                            @for (_, name) in &g.categories { th.num { (name) } }
                            th.num { "Total" }
                        }
                    }
                    tbody {
                        @for (country, cells) in &g.rows {
                            tr {
                                th { (country) }
                                @for (code, _) in &g.categories { td.num { (amount(cells.get(code))) } }
                                td.num.total {
                                    (amount(g.totals.get(country).and_then(|t| t.get("total"))))
                                    " " (mark(by_id.get(id("row_total", &[&g.region, country]).as_str())))
                                }
                            }
                        }
                    }
                    tfoot {
                        tr {
                            th { "Total" }
                            @for (code, _) in &g.categories {
                                td.num.total {
                                    (amount(g.totals.get("Total").and_then(|t| t.get(code))))
                                    " " (mark(by_id.get(id("column_total", &[&g.region, code]).as_str())))
                                }
                            }
                            td.num.total {
                                (amount(g.totals.get("Total").and_then(|t| t.get("total"))))
                                " " @if !grand.is_empty() {
                                    @if grand_ok { span.pass title="grand total agrees with the row totals, the column totals and the cells" { "✓" } }
                                    @else { (mark(grand.iter().find(|f| f.status != Status::Pass).copied())) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
