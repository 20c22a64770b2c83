//! Small pieces every part of the page uses (anchors, printed numbers, chart boxes), below
//! the page, the grids and the figures so that each imports them downward.

use maud::{Markup, PreEscaped, html};

/// Funding tables drawn as grids (tables with a failed total first).
pub const GRIDS: usize = 60;

pub fn anchor(check_id: &str) -> String {
    let mut id = String::from("f-");
    id.extend(check_id.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

pub fn number(v: Option<f64>) -> String {
    match v {
        None => "—".into(),
        Some(v) if v.fract() == 0.0 && v.abs() < 1e15 => grouped(v as i64),
        Some(v) => format!("{v:.2}"),
    }
}

pub fn grouped(v: i64) -> String {
    let digits = v.unsigned_abs().to_string();
    let mut out = String::new();
    if v < 0 {
        out.push('−');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Shorthand used by the grids and figures.
pub fn chart(svg: String) -> Markup {
    html! { div.chart { (PreEscaped(svg)) } }
}
