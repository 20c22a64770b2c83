//! `pipeline.toml`: what to read, what to extract, where to write. Parsed strictly (unknown keys
//! are errors) into types that say what each part means: a dataset is an enum tagged by its
//! extractor (`[datasets.NAME.funding]`), so every extractor's options are present by
//! construction. Cross-references (document ids, globs, dataset dependencies) are checked
//! before any document is opened.

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
    pub datasets: BTreeMap<String, Spanned<DatasetConfig>>,
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
    pub dir: Spanned<String>,
    pub formats: Spanned<Vec<Spanned<Format>>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Parquet,
    Csv,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValidationConfig {
    /// Absolute tolerance, in USD, for funding sums. Integer USD: exact by default.
    pub usd_tolerance: Option<Spanned<i64>>,
}

impl ValidationConfig {
    pub fn usd_tolerance(&self) -> i64 {
        self.usd_tolerance.as_ref().map_or(0, |t| *t.get_ref())
    }
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
    /// Facts about this document that its text cannot tell (each optional).
    pub overrides: Option<Spanned<DocumentOverrides>>,
}

/// What one document's text cannot tell an extractor; everything else is read from the text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentOverrides {
    /// AVRR: the year whose column ranks the table, where the dataset's `ranked_by` rule is
    /// wrong for this document.
    pub avrr_ranked_year: Option<i32>,
    /// Funding: region codes in the order this document prints its tables, where it differs
    /// from the dataset's declared order (used to name a table whose title line is lost).
    pub funding_region_order: Option<Vec<String>>,
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

/// One dataset: the extractor that makes it, with that extractor's options.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DatasetConfig {
    Funding(FundingConfig),
    Avrr(AvrrConfig),
    Metrics(MetricsConfig),
    Mentions(MentionsConfig),
    Claims(ClaimsConfig),
}

