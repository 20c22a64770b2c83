//! Generators of report editions: random tables with known values, rendered in the layout of
//! the real documents (wrapped names, values on the next line or split over two, dashes, lost
//! titles, chart labels, space-grouped AVRR figures, names above/below/around their numbers).
//! What the generator put in is what the extractors must give back.
#![allow(dead_code)]

pub mod avrr;
pub mod claims;
pub mod funding;

use std::path::Path;

/// A small deterministic generator (splitmix64): an edition is a function of its seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next_u64() % (hi - lo + 1) as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() - 1)]
    }

    /// `n` distinct items, in random order.
    pub fn sample<T: Clone>(&mut self, items: &[T], n: usize) -> Vec<T> {
        let mut idx: Vec<usize> = (0..items.len()).collect();
        for i in 0..n.min(idx.len()) {
            let j = self.range(i, idx.len() - 1);
            idx.swap(i, j);
        }
        idx[..n.min(items.len())]
            .iter()
            .map(|&i| items[i].clone())
            .collect()
    }
}

/// Every printed form the country table knows (names and aliases), except forms a table
/// could mistake for a cell (a bare short number or dash) and forms longer than 60 characters.
pub fn country_names(repo: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(repo.join("raw/reference/countries.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let name = headers.iter().position(|h| h == "name").unwrap();
    let aliases = headers.iter().position(|h| h == "aliases").unwrap();
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.unwrap();
        out.push(rec[name].to_string());
        out.extend(
            rec[aliases]
                .split('|')
                .filter(|a| !a.trim().is_empty())
                .map(|a| a.trim().to_string()),
        );
    }
    out.retain(|n| {
        n.len() <= 60
            && n.split_whitespace()
                .all(|t| t != "-" && !(t.len() <= 3 && t.bytes().all(|b| b.is_ascii_digit())))
            && n.starts_with(|c: char| c.is_uppercase())
    });
    out.sort();
    out.dedup();
    out
}

/// Splits a name at spaces into between `min` and `max` lines (fewer when it has fewer words).
pub fn wrap(rng: &mut Rng, name: &str, min: usize, max: usize) -> Vec<String> {
    let words: Vec<&str> = name.split(' ').collect();
    let lines = rng.range(min, max).clamp(1, words.len());
    let mut cuts: Vec<usize> = rng.sample(&(1..words.len()).collect::<Vec<_>>(), lines - 1);
    cuts.sort_unstable();
    let mut out = Vec::new();
    let mut start = 0;
    for cut in cuts.into_iter().chain(std::iter::once(words.len())) {
        out.push(words[start..cut].join(" "));
        start = cut;
    }
    out
}

/// Groups digits in threes with `sep`: 54006 → "54 006" (sep ' ') or "54,006" (sep ',').
pub fn grouped(v: i64, sep: char) -> String {
    let digits = v.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A paragraph of prose with figures in it, as between the tables of a report.
pub fn prose(rng: &mut Rng) -> Vec<String> {
    let sentences = [
        "IOM supported governments in over 40 countries in 2016.",
        "Migrants board a train crossing the border. © IOM 2015 (Photo: Field Office)",
        "In the framework of the initiative, IOM has identified more than 57,000 families",
        "who need greater protection, support for education as well as better health.",
        "The programme reached 3 035 000 people, compared with 2,100,000 the year before.",
    ];
    (0..rng.range(1, 3))
        .map(|_| rng.pick(&sentences).to_string())
        .collect()
}

/// How an edition marks its page breaks.
#[derive(Debug, Clone, Copy)]
pub enum PageStyle {
    /// The extraction's `-----Page N End-----`, then the running head and "Page N" printed.
    Markers,
    /// The printed page number alone at the foot, the running head at the top.
    Numbers,
    /// "Page N of M" at the foot.
    PageOfPages,
}

pub const RUNNING_HEADS: &[&str] = &[
    "MIGRATION INITIATIVES 2016",
    "Migration Initiatives 2017 | IOM",
    "IOM · Funding requirements",
    "International Organization for Migration",
    "C/108/4",
];

/// A document's pagination: its style, running head and page count.
pub struct Pages {
    pub style: PageStyle,
    pub head: &'static str,
    pub page: usize,
    pub last: usize,
}

impl Pages {
    pub fn new(rng: &mut Rng, breaks: usize) -> Pages {
        let page = rng.range(2, 40);
        Pages {
            style: *rng.pick(&[
                PageStyle::Markers,
                PageStyle::Numbers,
                PageStyle::PageOfPages,
            ]),
            head: RUNNING_HEADS[rng.range(0, RUNNING_HEADS.len() - 1)],
            page,
            last: page + breaks,
        }
    }

    /// The lines of one page break: the page's foot and the next page's head.
    pub fn turn(&mut self) -> Vec<String> {
        let (p, head) = (self.page, self.head.to_string());
        self.page += 1;
        match self.style {
            PageStyle::Markers => vec![
                format!("-----------------------Page {p} End-----------------------"),
                String::new(),
                head,
                format!("Page {}", p + 1),
            ],
            PageStyle::Numbers => vec![String::new(), format!("{p}"), head],
            PageStyle::PageOfPages => vec![format!("Page {p} of {}", self.last), head],
        }
    }
}
