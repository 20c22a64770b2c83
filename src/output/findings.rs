//! One dataset's findings in the order they were made: held in memory, or, when the run
//! writes, spilled to a file in the staging folder as they come and read back once, in order,
//! into the validation dataset. A dense document's hundreds of thousands of findings (a
//! kilobyte of text each) are never all held.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::validate::{Finding, Severity, Status};

pub struct FindingLog {
    /// Findings that come before all others (documents a step could not read): always held.
    head: Vec<Finding>,
    body: Body,
}

enum Body {
    Held(Vec<Finding>),
    Spilled {
        path: PathBuf,
        file: BufWriter<File>,
    },
}

impl From<Vec<Finding>> for FindingLog {
    fn from(findings: Vec<Finding>) -> FindingLog {
        FindingLog {
            head: Vec::new(),
            body: Body::Held(findings),
        }
    }
}

impl Default for FindingLog {
    fn default() -> FindingLog {
        FindingLog::from(Vec::new())
    }
}

impl FindingLog {
    /// A log spilled into `dir` (the run's staging folder) when there is one, else held.
    pub fn open(dir: Option<&Path>, dataset: &str) -> Result<FindingLog> {
        let Some(dir) = dir else {
            return Ok(FindingLog::default());
        };
        let path = dir.join(format!(".findings-{dataset}.spill"));
        let file = File::create(&path).map_err(|e| Error::output(&path, e))?;
        Ok(FindingLog {
            head: Vec::new(),
            body: Body::Spilled {
                path,
                file: BufWriter::with_capacity(1 << 20, file),
            },
        })
    }

    pub fn push(&mut self, finding: Finding) -> Result<()> {
        match &mut self.body {
            Body::Held(held) => held.push(finding),
            Body::Spilled { path, file } => {
                encode(&finding, file).map_err(|e| Error::output(path.as_path(), e))?
            }
        }
        Ok(())
    }

    pub fn extend(&mut self, findings: impl IntoIterator<Item = Finding>) -> Result<()> {
        findings.into_iter().try_for_each(|f| self.push(f))
    }

    /// Puts `findings` before every finding logged so far.
    pub fn put_first(&mut self, mut findings: Vec<Finding>) {
        findings.append(&mut self.head);
        self.head = findings;
    }

    /// Every finding in the order logged, handed to `take` one at a time; a spill is read back
    /// and removed.
    pub fn drain(self, mut take: impl FnMut(Finding) -> Result<()>) -> Result<()> {
        self.head.into_iter().try_for_each(&mut take)?;
        match self.body {
            Body::Held(held) => held.into_iter().try_for_each(take),
            Body::Spilled { path, file } => {
                let file = file
                    .into_inner()
                    .map_err(|e| Error::output(&path, e.error()))?;
                drop(file);
                read_back(&path, take)?;
                std::fs::remove_file(&path).map_err(|e| Error::output(&path, e))
            }
        }
    }
}

fn read_back(path: &Path, mut take: impl FnMut(Finding) -> Result<()>) -> Result<()> {
    let file = File::open(path).map_err(|e| Error::output(path, e))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    while let Some(finding) = decode(&mut reader).map_err(|e| Error::output(path, e))? {
        take(finding)?;
    }
    Ok(())
}

// A finding as bytes: its texts length-prefixed, its numbers by their bits (read back exactly,
// NaN and signed zero included), its status and severity by their order.

fn encode(f: &Finding, w: &mut impl Write) -> std::io::Result<()> {
    for text in [&f.check_id, &f.dataset, &f.kind, &f.subject] {
        put_text(w, text)?;
    }
    for number in [f.stated, f.computed, f.tolerance] {
        put_number(w, number)?;
    }
    w.write_all(&[status_code(f.status), severity_code(f.severity)])?;
    put_text(w, &f.doc_id)?;
    put_word(w, f.line.map(|l| l as u64))?;
    put_text(w, &f.evidence)?;
    put_text(w, &f.message)
}

/// The next finding, or None at the end of the log.
fn decode(r: &mut impl Read) -> std::io::Result<Option<Finding>> {
    let mut first = [0u8; 8];
    let got = loop {
        match r.read(&mut first[..1]) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => break other?,
        }
    };
    if got == 0 {
        return Ok(None);
    }
    r.read_exact(&mut first[1..])?;
    let check_id = text_of_length(r, u64::from_le_bytes(first))?;
    let (dataset, kind, subject) = (take_text(r)?, take_text(r)?, take_text(r)?);
    let (stated, computed, tolerance) = (take_number(r)?, take_number(r)?, take_number(r)?);
    let mut codes = [0u8; 2];
    r.read_exact(&mut codes)?;
    let (Some(status), Some(severity)) = (status_of(codes[0]), severity_of(codes[1])) else {
        return Err(corrupt());
    };
    Ok(Some(Finding {
        check_id,
        dataset,
        kind,
        subject,
        stated,
        computed,
        tolerance,
        status,
        severity,
        doc_id: take_text(r)?,
        line: take_word(r)?.map(|l| l as usize),
        evidence: take_text(r)?,
        message: take_text(r)?,
    }))
}

fn corrupt() -> std::io::Error {
    std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "the findings spilled by this run read back wrong",
    )
}

fn put_text(w: &mut impl Write, text: &str) -> std::io::Result<()> {
    w.write_all(&(text.len() as u64).to_le_bytes())?;
    w.write_all(text.as_bytes())
}

