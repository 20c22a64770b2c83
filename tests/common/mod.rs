//! Helpers shared by the integration tests: a scratch copy of the project (pipeline.toml + raw/)
//! that a test may alter, and a runner for the real binary.
#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A temporary copy of `pipeline.toml` and `raw/`, so tests can alter inputs freely.
pub struct Scratch {
    pub dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let dir = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo().join("raw"), &dir.path().join("raw"));
        fs::copy(
            repo().join("pipeline.toml"),
            dir.path().join("pipeline.toml"),
        )
        .unwrap();
        for extra in ["metrics.toml"] {
            if repo().join(extra).exists() {
                fs::copy(repo().join(extra), dir.path().join(extra)).unwrap();
            }
        }
        Scratch { dir }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn config(&self) -> PathBuf {
        self.path("pipeline.toml")
    }

    pub fn output(&self) -> PathBuf {
        self.path("output")
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap();
    }

    /// Replaces the one occurrence of `from` on 1-based line `line` of a file.
    pub fn edit_line(&self, rel: &str, line: usize, from: &str, to: &str) {
        let text = self.read(rel);
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let target = &mut lines[line - 1];
        assert_eq!(
            target.matches(from).count(),
            1,
            "'{from}' once on line {line}: {target}"
        );
        *target = target.replacen(from, to, 1);
        self.write(rel, &lines.join("\n"));
    }

    /// Runs the binary with `args`, with the scratch folder as working directory.
    pub fn run(&self, args: &[&str]) -> Output {
        std::process::Command::new(env!("CARGO_BIN_EXE_iomtally"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("binary runs")
    }
}

impl Scratch {
    /// Runs the binary and asserts its exit code, that stderr holds every needle, and that
    /// nothing panicked. Returns stderr.
    pub fn expect(&self, args: &[&str], code: i32, needles: &[&str]) -> String {
        let out = self.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(code), "{err}");
        for needle in needles {
            assert!(err.contains(needle), "expected '{needle}' in: {err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        err
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Every file in a folder with its bytes, for "left untouched" comparisons.
pub fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().unwrap().is_file())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Reads a CSV output into header + rows of strings.
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Holds the output folder's lock as a running run would (with its record), until dropped.
pub fn hold_lock(s: &Scratch) -> fs::File {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(s.path(".output.lock"))
        .unwrap();
    f.try_lock().unwrap();
    f.write_all(b"pid 4242 started 2026-11-23T10:00:00Z\n")
        .unwrap();
    f
}

/// Runs the real binary in `dir` with `args`: exit code, stdout, stderr.
pub fn run_in(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_iomtally"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A project for the metrics dataset in `dir`: the country table, each document (id, the
/// years it declares, its text, written as `ID.txt`), the catalogue, and a `pipeline.toml`
/// whose metrics dataset reads the documents `glob` names.
pub fn metrics_project(
    dir: &Path,
    documents: &[(&str, &[i32], &str)],
    glob: &str,
    catalogue: &str,
) {
    fs::copy(
        repo().join("raw/reference/countries.csv"),
        dir.join("countries.csv"),
    )
    .unwrap();
    let mut config = String::from(
        "[output]\ndir = \"out\"\nformats = [\"csv\"]\n[countries]\ntable = \"countries.csv\"\n",
    );
    for (id, years, text) in documents {
        fs::write(dir.join(format!("{id}.txt")), text).unwrap();
        let years: Vec<String> = years.iter().map(i32::to_string).collect();
        config.push_str(&format!(
            "[[documents]]\nid = \"{id}\"\npath = \"{id}.txt\"\ntitle = \"{id}\"\npublisher = \"IOM\"\nyears = [{}]\n",
            years.join(", ")
        ));
    }
    config.push_str(&format!(
        "[datasets.metrics.metrics]\ndocuments = [\"{glob}\"]\ncatalogue = \"metrics.toml\"\n"
    ));
    fs::write(dir.join("pipeline.toml"), config).unwrap();
    fs::write(dir.join("metrics.toml"), catalogue).unwrap();
}

/// `1234567` → `1,234,567`, as reports print counts.
pub fn grouped(v: u64) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
