//! The charts' data, gathered from the data files: what each chart shows, not how it is drawn.

use std::collections::BTreeMap;

use maud::{Markup, html};

use super::charts::{colour, grouped_bars, hex, small_multiple, stacked_bars};
use super::load::{Loaded, Rows};
use super::parts::chart;

/// Metrics drawn as small multiples (the first, by key, with two or more years).
const MULTIPLES: usize = 36;

fn legend(names: &[String]) -> Markup {
    html! {
        ul.legend {
            @for (i, n) in names.iter().enumerate() {
                li { span.swatch style={ "background:" (hex(colour(i))) } {} " " (n) }
            }
        }
    }
}

/// Values summed by (label, series), labels and series in first-seen order.
struct Table2 {
    labels: Vec<String>,
    series: Vec<String>,
    values: BTreeMap<(usize, usize), f64>,
}

impl Table2 {
    fn new() -> Table2 {
        Table2 {
            labels: Vec::new(),
            series: Vec::new(),
            values: BTreeMap::new(),
        }
    }

    fn add(&mut self, label: &str, series: &str, v: f64) {
        let index = |list: &mut Vec<String>, s: &str| match list.iter().position(|x| x == s) {
            Some(i) => i,
            None => {
                list.push(s.to_string());
                list.len() - 1
            }
        };
        let l = index(&mut self.labels, label);
        let s = index(&mut self.series, series);
        *self.values.entry((l, s)).or_default() += v;
    }

    fn series(&self) -> Vec<(String, Vec<f64>)> {
        self.series
            .iter()
            .enumerate()
            .map(|(s, name)| {
                let v = (0..self.labels.len())
                    .map(|l| self.values.get(&(l, s)).copied().unwrap_or(0.0))
                    .collect();
                (name.clone(), v)
            })
            .collect()
    }
}

pub fn funding(loaded: &Loaded) -> Markup {
    html! {
        @for f in &loaded.funding {
            @let t = {
                let mut t = Table2::new();
                for ((region, category), v) in &f.sums {
                    t.add(region, category, *v);
                }
                t
            };
            @if !t.labels.is_empty() {
                h3 { "Funding requirements by region and category (" code { (f.name) } ", all documents)" }
                (chart(stacked_bars("Requirements by region (USD million)", &t.labels, &t.series(), "USD million", &[])))
                (legend(&t.series))
            }
        }
    }
}

/// The panels' roles in printed order.
fn roles_of(rows: &Rows) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for r in &rows.rows {
        let role = rows.get(r, "role");
        if !roles.iter().any(|x| x == role) {
            roles.push(role.to_string());
        }
    }
    roles
}

fn avrr_role(rows: &Rows, role: &str) -> (Vec<String>, Vec<(String, Vec<f64>)>) {
    let mut mine: Vec<&Vec<String>> = rows
        .rows
        .iter()
        .filter(|r| rows.get(r, "role") == role)
        .collect();
    mine.sort_by_key(|r| rows.get(r, "rank").parse::<usize>().unwrap_or(usize::MAX));
    let mut years: Vec<String> = mine
        .iter()
        .map(|r| rows.get(r, "year").to_string())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let mut t = Table2::new();
    for y in &years {
        t.series.push(y.clone());
    }
    for r in &mine {
        t.add(
            rows.get(r, "country"),
            rows.get(r, "year"),
            rows.number(r, "migrants_assisted").unwrap_or(0.0),
        );
    }
    let series = t.series();
    (t.labels, series)
}

pub fn avrr(loaded: &Loaded) -> Markup {
    html! {
        @for rows in &loaded.avrr {
            @for role in &roles_of(rows) {
                @let (labels, series) = avrr_role(rows, role);
                h3 { "AVRR top " (labels.len()) ": " (role) " (migrants assisted)" }
                (chart(grouped_bars(&format!("Top {} {role}", labels.len()), &labels, &series)))
                (legend(&series.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>()))
            }
        }
    }
}

fn multiples(rows: &Rows) -> Vec<(String, Vec<(i32, f64)>)> {
    let years: Vec<(String, i32)> = rows
        .columns()
        .iter()
        .filter_map(|c| Some((c.clone(), c.strip_prefix("value_")?.parse().ok()?)))
        .collect();
    rows.rows
        .iter()
        .filter_map(|r| {
            let points: Vec<(i32, f64)> = years
                .iter()
                .filter_map(|(c, y)| Some((*y, rows.number(r, c)?)))
                .collect();
            let unit = rows.get(r, "unit");
            (points.len() >= 2).then(|| (format!("{} ({unit})", rows.get(r, "metric_key")), points))
        })
        .take(MULTIPLES)
        .collect()
}

pub fn metrics(loaded: &Loaded) -> Markup {
    html! {
        @for rows in &loaded.metrics_wide {
            @let all = multiples(rows);
            @if !all.is_empty() {
                h3 { "Metrics stated for two or more years" }
                div.multiples {
                    @for (title, points) in &all { (chart(small_multiple(title, points))) }
                }
                @if all.len() == MULTIPLES { p.note { "The first " (MULTIPLES) " are drawn; metrics_wide holds them all." } }
            }
        }
    }
}

pub fn claims(loaded: &Loaded) -> Markup {
    let kinds: Vec<String> = loaded.claims.iter().map(|(k, _, _)| k.clone()).collect();
    let pass: Vec<f64> = loaded.claims.iter().map(|c| c.1 as f64).collect();
    let fail: Vec<f64> = loaded.claims.iter().map(|c| c.2 as f64).collect();
    let series = vec![("pass".to_string(), pass), ("fail".to_string(), fail)];
    html! {
        @if !kinds.is_empty() {
            h3 { "Claims by kind and outcome" }
            (chart(stacked_bars("Claims found in the text", &kinds, &series, "claims", &[colour(0), colour(5)])))
            ul.legend {
                li { span.swatch style={ "background:" (hex(colour(0))) } {} " pass" }
                li { span.swatch style={ "background:" (hex(colour(5))) } {} " fail" }
            }
        }
    }
}
