//! The report's charts, drawn as inline SVG with plotters: funding requirements by region and
//! category (stacked bars), the AVRR top 10 by year, the multi-year metrics as small
//! multiples, and the claims by kind and outcome. Every chart is drawn from the data files.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Category colours (Okabe–Ito, readable by colour-blind readers), then greys.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(120, 120, 120),
];

pub fn colour(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

pub fn hex(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

type Drawn = Result<(), Box<dyn std::error::Error>>;

/// Draws into an SVG string; a chart that cannot be drawn says so instead of failing the run.
fn svg(size: (u32, u32), draw: impl FnOnce(&DrawingArea<SVGBackend, Shift>) -> Drawn) -> String {
    let mut out = String::new();
    let result = {
        let root = SVGBackend::with_string(&mut out, size).into_drawing_area();
        root.fill(&WHITE)
            .map_err(|e| e.to_string().into())
            .and_then(|_| draw(&root))
            .and_then(|_| root.present().map_err(|e| e.to_string().into()))
    };
    match result {
        Ok(()) => out,
        Err(e) => format!(
            "<p class=\"note\">chart not drawn: {}</p>",
            html_escape(&e.to_string())
        ),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Horizontal stacked bars: one bar per label (the first on top), one segment per series in
/// `colours` order; values in `unit`s.
pub fn stacked_bars(
    title: &str,
    labels: &[String],
    series: &[(String, Vec<f64>)],
    unit: &str,
    colours: &[RGBColor],
) -> String {
    let totals: Vec<f64> = (0..labels.len())
        .map(|i| {
            series
                .iter()
                .map(|(_, v)| v.get(i).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().fold(0.0, f64::max).max(1.0) * 1.05;
    let height = 60 + 28 * labels.len() as u32;
    let n = labels.len();
    svg((760, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(250)
            .build_cartesian_2d(0.0..max, (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                // Segment 0 is drawn at the bottom: label i sits in segment n − 1 − i.
                SegmentValue::CenterOf(i) => n
                    .checked_sub(i + 1)
                    .and_then(|l| labels.get(l))
                    .cloned()
                    .unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_formatter(&|v| short(*v))
            .light_line_style(TRANSPARENT)
            .x_desc(unit)
            .label_style(("sans-serif", 12))
            .draw()?;
        let mut start = vec![0.0; n];
        for (k, (_, values)) in series.iter().enumerate() {
            let c = colours.get(k).copied().unwrap_or_else(|| colour(k));
            chart.draw_series((0..n).map(|i| {
                let v = values.get(i).copied().unwrap_or(0.0);
                let (x0, x1) = (start[i], start[i] + v);
                start[i] = x1;
                let segment = n - 1 - i;
                Rectangle::new(
                    [
                        (x0, SegmentValue::Exact(segment)),
                        (x1, SegmentValue::Exact(segment + 1)),
                    ],
                    c.filled(),
                )
            }))?;
        }
        Ok(())
    })
}

/// Horizontal grouped bars: for each label, one bar per series (years side by side), each
/// labelled with its value.
pub fn grouped_bars(title: &str, labels: &[String], series: &[(String, Vec<f64>)]) -> String {
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.15;
    let n = labels.len();
    let k = series.len().max(1);
    let height = 70 + (13 * k as u32 + 12) * n as u32;
    svg((620, height), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(28)
            .y_label_area_size(190)
            .build_cartesian_2d(0.0..max, 0.0..n as f64)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .light_line_style(TRANSPARENT)
            .x_label_formatter(&|v| short(*v))
            .label_style(("sans-serif", 12))
            .draw()?;
        let band = 0.8 / k as f64;
        for (s, (_, values)) in series.iter().enumerate() {
            let c = colour(s);
            chart.draw_series(values.iter().enumerate().map(|(i, v)| {
                // Label i's band runs down from n − i (the first label on top).
                let top = n as f64 - i as f64 - 0.1 - band * s as f64;
                Rectangle::new([(0.0, top), (*v, top - band)], c.filled())
            }))?;
            chart.draw_series(values.iter().enumerate().map(|(i, v)| {
                let mid = n as f64 - i as f64 - 0.1 - band * (s as f64 + 0.5);
                Text::new(
                    format!(" {}", short(*v)),
                    (*v, mid),
                    TextStyle::from(("sans-serif", 10).into_font())
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                )
            }))?;
        }
        let style = TextStyle::from(("sans-serif", 12).into_font())
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, label) in labels.iter().enumerate() {
            let (px, py) = chart.backend_coord(&(0.0, n as f64 - i as f64 - 0.5));
            root.draw(&Text::new(label.clone(), (px - 6, py), style.clone()))?;
        }
        Ok(())
    })
}

/// A small line chart of one metric over its years.
pub fn small_multiple(title: &str, points: &[(i32, f64)]) -> String {
    let (x0, x1) = (
        points.iter().map(|p| p.0).min().unwrap_or(0),
        points.iter().map(|p| p.0).max().unwrap_or(1),
    );
    let ymax = points.iter().map(|p| p.1).fold(0.0, f64::max).max(1.0) * 1.15;
    svg((260, 150), |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(title, ("sans-serif", 12))
            .margin(6)
            .x_label_area_size(20)
            .y_label_area_size(48)
            .build_cartesian_2d(x0 as f64 - 0.3..x1 as f64 + 0.3, 0.0..ymax)?;
        chart
            .configure_mesh()
            .x_labels((x1 - x0 + 1) as usize)
            .x_label_formatter(&|v| format!("{v:.0}"))
            .y_labels(4)
            .y_label_formatter(&|v| short(*v))
            .light_line_style(TRANSPARENT)
            .label_style(("sans-serif", 10))
            .draw()?;
        let c = colour(0);
        chart.draw_series(LineSeries::new(
            points.iter().map(|(x, y)| (*x as f64, *y)),
            c.stroke_width(2),
        ))?;
        chart.draw_series(
            points
                .iter()
                .map(|(x, y)| Circle::new((*x as f64, *y), 3, c.filled())),
        )?;
        Ok(())
    })
}

/// 4200000 → "4.2M", 53000 → "53k".
pub fn short(v: f64) -> String {
    let a = v.abs();
    if a >= 1e9 {
        format!("{:.1}B", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.0}k", v / 1e3)
    } else if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}
