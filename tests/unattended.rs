//! Runs nobody watches: killed at random moments, locked out, up to date, partial (--only),
//! machine-readable, compared with `diff`. Every test runs the real binary in a scratch copy.

mod common;

use std::fs;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{Scratch, hold_lock, read_csv, snapshot, stderr};
use sha2::{Digest, Sha256};

/// The output set is complete and self-consistent: a manifest, and every file it lists with
/// the hash it records. Returns the number of files checked.
fn consistent(dir: &Path) -> usize {
    let manifest: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut n = 0;
    for ds in manifest["datasets"].as_array().unwrap() {
        for f in ds["files"].as_array().unwrap() {
            let bytes = fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(hash, f["sha256"].as_str().unwrap(), "{}", f["path"]);
            n += 1;
        }
    }
    n
}

fn hidden_siblings(s: &Scratch) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn killed_at_random_moments_the_folder_always_holds_one_complete_set() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let files = consistent(&s.output());
    // Deterministic "random" moments spread over a run's duration.
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..12 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let mut child = Command::new(env!("CARGO_BIN_EXE_iomtally"))
            .args(["run", "--force"])
            .current_dir(s.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(seed % 700));
        let _ = child.kill(); // SIGKILL: no clean-up runs
        let _ = child.wait();
        assert_eq!(consistent(&s.output()), files);
    }
    // The next run cleans up whatever the killed ones left beside the folder.
    s.expect(&["run", "--force"], 0, &[]);
    assert_eq!(consistent(&s.output()), files);
    assert_eq!(hidden_siblings(&s), [".output.lock"]);
}

#[test]
fn a_second_run_waits_for_the_lock_or_fails_naming_the_holder() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let before = snapshot(&s.output());
    let lock = hold_lock(&s);
    s.expect(
        &["run", "--force"],
        4,
        &["locked by pid 4242 started 2026-11-23T10:00:00Z", "--wait"],
    );
    let t = Instant::now();
    s.expect(
        &["run", "--force", "--wait", "1"],
        4,
        &["after waiting 1 s"],
    );
    assert!(t.elapsed() >= Duration::from_secs(1));
    assert_eq!(snapshot(&s.output()), before);
    // Released while the second run waits: it goes through.
    let release = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(400));
        drop(lock);
    });
    s.expect(&["run", "--force", "--wait", "10"], 0, &[]);
    release.join().unwrap();
}

#[test]
fn a_stale_lock_from_a_dead_run_is_taken_over() {
    let s = Scratch::new();
    // A lock file whose holder is gone: the OS lock died with it, the record stayed.
    s.write(".output.lock", "pid 999999 started 2020-01-01T00:00:00Z\n");
    s.expect(&["run"], 0, &[]);
    assert!(!s.read(".output.lock").contains("999999"));
}

#[test]
fn an_unchanged_run_is_up_to_date_and_writes_nothing() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let before = snapshot(&s.output());
    s.expect(&["run"], 0, &["up to date", "nothing written"]);
    assert_eq!(snapshot(&s.output()), before, "not even run.json changes");
    // --force runs anyway; data files come out byte-identical.
    s.expect(&["run", "--force"], 0, &["written to"]);
    assert_ne!(
        s.read("output/run.json"),
        String::from_utf8_lossy(&before.iter().find(|f| f.0 == "run.json").unwrap().1)
    );
    // A changed input, or a damaged output file, makes the next run write.
    let doc = s.read("raw/programme_2020_crises.txt");
    s.write(
        "raw/programme_2020_crises.txt",
        &format!("{doc}\nOne more line.\n"),
    );
    s.expect(&["run"], 0, &["written to"]);
    let mut csv = fs::OpenOptions::new()
        .append(true)
        .open(s.path("output/mentions.csv"))
        .unwrap();
    csv.write_all(b"tampered\n").unwrap();
    s.expect(&["run"], 0, &["written to"]);
    consistent(&s.output());
}

