//! AVRR key figures (Annual Report for 2016): two panels side by side, "Top 10 host countries"
//! and "Top 10 places of origin", each with a column per year. Names wrap around the number
//! line ("UNSC resolution 1244-" / numbers / "administered Kosovo"), thousands are grouped
//! with a space (`54 006`), and a page marker follows the table.
//!
//! The layout is read from its own header: the heading, the panel titles, the year line; the
//! panels are told apart by the column where the first full row starts its second name. Any
//! other shape (a missing year, a row too few, text that belongs to no row) is an error.

use crate::catalogue::Ref;
use crate::config::AvrrConfig;
use crate::countries::{CountryTable, Place, Resolved, code_fields};
use crate::dataset::{DType, Dataset, Field, TableBuilder, Value};
use crate::document::Document;
use crate::error::Result;
use crate::extract::funding::join_name;
use crate::extract::metrics::Stated;
use crate::numbers::parse_grouped_int;
use crate::validate::{Finding, Severity, Status, check_id};

pub const DATASET: &str = "avrr_top_countries";

/// A run of text separated from its neighbours by two or more spaces.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    /// 0-based character column where it starts.
    col: usize,
}

fn cells(line: &str) -> Vec<Cell> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == ' ' {
            i += 1;
            continue;
        }
        let start = i;
        // A cell ends at two spaces in a row (one space stays inside: "54 006", "UNSC resolution").
        while i < chars.len() && !(chars[i] == ' ' && chars.get(i + 1).is_none_or(|c| *c == ' ')) {
            i += 1;
        }
        out.push(Cell {
            text: chars[start..i].iter().collect(),
            col: start,
        });
    }
    out
}

fn number(text: &str) -> Option<i64> {
    parse_grouped_int(text, ' ')
}

#[derive(Debug, Clone)]
pub struct Row {
    pub country: String,
    pub name_lines: Vec<usize>,
    /// One per configured year, in the configured order: (migrants assisted, line).
    pub values: Vec<(i64, usize)>,
}

#[derive(Debug, Clone)]
pub struct Panel {
    pub role: String,
    pub rows: Vec<Row>,
}

enum Event {
    Text {
        line: usize,
        text: String,
    },
    Numbers {
        line: usize,
        name: Option<String>,
        values: Vec<i64>,
    },
}

