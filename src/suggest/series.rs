//! `iomtally suggest --series`: the same indicator printed in successive editions (or for two
//! years in one document), found among the figures no catalogue source reads.
//!
//! Every figure gets a [`Frame`] (its words, unit noun and verb) and a year. Two figures of
//! different years and compatible units are scored by the cosine of their frames' TF-IDF
//! vectors: bag-of-words because editions reorder a sentence and swap hedges ("an estimated
//! 7,000 victims … received" / "over 8,500 victims … were assisted"), which an edit distance
//! punishes; IDF because the words every report repeats ("countries", "migrants") should not
//! decide, the rare ones ("trafficking", "private sector") should. Frames hold the acronyms the
//! documents define ([`super::glossary`]), so "CCCM" meets "camp management". A pair whose
//! cosine reaches [`THRESHOLD`] is scored by it times the [`closeness`] of its values; a figure
//! links to its best-scored partner in each other document-and-year, when that partner's best
//! is the figure in turn; linked figures form a series.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

use super::frame::{self, Frame, YearFrom};
use super::glossary::Glossary;
use super::{Loaded, has_prose_words, load_dataset, rows_of_figures, toml_string};
use crate::config::Config;
use crate::error::Result;
use crate::extract::figures::{self, Mention};

/// The least frame similarity that links two figures. Below it, pairs on the five documents
/// are sentences that share a subject ("migrants", "countries") but not an indicator.
pub const THRESHOLD: f64 = 0.2;

/// One figure of a document, ready to link.
pub struct Figure {
    pub doc: usize,
    pub mention: Mention,
    pub year: i32,
    pub year_from: YearFrom,
    pub frame: Frame,
    /// The catalogue metric that reads it, if one does.
    pub metric: Option<usize>,
    /// The year that metric's source gives it.
    pub source_year: Option<i32>,
}

/// The documents of a metrics dataset, their figures and what the catalogue covers.
pub struct Corpus {
    docs: Vec<Loaded>,
    pub figures: Vec<Figure>,
    /// Catalogue metric keys, by index.
    pub keys: Vec<String>,
    /// TF-IDF vector of each figure's frame, unit length.
    vectors: Vec<Vec<(usize, f64)>>,
    /// Each frame's words (features, ascending), each marked whether it is a topic word.
    topics: Vec<Vec<(usize, bool)>>,
}

impl Corpus {
    pub fn load(config: &Config, dataset: Option<&str>) -> Result<Corpus> {
        let (extractor, docs) = load_dataset(config, dataset)?;
        let catalogue = extractor.catalogue();
        let glossary = Glossary::read(docs.iter().map(|d| d.document.flat.as_str()));
        let figures: Vec<Figure> = docs
            .iter()
            .enumerate()
            .flat_map(|d| figures_of(d, &glossary))
            .collect();
        let keys = catalogue
            .metrics
            .iter()
            .map(|m| m.def.key.clone())
            .collect();
        let mut corpus = Corpus {
            docs,
            figures,
            keys,
            vectors: Vec::new(),
            topics: Vec::new(),
        };
        (corpus.vectors, corpus.topics) = tf_idf(&corpus.figures);
        twin_years(&corpus.docs, &mut corpus.figures, &corpus.vectors);
        Ok(corpus)
    }

    /// Figures that neither the catalogue (but `left_out`) nor an exclusion covers.
    fn candidates(&self, left_out: Option<usize>) -> Vec<usize> {
        (0..self.figures.len())
            .filter(|&i| {
                let f = &self.figures[i];
                !self.docs[f.doc].covered.covers_but(&f.mention, left_out)
            })
            .collect()
    }

    /// Figures a catalogue source reads (but those of `left_out`): a new figure may continue
    /// their series.
    fn catalogued(&self, left_out: Option<usize>) -> Vec<usize> {
        (0..self.figures.len())
            .filter(|&i| self.figures[i].metric.is_some_and(|k| Some(k) != left_out))
            .collect()
    }

    pub fn doc_id(&self, f: &Figure) -> &str {
        &self.docs[f.doc].id
    }
}

/// The figures of one document the linker considers: prose and chart values, not table rows.
fn figures_of((index, doc): (usize, &Loaded), glossary: &Glossary) -> Vec<Figure> {
    let found = figures::scan(&doc.document);
    let rows = rows_of_figures(&doc.document, &found, has_prose_words);
    found
        .into_iter()
        .filter(|m| !rows.contains(&m.line))
        .map(|m| {
            let (year, year_from) = frame::year(&doc.document, &m, doc.reported);
            let source = doc.covered.source_of(&m);
            Figure {
                doc: index,
                frame: frame::frame(&doc.document, &m, glossary),
                metric: source.map(|(k, _)| k),
                source_year: source.map(|(_, y)| y),
                mention: m,
                year,
                year_from,
            }
        })
        .collect()
}

