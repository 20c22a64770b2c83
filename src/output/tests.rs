//! The writer killed at every one of its steps: the output folder always holds one complete,
//! self-consistent set (every manifest hash matches its file), the old one or the new one, and
//! the next run cleans up what the killed one left.

use std::collections::BTreeMap;
use std::path::Path;

use super::swap::{KILL_AT, STEPS};
use super::*;
use crate::dataset::{DType, Field, TableBuilder, Value};
use crate::set::sha256_file;

fn dataset(name: &str, value: i64) -> Dataset {
    let mut t = TableBuilder::new(vec![
        Field::new("id", DType::Utf8, false, "Key."),
        Field::new("value", DType::Int64, true, "A value."),
    ]);
    for i in 0..50 {
        t.push(vec![format!("row{i}").into(), (value + i).into()]);
    }
    t.finish(name, vec!["doc".into()], vec!["id".into()])
}

fn write(dir: &Path, value: i64, key: &str) -> Result<Manifest> {
    let datasets = [dataset("alpha", value), dataset("beta", value * 2)];
    write_all(
        &datasets,
        WriteOptions {
            dir,
            formats: &[Format::Parquet, Format::Csv],
            inputs: &[],
            config: ConfigRecord {
                path: "pipeline.toml".into(),
                sha256: "0".into(),
            },
            references: Vec::new(),
            checks: BTreeMap::new(),
            hxl: false,
            run_key: key.into(),
            carried: Vec::new(),
            run_json: "{}\n".into(),
            owned: vec!["alpha".into(), "beta".into()],
        },
    )
}

/// The set in `dir` is complete and consistent; returns its run key.
fn consistent(dir: &Path) -> String {
    let manifest = Manifest::read(dir).expect("a readable manifest");
    for d in &manifest.datasets {
        for f in &d.files {
            assert_eq!(
                sha256_file(&dir.join(&f.path)).unwrap(),
                f.sha256,
                "{}",
                f.path
            );
        }
    }
    assert_eq!(manifest.datasets.len(), 2);
    manifest.run_key
}

fn siblings(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_kill_at_any_step_leaves_one_complete_set_and_the_next_run_cleans_up() {
    kills_everywhere();
}

#[test]
fn the_same_without_an_atomic_exchange() {
    super::swap::FALLBACK_ONLY.with(|f| f.set(true));
    kills_everywhere();
}

fn kills_everywhere() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("out");
    write(&dir, 1, "old").unwrap();
    STEPS.with(|s| s.borrow_mut().clear());
    write(&dir, 1, "old").unwrap();
    let steps = STEPS.with(|s| s.borrow().clone());
    assert!(steps.len() >= 8, "{steps:?}");
    for k in 1..=steps.len() {
        write(&dir, 1, "old").unwrap();
        STEPS.with(|s| s.borrow_mut().clear());
        KILL_AT.with(|c| c.set(Some(k)));
        let killed = std::panic::catch_unwind(|| write(&dir, 7, "new"));
        KILL_AT.with(|c| c.set(None));
        assert!(
            killed.is_err(),
            "step {k} ({}) was not reached",
            steps[k - 1]
        );
        // Without an atomic exchange, the one window between the two renames shows no set.
        let fallback = super::swap::FALLBACK_ONLY.with(|f| f.get());
        if dir.exists() || !fallback || steps[k - 1] != "previous set renamed aside" {
            let key = consistent(&dir);
            assert!(key == "old" || key == "new", "step {k}: {key}");
        }
        // The next run removes the killed run's staging folder and writes its own set.
        write(&dir, 9, "next").unwrap();
        assert_eq!(consistent(&dir), "next");
        assert_eq!(
            siblings(scratch.path()),
            ["out"],
            "after step {k} ({})",
            steps[k - 1]
        );
    }
}

#[test]
fn files_iomtally_did_not_write_are_carried_and_a_subfolder_is_refused() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("out");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("README.md"), "notes").unwrap();
    write(&dir, 1, "a").unwrap();
    write(&dir, 2, "b").unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("README.md")).unwrap(),
        "notes"
    );
    std::fs::create_dir(dir.join("keep")).unwrap();
    let err = write(&dir, 3, "c").unwrap_err().to_string();
    assert!(err.contains("holds the folder 'keep'"), "{err}");
    assert_eq!(consistent(&dir), "b");
}

/// A key is repeated exactly when two rows print the same key cells: cells are never run
/// together ("a","bc" is not "ab","c"), a null text prints as the empty one, and numbers are
/// compared as printed.
#[test]
fn a_key_is_repeated_exactly_when_its_cells_print_the_same() {
    let fields = vec![
        Field::new("s", DType::Utf8, true, "s"),
        Field::new("t", DType::Utf8, true, "t"),
        Field::new("n", DType::Int64, true, "n"),
        Field::new("x", DType::Float64, true, "x"),
    ];
    let repeated = |a: Vec<crate::dataset::Value>, b: Vec<crate::dataset::Value>| {
        let mut t = TableBuilder::new(fields.clone());
        t.push(a);
        t.push(b);
        let ds = t.finish(
            "k",
            Vec::new(),
            vec!["s".into(), "t".into(), "n".into(), "x".into()],
        );
        check_new_keys(&ds, &mut KeySet::default(), "k").is_err()
    };
    use crate::dataset::Value;
    fn row<'a>(
        s: Option<&'a str>,
        t: Option<&'a str>,
        n: Option<i64>,
        x: Option<f64>,
    ) -> Vec<Value<'a>> {
        vec![
            Value::from(s),
            Value::from(t),
            Value::Int(n),
            Value::Float(x),
        ]
    }
    let a = row(Some("a"), Some("bc"), Some(1), Some(0.5));
    assert!(repeated(a.clone(), a.clone()));
    assert!(!repeated(
        a.clone(),
        row(Some("ab"), Some("c"), Some(1), Some(0.5))
    ));
    assert!(!repeated(
        a.clone(),
        row(Some("a"), Some("bc"), Some(2), Some(0.5))
    ));
    assert!(!repeated(
        a.clone(),
        row(Some("a"), Some("bc"), None, Some(0.5))
    ));
    assert!(!repeated(
        a.clone(),
        row(Some("a"), Some("bc"), Some(1), Some(-0.5))
    ));
    assert!(repeated(
        row(None, Some("x"), None, None),
        row(Some(""), Some("x"), None, None)
    ));
    assert!(repeated(
        row(Some("a"), None, Some(0), Some(f64::NAN)),
        row(Some("a"), None, Some(0), Some(-f64::NAN))
    ));
    assert!(!repeated(
        row(Some("a"), None, Some(0), Some(0.0)),
        row(Some("a"), None, Some(0), Some(-0.0))
    ));
}