fn put_number(w: &mut impl Write, number: Option<f64>) -> std::io::Result<()> {
    put_word(w, number.map(f64::to_bits))
}

fn put_word(w: &mut impl Write, word: Option<u64>) -> std::io::Result<()> {
    match word {
        None => w.write_all(&[0]),
        Some(n) => {
            w.write_all(&[1])?;
            w.write_all(&n.to_le_bytes())
        }
    }
}

fn take_u64(r: &mut impl Read) -> std::io::Result<u64> {
    let mut bytes = [0u8; 8];
    r.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

fn take_text(r: &mut impl Read) -> std::io::Result<String> {
    let len = take_u64(r)?;
    text_of_length(r, len)
}

fn text_of_length(r: &mut impl Read, len: u64) -> std::io::Result<String> {
    // Sized at once (a spilled length is trusted no further than a megabyte: more is read as
    // it comes, and a length longer than the log is caught below).
    let mut bytes = Vec::with_capacity(len.min(1 << 20) as usize);
    r.take(len).read_to_end(&mut bytes)?;
    if bytes.len() as u64 != len {
        return Err(corrupt());
    }
    String::from_utf8(bytes).map_err(|_| corrupt())
}

fn take_number(r: &mut impl Read) -> std::io::Result<Option<f64>> {
    Ok(take_word(r)?.map(f64::from_bits))
}

fn take_word(r: &mut impl Read) -> std::io::Result<Option<u64>> {
    let mut tag = [0u8; 1];
    r.read_exact(&mut tag)?;
    match tag[0] {
        0 => Ok(None),
        1 => Ok(Some(take_u64(r)?)),
        _ => Err(corrupt()),
    }
}

fn status_code(s: Status) -> u8 {
    Status::ALL.iter().position(|&x| x == s).unwrap_or(0) as u8
}

fn status_of(code: u8) -> Option<Status> {
    Status::ALL.get(usize::from(code)).copied()
}

fn severity_code(s: Severity) -> u8 {
    Severity::ALL.iter().position(|&x| x == s).unwrap_or(0) as u8
}

fn severity_of(code: u8) -> Option<Severity> {
    Severity::ALL.get(usize::from(code)).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn finding(
        texts: [String; 7],
        numbers: [Option<f64>; 3],
        line: Option<usize>,
        codes: (u8, u8),
    ) -> Finding {
        let [check_id, dataset, kind, subject, doc_id, evidence, message] = texts;
        Finding {
            check_id,
            dataset,
            kind,
            subject,
            stated: numbers[0],
            computed: numbers[1],
            tolerance: numbers[2],
            status: Status::ALL[usize::from(codes.0) % 4],
            severity: Severity::ALL[usize::from(codes.1) % 3],
            doc_id,
            line,
            evidence,
            message,
        }
    }

    /// Fields compared as the validation dataset prints them (a NaN is a NaN).
    fn printed(f: &Finding) -> String {
        format!("{f:?}")
    }

    fn number() -> impl Strategy<Value = Option<f64>> {
        prop_oneof![
            Just(None),
            any::<f64>().prop_map(Some),
            Just(Some(-0.0)),
            Just(Some(f64::INFINITY))
        ]
    }

    proptest! {
        /// Whatever a finding holds (any text, any number, no line), it is read back from a
        /// spill as it was logged, in the order logged, after the held ones put first.
        #[test]
        fn spilled_findings_read_back_as_logged(
            texts in proptest::collection::vec(proptest::array::uniform7(".{0,40}"), 0..6),
            numbers in proptest::collection::vec(proptest::array::uniform3(number()), 6),
            lines in proptest::collection::vec(proptest::option::of(any::<usize>()), 6),
            codes in proptest::collection::vec((any::<u8>(), any::<u8>()), 6),
        ) {
            let logged: Vec<Finding> = texts
                .into_iter()
                .enumerate()
                .map(|(i, t)| finding(t, numbers[i], lines[i], codes[i]))
                .collect();
            let dir = tempfile::tempdir().unwrap();
            let mut log = FindingLog::open(Some(dir.path()), "d").unwrap();
            let (first, rest) = logged.split_at(logged.len() / 2);
            log.extend(rest.iter().cloned()).unwrap();
            log.put_first(first.to_vec());
            let mut read = Vec::new();
            log.drain(|f| {
                read.push(f);
                Ok(())
            })
            .unwrap();
            let want: Vec<String> = logged.iter().map(printed).collect();
            let got: Vec<String> = read.iter().map(printed).collect();
            prop_assert_eq!(got, want);
            // The spill is gone once read.
            prop_assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    #[test]
    fn a_truncated_spill_is_an_error_not_a_finding() {
        let dir = tempfile::tempdir().unwrap();
        let f = finding(
            std::array::from_fn(|i| format!("text {i}")),
            [Some(1.0), None, Some(0.5)],
            Some(7),
            (1, 0),
        );
        let mut bytes = Vec::new();
        encode(&f, &mut bytes).unwrap();
        for cut in 1..bytes.len() {
            let path = dir.path().join("cut");
            std::fs::write(&path, &bytes[..cut]).unwrap();
            let result = read_back(&path, |_| Ok(()));
            assert!(result.is_err(), "cut at {cut}");
        }
        let path = dir.path().join("whole");
        std::fs::write(&path, &bytes).unwrap();
        let mut read = Vec::new();
        read_back(&path, |f| {
            read.push(f);
            Ok(())
        })
        .unwrap();
        assert_eq!(printed(&read[0]), printed(&f));
    }
}
