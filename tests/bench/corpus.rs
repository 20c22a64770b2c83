//! Corpus benchmark: builds corpora of 1, 10, 100 and 1,000 documents from copies of the five
//! in `raw/` (declared in one `pipeline.toml`: funding over the Migration Initiatives copies,
//! mentions and claims over all), runs the release binary on each, and prints the wall time, MB/s, time
//! per stage, peak resident memory (of the child, from wait4) and the time `grep -c '[0-9]'`
//! takes over the same files. Figures, not tests: nothing here passes or fails.
//!
//! `cargo bench --bench corpus` (add `-- 100` to stop at 100 documents).

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const SIZES: [usize; 4] = [1, 10, 100, 1000];

/// The seed documents: (file stem, repairs line for its declaration).
fn seeds(root: &Path) -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(root.join("raw")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "txt") {
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            let repairs = if stem.starts_with("migration_initiatives") {
                "repairs = [{ from = \"\\uFFFD\", to = \"ti\", reason = \"lost ligature\" }]\n"
            } else {
                ""
            };
            out.push((stem, repairs.to_string(), std::fs::read(&path).unwrap()));
        }
    }
    out.sort();
    out
}

/// Writes an N-document corpus and its pipeline.toml; returns its size in bytes.
fn build(root: &Path, dir: &Path, n: usize) -> u64 {
    let seeds = seeds(root);
    std::fs::create_dir_all(dir.join("raw")).unwrap();
    std::fs::copy(
        root.join("raw/reference/countries.csv"),
        dir.join("countries.csv"),
    )
    .unwrap();
    let mut config = String::from(
        "[output]\ndir = \"output\"\nformats = [\"parquet\", \"csv\"]\n\n[countries]\ntable = \"countries.csv\"\nnot_countries = [\"Regional programmes\"]\n",
    );
    let mut bytes = 0;
    for k in 0..n {
        let (stem, repairs, text) = &seeds[k % seeds.len()];
        let id = format!("{stem}_{k:04}");
        std::fs::write(dir.join(format!("raw/{id}.txt")), text).unwrap();
        bytes += text.len() as u64;
        let _ = write!(
            config,
            "\n[[documents]]\nid = \"{id}\"\npath = \"raw/{id}.txt\"\ntitle = \"{stem} copy {k}\"\npublisher = \"IOM\"\nyears = [2016]\n{repairs}"
        );
    }
    let funding = std::fs::read_to_string(root.join("pipeline.toml")).unwrap();
    let start = funding
        .find("[datasets.funding_requirements.funding]")
        .unwrap();
    let end = funding.find("# Every figure printed").unwrap();
    let funding = funding[start..end].replace(
        "documents = [\"migration_initiatives_*\"]",
        "documents = [\"raw/migration_initiatives_*.txt\"]",
    );
    // A corpus with no Migration Initiatives copy (1 document) has no funding dataset.
    if n > seeds
        .iter()
        .position(|s| s.0.starts_with("migration_initiatives"))
        .unwrap()
    {
        config.push('\n');
        config.push_str(&funding);
    }
    config.push_str("\n[datasets.mentions.mentions]\ndocuments = [\"*\"]\n");
    config.push_str("\n[datasets.claims.claims]\ndocuments = [\"*\"]\n");
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
    bytes
}

/// Runs a command to its end; returns (seconds, peak RSS in KiB, stdout).
#[allow(clippy::zombie_processes)] // reaped by wait4 below, which also reports the peak RSS
fn measure(mut cmd: Command) -> (f64, u64, Vec<u8>) {
    let start = Instant::now();
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id() as libc::pid_t;
    let out = {
        use std::io::Read;
        let mut stdout = child.stdout.unwrap();
        let mut buf = Vec::new();
        stdout.read_to_end(&mut buf).unwrap();
        buf
    };
    let mut status = 0;
    // SAFETY: rusage is plain data; wait4 fills it for our own child, which we reap here.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    (start.elapsed().as_secs_f64(), usage.ru_maxrss as u64, out)
}

fn main() {
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let upto: usize = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .next()
        .unwrap_or(1000);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "iomtally {} corpus benchmark ({cores} cores)",
        env!("CARGO_PKG_VERSION")
    );
    println!(
        "{:>6} {:>9} {:>9} {:>9} {:>10} {:>9} {:>9} {:>8} {:>10}",
        "docs", "MB", "run s", "MB/s", "peak MiB", "RSS/MB", "grep s", "×grep", "report KB"
    );
    let mut last_stages = String::new();
    for n in SIZES.into_iter().filter(|&n| n <= upto) {
        let dir = tempfile::tempdir().unwrap();
        let bytes = build(&root, dir.path(), n);
        let mb = bytes as f64 / 1e6;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iomtally"));
        cmd.args(["run", "--force", "--fail-on", "never", "--summary", "json"])
            .current_dir(dir.path());
        let (secs, rss_kib, stdout) = measure(cmd);
        let mut grep = Command::new("grep");
        grep.args(["-c", "[0-9]", "-r", "raw"])
            .current_dir(dir.path());
        let (grep_secs, _, _) = measure(grep);
        let rss_mib = rss_kib as f64 / 1024.0;
        let report_kb = std::fs::metadata(dir.path().join("output/report.html"))
            .map_or(0.0, |m| m.len() as f64 / 1024.0);
        println!(
            "{n:>6} {mb:>9.1} {secs:>9.2} {:>9.1} {rss_mib:>10.1} {:>9.2} {grep_secs:>9.3} {:>8.1} {report_kb:>10.0}",
            mb / secs,
            rss_mib * 1.048_576 / mb,
            secs / grep_secs.max(1e-6)
        );
        let run: serde_json::Value = serde_json::from_slice(&stdout).unwrap_or_default();
        last_stages = run["stages"]
            .as_array()
            .map(|stages| {
                stages
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {:.2} s",
                            s["stage"].as_str().unwrap_or("?"),
                            s["seconds"].as_f64().unwrap_or(0.0)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default();
    }
    println!("stages of the largest run: {last_stages}");
}