/// The least number of figures inverse document frequencies are counted over.
const MIN_COLLECTION: f64 = 1000.0;

/// Frames this alike are one passage printed twice.
const TWIN: f64 = 0.9;

/// A passage printed once for each year a document declares (two columns, "2016" and "2017",
/// extracted one after the other) gives its figures no year of their own: where exactly as
/// many figures of one document have near-identical frames, none with a year, as the
/// document declares years, they take those years in printing order.
fn twin_years(docs: &[Loaded], figures: &mut [Figure], vectors: &[Vec<(usize, f64)>]) {
    let undated: Vec<usize> = (0..figures.len())
        .filter(|&i| figures[i].year_from == YearFrom::Document && !figures[i].frame.chart)
        .collect();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for &i in &undated {
        // Twins are separate sentences that count the same thing.
        let twin = |g: &Vec<usize>| {
            let (first, f) = (&figures[g[0]], &figures[i]);
            first.doc == f.doc
                && compatible(&first.mention, &f.mention)
                && g.iter()
                    .all(|&k| figures[k].mention.sentence != f.mention.sentence)
                && cosine(&vectors[g[0]], &vectors[i]) >= TWIN
        };
        match groups.iter_mut().find(|g| twin(g)) {
            Some(g) => g.push(i),
            None => groups.push(vec![i]),
        }
    }
    for members in groups {
        let years = &docs[figures[members[0]].doc].years;
        if years.len() >= 2 && members.len() == years.len() {
            for (&i, &year) in members.iter().zip(years) {
                figures[i].year = year;
                figures[i].year_from = YearFrom::Twin;
            }
        }
    }
    twin_paragraphs(docs, figures);
}

/// A twin passage is printed whole for each year: the other undated figures of a paragraph
/// whose twins took one year take it too ("… 42 deployments … 28% of the staff days").
fn twin_paragraphs(docs: &[Loaded], figures: &mut [Figure]) {
    let paragraph = |f: &Figure| {
        let doc = &docs[f.doc].document;
        (f.doc, frame::paragraph_start(doc, f.mention.line))
    };
    let mut set: BTreeMap<(usize, usize), BTreeSet<i32>> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.year_from == YearFrom::Twin) {
        set.entry(paragraph(f)).or_default().insert(f.year);
    }
    for f in figures
        .iter_mut()
        .filter(|f| f.year_from == YearFrom::Document && !f.frame.chart)
    {
        // Only where the paragraph's twins agree on one year.
        let agreed = set.get(&paragraph(f)).filter(|y| y.len() == 1);
        if let Some(&year) = agreed.and_then(BTreeSet::first) {
            f.year = year;
            f.year_from = YearFrom::Twin;
        }
    }
}

type Vectors = Vec<Vec<(usize, f64)>>;

/// Unit-length TF-IDF vectors of the frames (document frequency counted over all figures),
/// and each frame's topic words.
fn tf_idf(figures: &[Figure]) -> (Vectors, Vec<Vec<(usize, bool)>>) {
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut topics = Vec::with_capacity(figures.len());
    let features: Vectors = figures
        .iter()
        .map(|f| {
            let features = f.frame.features();
            let noun = features
                .iter()
                .find_map(|(k, _)| k.strip_prefix("noun:").map(str::to_string));
            let verbs = f.frame.verbs();
            let mut topic = Vec::new();
            let vector = features
                .into_iter()
                .map(|(k, w)| {
                    let next = ids.len();
                    // Topic words name things: not the unit noun, not a verb.
                    let word = !k.contains(':');
                    let topical = noun.as_deref() != Some(k.as_str()) && !verbs.contains(&k);
                    let id = *ids.entry(k).or_insert(next);
                    if word {
                        topic.push((id, topical));
                    }
                    (id, w)
                })
                .collect();
            topic.sort_unstable();
            topics.push(topic);
            vector
        })
        .collect();
    let mut df = vec![0usize; ids.len()];
    for fs in &features {
        for (id, _) in fs {
            df[*id] += 1;
        }
    }
    // A handful of figures cannot tell boilerplate from content: a word two of four figures
    // share would weigh less than one only a single figure prints. The collection counts as
    // at least MIN_COLLECTION figures (the five documents hold about 2,000).
    let n = (figures.len() as f64).max(MIN_COLLECTION);
    let vectors = features
        .into_iter()
        .map(|fs| {
            let mut v: Vec<(usize, f64)> = fs
                .into_iter()
                .map(|(id, w)| (id, w * (1.0 + n / df[id] as f64).ln()))
                .collect();
            let norm = v.iter().map(|(_, x)| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                v.iter_mut().for_each(|(_, x)| *x /= norm);
            }
            v.sort_by_key(|(id, _)| *id);
            v
        })
        .collect();
    (vectors, topics)
}

