//! Benchmark: `cargo bench --bench pipeline`. Prints the wall time of each stage (median and
//! minimum of repeated runs) and the process's peak resident memory. Figures, not assertions.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use iomtally::pipeline::{self, Plan, RunOptions};

fn median(mut v: Vec<Duration>) -> (Duration, Duration) {
    v.sort();
    (v[v.len() / 2], v[0])
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(f());
        times.push(start.elapsed());
    }
    median(times)
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let config = root.join("pipeline.toml");
    let out = tempfile::tempdir().expect("temp dir");
    let runs = 15;
    let opts = |only: &[&str], write: bool| RunOptions {
        config: config.clone(),
        output: Some(out.path().to_path_buf()),
        only: only.iter().map(|s| s.to_string()).collect(),
        write,
        hxl: false,
        wait: std::time::Duration::ZERO,
        // Every run writes: the benchmark measures the work, not the up-to-date shortcut.
        force: true,
        fail_on: iomtally::summary::FailOn::Error,
    };
    let input_bytes: u64 = std::fs::read_dir(root.join("raw"))
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "txt"))
        .map(|e| e.metadata().unwrap().len())
        .sum();

    println!(
        "iomtally {} benchmark, {runs} runs each, inputs {:.0} KiB",
        env!("CARGO_PKG_VERSION"),
        input_bytes as f64 / 1024.0
    );
    let plan = Plan::new(&opts(&[], false)).unwrap();
    let ids: Vec<&str> = plan
        .config
        .raw
        .documents
        .iter()
        .map(|d| d.id.get_ref().as_str())
        .collect();
    let (m, min) = time(runs, || pipeline::ingest(&plan.config, &ids).unwrap());
    println!(
        "{:<34} median {:>8.2} ms  min {:>8.2} ms",
        "ingest (5 documents)",
        m.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3
    );
    for only in [
        "funding_requirements",
        "mentions",
        "metrics",
        "avrr_top_countries",
    ] {
        let plan = Plan::new(&opts(&[only], false)).unwrap();
        let (m, min) = time(runs, || pipeline::execute(&plan).unwrap());
        println!(
            "{:<34} median {:>8.2} ms  min {:>8.2} ms",
            format!("check --only {only}"),
            m.as_secs_f64() * 1e3,
            min.as_secs_f64() * 1e3
        );
    }
    let plan = Plan::new(&opts(&[], false)).unwrap();
    let (m, min) = time(runs, || pipeline::execute(&plan).unwrap());
    println!(
        "{:<34} median {:>8.2} ms  min {:>8.2} ms  ({:.1} MB/s)",
        "check (all datasets)",
        m.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3,
        input_bytes as f64 / m.as_secs_f64() / 1e6
    );
    let plan = Plan::new(&opts(&[], true)).unwrap();
    let (m, min) = time(runs, || pipeline::execute(&plan).unwrap());
    println!(
        "{:<34} median {:>8.2} ms  min {:>8.2} ms",
        "run (all datasets, write)",
        m.as_secs_f64() * 1e3,
        min.as_secs_f64() * 1e3
    );
    long_line(&root);
    match peak_rss_kib() {
        Some(k) => println!("peak resident memory: {:.1} MiB", k as f64 / 1024.0),
        None => println!("peak resident memory: unavailable (no /proc)"),
    }
}

/// One 50 MB line of prose full of figures (no line break at all): every stage must stay linear
/// in the length of a line. Read by the funding and mentions extractors.
fn long_line(root: &std::path::Path) {
    let dir = tempfile::tempdir().expect("temp dir");
    let sentence = "IOM assisted 54,006 migrants in 23 countries and over 1,5 million people, \
                    compared with 3 035 000 the year before; nearly 68% were women. ";
    let size = 50 * 1024 * 1024;
    let text = sentence.repeat(size / sentence.len() + 1);
    std::fs::write(dir.path().join("long.txt"), &text).unwrap();
    let config = format!(
        r#"
[output]
dir = "out"
formats = ["parquet", "csv"]
[countries]
table = "{}"
[[documents]]
id = "long"
path = "long.txt"
title = "One 50 MB line"
publisher = "benchmark"
years = [2016]
[datasets.mentions.mentions]
documents = ["long"]
[datasets.funding.funding]
documents = ["long"]
section_anchor = "OVERVIEW OF FUNDING"
categories = [{{ code = "a", name = "A" }}]
regions = [{{ code = "r", name = "R" }}]
"#,
        root.join("raw/reference/countries.csv").display()
    );
    std::fs::write(dir.path().join("pipeline.toml"), config).unwrap();
    let opts = RunOptions {
        config: dir.path().join("pipeline.toml"),
        output: None,
        only: Vec::new(),
        write: true,
        hxl: false,
        wait: std::time::Duration::ZERO,
        force: true,
        fail_on: iomtally::summary::FailOn::Never,
    };
    let plan = Plan::new(&opts).unwrap();
    let start = Instant::now();
    let summary = pipeline::execute(&plan).unwrap();
    let t = start.elapsed();
    let mentions = summary
        .datasets
        .iter()
        .find(|d| d.0 == "mentions")
        .map_or(0, |d| d.1);
    println!(
        "{:<34} {:>8.2} s  ({:.1} MB/s, {mentions} figures)",
        "run: one 50 MB line",
        t.as_secs_f64(),
        text.len() as f64 / t.as_secs_f64() / 1e6
    );
}
