//! `datapackage.json`: a Frictionless Data Package describing every file written, so the data
//! describes itself (fields, types, descriptions, constraints, keys, sources).

use serde_json::{Value as Json, json};

use crate::config::Format;
use crate::dataset::{DType, Dataset};
use crate::set::InputRecord;

pub const FILE: &str = "datapackage.json";

fn frictionless_type(t: DType) -> &'static str {
    match t {
        DType::Int64 => "integer",
        DType::Float64 => "number",
        DType::Utf8 => "string",
        DType::Bool => "boolean",
    }
}

/// `missing`: the strings a reader sees for null; frictionless reads Parquet through pandas,
/// where a null integer turns into the float NaN, printed "nan".
pub fn schema(ds: &Dataset, missing: &[&str]) -> Json {
    let fields: Vec<Json> = ds
        .fields
        .iter()
        .map(|f| {
            let mut constraints = serde_json::Map::new();
            if !f.nullable {
                constraints.insert("required".into(), json!(true));
            }
            if !f.allowed.is_empty() {
                constraints.insert("enum".into(), json!(f.allowed));
            }
            let mut field = json!({
                "name": f.name,
                "type": frictionless_type(f.dtype),
                "description": f.description,
            });
            if !constraints.is_empty() {
                field["constraints"] = Json::Object(constraints);
            }
            if let Some(tag) = &f.hxl {
                field["hxl"] = json!(tag);
            }
            field
        })
        .collect();
    json!({
        "fields": fields,
        "primaryKey": ds.primary_key,
        "missingValues": missing,
    })
}

fn sources(ds: &Dataset, inputs: &[InputRecord]) -> Vec<Json> {
    inputs
        .iter()
        .filter(|i| ds.sources.contains(&i.id))
        .map(|i| json!({ "title": i.title, "path": i.path }))
        .collect()
}

/// The package for the datasets written in `formats`; `hxl` marks the CSV tag row.
pub fn package(
    datasets: &[Dataset],
    formats: &[Format],
    inputs: &[InputRecord],
    hxl: bool,
) -> Json {
    let mut resources = Vec::new();
    for ds in datasets {
        for &format in formats {
            let (name, path, fmt, media) = match format {
                Format::Csv => (
                    ds.name.clone(),
                    format!("{}.csv", ds.name),
                    "csv",
                    "text/csv",
                ),
                Format::Parquet => (
                    format!("{}_parquet", ds.name),
                    format!("{}.parquet", ds.name),
                    "parquet",
                    "application/vnd.apache.parquet",
                ),
            };
            let mut resource = json!({
                "name": name,
                "path": path,
                "profile": "tabular-data-resource",
                "format": fmt,
                "mediatype": media,
                "schema": schema(ds, if format == Format::Parquet { &["", "nan"] } else { &[""] }),
                "sources": sources(ds, inputs),
            });
            if format == Format::Csv {
                resource["encoding"] = json!("utf-8");
                let mut dialect = json!({ "delimiter": ",", "header": true });
                if hxl {
                    // Row 2 holds the HXL hashtags, not data.
                    dialect["commentRows"] = json!([2]);
                }
                resource["dialect"] = dialect;
            }
            resources.push(resource);
        }
    }
    let all_sources: Vec<Json> = inputs
        .iter()
        .map(|i| json!({ "title": i.title, "path": i.path }))
        .collect();
    json!({
        "profile": "tabular-data-package",
        "name": "iomtally",
        "title": "iomtally: datasets extracted from IOM report text, with consistency checks",
        "version": env!("CARGO_PKG_VERSION"),
        "sources": all_sources,
        "resources": resources,
    })
}