#[test]
fn only_keeps_the_rest_of_the_set_as_it_was() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let before = snapshot(&s.output());
    let (_, checks_before) = read_csv(&s.output().join("validation_results.csv"));
    s.expect(&["run", "--only", "mentions"], 0, &[]);
    let after = snapshot(&s.output());
    // The datasets --only did not name are there, byte for byte, and still listed.
    for (name, bytes) in &before {
        if name.starts_with("funding") || name.starts_with("avrr") || name.starts_with("metrics") {
            let now = after
                .iter()
                .find(|f| &f.0 == name)
                .unwrap_or_else(|| panic!("{name} kept"));
            assert!(&now.1 == bytes, "{name} unchanged");
        }
    }
    let manifest = s.read("output/manifest.json");
    for name in [
        "funding_requirements",
        "funding_requirements_totals",
        "avrr_top_countries",
        "metrics",
        "metrics_wide",
        "mentions",
    ] {
        assert!(
            manifest.contains(&format!("\"name\": \"{name}\"")),
            "{name}"
        );
        assert!(
            s.read("output/datapackage.json")
                .contains(&format!("\"path\": \"{name}.csv\"")),
            "{name}"
        );
    }
    consistent(&s.output());
    let (_, checks_after) = read_csv(&s.output().join("validation_results.csv"));
    assert_eq!(checks_after.len(), checks_before.len());
    let funding = |rows: &Vec<Vec<String>>| {
        rows.iter()
            .filter(|r| r[1] == "funding_requirements")
            .count()
    };
    assert_eq!(funding(&checks_after), funding(&checks_before));
}