/// Rows promised grouped by document and rising within it: checked with only the last key
/// held, across batches, and every way of breaking the promise or repeating a key is an
/// error naming the row.
#[test]
fn grouped_keys_find_repeats_and_broken_order_across_batches() {
    let batch = |rows: &[(&str, i64, i64)]| {
        let mut t = TableBuilder::new(vec![
            Field::new("doc", DType::Utf8, false, "d"),
            Field::new("line", DType::Int64, false, "l"),
            Field::new("column", DType::Int64, false, "c"),
        ]);
        for &(d, l, c) in rows {
            t.push(vec![d.into(), l.into(), c.into()]);
        }
        let mut ds = t.finish(
            "m",
            Vec::new(),
            vec!["doc".into(), "line".into(), "column".into()],
        );
        ds.key_order = KeyOrder::Grouped;
        ds
    };
    let check = |batches: &[&[(&str, i64, i64)]]| {
        let first = batch(batches[0]);
        let mut keys = KeyCheck::of(&first);
        batches
            .iter()
            .try_for_each(|b| keys.add(&batch(b), "m"))
            .map_err(|e| e.to_string())
    };
    let ok: &[&[(&str, i64, i64)]] = &[
        &[("a", 1, 5), ("a", 2, 1), ("a", 2, 3)],
        &[("a", 9, 1), ("b", 1, 1), ("c", 1, 1)],
        &[("c", 1, 2)],
    ];
    assert_eq!(check(ok), Ok(()));
    let repeat = check(&[&[("a", 1, 5), ("a", 2, 1)], &[("a", 2, 1)]]).unwrap_err();
    assert!(repeat.contains("two rows with the primary key") && repeat.contains("(a, 2, 1)"));
    let back = check(&[&[("a", 2, 1), ("a", 1, 9)]]).unwrap_err();
    assert!(
        back.contains("key order") && back.contains("(a, 1, 9)"),
        "{back}"
    );
    let returns = check(&[&[("a", 1, 1), ("b", 1, 1)], &[("a", 7, 7)]]).unwrap_err();
    assert!(
        returns.contains("grouping") && returns.contains("(a, 7, 7)"),
        "{returns}"
    );
    // Without the promise the same rows are checked against every key held.
    let mut keys = KeyCheck::Set(KeySet::default());
    assert!(keys.add(&batch(&[("a", 2, 1), ("a", 1, 9)]), "m").is_ok());
    assert!(keys.add(&batch(&[("a", 2, 1)]), "m").is_err());
}

#[test]
fn csv_rows_formatted_in_slices_are_the_bytes_of_one_writer_row_after_row() {
    // More rows than one window of slices, cells that need quoting, nulls and floats: the
    // csv crate writing each row in turn is the oracle.
    let mut t = TableBuilder::new(vec![
        Field::new("text", DType::Utf8, true, "Text."),
        Field::new("count", DType::Int64, true, "Count."),
        Field::new("share", DType::Float64, true, "Share."),
        Field::new("flag", DType::Bool, true, "Flag."),
    ]);
    let texts = [
        "plain",
        "a, comma",
        "a \"quote\"",
        "two\nlines",
        "",
        " spaced ",
    ];
    let rows = 3 * files::CSV_ROWS_PER_TASK * files::CSV_TASKS_AT_ONCE + 17;
    let mut want = csv::Writer::from_writer(Vec::new());
    for i in 0..rows {
        let text = (i % 7 != 3).then(|| format!("{} {i}", texts[i % texts.len()]));
        let count = (i % 5 != 0).then_some(i as i64 - 1000);
        let share = (i % 11 != 0).then_some(i as f64 / 7.0);
        let flag = (i % 13 != 0).then_some(i % 2 == 0);
        want.write_record([
            text.clone().unwrap_or_default(),
            count.map(|v| v.to_string()).unwrap_or_default(),
            share.map(|v| v.to_string()).unwrap_or_default(),
            flag.map(|v| v.to_string()).unwrap_or_default(),
        ])
        .unwrap();
        t.push(vec![
            text.into(),
            count.into(),
            share.into(),
            Value::Bool(flag),
        ]);
    }
    let ds = t.finish("slices", vec![], vec![]);
    let mut got = Vec::new();
    let mut buffers = Vec::new();
    files::csv_rows(&mut got, &ds, &mut buffers).unwrap();
    let want = want.into_inner().unwrap();
    assert_eq!(
        String::from_utf8(got).unwrap(),
        String::from_utf8(want).unwrap()
    );
    // The buffers are reused: a second batch through them gives its own bytes only.
    let mut again = Vec::new();
    files::csv_rows(&mut again, &dataset("alpha", 1), &mut buffers).unwrap();
    assert_eq!(again.iter().filter(|&&b| b == b'\n').count(), 50);
}