pub fn extract(doc: &Document, cfg: &AvrrConfig) -> Result<Vec<Panel>> {
    let lines = &doc.lines;
    let heading = lines
        .iter()
        .position(|l| l.text.trim() == cfg.heading)
        .ok_or_else(|| {
            doc.malformed(
                lines.len(),
                format!("AVRR heading '{}' not found", cfg.heading),
            )
        })?;
    // Panel titles on the next non-blank line, in order.
    let titles_idx = (heading + 1..lines.len())
        .find(|&i| !lines[i].text.trim().is_empty())
        .ok_or_else(|| doc.malformed(heading + 1, "nothing after the AVRR heading"))?;
    let titles = &lines[titles_idx].text;
    let mut at = 0;
    for panel in &cfg.panels {
        match titles[at..].find(panel.title.as_str()) {
            Some(p) => at += p + panel.title.len(),
            None => {
                return Err(doc.malformed(
                    titles_idx + 1,
                    format!("expected the panel titles {:?} in this order on the line after the heading", panel_titles(cfg)),
                ));
            }
        }
    }
    // The year line: every panel's years, in the configured order.
    let expected: Vec<String> = cfg
        .panels
        .iter()
        .flat_map(|_| cfg.years.iter().map(|y| y.to_string()))
        .collect();
    let years_idx = (titles_idx + 1..(titles_idx + 4).min(lines.len()))
        .find(|&i| {
            let t: Vec<&str> = lines[i].text.split_whitespace().collect();
            t.iter()
                .all(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()))
                && !t.is_empty()
        })
        .ok_or_else(|| {
            doc.malformed(
                titles_idx + 1,
                "no line of column years under the panel titles",
            )
        })?;
    let found: Vec<&str> = lines[years_idx].text.split_whitespace().collect();
    if found != expected {
        return Err(doc.malformed(
            years_idx + 1,
            format!("column years are {found:?}; pipeline.toml expects {expected:?}"),
        ));
    }

    // Data lines run to the first blank line or page marker.
    let body: Vec<usize> = (years_idx + 1..lines.len())
        .take_while(|&i| !lines[i].is_page_marker && !lines[i].text.trim().is_empty())
        .collect();
    let width = cfg.years.len();
    let full = 1 + width;
    // Panel starts: where each panel's name begins on the first row printed in full.
    let starts: Vec<usize> = body
        .iter()
        .map(|&i| cells(&lines[i].text))
        .find(|c| {
            c.len() == full * cfg.panels.len()
                && c.chunks(full).all(|p| {
                    number(&p[0].text).is_none() && p[1..].iter().all(|x| number(&x.text).is_some())
                })
        })
        .map(|c| c.chunks(full).map(|p| p[0].col).collect())
        .ok_or_else(|| {
            doc.malformed(
                years_idx + 2,
                "no row printed in full (name and every year for every panel)",
            )
        })?;

    let mut events: Vec<Vec<Event>> = cfg.panels.iter().map(|_| Vec::new()).collect();
    for &i in &body {
        let number_line = i + 1;
        let mut per_panel: Vec<Vec<Cell>> = cfg.panels.iter().map(|_| Vec::new()).collect();
        for cell in cells(&lines[i].text) {
            // A cell belongs to the last panel whose name column it reaches (two columns of slack).
            let p = starts.iter().rposition(|&s| cell.col + 2 >= s).unwrap_or(0);
            per_panel[p].push(cell);
        }
        for (p, cs) in per_panel.into_iter().enumerate() {
            if cs.is_empty() {
                continue;
            }
            let first_number = cs.iter().position(|c| number(&c.text).is_some());
            match first_number {
                None => events[p].push(Event::Text {
                    line: number_line,
                    text: cs
                        .iter()
                        .map(|c| c.text.as_str())
                        .collect::<Vec<_>>()
                        .join(" "),
                }),
                Some(k) => {
                    if k > 1
                        || cs[k..].iter().any(|c| number(&c.text).is_none())
                        || cs.len() - k != width
                    {
                        return Err(doc.malformed(
                            number_line,
                            format!(
                                "panel '{}': expected a name and {width} numbers, found {:?}",
                                cfg.panels[p].role,
                                cs.iter().map(|c| c.text.as_str()).collect::<Vec<_>>()
                            ),
                        ));
                    }
                    events[p].push(Event::Numbers {
                        line: number_line,
                        name: (k == 1).then(|| cs[0].text.clone()),
                        values: cs[k..].iter().filter_map(|c| number(&c.text)).collect(),
                    });
                }
            }
        }
    }

    let mut panels = Vec::new();
    for (p, evs) in events.into_iter().enumerate() {
        let role = &cfg.panels[p].role;
        let rows = assemble(doc, role, evs)?;
        if rows.len() != cfg.rows {
            return Err(doc.malformed(
                years_idx + 2,
                format!(
                    "panel '{role}' has {} rows; pipeline.toml expects {}",
                    rows.len(),
                    cfg.rows
                ),
            ));
        }
        panels.push(Panel {
            role: role.clone(),
            rows,
        });
    }
    Ok(panels)
}

fn panel_titles(cfg: &AvrrConfig) -> Vec<&str> {
    cfg.panels.iter().map(|p| p.title.as_str()).collect()
}