/// Two frames share a word that is a topic word of one of them (not its unit noun or verb):
/// "{#} countries" alone says nothing of which countries.
fn share_topic(a: &[(usize, bool)], b: &[(usize, bool)]) -> bool {
    a.iter().any(|&(id, topical)| {
        b.binary_search_by_key(&id, |&(k, _)| k)
            .is_ok_and(|at| topical || b[at].1)
    })
}

fn cosine(a: &[(usize, f64)], b: &[(usize, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Shares go with shares, ranks with ranks, counts with counts of the same unit.
fn compatible(a: &Mention, b: &Mention) -> bool {
    let class = |m: &Mention| match m.unit {
        Some("percent" | "fraction") => "share",
        Some("rank") => "rank",
        _ => "count",
    };
    // The unit guessed from the next word is too loose to keep counts apart ("53 deployments
    // days" / "51 deployment days"); the frame's noun weighs that instead.
    class(a) == class(b)
}

/// The most an indicator's count is taken to change between two years it is stated for.
const MAX_CHANGE: f64 = 10.0;

/// Counts of one indicator stay within an order of magnitude from one year to another
/// (7,000 → 8,500, 60 → 150); "25,355 kits" and "13 countries" are two indicators. Shares
/// and ranks are bounded already.
fn plausible_change(a: &Mention, b: &Mention) -> bool {
    let (x, y) = (a.quantity.value.abs(), b.quantity.value.abs());
    if matches!(a.unit, Some("percent" | "fraction" | "rank")) {
        return true;
    }
    let (lo, hi) = (x.min(y), x.max(y));
    lo > 0.0 && hi <= lo * MAX_CHANGE
}

/// How much a pair's values lose for being far apart, per order of magnitude between them.
const DISTANCE_COST: f64 = 0.3;

/// Between two partners alike in words, the one whose value is nearer: an indicator moves by
/// a fraction from one year to the next (3.33 million → 4.2 million), a neighbouring indicator
/// of the same words is another size (570,000 people of one country). A factor of 1 for equal
/// values, down to 0.7 for a tenfold change (the most [`plausible_change`] admits).
fn closeness(a: &Mention, b: &Mention) -> f64 {
    let (x, y) = (a.quantity.value.abs(), b.quantity.value.abs());
    if x == 0.0 || y == 0.0 {
        return 1.0 - DISTANCE_COST;
    }
    let magnitudes = (x.max(y) / x.min(y)).log10().min(1.0);
    1.0 - DISTANCE_COST * magnitudes
}

/// A candidate series: figures of two or more years linked by their frames.
pub struct Series {
    pub figures: Vec<usize>,
    pub score: f64,
}

/// A figure's best partner (figure, score) in each other (document, year).
type Partners = BTreeMap<(usize, i32), (usize, f64)>;

/// A catalogue source to print: document, year, phrase, occurrence.
type SourceRow = (String, String, String, Option<usize>);

/// Links the candidates into series, best first.
fn link(corpus: &Corpus, candidates: &[usize], catalogued: &[usize]) -> Vec<Series> {
    let figures = &corpus.figures;
    // A catalogued figure's year is the one its source gives; a new figure's, the one read.
    let years: Vec<i32> = (0..figures.len())
        .map(|i| match catalogued.binary_search(&i) {
            Ok(_) => figures[i].source_year.unwrap_or(figures[i].year),
            Err(_) => figures[i].year,
        })
        .collect();
    let bucket = |i: usize| (figures[i].doc, years[i]);
    // Best partner of each figure in each other (document, year). Every pair holds a figure
    // nothing reads; its partner may be one the catalogue reads (next year's edition).
    let mut best: HashMap<usize, Partners> = HashMap::new();
    // The years each catalogued metric states already: a new figure continues a metric only
    // into a year it lacks.
    let mut stated: HashMap<usize, BTreeSet<i32>> = HashMap::new();
    for &j in catalogued {
        if let Some(k) = figures[j].metric {
            stated.entry(k).or_default().insert(years[j]);
        }
    }
    let known = |j: usize, year: i32| {
        catalogued.binary_search(&j).is_ok()
            && figures[j]
                .metric
                .is_some_and(|k| stated.get(&k).is_some_and(|y| y.contains(&year)))
    };
    for (x, &i) in candidates.iter().enumerate() {
        for &j in candidates[x + 1..].iter().chain(catalogued) {
            let (a, b) = (&figures[i], &figures[j]);
            if years[i] == years[j]
                || known(j, years[i])
                || !compatible(&a.mention, &b.mention)
                || !plausible_change(&a.mention, &b.mention)
            {
                continue;
            }
            let similarity = cosine(&corpus.vectors[i], &corpus.vectors[j]);
            if similarity < THRESHOLD || !share_topic(&corpus.topics[i], &corpus.topics[j]) {
                continue;
            }
            let score = similarity * closeness(&a.mention, &b.mention);
            for (from, to) in [(i, j), (j, i)] {
                let slot = best
                    .entry(from)
                    .or_default()
                    .entry(bucket(to))
                    .or_insert((to, score));
                if score > slot.1 {
                    *slot = (to, score);
                }
            }
        }
    }
    let mut links: Vec<(usize, usize, f64)> = Vec::new();
    for (&i, partners) in &best {
        for &(j, score) in partners.values() {
            let mutual = best
                .get(&j)
                .and_then(|p| p.get(&bucket(i)))
                .is_some_and(|&(k, _)| k == i);
            if mutual && i < j {
                links.push((i, j, score));
            }
        }
    }
    series_of(figures, &years, links)
        .into_iter()
        .filter(|s| {
            s.figures
                .iter()
                .any(|i| catalogued.binary_search(i).is_err())
        })
        .collect()
}

/// Linked figures joined into series, strongest links first, where the two sides hold no
/// figure of the same document and year (an edition states an indicator once for a year, so
/// such a join would be a chain through two indicators); each scored by its links' mean.
fn series_of(
    figures: &[Figure],
    years: &[i32],
    mut links: Vec<(usize, usize, f64)>,
) -> Vec<Series> {
    links.sort_by(|a, b| b.2.total_cmp(&a.2).then((a.0, a.1).cmp(&(b.0, b.1))));
    let bucket = |k: usize| (figures[k].doc, years[k]);
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut owner: HashMap<usize, usize> = HashMap::new();
    for (i, j, score) in links {
        let ci = match owner.get(&i) {
            Some(&c) => c,
            None => new_cluster(&mut clusters, &mut owner, i),
        };
        let cj = match owner.get(&j) {
            Some(&c) => c,
            None => new_cluster(&mut clusters, &mut owner, j),
        };
        if ci == cj {
            continue;
        }
        // Nor two catalogued metrics: a series continues one indicator at most.
        let metric = |c: &Cluster| c.figures.iter().find_map(|&k| figures[k].metric);
        let clash = clusters[ci]
            .figures
            .iter()
            .any(|&a| clusters[cj].figures.iter().any(|&b| bucket(a) == bucket(b)))
            || matches!((metric(&clusters[ci]), metric(&clusters[cj])), (Some(x), Some(y)) if x != y);
        if clash {
            continue;
        }
        let moved = std::mem::take(&mut clusters[cj]);
        for &k in &moved.figures {
            owner.insert(k, ci);
        }
        let c = &mut clusters[ci];
        c.figures.extend(moved.figures);
        c.sum += moved.sum + score;
        c.links += moved.links + 1;
    }
    let mut out: Vec<Series> = clusters
        .into_iter()
        .filter(|c| c.links > 0)
        .map(|mut c| {
            c.figures.sort_unstable();
            Series {
                score: c.sum / c.links as f64,
                figures: c.figures,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.figures.cmp(&b.figures))
    });
    out
}

fn new_cluster(clusters: &mut Vec<Cluster>, owner: &mut HashMap<usize, usize>, k: usize) -> usize {
    clusters.push(Cluster {
        figures: vec![k],
        ..Cluster::default()
    });
    owner.insert(k, clusters.len() - 1);
    clusters.len() - 1
}

#[derive(Default)]
struct Cluster {
    figures: Vec<usize>,
    sum: f64,
    links: usize,
}

/// Candidate series among the figures nothing covers.
pub fn series(corpus: &Corpus) -> Vec<Series> {
    link(corpus, &corpus.candidates(None), &corpus.catalogued(None))
}

/// One catalogue metric put back by the linker, or not.
pub struct Recall {
    pub key: String,
    pub years: Vec<i32>,
    /// Rank of the first series holding two or more of its figures of different years.
    pub rank: Option<usize>,
    /// Of its figures, how many that series holds.
    pub linked: usize,
    pub figures: usize,
}

/// Leave-one-out: each metric stated for two or more years is taken out of the catalogue in
/// turn, and the linker must propose it back.
pub fn leave_one_out(corpus: &Corpus) -> Vec<Recall> {
    let mut by_metric: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, f) in corpus.figures.iter().enumerate() {
        if let Some(m) = f.metric {
            by_metric.entry(m).or_default().push(i);
        }
    }
    by_metric
        .into_iter()
        .filter_map(|(m, own)| {
            let stated: BTreeSet<i32> = own
                .iter()
                .filter_map(|&i| corpus.stated_year(m, i))
                .collect();
            (stated.len() >= 2).then(|| {
                let found = link(
                    corpus,
                    &corpus.candidates(Some(m)),
                    &corpus.catalogued(Some(m)),
                );
                let hit = found.iter().enumerate().find_map(|(rank, s)| {
                    let mine: Vec<usize> = s
                        .figures
                        .iter()
                        .copied()
                        .filter(|i| own.contains(i))
                        .collect();
                    // Two or more of its years, each figure with the year its source gives.
                    let years: BTreeSet<i32> =
                        mine.iter().map(|&i| corpus.figures[i].year).collect();
                    let right = mine
                        .iter()
                        .all(|&i| corpus.stated_year(m, i) == Some(corpus.figures[i].year));
                    (years.len() >= 2 && right).then_some((rank + 1, mine.len()))
                });
                Recall {
                    key: corpus.keys[m].clone(),
                    years: stated.into_iter().collect(),
                    rank: hit.map(|h| h.0),
                    linked: hit.map_or(0, |h| h.1),
                    figures: own.len(),
                }
            })
        })
        .collect()
}

impl Corpus {
    /// The year the catalogue gives a figure of metric `m` (its source's year).
    fn stated_year(&self, m: usize, figure: usize) -> Option<i32> {
        let f = &self.figures[figure];
        f.source_year.filter(|_| f.metric == Some(m))
    }
}

/// A figure's year as listed: its catalogue source's, else the one read, with where from.
fn shown_year(f: &Figure) -> (i32, String) {
    match f.source_year {
        Some(y) => (y, "its catalogue source".to_string()),
        None => (f.year, f.year_from.describe()),
    }
}

/// The listing: each series with its figures, then a catalogue entry ready to paste.
pub fn text(corpus: &Corpus, found: &[Series]) -> String {
    let mut out = String::new();
    let mut keys: BTreeSet<String> = corpus.keys.iter().cloned().collect();
    for (rank, s) in found.iter().enumerate() {
        let years: BTreeSet<i32> = s
            .figures
            .iter()
            .map(|&i| shown_year(&corpus.figures[i]).0)
            .collect();
        let _ = writeln!(
            out,
            "# series {} · score {:.2} · {} figures · years {}",
            rank + 1,
            s.score,
            s.figures.len(),
            years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        );
        for &i in &s.figures {
            let f = &corpus.figures[i];
            let read_by = f.metric.map_or(String::new(), |k| {
                format!("  [read by '{}']", corpus.keys[k])
            });
            let (year, from) = shown_year(f);
            let _ = writeln!(
                out,
                "#   {}:{}  {} ({})  {}{read_by}  frame: {}",
                corpus.doc_id(f),
                f.mention.line,
                year,
                from,
                f.mention.raw,
                f.frame.display()
            );
        }
        match s.figures.iter().find_map(|&i| corpus.figures[i].metric) {
            Some(k) => out.push_str(&continuation(corpus, s, k)),
            None => out.push_str(&entry(corpus, s, &mut keys)),
        }
        out.push('\n');
    }
    out
}

/// A source for each new figure of a series that continues catalogued metric `k`.
fn continuation(corpus: &Corpus, s: &Series, k: usize) -> String {
    let mut out = format!(
        "# continues metric '{}': add to its sources
",
        corpus.keys[k]
    );
    for &i in s
        .figures
        .iter()
        .filter(|&&i| corpus.figures[i].metric.is_none())
    {
        let (doc, year, pattern, occurrence) = source(corpus, i);
        out.push_str(&source_line(&doc, &year, &pattern, occurrence));
    }
    out
}

/// The source reading figure `i`: (document, year, phrase, occurrence).
fn source(corpus: &Corpus, i: usize) -> SourceRow {
    let f = &corpus.figures[i];
    let d = &corpus.docs[f.doc];
    let e = super::entry(&d.document, &f.mention, d.reported, &mut BTreeSet::new());
    (d.id.clone(), f.year.to_string(), e.pattern, e.occurrence)
}

fn source_line(doc: &str, year: &str, pattern: &str, occurrence: Option<usize>) -> String {
    let occurrence = occurrence.map_or(String::new(), |k| format!(", occurrence = {k}"));
    let year = if year.starts_with('{') {
        toml_string(year)
    } else {
        year.to_string()
    };
    format!(
        "  {{ doc = {}, year = {year}, pattern = {}{occurrence} }},\n",
        toml_string(doc),
        toml_string(pattern)
    )
}

/// A `[[metric]]` for the series: one source per figure, or one glob source where the same
/// phrase, with `{year}` for each document's year, reads every edition the glob names.
fn entry(corpus: &Corpus, s: &Series, keys: &mut BTreeSet<String>) -> String {
    let first = &corpus.figures[s.figures[0]];
    let doc = &corpus.docs[first.doc];
    let after = doc
        .document
        .flat
        .get(first.mention.span.end..first.mention.sentence.end)
        .unwrap_or("");
    let key = super::key_guess(after, keys);
    let unit = first.mention.unit.unwrap_or("count");
    let mut out = String::new();
    let _ = writeln!(out, "[[metric]]");
    let _ = writeln!(out, "key = {}", toml_string(&key));
    let _ = writeln!(out, "unit = {}", toml_string(unit));
    let _ = writeln!(
        out,
        "description = {}",
        toml_string(&format!(
            "{} (printed as {})",
            key.replace('_', " "),
            first.mention.raw
        ))
    );
    let _ = writeln!(out, "sources = [");
    let sources: Vec<SourceRow> = s.figures.iter().map(|&i| source(corpus, i)).collect();
    let glob = glob_sources(corpus, s, &sources);
    for (doc, year, pattern, occurrence) in glob.unwrap_or(sources) {
        out.push_str(&source_line(&doc, &year, &pattern, occurrence));
    }
    let _ = writeln!(out, "]");
    out
}

/// One source for the whole series, where every figure is its document's own year, in a
/// document of its own, and one phrase with `{year}` reads each of them once; the glob (the
/// ids' common stem and `*`) must name exactly the series' documents.
fn glob_sources(corpus: &Corpus, s: &Series, sources: &[SourceRow]) -> Option<Vec<SourceRow>> {
    let mut phrases = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for (&i, (_, _, pattern, occurrence)) in s.figures.iter().zip(sources) {
        let f = &corpus.figures[i];
        let d = &corpus.docs[f.doc];
        if f.year != d.reported || !ids.insert(d.id.clone()) || occurrence.is_some() {
            return None;
        }
        phrases.insert(pattern.replace(&d.reported.to_string(), "{year}"));
    }
    let [phrase] = phrases.into_iter().collect::<Vec<_>>().try_into().ok()?;
    let stem: String = ids
        .iter()
        .next()?
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_string();
    let named: BTreeSet<String> = corpus
        .docs
        .iter()
        .map(|d| d.id.clone())
        .filter(|id| id.starts_with(&stem))
        .collect();
    (ids.len() >= 2 && !stem.is_empty() && named == ids)
        .then(|| vec![(format!("{stem}*"), "{year}".to_string(), phrase, None)])
}

/// The leave-one-out table: each metric, whether it came back and at what rank, then the share.
pub fn recall_table(recalls: &[Recall]) -> String {
    let mut out = String::from("metric\tyears\tproposed back\trank\tfigures linked\n");
    for r in recalls {
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}/{}",
            r.key,
            r.years
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(","),
            if r.rank.is_some() { "yes" } else { "no" },
            r.rank.map_or("-".to_string(), |k| k.to_string()),
            r.linked,
            r.figures
        );
    }
    let back = recalls.iter().filter(|r| r.rank.is_some()).count();
    let top = recalls
        .iter()
        .filter(|r| r.rank.is_some_and(|k| k <= 10))
        .count();
    let _ = writeln!(
        out,
        "proposed back: {back} of {} ({:.1}%); in the first 10 of the list: {top}",
        recalls.len(),
        100.0 * back as f64 / recalls.len().max(1) as f64
    );
    out
}
