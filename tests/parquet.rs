//! Parquet outputs read back with an independent reader (the arrow-rs `parquet` crate, not
//! polars): contract column names and types, nullability of values, key/value metadata.

mod common;

use std::fs::File;

use arrow::array::{Array, AsArray};
use arrow::datatypes::{DataType, Int64Type};
use common::Scratch;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::Compression;

/// Logical type as the contract names it; strings may come back as Utf8, LargeUtf8 or Utf8View.
fn contract_type(t: &DataType) -> &'static str {
    match t {
        DataType::Int64 => "Int64",
        DataType::Float64 => "Float64",
        DataType::Boolean => "Boolean",
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => "Utf8",
        other => panic!("unexpected type {other:?}"),
    }
}

pub struct ReadBack {
    pub columns: Vec<(String, &'static str)>,
    pub batches: Vec<arrow::record_batch::RecordBatch>,
    pub metadata: Vec<(String, String)>,
    pub compression: Vec<Compression>,
}

fn read_back(path: &std::path::Path) -> ReadBack {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let meta = builder.metadata().clone();
    let columns = builder
        .schema()
        .fields()
        .iter()
        .map(|f| (f.name().clone(), contract_type(f.data_type())))
        .collect();
    let metadata = meta
        .file_metadata()
        .key_value_metadata()
        .map(|kv| {
            kv.iter()
                .map(|k| (k.key.clone(), k.value.clone().unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    let compression = meta
        .row_groups()
        .iter()
        .flat_map(|rg| rg.columns().iter().map(|c| c.compression()))
        .collect();
    let batches = builder.build().unwrap().map(|b| b.unwrap()).collect();
    ReadBack {
        columns,
        batches,
        metadata,
        compression,
    }
}

fn owned(cols: &[(&str, &'static str)]) -> Vec<(String, &'static str)> {
    cols.iter().map(|(n, t)| (n.to_string(), *t)).collect()
}

#[test]
fn funding_datasets_read_back_with_contract_types() {
    let s = Scratch::new();
    assert_eq!(s.run(&["run"]).status.code(), Some(0));

    let cells = read_back(&s.output().join("funding_requirements.parquet"));
    assert_eq!(
        cells.columns,
        owned(&[
            ("region", "Utf8"),
            ("region_code", "Utf8"),
            ("country", "Utf8"),
            ("country_iso3", "Utf8"),
            ("country_m49", "Utf8"),
            ("country_name", "Utf8"),
            ("category", "Utf8"),
            ("category_code", "Utf8"),
            ("amount_usd", "Int64"),
            ("cell_status", "Utf8"),
            ("doc_id", "Utf8"),
            ("line", "Int64"),
            ("page", "Int64"),
        ])
    );
    let rows: usize = cells.batches.iter().map(|b| b.num_rows()).sum();
    assert_eq!(rows, 1092);
    // Money is integer; empty cells are null, never 0.
    let amounts: Vec<Option<i64>> = cells
        .batches
        .iter()
        .flat_map(|b| {
            let a = b
                .column_by_name("amount_usd")
                .unwrap()
                .as_primitive::<Int64Type>();
            (0..a.len())
                .map(|i| a.is_valid(i).then(|| a.value(i)))
                .collect::<Vec<_>>()
        })
        .collect();
    assert_eq!(amounts[0], Some(4_400_000));
    let sum: i64 = amounts.iter().flatten().sum();
    // Sum of the nine printed grand totals (lines 459, 554, 580, 682, 707, 729, 781, 821, 861).
    let grand = 99_735_000i64
        + 207_625_000
        + 402_400_000
        + 79_709_000
        + 310_975_000
        + 350_525_000
        + 240_734_000
        + 76_996_000
        + 125_925_000;
    assert_eq!(sum, grand);
    assert!(amounts.iter().any(Option::is_none));
    assert!(
        cells
            .compression
            .iter()
            .all(|c| matches!(c, Compression::ZSTD(_)))
    );

    let kv: std::collections::HashMap<_, _> = cells.metadata.into_iter().collect();
    assert_eq!(kv["iomtally.version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(kv["iomtally.dataset"], "funding_requirements");
    assert!(kv["iomtally.source_documents"].contains("migration_initiatives_2016"));
    assert!(kv["iomtally.column.amount_usd"].contains("US dollars"));

    let totals = read_back(&s.output().join("funding_requirements_totals.parquet"));
    assert_eq!(
        totals.columns,
        owned(&[
            ("region", "Utf8"),
            ("region_code", "Utf8"),
            ("country", "Utf8"),
            ("country_iso3", "Utf8"),
            ("country_m49", "Utf8"),
            ("country_name", "Utf8"),
            ("category", "Utf8"),
            ("category_code", "Utf8"),
            ("stated_usd", "Int64"),
            ("cell_status", "Utf8"),
            ("doc_id", "Utf8"),
            ("line", "Int64"),
        ])
    );

    let checks = read_back(&s.output().join("validation_results.parquet"));
    assert_eq!(
        checks.columns,
        owned(&[
            ("check_id", "Utf8"),
            ("dataset", "Utf8"),
            ("kind", "Utf8"),
            ("subject", "Utf8"),
            ("stated", "Float64"),
            ("computed", "Float64"),
            ("difference", "Float64"),
            ("tolerance", "Float64"),
            ("status", "Utf8"),
            ("severity", "Utf8"),
            ("doc_id", "Utf8"),
            ("line", "Int64"),
            ("evidence", "Utf8"),
            ("message", "Utf8"),
        ])
    );
    let strings = |name: &str| -> Vec<String> {
        checks
            .batches
            .iter()
            .flat_map(|b| {
                let a = b.column_by_name(name).unwrap();
                let a = arrow::compute::cast(a, &DataType::Utf8).unwrap();
                let a = a.as_string::<i32>();
                (0..a.len())
                    .map(|i| a.value(i).to_string())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let (dataset, status) = (strings("dataset"), strings("status"));
    assert!(
        status
            .iter()
            .all(|s| ["pass", "fail", "inferred"].contains(&s.as_str()))
    );
    // Every funding total adds up; the two short rows and the lost title are inferences.
    let funding: Vec<&String> = status
        .iter()
        .zip(&dataset)
        .filter(|(_, d)| d.starts_with("funding"))
        .map(|(s, _)| s)
        .collect();
    assert_eq!(funding.iter().filter(|s| **s == "pass").count(), 246);
    assert_eq!(funding.iter().filter(|s| **s == "inferred").count(), 3);
}