/// Rows of one panel. A number line without a name takes the text lines right above it and
/// right below it (the PDF centres a wrapped name on its numbers). Text that no row can take,
/// or that two nameless rows could both take, is an error.
fn assemble(doc: &Document, role: &str, events: Vec<Event>) -> Result<Vec<Row>> {
    let mut rows: Vec<Row> = Vec::new();
    let mut pending: Vec<(usize, String)> = Vec::new();
    // Index of the last row if it was nameless-on-its-line and may still take text below it.
    let mut open_below: Option<usize> = None;
    for ev in events {
        match ev {
            Event::Text { line, text } => pending.push((line, text)),
            Event::Numbers { line, name, values } => {
                let values: Vec<(i64, usize)> = values.into_iter().map(|v| (v, line)).collect();
                match name {
                    Some(name) => {
                        // Text between the previous row and this one belongs below that row.
                        attach_below(doc, role, &mut rows, open_below.take(), &mut pending)?;
                        rows.push(Row {
                            country: name,
                            name_lines: vec![line],
                            values,
                        });
                    }
                    None => {
                        if open_below.is_some() && !pending.is_empty() {
                            return Err(doc.malformed(
                                pending[0].0,
                                format!("panel '{role}': text '{}' lies between two rows whose names wrap; cannot tell which it belongs to", pending[0].1),
                            ));
                        }
                        if pending.is_empty() {
                            return Err(doc.malformed(
                                line,
                                format!("panel '{role}': numbers without a country name"),
                            ));
                        }
                        let (name_lines, parts): (Vec<usize>, Vec<String>) =
                            pending.drain(..).unzip();
                        rows.push(Row {
                            country: join_name(&parts),
                            name_lines,
                            values,
                        });
                        open_below = Some(rows.len() - 1);
                    }
                }
            }
        }
    }
    attach_below(doc, role, &mut rows, open_below, &mut pending)?;
    Ok(rows)
}

fn attach_below(
    doc: &Document,
    role: &str,
    rows: &mut [Row],
    open_below: Option<usize>,
    pending: &mut Vec<(usize, String)>,
) -> Result<()> {
    if pending.is_empty() {
        return Ok(());
    }
    let Some(r) = open_below else {
        return Err(doc.malformed(
            pending[0].0,
            format!("panel '{role}': text '{}' belongs to no row", pending[0].1),
        ));
    };
    let row = &mut rows[r];
    let mut parts = vec![row.country.clone()];
    for (line, text) in pending.drain(..) {
        row.name_lines.push(line);
        parts.push(text);
    }
    row.country = join_name(&parts);
    Ok(())
}

#[rustfmt::skip]
pub fn fields() -> Vec<Field> {
    use DType::*;
    let mut fields = vec![
        Field::new("role", Utf8, false, "host (country the migrants returned from) | origin (place they returned to).").hxl("#indicator+role").allowed(&["host", "origin"]),
        Field::new("rank", Int64, false, "Order in the table (1 = first printed), the same for both years.").hxl("#indicator+rank"),
        Field::new("country", Utf8, false, "Country or territory as printed, wrapped lines joined.").hxl("#country+name"),
    ];
    fields.extend(code_fields());
    fields.extend([
        Field::new("year", Int64, false, "Year of the column.").hxl("#date+year"),
        Field::new("migrants_assisted", Int64, false, "Migrants assisted to return (AVRR) that year.").hxl("#affected+returnees"),
        Field::new("doc_id", Utf8, false, "Source document id (pipeline.toml).").hxl("#meta+source"),
        Field::new("line", Int64, false, "1-based line where the number is printed.").hxl("#meta+line"),
        Field::new("page", Int64, true, "Page, from the document's page markers.").hxl("#meta+page"),
    ]);
    fields
}

pub fn dataset(
    doc: &Document,
    panels: &[Panel],
    cfg: &AvrrConfig,
    countries: &CountryTable,
    findings: &mut Vec<Finding>,
) -> Dataset {
    let mut table = TableBuilder::new(fields());
    for panel in panels {
        for (rank, row) in panel.rows.iter().enumerate() {
            let codes = countries.code_values(
                &row.country,
                &Place {
                    dataset: DATASET,
                    doc_id: &doc.id,
                    line: row.name_lines[0],
                    evidence: &doc.line(row.name_lines[0]).raw,
                },
                findings,
            );
            for (&(value, line), year) in row.values.iter().zip(&cfg.years) {
                let mut values: Vec<Value> = vec![
                    panel.role.as_str().into(),
                    (rank + 1).into(),
                    row.country.as_str().into(),
                ];
                values.extend(codes.iter().cloned());
                values.extend([
                    Value::Int(Some(i64::from(*year))),
                    value.into(),
                    doc.id.as_str().into(),
                    line.into(),
                    doc.line(line).page.into(),
                ]);
                table.push(values);
            }
        }
    }
    table.finish(
        DATASET,
        vec![doc.id.clone()],
        ["doc_id", "role", "rank", "year"]
            .map(String::from)
            .to_vec(),
    )
}