impl DatasetConfig {
    pub fn kind(&self) -> &'static str {
        match self {
            DatasetConfig::Funding(_) => "funding",
            DatasetConfig::Avrr(_) => "avrr",
            DatasetConfig::Metrics(_) => "metrics",
            DatasetConfig::Mentions(_) => "mentions",
            DatasetConfig::Claims(_) => "claims",
        }
    }

    /// The document selectors as written: ids, or globs over ids or declared paths.
    pub fn documents(&self) -> &Spanned<Vec<String>> {
        match self {
            DatasetConfig::Funding(c) => &c.documents,
            DatasetConfig::Avrr(c) => &c.documents,
            DatasetConfig::Metrics(c) => &c.documents,
            DatasetConfig::Mentions(c) => &c.documents,
            DatasetConfig::Claims(c) => &c.documents,
        }
    }

    /// Other datasets whose figures this one reads.
    pub fn needs(&self) -> Vec<&str> {
        match self {
            DatasetConfig::Avrr(c) => vec![c.metrics_dataset.as_str()],
            _ => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionsConfig {
    pub documents: Spanned<Vec<String>>,
}

/// Automatic claim checks read the documents' figures themselves: documents only.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsConfig {
    pub documents: Spanned<Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricsConfig {
    pub documents: Spanned<Vec<String>>,
    /// The metrics catalogue (TOML), relative to the config file's folder.
    pub catalogue: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingConfig {
    pub documents: Spanned<Vec<String>>,
    /// Text of the heading that opens the section holding the regional tables.
    pub section_anchor: String,
    /// Category columns in the order the tables print them.
    pub categories: Vec<Coded>,
    /// Regions whose tables the section holds, in the order they usually appear. A table is
    /// named by the title it prints; a table whose title is lost takes the next declared region.
    pub regions: Vec<Coded>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coded {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AvrrConfig {
    pub documents: Spanned<Vec<String>>,
    /// The table's heading, as printed.
    pub heading: String,
    /// Panels left to right: role (host / origin) and title as printed.
    pub panels: Vec<AvrrPanel>,
    /// Rows each panel must have (the "top N").
    pub rows: usize,
    /// Which year column ranks the table (a layout rule; the years come from the text).
    #[serde(default)]
    pub ranked_by: RankedBy,
    /// Role of the panel of host countries (for the share checks).
    pub host_role: String,
    /// Dataset (extractor "metrics") holding the headline figures the checks compare against.
    pub metrics_dataset: String,
    /// Metric key of the yearly total of migrants assisted.
    pub total_metric: String,
    #[serde(default)]
    pub share_checks: Vec<ShareCheck>,
}

/// The layout rule that says which year column ranks an AVRR table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RankedBy {
    #[default]
    FirstYearColumn,
    LastYearColumn,
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
    /// Metric key of a stated share (percent), checked for every table year it is stated for.
    pub share: String,
    /// Membership: flags of the country table (eu, eea, efta) or ISO3 codes (CHE).
    pub members: Vec<String>,
}

/// A loaded, checked configuration.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    /// Folder that relative paths are resolved against.
    pub base_dir: PathBuf,
    pub source_text: String,
    pub raw: RawConfig,
    /// Each dataset's document ids, globs expanded, in selection order.
    selected: BTreeMap<String, Vec<String>>,
}

impl Config {
    pub fn load(path: &Path) -> Result<Config> {
        let bytes = std::fs::read(path).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            line: None,
            column: None,
            message: format!("cannot read configuration: {e}"),
        })?;
        let text = crate::text::utf8_text(&bytes)
            .map_err(|what| Error::Config {
                path: path.to_path_buf(),
                line: None,
                column: None,
                message: format!("configuration {what}"),
            })?
            .to_string();
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
        let mut config = Config {
            path: path.to_path_buf(),
            base_dir,
            source_text: text,
            raw,
            selected: BTreeMap::new(),
        };
        config.check_documents()?;
        config.check_output()?;
        for (name, ds) in &config.raw.datasets {
            let ids = config.select_documents(name, ds.get_ref().documents())?;
            config.selected.insert(name.clone(), ids);
        }
        for (name, ds) in &config.raw.datasets {
            config.check_dataset(name, ds)?;
        }
        config.check_overrides()?;
        Ok(config)
    }

    /// An error at a byte span of the config file.
    pub fn error_at(&self, span: std::ops::Range<usize>, message: String) -> Error {
        let (line, column) = line_col(&self.source_text, span.start);
        Error::Config {
            path: self.path.clone(),
            line: Some(line),
            column: Some(column),
            message,
        }
    }

    fn check_documents(&self) -> Result<()> {
        let mut ids = BTreeSet::new();
        for doc in &self.raw.documents {
            let id = doc.id.get_ref();
            if !is_identifier(id) {
                return Err(self.error_at(
                    doc.id.span(),
                    format!("document id '{id}' must be snake_case (a-z, 0-9, _)"),
                ));
            }
            if !ids.insert(id.as_str()) {
                return Err(self.error_at(
                    doc.id.span(),
                    format!("document id '{id}' is declared twice"),
                ));
            }
            check_document(doc)
                .map_err(|m| self.error_at(doc.id.span(), format!("document '{id}': {m}")))?;
        }
        Ok(())
    }

    fn check_output(&self) -> Result<()> {
        let output = &self.raw.output;
        if output.formats.get_ref().is_empty() {
            return Err(self.error_at(
                output.formats.span(),
                "formats lists no format: a run would write no data (use \"parquet\", \"csv\" or both)".into(),
            ));
        }
        let mut formats = BTreeSet::new();
        for f in output.formats.get_ref() {
            if !formats.insert(*f.get_ref()) {
                return Err(self.error_at(f.span(), "output format listed twice".into()));
            }
        }
        if output.dir.get_ref().trim().is_empty() {
            return Err(self.error_at(output.dir.span(), "output dir is empty".into()));
        }
        if let Some(t) = &self.raw.validation.usd_tolerance
            && *t.get_ref() < 0
        {
            return Err(self.error_at(
                t.span(),
                format!(
                    "usd_tolerance is {}: a tolerance is a non-negative number of USD",
                    t.get_ref()
                ),
            ));
        }
        if let Some(n) = self
            .raw
            .countries
            .not_countries
            .iter()
            .find(|n| n.trim().is_empty())
        {
            return Err(self.error_at(
                self.raw.countries.table.span(),
                format!("not_countries holds an empty name ('{n}')"),
            ));
        }
        Ok(())
    }

    /// Expands a dataset's selectors: an id, or a glob (`*`, `?`, `[...]`) over the declared
    /// ids, or over the declared paths when it contains a `/`. Every selector must select
    /// something, and no document may be selected twice.
    fn select_documents(
        &self,
        name: &str,
        selectors: &Spanned<Vec<String>>,
    ) -> Result<Vec<String>> {
        let fail = |m: String| self.error_at(selectors.span(), format!("dataset '{name}': {m}"));
        if selectors.get_ref().is_empty() {
            return Err(fail("lists no documents".into()));
        }
        let mut ids: Vec<String> = Vec::new();
        for selector in selectors.get_ref() {
            let matched = self.match_selector(selector).map_err(&fail)?;
            if matched.is_empty() {
                return Err(fail(format!(
                    "'{selector}' names no document declared in [[documents]]"
                )));
            }
            for id in matched {
                if ids.contains(&id) {
                    return Err(fail(format!(
                        "document '{id}' is selected twice (again by '{selector}')"
                    )));
                }
                ids.push(id);
            }
        }
        Ok(ids)
    }

    fn match_selector(&self, selector: &str) -> std::result::Result<Vec<String>, String> {
        let docs = &self.raw.documents;
        if !selector.contains(['*', '?', '[']) {
            return Ok(docs
                .iter()
                .filter(|d| d.id.get_ref() == selector)
                .map(|d| d.id.get_ref().clone())
                .collect());
        }
        let pattern = glob::Pattern::new(selector)
            .map_err(|e| format!("'{selector}' is not a valid glob: {e}"))?;
        let by_path = selector.contains('/');
        Ok(docs
            .iter()
            .filter(|d| {
                let subject = if by_path {
                    d.path.get_ref()
                } else {
                    d.id.get_ref()
                };
                pattern.matches(subject)
            })
            .map(|d| d.id.get_ref().clone())
            .collect())
    }

    fn check_dataset(&self, name: &str, ds: &Spanned<DatasetConfig>) -> Result<()> {
        let fail = |m: String| self.error_at(ds.span(), format!("dataset '{name}': {m}"));
        if !is_identifier(name) {
            return Err(fail(
                "a dataset name must be snake_case (a-z, 0-9, _)".into(),
            ));
        }
        for companion in companions(ds.get_ref()) {
            let full = format!("{name}_{companion}");
            if self.raw.datasets.contains_key(&full) {
                return Err(fail(format!(
                    "it also writes '{full}', which is declared as a dataset of its own"
                )));
            }
        }
        match ds.get_ref() {
            DatasetConfig::Funding(f) => check_funding(f).map_err(fail),
            DatasetConfig::Avrr(a) => self.check_avrr(a).map_err(fail),
            DatasetConfig::Metrics(m) if m.catalogue.trim().is_empty() => {
                Err(fail("catalogue is empty".into()))
            }
            DatasetConfig::Metrics(_) | DatasetConfig::Mentions(_) | DatasetConfig::Claims(_) => {
                Ok(())
            }
        }
    }

    fn check_avrr(&self, a: &AvrrConfig) -> std::result::Result<(), String> {
        match self
            .raw
            .datasets
            .get(&a.metrics_dataset)
            .map(Spanned::get_ref)
        {
            Some(DatasetConfig::Metrics(_)) => {}
            _ => {
                return Err(format!(
                    "metrics_dataset '{}' is not a dataset with extractor 'metrics'",
                    a.metrics_dataset
                ));
            }
        }
        if a.panels.is_empty() || a.rows == 0 {
            return Err("avrr needs panels and rows".into());
        }
        if a.heading.trim().is_empty() || a.panels.iter().any(|p| p.title.trim().is_empty()) {
            return Err("the heading and every panel title must be printed text, not empty".into());
        }
        if a.total_metric.trim().is_empty() {
            return Err("total_metric is empty".into());
        }
        if let Some(c) = a.share_checks.iter().find(|c| c.members.is_empty()) {
            return Err(format!("share check '{}' names no members", c.share));
        }
        if !a.panels.iter().any(|p| p.role == a.host_role) {
            return Err(format!("host_role '{}' names no panel", a.host_role));
        }
        unique(a.panels.iter().map(|p| p.role.as_str()), "panel role")
    }

    /// Overrides must name things the datasets reading the document declare.
    fn check_overrides(&self) -> Result<()> {
        for doc in &self.raw.documents {
            let Some(overrides) = &doc.overrides else {
                continue;
            };
            let Some(order) = &overrides.get_ref().funding_region_order else {
                continue;
            };
            let id = doc.id.get_ref();
            for (name, ds) in &self.raw.datasets {
                let DatasetConfig::Funding(f) = ds.get_ref() else {
                    continue;
                };
                if !self.documents_of(name).contains(id) {
                    continue;
                }
                for code in order {
                    if !f.regions.iter().any(|r| &r.code == code) {
                        return Err(self.error_at(
                            overrides.span(),
                            format!(
                                "document '{id}': funding_region_order names '{code}', which is not a region code of dataset '{name}'"
                            ),
                        ));
                    }
                }
                unique(order.iter().map(String::as_str), "region code")
                    .map_err(|m| self.error_at(overrides.span(), m))?;
            }
        }
        Ok(())
    }

    pub fn output_dir(&self) -> PathBuf {
        self.base_dir.join(self.raw.output.dir.get_ref())
    }

    pub fn countries_path(&self) -> PathBuf {
        self.base_dir.join(self.raw.countries.table.get_ref())
    }

    pub fn formats(&self) -> Vec<Format> {
        let mut f: Vec<Format> = self
            .raw
            .output
            .formats
            .get_ref()
            .iter()
            .map(|f| *f.get_ref())
            .collect();
        f.sort();
        f
    }

    pub fn document(&self, id: &str) -> Option<&DocumentConfig> {
        self.raw.documents.iter().find(|d| d.id.get_ref() == id)
    }

    /// The document ids a dataset reads, globs expanded.
    pub fn documents_of(&self, dataset: &str) -> &[String] {
        self.selected.get(dataset).map_or(&[], Vec::as_slice)
    }

    /// A document's overrides (empty when it declares none).
    pub fn overrides(&self, id: &str) -> DocumentOverrides {
        self.document(id)
            .and_then(|d| d.overrides.as_ref())
            .map(|o| o.get_ref().clone())
            .unwrap_or_default()
    }

    /// Where a document's path is declared, for errors about the file itself.
    pub fn document_line(&self, doc: &DocumentConfig) -> usize {
        line_col(&self.source_text, doc.path.span().start).0
    }
}

/// A document's declared facts make sense: a path, a title, the years it covers, repairs that
/// change something.
fn check_document(doc: &DocumentConfig) -> std::result::Result<(), String> {
    if doc.path.get_ref().trim().is_empty() {
        return Err("path is empty".into());
    }
    if doc.title.trim().is_empty() {
        return Err("title is empty".into());
    }
    if doc.years.is_empty() {
        return Err("years lists no year (the years the document covers)".into());
    }
    if let Some(y) = doc.years.iter().find(|y| !(1900..=2199).contains(*y)) {
        return Err(format!("year {y} is not a year between 1900 and 2199"));
    }
    for (k, r) in doc.repairs.iter().enumerate() {
        if r.from.is_empty() {
            return Err(format!(
                "repair {} has an empty 'from': it would match everywhere",
                k + 1
            ));
        }
        if r.from == r.to {
            return Err(format!(
                "repair {} replaces '{}' with itself",
                k + 1,
                r.from
            ));
        }
    }
    Ok(())
}

/// Datasets an extractor writes besides the one named by the key: `<name>_<suffix>`.
pub fn companions(ds: &DatasetConfig) -> &'static [&'static str] {
    match ds {
        DatasetConfig::Funding(_) => &["totals"],
        DatasetConfig::Metrics(_) => &["wide"],
        DatasetConfig::Avrr(_) | DatasetConfig::Mentions(_) | DatasetConfig::Claims(_) => &[],
    }
}

/// Codes and names are not empty.
fn check_coded(items: &[Coded], what: &str) -> std::result::Result<(), String> {
    match items
        .iter()
        .find(|c| c.code.trim().is_empty() || c.name.trim().is_empty())
    {
        Some(c) => Err(format!(
            "a {what} has an empty code or name ('{}', '{}')",
            c.code, c.name
        )),
        None => Ok(()),
    }
}

fn check_funding(f: &FundingConfig) -> std::result::Result<(), String> {
    if f.categories.is_empty() || f.regions.is_empty() {
        return Err("funding needs at least one category and one region".into());
    }
    check_coded(&f.categories, "category")?;
    check_coded(&f.regions, "region")?;
    unique(
        f.categories.iter().map(|c| c.code.as_str()),
        "category code",
    )?;
    unique(f.regions.iter().map(|r| r.code.as_str()), "region code")?;
    unique(f.regions.iter().map(|r| r.name.as_str()), "region name")?;
    if f.section_anchor.trim().is_empty() {
        return Err("section_anchor is empty".into());
    }
    Ok(())
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

/// 1-based line and column of a byte offset (of the character it falls in).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    crate::text::line_and_column(text.as_bytes(), offset)
}