#[test]
fn the_outcome_as_one_json_object_on_stdout_and_in_run_json() {
    let s = Scratch::new();
    let out = s.run(&["run", "--summary", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(run["outcome"], "written");
    assert_eq!(run["exit_code"], 0);
    let stages: Vec<&str> = run["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert!(
        stages.contains(&"ingest")
            && stages.contains(&"write")
            && stages
                .iter()
                .any(|s| s.starts_with("extract: ") && s.contains("funding_requirements")),
        "{stages:?}"
    );
    let funding = run["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "funding_requirements")
        .unwrap();
    assert_eq!(funding["rows"], 1092);
    assert_eq!(run["checks"]["funding_requirements"]["pass"]["error"], 246);
    assert_eq!(run["checks"]["metrics"]["fail"]["warning"], 7);
    assert_eq!(run["checks"]["claims"]["fail"]["warning"], 5);
    assert_eq!(run["inputs"].as_array().unwrap().len(), 5);
    let kept: serde_json::Value = serde_json::from_str(&s.read("output/run.json")).unwrap();
    assert_eq!(kept["run_id"], run["run_id"]);
    // A run that stops says so in the same form, with its exit code and reason.
    let out = s.run(&["run", "--config", "nope.toml", "--summary", "json"]);
    assert_eq!(out.status.code(), Some(2));
    let run: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (run["outcome"].as_str(), run["exit_code"].as_i64()),
        (Some("failed"), Some(2))
    );
    assert!(run["reason"].as_str().unwrap().contains("nope.toml"));
}

#[test]
fn json_lines_logs() {
    let s = Scratch::new();
    let out = s.run(&[
        "--log",
        "info",
        "--log-format",
        "json",
        "check",
        "--summary",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = stderr(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(lines.iter().any(
        |l| l["fields"]["message"] == "ingested" && l["fields"]["doc"] == "annual_report_2016"
    ));
}

#[test]
fn fail_on_sets_which_findings_fail_the_run() {
    let s = Scratch::new();
    // The documents contradict each other in places: warnings.
    s.expect(&["check"], 0, &[]);
    s.expect(&["check", "--fail-on", "warning"], 1, &["WARN"]);
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        540,
        "  750,000 ",
        "  760,000 ",
    );
    s.expect(&["check"], 1, &["FAIL"]);
    s.expect(&["check", "--fail-on", "never"], 0, &["FAIL"]);
}

#[test]
fn diff_names_what_changed_between_two_sets() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["diff", "output", "output"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "no differences\n");

    // Kenya, Immigration and border management: 750,000 → 760,000.
    s.edit_line(
        "raw/migration_initiatives_2016.txt",
        540,
        "  750,000 ",
        "  760,000 ",
    );
    s.expect(&["run", "--output", "next"], 1, &[]);
    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["diff", "output", "next"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("dataset funding_requirements (changed): 0 added, 0 removed, 1 changed"),
        "{text}"
    );
    assert!(text.contains("amount_usd: 750000 -> 760000"), "{text}");
    assert!(text.contains("+ error funding_requirements:migration_initiatives_2016:row_total:east_and_horn_of_africa:kenya"), "{text}");

    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["diff", "output", "next", "--json"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    let diff: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let funding = diff["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "funding_requirements")
        .unwrap();
    assert_eq!(
        funding["changed"][0]["columns"]["amount_usd"],
        serde_json::json!(["750000", "760000"])
    );
    assert_eq!(funding["changed"][0]["key"]["country"], "Kenya");
    assert_eq!(diff["resolved"].as_array().unwrap().len(), 0);

    let out = Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(["diff", "output", "nowhere"])
        .current_dir(s.dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr(&out).contains("nowhere/manifest.json"));
}

#[test]
fn line_endings_do_not_change_the_outputs() {
    let s = Scratch::new();
    s.expect(&["run"], 0, &[]);
    let lf = snapshot(&s.output());
    for (ending, name) in [("\r\n", "crlf"), ("\r", "cr")] {
        for doc in [
            "migration_initiatives_2016",
            "annual_report_2016",
            "annual_report_2015",
            "global_activities_2017",
            "programme_2020_crises",
        ] {
            let path = format!("raw/{doc}.txt");
            let text = fs::read_to_string(common::repo().join(&path)).unwrap();
            s.write(&path, &text.replace('\n', ending));
        }
        s.expect(&["run", "--output", name], 0, &[]);
        let other = snapshot(&s.path(name));
        for ((n1, b1), (n2, b2)) in lf.iter().zip(&other) {
            assert_eq!(n1, n2);
            // The inputs' bytes and hashes differ (Parquet metadata records them); every
            // dataset's rows are the same.
            if n1.ends_with(".csv") {
                assert!(b1 == b2, "{n1} differs with {name} line endings");
            }
        }
    }
}

/// `--output` naming a file: refused before any work (exit 3), the file as it was, no sibling
/// folder left behind.
#[test]
fn an_output_path_that_is_a_file_is_refused_untouched() {
    let s = Scratch::new();
    s.write("results", "my notes\n");
    let err = s.expect(
        &["run", "--output", "results"],
        3,
        &["results", "is not a folder", "nothing was changed"],
    );
    assert!(!err.contains("Not a directory"), "{err}");
    assert_eq!(s.read("results"), "my notes\n");
    assert!(hidden_siblings(&s).is_empty(), "{:?}", hidden_siblings(&s));
}

/// An output folder that is itself a mount point cannot be swapped by renaming: refused up
/// front naming the cause and what to do, its contents untouched. Needs permission to mount
/// (root, as CI runs); skipped with a note where mounting is not permitted.
#[test]
fn an_output_folder_that_is_a_mount_point_is_refused_up_front() {
    let s = Scratch::new();
    let volume = s.path("volume");
    fs::create_dir(&volume).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "iomtally-test", volume.to_str().unwrap()])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|st| st.success());
    if !mounted {
        eprintln!("skipped: mounting a tmpfs is not permitted here");
        return;
    }
    fs::write(volume.join("keep.txt"), "kept").unwrap();
    let out = s.run(&["run", "--output", "volume"]);
    let err = stderr(&out);
    let listing: Vec<String> = fs::read_dir(&volume)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let _ = Command::new("umount").arg(&volume).status();
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("is a mount point") && err.contains("volume/iomtally"),
        "{err}"
    );
    assert_eq!(listing, ["keep.txt"]);
    assert!(hidden_siblings(&s).is_empty(), "{:?}", hidden_siblings(&s));
}

#[test]
fn a_set_reads_the_same_from_parquet_as_from_csv() {
    let s = Scratch::new();
    let config = s.read("pipeline.toml");
    let both = "formats = [\"parquet\", \"csv\"]";
    assert!(config.contains(both));
    s.write(
        "parquet.toml",
        &config.replace(both, "formats = [\"parquet\"]"),
    );
    s.write("csv.toml", &config.replace(both, "formats = [\"csv\"]"));
    s.expect(
        &["run", "--config", "parquet.toml", "--output", "pq"],
        0,
        &[],
    );
    s.expect(&["run", "--config", "csv.toml", "--output", "csv"], 0, &[]);
    let diff = |old: &str, new: &str| {
        let out = s.run(&["diff", old, new]);
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
        text
    };
    // Floats print as the CSV prints them ("6", not "6.0"; every digit, not six decimals).
    assert_eq!(diff("pq", "csv"), "no differences\n");
    // The findings --only carries over from a Parquet-only set keep every digit.
    s.expect(
        &[
            "run",
            "--config",
            "parquet.toml",
            "--output",
            "pq",
            "--only",
            "mentions",
        ],
        0,
        &[],
    );
    assert_eq!(diff("csv", "pq"), "no differences\n");
}
