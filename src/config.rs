//! `pipeline.toml`: what to read, what to extract, where to write. Parsed strictly (unknown keys
//! are errors) and checked for consistency before any document is opened.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::error::{Error, Result};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub output: OutputConfig,
    #[serde(default)]
    pub validation: ValidationConfig,
    pub countries: CountriesConfig,
    pub documents: Vec<DocumentConfig>,
    pub datasets: BTreeMap<String, DatasetConfig>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountriesConfig {
    /// Country reference CSV, relative to the config file's folder.
    pub table: Spanned<String>,
    /// Row labels that are not countries and get null codes without a warning.
    #[serde(default)]
    pub not_countries: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutputConfig {
    /// Folder for datasets and manifest, relative to the config file's folder.
    pub dir: String,
    pub formats: Vec<Spanned<Format>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Parquet,
    Csv,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationConfig {
    /// Absolute tolerance, in USD, for funding sums. Integer USD: exact by default.
    #[serde(default)]
    pub usd_tolerance: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentConfig {
    pub id: Spanned<String>,
    /// Relative to the config file's folder.
    pub path: Spanned<String>,
    pub title: String,
    pub publisher: String,
    pub years: Vec<i32>,
    /// Known extraction damage, repaired on ingest (the raw file is never edited).
    #[serde(default)]
    pub repairs: Vec<Repair>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Repair {
    pub from: String,
    pub to: String,
    /// Why the repair is right, for the reader of the config.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatasetConfig {
    pub extractor: Spanned<ExtractorKind>,
    pub documents: Spanned<Vec<String>>,
    pub funding: Option<FundingConfig>,
    pub metrics: Option<MetricsConfig>,
    pub avrr: Option<AvrrConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvrrConfig {
    /// The table's heading, as printed.
    pub heading: String,
    /// Panels left to right: role (host / origin) and title as printed.
    pub panels: Vec<AvrrPanel>,
    /// Year columns of each panel, left to right.
    pub years: Vec<i32>,
    /// Rows each panel must have.
    pub rows: usize,
    /// The year whose column ranks the table.
    pub ranked_year: i32,
    /// Role of the panel of host countries (for the share checks).
    pub host_role: String,
    /// Dataset (extractor "metrics") holding the headline figures the checks compare against.
    pub metrics_dataset: String,
    /// Metric key of the yearly total of migrants assisted.
    pub total_metric: String,
    #[serde(default)]
    pub share_checks: Vec<ShareCheck>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvrrPanel {
    pub role: String,
    pub title: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShareCheck {
    pub year: i32,
    /// The stated share, as a metric reference "key@year".
    pub share: String,
    /// Membership: flags of the country table (eu, eea, efta) or ISO3 codes (CHE).
    pub members: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    /// The metrics catalogue (TOML), relative to the config file's folder.
    pub catalogue: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExtractorKind {
    Funding,
    Mentions,
    Metrics,
    Avrr,
}

impl ExtractorKind {
    pub fn name(self) -> &'static str {
        match self {
            ExtractorKind::Funding => "funding",
            ExtractorKind::Mentions => "mentions",
            ExtractorKind::Metrics => "metrics",
            ExtractorKind::Avrr => "avrr",
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingConfig {
    /// Text of the heading that opens the section holding the regional tables.
    pub section_anchor: String,
    /// Category columns in the order the tables print them.
    pub categories: Vec<Coded>,
    /// Regional tables in the order they appear.
    pub regions: Vec<RegionConfig>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coded {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegionConfig {
    pub code: String,
    pub name: String,
    /// False when the table's title line was lost in extraction: the name then comes from here.
    #[serde(default = "yes")]
    pub title_in_text: bool,
}

fn yes() -> bool {
    true
}

/// A loaded, checked configuration.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    /// Folder that relative paths are resolved against.
    pub base_dir: PathBuf,
    pub source_text: String,
    pub raw: RawConfig,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let bytes = std::fs::read(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read configuration: {e}"),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| Error::Config {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: "configuration is not UTF-8 text".into(),
        })?;
        Self::parse(path, text)
    }

    pub fn parse(path: &Path, text: String) -> Result<Config> {
        let raw: RawConfig = toml::from_str(&text).map_err(|e| {
            let (line, column) = match e.span() {
                Some(span) => {
                    let (l, c) = line_col(&text, span.start);
                    (Some(l), Some(c))
                }
                None => (None, None),
            };
            Error::Config {
                path: path.to_path_buf(),
                line,
                column,
                message: e.message().trim().to_string(),
            }
        })?;
        let base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let config = Config {
            path: path.to_path_buf(),
            base_dir,
            source_text: text,
            raw,
        };
        config.check()?;
        Ok(config)
    }

    fn error_at(&self, span: std::ops::Range<usize>, message: String) -> Error {
        let (line, column) = line_col(&self.source_text, span.start);
        Error::Config {
            path: self.path.clone(),
            line: Some(line),
            column: Some(column),
            message,
        }
    }

    /// Cross-references that serde cannot check: ids unique, datasets name known documents,
    /// extractor options present, codes unique.
    fn check(&self) -> Result<()> {
        let mut ids = BTreeSet::new();
        for doc in &self.raw.documents {
            if !is_identifier(doc.id.get_ref()) {
                return Err(self.error_at(
                    doc.id.span(),
                    format!(
                        "document id '{}' must be snake_case (a-z, 0-9, _)",
                        doc.id.get_ref()
                    ),
                ));
            }
            if !ids.insert(doc.id.get_ref().as_str()) {
                return Err(self.error_at(
                    doc.id.span(),
                    format!("document id '{}' is declared twice", doc.id.get_ref()),
                ));
            }
        }
        let mut formats = BTreeSet::new();
        for f in &self.raw.output.formats {
            if !formats.insert(*f.get_ref()) {
                return Err(self.error_at(f.span(), "output format listed twice".into()));
            }
        }
        for (name, ds) in &self.raw.datasets {
            if ds.documents.get_ref().is_empty() {
                return Err(self.error_at(
                    ds.documents.span(),
                    format!("dataset '{name}' lists no documents"),
                ));
            }
            for doc in ds.documents.get_ref() {
                if !ids.contains(doc.as_str()) {
                    return Err(self.error_at(
                        ds.documents.span(),
                        format!("dataset '{name}' names document '{doc}', which is not declared in [[documents]]"),
                    ));
                }
            }
            match ds.extractor.get_ref() {
                ExtractorKind::Funding => {
                    let Some(f) = &ds.funding else {
                        return Err(self.error_at(
                            ds.extractor.span(),
                            format!("dataset '{name}' uses extractor 'funding' but has no [datasets.{name}.funding] table"),
                        ));
                    };
                    self.check_funding(name, ds, f)?;
                }
                ExtractorKind::Mentions => {}
                ExtractorKind::Avrr => {
                    let Some(a) = &ds.avrr else {
                        return Err(self.error_at(
                            ds.extractor.span(),
                            format!("dataset '{name}' uses extractor 'avrr' but has no [datasets.{name}.avrr] table"),
                        ));
                    };
                    let fail = |m: String| {
                        self.error_at(ds.extractor.span(), format!("dataset '{name}': {m}"))
                    };
                    match self.raw.datasets.get(&a.metrics_dataset) {
                        Some(m) if *m.extractor.get_ref() == ExtractorKind::Metrics => {}
                        _ => {
                            return Err(fail(format!(
                                "metrics_dataset '{}' is not a dataset with extractor 'metrics'",
                                a.metrics_dataset
                            )));
                        }
                    }
                    if !a.years.contains(&a.ranked_year) {
                        return Err(fail(format!(
                            "ranked_year {} is not one of the years",
                            a.ranked_year
                        )));
                    }
                    if !a.panels.iter().any(|p| p.role == a.host_role) {
                        return Err(fail(format!("host_role '{}' names no panel", a.host_role)));
                    }
                    if a.panels.is_empty() || a.years.is_empty() || a.rows == 0 {
                        return Err(fail("avrr needs panels, years and rows".into()));
                    }
                }
                ExtractorKind::Metrics => {
                    if ds.metrics.is_none() {
                        return Err(self.error_at(
                            ds.extractor.span(),
                            format!("dataset '{name}' uses extractor 'metrics' but has no [datasets.{name}.metrics] table"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    fn check_funding(&self, name: &str, ds: &DatasetConfig, f: &FundingConfig) -> Result<()> {
        let fail = |m: String| self.error_at(ds.extractor.span(), format!("dataset '{name}': {m}"));
        if f.categories.is_empty() || f.regions.is_empty() {
            return Err(fail(
                "funding needs at least one category and one region".into(),
            ));
        }
        unique(
            f.categories.iter().map(|c| c.code.as_str()),
            "category code",
        )
        .map_err(&fail)?;
        unique(f.regions.iter().map(|r| r.code.as_str()), "region code").map_err(&fail)?;
        unique(f.regions.iter().map(|r| r.name.as_str()), "region name").map_err(&fail)?;
        if f.section_anchor.trim().is_empty() {
            return Err(fail("section_anchor is empty".into()));
        }
        Ok(())
    }

    pub fn output_dir(&self) -> PathBuf {
        self.base_dir.join(&self.raw.output.dir)
    }

    pub fn countries_path(&self) -> PathBuf {
        self.base_dir.join(self.raw.countries.table.get_ref())
    }

    pub fn formats(&self) -> Vec<Format> {
        let mut f: Vec<Format> = self
            .raw
            .output
            .formats
            .iter()
            .map(|f| *f.get_ref())
            .collect();
        f.sort();
        f
    }

    pub fn document(&self, id: &str) -> Option<&DocumentConfig> {
        self.raw.documents.iter().find(|d| d.id.get_ref() == id)
    }

    /// Where a document's path is declared, for errors about the file itself.
    pub fn document_line(&self, doc: &DocumentConfig) -> usize {
        line_col(&self.source_text, doc.path.span().start).0
    }
}

fn unique<'a>(items: impl Iterator<Item = &'a str>, what: &str) -> std::result::Result<(), String> {
    let mut seen = BTreeSet::new();
    for item in items {
        if !seen.insert(item) {
            return Err(format!("{what} '{item}' appears twice"));
        }
    }
    Ok(())
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// 1-based line and column of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