fn finding(kind: &str, parts: &[&str], subject: String, doc: &Document, line: usize) -> Finding {
    Finding {
        check_id: check_id(DATASET, kind, parts),
        dataset: DATASET.into(),
        kind: kind.into(),
        subject,
        stated: None,
        computed: None,
        tolerance: None,
        status: Status::Pass,
        severity: Severity::Error,
        doc_id: doc.id.clone(),
        line: Some(line),
        evidence: doc.line(line).raw.trim().to_string(),
        message: String::new(),
    }
}

/// The checks of the AVRR key figures against themselves and the headline figures.
pub fn checks(
    doc: &Document,
    panels: &[Panel],
    cfg: &AvrrConfig,
    countries: &CountryTable,
    stated: &[Stated],
) -> Vec<Finding> {
    let mut out = Vec::new();
    for panel in panels {
        for (k, year) in cfg.years.iter().enumerate() {
            let column: Vec<(i64, usize)> = panel.rows.iter().map(|r| r.values[k]).collect();
            let first_line = column[0].1;
            let y = year.to_string();

            // Order: the ranked column must descend; another column is only reported.
            let breaks: Vec<usize> = (1..column.len())
                .filter(|&i| column[i].0 > column[i - 1].0)
                .collect();
            let ranked = *year == cfg.ranked_year;
            let mut f = finding(
                "rank_order",
                &[&panel.role, &y],
                format!("{} / {year}: descending order", panel.role),
                doc,
                first_line,
            );
            f.severity = if ranked {
                Severity::Error
            } else {
                Severity::Info
            };
            f.status = if breaks.is_empty() {
                Status::Pass
            } else {
                Status::Fail
            };
            f.message = match (breaks.first(), ranked) {
                (None, _) => format!("the {year} column descends from rank 1 to {}", column.len()),
                (Some(&i), true) => format!(
                    "the {year} column ranks the table but rank {} ({}) exceeds rank {} ({})",
                    i + 1,
                    column[i].0,
                    i,
                    column[i - 1].0
                ),
                (Some(&i), false) => format!(
                    "the {year} column is not a ranking (the table is ranked by {}): rank {} ({}) exceeds rank {} ({}); reported for information",
                    cfg.ranked_year,
                    i + 1,
                    column[i].0,
                    i,
                    column[i - 1].0
                ),
            };
            if let Some(&i) = breaks.first() {
                f.line = Some(column[i].1);
                f.evidence = doc.line(column[i].1).raw.trim().to_string();
            }
            out.push(f);

            // The top 10 of a year cannot exceed the year's stated total (qualifier-aware).
            let sum: i64 = column.iter().map(|c| c.0).sum();
            let mut f = finding(
                "top_n_total",
                &[&panel.role, &y],
                format!(
                    "{} / {year}: top {} vs stated total",
                    panel.role,
                    column.len()
                ),
                doc,
                first_line,
            );
            f.computed = Some(sum as f64);
            match stated
                .iter()
                .find(|s| s.key == cfg.total_metric && s.year == *year)
            {
                Some(total) => {
                    let (_, hi) = total.interval();
                    f.stated = Some(total.value);
                    f.status = if (sum as f64) <= hi {
                        Status::Pass
                    } else {
                        Status::Fail
                    };
                    f.doc_id = total.doc_id.clone();
                    f.line = Some(total.line);
                    f.evidence = format!(
                        "{} | [{}:{}] top {} of the {year} column",
                        total.cite(),
                        doc.id,
                        first_line,
                        column.len()
                    );
                    f.message = format!(
                        "top {} {} countries for {year} sum to {sum}; the stated total is {} ({}): {}",
                        column.len(),
                        panel.role,
                        total.raw,
                        cfg.total_metric,
                        if f.status == Status::Pass {
                            "within it"
                        } else {
                            "the top 10 alone exceed it"
                        }
                    );
                }
                None => {
                    f.status = Status::Fail;
                    f.message = format!(
                        "no stated total '{}' for {year} in the metrics catalogue",
                        cfg.total_metric
                    );
                }
            }
            out.push(f);
        }
    }
    out.extend(share_checks(doc, panels, cfg, countries, stated));
    out
}

