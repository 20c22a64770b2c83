//! Corpus benchmark: builds corpora of 1, 10, 100 and 1,000 documents from copies of the five
//! in `raw/` (declared in one `pipeline.toml`: funding over the Migration Initiatives copies,
//! mentions and claims over all), runs the release binary on each, and prints the wall time, MB/s, time
//! per stage, peak resident memory (of the child, from wait4) and the time `grep -c '[0-9]'`
//! takes over the same files. Figures, not tests: nothing here passes or fails.
//!
//! Then, on the largest corpus, iomtally and the pandas/pyarrow peer in turn on funding and
//! mentions alone (what the peer implements) when `PEER` names its peer.py, and one dense 50 MB
//! document of short lines full of figures (mentions and claims).
//!
//! `cargo bench --bench corpus` (add `-- 100` to stop at 100 documents);
//! `PEER=../shared/peer/peer.py cargo bench --bench corpus` to time the peer beside.

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
    // What the peer implements (funding and mentions): the configuration both are timed on.
    std::fs::write(dir.join("peer.toml"), &config).unwrap();
    config.push_str("\n[datasets.claims.claims]\ndocuments = [\"*\"]\n");
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
    bytes
}

/// One dense document of short lines full of figures (`mb` MB, from a fixed seed), with a
/// configuration that reads its mentions and claims.
fn build_dense(dir: &Path, root: &Path, mb: usize) -> u64 {
    std::fs::create_dir_all(dir.join("raw")).unwrap();
    std::fs::copy(
        root.join("raw/reference/countries.csv"),
        dir.join("countries.csv"),
    )
    .unwrap();
    let nouns = [
        "migrants",
        "countries",
        "offices",
        "persons",
        "staff",
        "households",
    ];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |n: u64| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (seed >> 33) % n
    };
    let mut text = String::with_capacity(mb * 1_000_000 + 200);
    let mut k = 0u64;
    while text.len() < mb * 1_000_000 {
        let (a, b, c) = (next(99_999) + 1, next(100) + 1, next(999) + 1);
        let noun = nouns[next(nouns.len() as u64) as usize];
        let line = match next(6) {
            0 => format!("In 2016, {a} {noun} were assisted in {b} countries."),
            1 => format!("{c} {noun} ({b}%)"),
            2 => format!("increased from {c} to {a} in {b} locations;"),
            3 => format!("{a}"),
            4 => format!("Total {a} {c} {b}"),
            _ => format!("about {b} per cent of {c} offices"),
        };
        text.push_str(&line);
        text.push('\n');
        k += 1;
        if k.is_multiple_of(50) {
            text.push('\n');
        }
    }
    std::fs::write(dir.join("raw/dense.txt"), &text).unwrap();
    let config = "[output]\ndir = \"output\"\nformats = [\"parquet\", \"csv\"]\n\n[countries]\ntable = \"countries.csv\"\n\n[[documents]]\nid = \"dense\"\npath = \"raw/dense.txt\"\ntitle = \"Dense\"\npublisher = \"IOM\"\nyears = [2016]\n\n[datasets.mentions.mentions]\ndocuments = [\"*\"]\n\n[datasets.claims.claims]\ndocuments = [\"*\"]\n";
    std::fs::write(dir.join("pipeline.toml"), config).unwrap();
    text.len() as u64
}

/// iomtally and the peer (`PEER` = path of peer.py) on the same corpus and configuration
/// (funding and mentions), in turn, three times each: medians of wall time and peak RSS.
fn versus_peer(dir: &Path, peer: &str, mb: f64, cores: usize) {
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let jobs = cores.to_string();
    for _ in 0..3 {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_iomtally"));
        cmd.args([
            "run",
            "--force",
            "--fail-on",
            "never",
            "--config",
            "peer.toml",
        ])
        .args(["--output", "out_ours"])
        .current_dir(dir);
        ours.push(measure(cmd));
        let mut cmd = Command::new("python3");
        cmd.args([
            peer,
            "--config",
            "peer.toml",
            "--output",
            "out_peer",
            "--jobs",
            &jobs,
        ])
        .current_dir(dir);
        theirs.push(measure(cmd));
    }
    let median = |runs: &[(f64, u64, Vec<u8>)]| {
        let mut secs: Vec<f64> = runs.iter().map(|r| r.0).collect();
        let mut rss: Vec<u64> = runs.iter().map(|r| r.1).collect();
        secs.sort_by(f64::total_cmp);
        rss.sort_unstable();
        (secs[secs.len() / 2], rss[rss.len() / 2] as f64 / 1024.0)
    };
    let (a, a_rss) = median(&ours);
    let (b, b_rss) = median(&theirs);
    println!(
        "funding + mentions, {mb:.1} MB: iomtally {a:.2} s ({:.0} MB/s, peak {a_rss:.0} MiB = {:.2}× the corpus); peer {b:.2} s (peak {b_rss:.0} MiB); peer ÷ iomtally = {:.1}×",
        mb / a,
        a_rss * 1.048_576 / mb,
        b / a
    );
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
    let mut largest: Option<tempfile::TempDir> = None;
    let mut largest_mb = 0.0;
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
        largest_mb = mb;
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
        largest = Some(dir);
    }
    println!("stages of the largest run (funding, mentions, claims, report): {last_stages}");
    if let Some(dir) = &largest {
        match std::env::var("PEER") {
            // The peer runs in the corpus's folder: a relative PEER is taken from here first.
            Ok(peer) => match std::fs::canonicalize(&peer) {
                Ok(path) => versus_peer(dir.path(), &path.to_string_lossy(), largest_mb, cores),
                Err(e) => println!("PEER={peer}: {e}; the peer is not timed"),
            },
            Err(_) => println!("(set PEER to the path of peer.py to time the pandas peer beside)"),
        }
    }
    let dense = tempfile::tempdir().unwrap();
    let bytes = build_dense(dense.path(), &root, 50);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_iomtally"));
    cmd.args(["run", "--force", "--fail-on", "never"])
        .current_dir(dense.path());
    let (secs, rss_kib, _) = measure(cmd);
    let mb = bytes as f64 / 1e6;
    let rss_mib = rss_kib as f64 / 1024.0;
    println!(
        "one dense document of {mb:.1} MB (mentions, claims): {secs:.2} s, peak {rss_mib:.0} MiB ({:.1}× its size)",
        rss_mib * 1.048_576 / mb
    );
}
