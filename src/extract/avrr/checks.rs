//! The checks of one AVRR table against itself and the headline figures of the metrics
//! dataset: the ranked column descends (other columns are only reported), each year's top N
//! stays within the stated total, and a stated share of returns from a group of host countries
//! is at least what the group's members among the top N account for. A figure the metrics do
//! not state for a year makes its check `skipped` (info), never an error.

use crate::config::{AvrrConfig, ShareCheck};
use crate::countries::{CountryTable, Resolved};
use crate::document::Document;
use crate::stated::Stated;
use crate::validate::{Finding, Severity, Status, check_id};

use super::{AvrrTable, Panel};

pub struct Checking<'a> {
    pub dataset: &'a str,
    pub doc: &'a Document,
    pub cfg: &'a AvrrConfig,
    pub table: &'a AvrrTable,
    pub countries: &'a CountryTable,
    pub stated: &'a [Stated],
}

impl Checking<'_> {
    fn finding(&self, kind: &str, parts: &[&str], subject: String, line: usize) -> Finding {
        Finding {
            check_id: check_id(self.dataset, &self.doc.id, kind, parts),
            dataset: self.dataset.to_string(),
            kind: kind.into(),
            subject,
            stated: None,
            computed: None,
            tolerance: None,
            status: Status::Pass,
            severity: Severity::Error,
            doc_id: self.doc.id.clone(),
            line: Some(line),
            evidence: self.doc.line(line).raw().trim().to_string(),
            message: String::new(),
        }
    }

    fn stated(&self, key: &str, year: i32) -> Option<&Stated> {
        self.stated.iter().find(|s| s.key == key && s.year == year)
    }
}

fn skipped(mut f: Finding, message: String) -> Finding {
    f.status = Status::Skipped;
    f.severity = Severity::Info;
    f.message = message;
    f
}

pub fn all(c: &Checking) -> Vec<Finding> {
    let mut out = Vec::new();
    for panel in &c.table.panels {
        for (k, &year) in c.table.years.iter().enumerate() {
            let column: Vec<(i64, usize)> = panel.rows.iter().map(|r| r.values[k]).collect();
            out.push(rank_order(c, panel, year, &column));
            out.push(top_n_total(c, panel, year, &column));
        }
    }
    if let Some(hosts) = c.table.panels.iter().find(|p| p.role == c.cfg.host_role) {
        for check in &c.cfg.share_checks {
            for (k, &year) in c.table.years.iter().enumerate() {
                if let Some(share) = c.stated(&check.share, year) {
                    out.push(share_lower_bound(c, hosts, check, share, k));
                }
            }
        }
    }
    out
}

/// The ranked column must descend; another column is only reported.
fn rank_order(c: &Checking, panel: &Panel, year: i32, column: &[(i64, usize)]) -> Finding {
    let y = year.to_string();
    let breaks: Vec<usize> = (1..column.len())
        .filter(|&i| column[i].0 > column[i - 1].0)
        .collect();
    let ranked = year == c.table.ranked_year;
    let mut f = c.finding(
        "rank_order",
        &[&panel.role, &y],
        format!("{} / {year}: descending order", panel.role),
        column[0].1,
    );
    f.severity = if ranked {
        Severity::Error
    } else {
        Severity::Info
    };
    let Some(&i) = breaks.first() else {
        f.message = format!("the {year} column descends from rank 1 to {}", column.len());
        return f;
    };
    f.status = Status::Fail;
    f.line = Some(column[i].1);
    f.evidence = c.doc.line(column[i].1).raw().trim().to_string();
    let (above, below) = (column[i - 1].0, column[i].0);
    f.message = if ranked {
        format!(
            "the {year} column ranks the table but rank {} ({below}) exceeds rank {i} ({above})",
            i + 1
        )
    } else {
        format!(
            "the {year} column is not a ranking (the table is ranked by {}): rank {} ({below}) exceeds rank {i} ({above}); reported for information",
            c.table.ranked_year,
            i + 1
        )
    };
    f
}