/// The share of returns from a group of host countries (e.g. the EEA) is at least what the
/// group's members among the top 10 account for.
fn share_checks(
    doc: &Document,
    panels: &[Panel],
    cfg: &AvrrConfig,
    countries: &CountryTable,
    stated: &[Stated],
) -> Vec<Finding> {
    let mut out = Vec::new();
    let Some(hosts) = panels.iter().find(|p| p.role == cfg.host_role) else {
        return out;
    };
    for check in &cfg.share_checks {
        let Some(k) = cfg.years.iter().position(|y| *y == check.year) else {
            continue;
        };
        let share_ref = Ref::parse(&check.share);
        let y = check.year.to_string();
        let mut f = finding(
            "share_lower_bound",
            &[&check.share],
            format!(
                "{}: stated share vs the members among the top {} hosts",
                check.share,
                hosts.rows.len()
            ),
            doc,
            hosts.rows[0].values[k].1,
        );
        let share = share_ref
            .as_ref()
            .and_then(|r| stated.iter().find(|s| s.key == r.key && s.year == r.year));
        let total = stated
            .iter()
            .find(|s| s.key == cfg.total_metric && s.year == check.year);
        let (Some(share), Some(total)) = (share, total) else {
            f.status = Status::Fail;
            f.message = format!(
                "'{}' or '{}@{y}' is not stated in the metrics",
                check.share, cfg.total_metric
            );
            out.push(f);
            continue;
        };
        let mut members = Vec::new();
        let mut unknown = Vec::new();
        for row in &hosts.rows {
            match countries.resolve(&row.country) {
                Resolved::Country(c) => {
                    let member = check.members.iter().any(|m| match m.as_str() {
                        "eu" => c.eu,
                        "eea" => c.eea,
                        "efta" => c.efta,
                        code => c.iso3 == code,
                    });
                    if member {
                        members.push((row.country.as_str(), row.values[k].0));
                    }
                }
                _ => unknown.push(row.country.as_str()),
            }
        }
        let sum: i64 = members.iter().map(|m| m.1).sum();
        let (total_lo, total_hi) = total.interval();
        // The bound is highest when the total is smallest.
        let implied_max = sum as f64 / total_lo * 100.0;
        let implied_min = if total_hi.is_finite() {
            sum as f64 / total_hi * 100.0
        } else {
            0.0
        };
        let (_, share_hi) = share.interval();
        f.stated = Some(share.value);
        f.computed = Some(sum as f64 / total.value * 100.0);
        f.doc_id = share.doc_id.clone();
        f.line = Some(share.line);
        f.evidence = format!(
            "{} | {} | [{}] {}",
            share.cite(),
            total.cite(),
            doc.id,
            members
                .iter()
                .map(|(n, v)| format!("{n} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        f.status = if implied_min <= share_hi && unknown.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        };
        if !unknown.is_empty() {
            f.severity = Severity::Warning;
        }
        f.message = if !unknown.is_empty() {
            format!(
                "cannot decide: host names not in the country table: {}",
                unknown.join(", ")
            )
        } else {
            format!(
                "{} of the top {} hosts for {y} count as [{}] and sum to {sum}: {:.1}% of the stated total {} (at most {:.1}% however the total is read); the stated share {} must be at least that: {}",
                members.len(),
                hosts.rows.len(),
                check.members.join(", "),
                f.computed.unwrap_or_default(),
                total.raw,
                implied_max,
                share.raw,
                if f.status == Status::Pass {
                    "it is"
                } else {
                    "it is not"
                }
            )
        };
        out.push(f);
    }
    out
}
