//! Country reference table (`raw/reference/countries.csv`): ISO 3166-1 alpha-3, UN M49 and
//! membership flags for every name form the documents print. Matching is exact on a
//! normalised form (case, spacing, apostrophes, diacritics), never fuzzy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use crate::dataset::{DType, Field, Value};
use crate::error::{Error, Result};
use crate::validate::{Finding, Severity, Status, check_id};

#[derive(Debug, Clone)]
pub struct Country {
    pub name: String,
    pub iso3: String,
    pub m49: Option<String>,
    pub eu: bool,
    pub eea: bool,
    pub efta: bool,
    /// ISO codes a group row covers (empty for a single country).
    pub covers: Vec<String>,
    /// Line in the reference file.
    pub line: usize,
}

#[derive(Debug)]
pub enum Resolved<'a> {
    Country(&'a Country),
    /// A row label that is declared not to be a country ("Regional programmes").
    NotACountry,
    Unknown,
}

#[derive(Debug)]
pub struct CountryTable {
    pub path: PathBuf,
    entries: Vec<Country>,
    index: HashMap<String, usize>,
    not_countries: Vec<String>,
}

/// Case, spacing, apostrophe and diacritic differences do not make a different name.
pub fn normalise_name(s: &str) -> String {
    let folded: String = s
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| match c {
            '\u{2019}' | '\u{2018}' | '`' | '\u{00B4}' => '\'',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    crate::text::collapse_whitespace(&folded)
}

#[derive(serde::Deserialize)]
struct Record {
    name: String,
    iso3: String,
    m49: String,
    eu: bool,
    eea: bool,
    efta: bool,
    covers: String,
    aliases: String,
    #[allow(dead_code)]
    note: String,
}

/// One row of the table, its codes checked.
fn country(rec: &Record, line: usize) -> std::result::Result<Country, String> {
    let iso3 = rec.iso3.trim().to_string();
    if iso3.len() != 3 || !iso3.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("iso3 '{iso3}' is not three capital letters"));
    }
    let m49 = rec.m49.trim();
    if !m49.is_empty() && (m49.len() != 3 || !m49.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("m49 '{m49}' is not three digits"));
    }
    Ok(Country {
        name: rec.name.trim().to_string(),
        iso3,
        m49: (!m49.is_empty()).then(|| m49.to_string()),
        eu: rec.eu,
        eea: rec.eea,
        efta: rec.efta,
        covers: rec
            .covers
            .split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        line,
    })
}

impl CountryTable {
    pub fn load(path: &Path, not_countries: &[String]) -> Result<CountryTable> {
        let bytes = std::fs::read(path).map_err(|e| Error::Input {
            path: path.to_path_buf(),
            message: format!("cannot read the country reference table: {e}"),
        })?;
        Self::from_bytes(path, &bytes, not_countries)
    }

    pub fn from_bytes(path: &Path, bytes: &[u8], not_countries: &[String]) -> Result<CountryTable> {
        crate::text::utf8_text(bytes).map_err(|what| Error::Input {
            path: path.to_path_buf(),
            message: format!("the country reference table {what}"),
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(bytes);
        let mut entries: Vec<Country> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut codes: HashMap<String, usize> = HashMap::new();
        let malformed = |line: usize, message: String| Error::Malformed {
            path: path.to_path_buf(),
            line,
            message,
        };
        let headers = reader
            .headers()
            .map_err(|e| malformed(1, format!("country reference header: {e}")))?
            .clone();
        let mut record = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line() as usize);
                    return Err(malformed(line, format!("country reference: {e}")));
                }
            }
            let line = record.position().map_or(0, |p| p.line() as usize);
            let rec: Record = record
                .deserialize(Some(&headers))
                .map_err(|e| malformed(line, format!("country reference: {e}")))?;
            let country = country(&rec, line).map_err(|m| malformed(line, m))?;
            // A programme group (a row with `covers`) is coded to the country it is named by;
            // any other code given twice is a mistake.
            if let Some(other) = codes.get(&country.iso3).map(|&i| &entries[i])
                && country.covers.is_empty()
                && other.covers.is_empty()
            {
                let other: &Country = other;
                return Err(malformed(
                    line,
                    format!(
                        "iso3 '{}' is already the code of '{}' (line {})",
                        country.iso3, other.name, other.line
                    ),
                ));
            }
            let id = entries.len();
            codes.entry(country.iso3.clone()).or_insert(id);
            let names = std::iter::once(rec.name.as_str()).chain(rec.aliases.split('|'));
            for name in names.filter(|n| !n.trim().is_empty()) {
                let key = normalise_name(name);
                if let Some(&other) = index.get(&key)
                    && other != id
                {
                    let other: &Country = &entries[other];
                    return Err(malformed(
                        line,
                        format!(
                            "name '{name}' also names '{}' (line {})",
                            other.name, other.line
                        ),
                    ));
                }
                index.insert(key, id);
            }
            entries.push(country);
        }
        if entries.is_empty() {
            return Err(Error::Input {
                path: path.to_path_buf(),
                message: "the country reference table has no rows".into(),
            });
        }
        Ok(CountryTable {
            path: path.to_path_buf(),
            entries,
            index,
            not_countries: not_countries.iter().map(|s| normalise_name(s)).collect(),
        })
    }

    pub fn resolve(&self, printed: &str) -> Resolved<'_> {
        let key = normalise_name(printed);
        if self.not_countries.contains(&key) {
            return Resolved::NotACountry;
        }
        match self.index.get(&key) {
            Some(&i) => Resolved::Country(&self.entries[i]),
            None => Resolved::Unknown,
        }
    }

    /// The single-country row for an ISO code (not a group row).
    pub fn by_iso3(&self, iso3: &str) -> Option<&Country> {
        self.entries
            .iter()
            .find(|c| c.iso3 == iso3 && c.covers.is_empty())
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `country_iso3`, `country_m49`, `country_name` for a printed name. An unknown name gives
    /// nulls and a warning finding naming it and its line; the caller keeps the row.
    pub fn code_values(
        &self,
        printed: &str,
        at: &Place<'_>,
        findings: &mut Vec<Finding>,
    ) -> [Value<'_>; 3] {
        match self.resolve(printed) {
            Resolved::Country(c) => [
                c.iso3.as_str().into(),
                c.m49.clone().into(),
                c.name.as_str().into(),
            ],
            Resolved::NotACountry => [Value::Str(None), Value::Str(None), Value::Str(None)],
            Resolved::Unknown => {
                findings.push(Finding {
                    check_id: check_id(
                        at.dataset,
                        at.doc_id,
                        "country_code",
                        &[printed, &at.line.to_string()],
                    ),
                    dataset: at.dataset.to_string(),
                    kind: "country_code".into(),
                    subject: printed.to_string(),
                    stated: None,
                    computed: None,
                    tolerance: None,
                    status: Status::Fail,
                    severity: Severity::Warning,
                    doc_id: at.doc_id.to_string(),
                    line: Some(at.line),
                    evidence: at.evidence.trim().to_string(),
                    message: format!(
                        "country name '{printed}' is not in {}: the row is kept with null codes; add the name as an alias",
                        self.path.display()
                    ),
                });
                [Value::Str(None), Value::Str(None), Value::Str(None)]
            }
        }
    }
}