/// The top N of a year cannot exceed the year's stated total (qualifier-aware).
fn top_n_total(c: &Checking, panel: &Panel, year: i32, column: &[(i64, usize)]) -> Finding {
    let total_metric = &c.cfg.total_metric;
    let first_line = column[0].1;
    let sum: i128 = column.iter().map(|v| i128::from(v.0)).sum();
    let mut f = c.finding(
        "top_n_total",
        &[&panel.role, &year.to_string()],
        format!(
            "{} / {year}: top {} vs stated total",
            panel.role,
            column.len()
        ),
        first_line,
    );
    f.computed = Some(sum as f64);
    let Some(total) = c.stated(total_metric, year) else {
        return skipped(
            f,
            format!("nothing stated to compare: the metrics state no '{total_metric}' for {year}"),
        );
    };
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
        "{} | [{}:{first_line}] top {} of the {year} column",
        total.cite(),
        c.doc.id,
        column.len()
    );
    f.message = format!(
        "top {} {} countries for {year} sum to {sum}; the stated total is {} ({total_metric}): {}",
        column.len(),
        panel.role,
        total.raw,
        if f.status == Status::Pass {
            "within it"
        } else {
            "the top 10 alone exceed it"
        }
    );
    f
}

/// Host rows that count as members of the group, and the names the country table lacks.
fn members<'p>(
    countries: &CountryTable,
    hosts: &'p Panel,
    check: &ShareCheck,
    k: usize,
) -> (Vec<(&'p str, i64)>, Vec<&'p str>) {
    let mut members = Vec::new();
    let mut unknown = Vec::new();
    for row in &hosts.rows {
        match countries.resolve(&row.name) {
            Resolved::Country(c) => {
                let member = check.members.iter().any(|m| match m.as_str() {
                    "eu" => c.eu,
                    "eea" => c.eea,
                    "efta" => c.efta,
                    code => c.iso3 == code,
                });
                if member {
                    members.push((row.name.as_str(), row.values[k].0));
                }
            }
            _ => unknown.push(row.name.as_str()),
        }
    }
    (members, unknown)
}

/// The share of returns from a group of hosts is at least what its members in the top N sum to.
fn share_lower_bound(
    c: &Checking,
    hosts: &Panel,
    check: &ShareCheck,
    share: &Stated,
    k: usize,
) -> Finding {
    let year = c.table.years[k];
    let y = year.to_string();
    let mut f = c.finding(
        "share_lower_bound",
        &[&check.share, &y],
        format!(
            "{}@{year}: stated share vs the members among the top {} hosts",
            check.share,
            hosts.rows.len()
        ),
        hosts.rows[0].values[k].1,
    );
    let Some(total) = c.stated(&c.cfg.total_metric, year) else {
        return skipped(
            f,
            format!(
                "nothing stated to compare: the metrics state no '{}' for {year}",
                c.cfg.total_metric
            ),
        );
    };
    let (members, unknown) = members(c.countries, hosts, check, k);
    let sum: i128 = members.iter().map(|m| i128::from(m.1)).sum();
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
    let listed: Vec<String> = members.iter().map(|(n, v)| format!("{n} {v}")).collect();
    f.evidence = format!(
        "{} | {} | [{}] {}",
        share.cite(),
        total.cite(),
        c.doc.id,
        listed.join(", ")
    );
    let holds = implied_min <= share_hi && unknown.is_empty();
    f.status = if holds { Status::Pass } else { Status::Fail };
    if !unknown.is_empty() {
        f.severity = Severity::Warning;
        f.message = format!(
            "cannot decide: host names not in the country table: {}",
            unknown.join(", ")
        );
        return f;
    }
    f.message = format!(
        "{} of the top {} hosts for {y} count as [{}] and sum to {sum}: {:.1}% of the stated total {} (at most {implied_max:.1}% however the total is read); the stated share {} must be at least that: {}",
        members.len(),
        hosts.rows.len(),
        check.members.join(", "),
        f.computed.unwrap_or_default(),
        total.raw,
        share.raw,
        if holds { "it is" } else { "it is not" }
    );
    f
}
