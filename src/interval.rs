//! Printed figures as intervals: each stands for the values its printing allows ("83%" =
//! 82.5–83.5, "over 98,000" = 98,000 or more), and a comparison holds when intervals meet.

/// (low, high), either end possibly infinite.
pub type Interval = (f64, f64);

pub fn overlap(a: Interval, b: Interval) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

pub fn add(a: Interval, b: Interval) -> Interval {
    (a.0 + b.0, a.1 + b.1)
}

/// a / b for positive intervals.
pub fn div(a: Interval, b: Interval) -> Option<Interval> {
    (b.0 > 0.0).then(|| (a.0 / b.1, a.1 / b.0))
}

pub fn fmt_num(v: f64) -> String {
    if v.is_infinite() {
        return if v > 0.0 { "∞".into() } else { "-∞".into() };
    }
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{:.2}", v)
    }
}

pub fn fmt_interval(i: Interval) -> String {
    format!("[{}, {}]", fmt_num(i.0), fmt_num(i.1))
}