/// Where a printed name was read, for findings.
pub struct Place<'a> {
    pub dataset: &'a str,
    pub doc_id: &'a str,
    pub line: usize,
    pub evidence: &'a str,
}

/// `country_iso3`, `country_m49`, `country_name`: shared by every dataset that has a country.
#[rustfmt::skip]
pub fn code_fields() -> Vec<Field> {
    use DType::*;
    vec![
        Field::new("country_iso3", Utf8, true, "ISO 3166-1 alpha-3 code (XKX for Kosovo); null for rows that are not a country or names not in the reference table.").hxl("#country+code"),
        Field::new("country_m49", Utf8, true, "UN M49 numeric code, 3 digits as text; null where M49 has none (Kosovo) or the row is not a country.").hxl("#country+code+m49"),
        Field::new("country_name", Utf8, true, "Canonical short name from raw/reference/countries.csv.").hxl("#country+name+canonical"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_folds_case_space_apostrophes_diacritics() {
        assert_eq!(normalise_name("Côte d’Ivoire"), "cote d'ivoire");
        assert_eq!(
            normalise_name("  Lao People’s   Democratic Republic "),
            "lao people's democratic republic"
        );
        assert_eq!(normalise_name("TÜRKIYE"), "turkiye");
    }

    #[test]
    fn duplicate_names_are_an_error_with_lines() {
        let csv = "# comment\nname,iso3,m49,eu,eea,efta,covers,aliases,note\nA,AAA,001,false,false,false,,X,\nB,BBB,002,false,false,false,,x,\n";
        let err = CountryTable::from_bytes(Path::new("c.csv"), csv.as_bytes(), &[]).unwrap_err();
        assert!(err.to_string().contains("c.csv:4"), "{err}");
        assert!(err.to_string().contains("also names 'A' (line 3)"), "{err}");
    }

    #[test]
    fn bad_codes_are_errors() {
        let csv = "name,iso3,m49,eu,eea,efta,covers,aliases,note\nA,AA,001,false,false,false,,,\n";
        assert!(CountryTable::from_bytes(Path::new("c.csv"), csv.as_bytes(), &[]).is_err());
        let csv = "name,iso3,m49,eu,eea,efta,covers,aliases,note\nA,AAA,1,false,false,false,,,\n";
        assert!(CountryTable::from_bytes(Path::new("c.csv"), csv.as_bytes(), &[]).is_err());
    }

    #[test]
    fn a_code_given_to_two_countries_is_an_error_with_both_lines() {
        let csv = "name,iso3,m49,eu,eea,efta,covers,aliases,note\nA,AAA,001,false,false,false,,,\nB,AAA,002,false,false,false,,,\n";
        let group = "name,iso3,m49,eu,eea,efta,covers,aliases,note\nA,AAA,001,false,false,false,,,\nA and B,AAA,001,false,false,false,AAA|BBB,,\n";
        assert!(CountryTable::from_bytes(Path::new("c.csv"), group.as_bytes(), &[]).is_ok());
        let err = CountryTable::from_bytes(Path::new("c.csv"), csv.as_bytes(), &[])
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("c.csv:3")
                && err.contains("iso3 'AAA' is already the code of 'A' (line 2)"),
            "{err}"
        );
    }
}
