//! Automatic claim checks: each wording on hand-written sentences (holds, fails, and the
//! rounding edge), and the claims found on the real documents, every expected value computed
//! by hand from the figures printed in raw/ (document and line given).

mod common;

use std::path::Path;
use std::sync::OnceLock;

use iomtally::config::Config;
use iomtally::document::Document;
use iomtally::extract::claims::{Claim, Kind, Names, claims_of};
use iomtally::pipeline::ingest;

fn claims(text: &str) -> Vec<Claim> {
    let doc = Document::from_bytes("t", Path::new("t.txt"), text.as_bytes(), &[]).unwrap();
    claims_of(&doc, &Names(None))
}

/// The only claim of `kind` in `text`.
fn one(text: &str, kind: Kind) -> Claim {
    let found: Vec<Claim> = claims(text)
        .into_iter()
        .filter(|c| c.kind == kind)
        .collect();
    assert_eq!(found.len(), 1, "{kind:?} claims in {text:?}: {found:#?}");
    found.into_iter().next().unwrap()
}

fn none(text: &str) {
    let found = claims(text);
    assert!(
        found.is_empty(),
        "no claim expected in {text:?}: {found:#?}"
    );
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

#[test]
fn count_and_share_of_a_base() {
    let c = one(
        "In 2016, 59 (or 41%) of 145 offices reported it.\n",
        Kind::CountShare,
    );
    assert!(c.holds() && close(c.computed.value, 59.0 / 145.0 * 100.0));
    assert!(close(c.stated.value, 41.0));
    let c = one(
        "In 2016, 59 (45%) of 145 offices reported it.\n",
        Kind::CountShare,
    );
    assert!(!c.holds());
    assert_eq!(c.severity(), iomtally::validate::Severity::Warning);
    // 29 of 58 is exactly 50%; 50.5% is the edge of what "51%" allows.
    assert!(
        one(
            "Of these, 30% (30) of the 100 sites were closed.\n",
            Kind::CountShare
        )
        .holds()
    );
    assert!(one("Then 101 or 51% of 200 staff left.\n", Kind::CountShare).holds());
    assert!(!one("Then 100 or 51% of 200 staff left.\n", Kind::CountShare).holds());
    let c = one(
        "It registered 6,207 complaints, out of which 4,201 (67%) were acted upon.\n",
        Kind::CountShare,
    );
    assert!(!c.holds(), "67.68% is printed as 68%, not 67%");
    assert!(one("We saw 12 of the 48 camps close (25%).\n", Kind::CountShare).holds());
    // A share without its base printed is no claim to check.
    none("Some 29% (4) of missions used cash.\n");
}

#[test]
fn stated_change_between_two_printed_figures() {
    let c = one(
        "Staff grew, an increase of 50% from 1,000 to 1,500 people.\n",
        Kind::PercentChange,
    );
    assert!(c.holds() && close(c.computed.value, 50.0));
    assert!(
        !one(
            "Staff grew, an increase of 40% from 1,000 to 1,500 people.\n",
            Kind::PercentChange
        )
        .holds()
    );
    // 1,000 → 1,005 is a 0.5% rise: "1%" allows 0.5–1.5.
    assert!(
        one(
            "There was a 1% increase from 1,000 to 1,005 visits.\n",
            Kind::PercentChange
        )
        .holds()
    );
    let c = one(
        "It reached 1,200 in 2017 (20% more than in 2016, 1,000).\n",
        Kind::PercentChange,
    );
    assert!(c.holds());
    // (34 − 20) / 20 = 70%; 60% is beyond what "70 per cent" allows.
    let c = one(
        "Training reached 34 countries, a 70 per cent greater number of countries than the 20 with operations.\n",
        Kind::PercentChange,
    );
    assert!(c.holds() && close(c.computed.value, 70.0));
    assert!(!one("Training reached 32 countries, a 70 per cent greater number of countries than the 20 with operations.\n", Kind::PercentChange).holds());
    let c = one(
        "a decrease of 25% from 400 to 300 beds.\n",
        Kind::PercentChange,
    );
    assert!(c.holds() && close(c.stated.value, -25.0) && close(c.computed.value, -25.0));
    let c = one(
        "The number of staff increased from 93 to 204.\n",
        Kind::ChangeDirection,
    );
    assert!(c.holds() && close(c.computed.value, 111.0));
    assert!(
        !one(
            "The number of staff decreased from 93 to 204.\n",
            Kind::ChangeDirection
        )
        .holds()
    );
    assert!(
        one(
            "Platforms rose, rising to 71 from 52 in 2016.\n",
            Kind::ChangeDirection
        )
        .holds()
    );
    let c = one("Deployments doubled, from 40 to 83.\n", Kind::Multiple);
    assert!(c.holds() && close(c.computed.value, 83.0 / 40.0));
    assert!(!one("Deployments doubled, from 40 to 130.\n", Kind::Multiple).holds());
    assert!(
        one("a threefold rise from 10 to 25 sites.\n", Kind::Multiple).holds(),
        "2.5 is the edge of 3"
    );
    // "from X to Y" without a word of change is a range, not a change.
    none("Camps ranged in size from 12,700 to 585,000.\n");
}

#[test]
fn shares_listed_together_against_the_whole() {
    let c = one(
        "They were 68% male, and returned (68% male, 32% female) home.\n",
        Kind::SharesSum,
    );
    assert!(c.holds() && close(c.computed.value, 100.0) && !c.partial);
    let c = one(
        "Assessments for refugees (95%) and visa applicants (7%).\n",
        Kind::SharesSum,
    );
    assert!(!c.holds(), "102 is not 100, even with each share rounded");
    // 95% + 6% may be 94.5 + 5.5 = 100.
    assert!(
        one(
            "Assessments for refugees (95%) and visa applicants (6%).\n",
            Kind::SharesSum
        )
        .holds()
    );
    // Rounded shares may miss 100 by half a point each.
    assert!(
        one(
            "Offices for A (33%), B (33%) and C (33%) work.\n",
            Kind::SharesSum
        )
        .holds()
    );
    assert!(
        !one(
            "Offices for A (33%), B (33%) and C (32%) work.\n",
            Kind::SharesSum
        )
        .holds()
    );
    // "followed by": the list may be partial, so only "at most 100" is claimed (info).
    let c = one(
        "The main reason was idleness (65%), followed by skills (24%) and training (9%).\n",
        Kind::SharesSum,
    );
    assert!(c.partial && c.holds());
    assert_eq!(c.severity(), iomtally::validate::Severity::Info);
    let c = one(
        "The main reason was idleness (65%), followed by skills (34%) and training (9%).\n",
        Kind::SharesSum,
    );
    assert!(c.partial && !c.holds(), "108 > 100 even for a partial list");
    // Chart legends (labels one after the other) are read as possibly partial.
    let c = one(
        "Conflict\n(38%)\nNatural\nDisaster\n(35%)\n",
        Kind::SharesSum,
    );
    assert!(c.partial && c.holds());
    // A row of counts with their shares: each share is its count's part of the row.
    let found: Vec<Claim> = claims("Total exporters 15 (42%) 21 (58%)\n");
    assert_eq!(
        found.iter().filter(|c| c.kind == Kind::CountShare).count(),
        2
    );
    assert!(found.iter().all(Claim::holds));
    let found: Vec<Claim> = claims("Total exporters 15 (52%) 21 (48%)\n");
    assert!(
        found
            .iter()
            .filter(|c| c.kind == Kind::CountShare)
            .all(|c| !c.holds())
    );
}

#[test]
fn parts_printed_against_their_whole() {
    let c = one(
        "It worked in 6 countries: Chad, Mali, Niger, Peru, Chile and Fiji.\n",
        Kind::PartsWhole,
    );
    assert!(c.holds() && close(c.computed.value, 6.0));
    let c = one(
        "It worked in five countries (Chad, Mali, Niger and Peru).\n",
        Kind::PartsWhole,
    );
    assert!(!c.holds() && close(c.computed.value, 4.0));
    // "including" lists some: at most as many names as the count.
    let c = one(
        "It worked in five countries, including Chad, Mali and Peru.\n",
        Kind::PartsWhole,
    );
    assert!(c.partial && c.holds());
    let c = one(
        "Of 12 platforms (5 CCCM, 4 shelter and 3 protection) most grew.\n",
        Kind::PartsWhole,
    );
    assert!(c.holds() && close(c.computed.value, 12.0));
    assert!(
        !one(
            "There were 12 platforms (5 CCCM, 4 shelter and 4 protection) in all.\n",
            Kind::PartsWhole
        )
        .holds()
    );
    let c = one(
        "The remaining 17 per cent were composed of coaching (7%), mentoring (7%) and visits (3%).\n",
        Kind::PartsWhole,
    );
    assert!(c.holds() && close(c.stated.value, 17.0));
    // A list the sentence does not close is not counted.
    none("It worked in six countries (Chad, Mali\n\nNiger and Peru");
}

#[test]
fn a_share_in_a_chart_and_again_in_the_prose() {
    let chart = "Training\nworkshop\n(86%)\n\nCoaching\n(4%)\n\n";
    let prose = "Most events in 2017 were carried out through face to face workshops (83%), the rest through coaching (4%) and other means.\n";
    let found: Vec<Claim> = claims(&format!("{chart}{prose}"))
        .into_iter()
        .filter(|c| c.kind == Kind::SameShare)
        .collect();
    assert_eq!(found.len(), 2, "{found:#?}");
    let workshops = found.iter().find(|c| close(c.stated.value, 83.0)).unwrap();
    assert!(!workshops.holds() && close(workshops.computed.value, 86.0));
    let coaching = found.iter().find(|c| close(c.stated.value, 4.0)).unwrap();
    assert!(coaching.holds());
    // "lack of training" is not the chart's "on the job training".
    let found = claims(
        "On the job\ntraining\n(3%)\n\nYouth named a lack of training (9%) and idleness (65%) as the worst of their problems in the camp.\n",
    );
    assert!(
        found.iter().all(|c| c.kind != Kind::SameShare),
        "{found:#?}"
    );
}

fn seed_claims() -> &'static Vec<(String, Claim)> {
    static ALL: OnceLock<Vec<(String, Claim)>> = OnceLock::new();
    ALL.get_or_init(|| {
        let config = Config::load(&common::repo().join("pipeline.toml")).unwrap();
        let ids = config.documents_of("claims").to_vec();
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let library = ingest(&config, &refs).unwrap();
        let countries = iomtally::countries::CountryTable::load(
            &config.base_dir.join("raw/reference/countries.csv"),
            &[],
        )
        .unwrap();
        let names = Names(Some(&countries));
        ids.iter()
            .flat_map(|id| {
                claims_of(library.get(id), &names)
                    .into_iter()
                    .map(move |c| (id.clone(), c))
            })
            .collect()
    })
}

/// The claim of `kind` whose first figure is printed on `line` of `doc`.
fn seed(doc: &str, line: usize, kind: Kind) -> &'static Claim {
    seed_claims()
        .iter()
        .find(|(d, c)| d == doc && c.line() == line && c.kind == kind)
        .map(|(_, c)| c)
        .unwrap_or_else(|| panic!("no {kind:?} claim at {doc}:{line}"))
}

#[test]
fn claims_on_the_real_documents() {
    // annual_report_2015:458-460 "59 (or 41%) of 145 IOM offices": 59 / 145 = 40.69%.
    let c = seed("annual_report_2015", 458, Kind::CountShare);
    assert!(c.holds() && close(c.computed.value, 40.689655172413794));
    // migration_initiatives_2016:3844 "28,073 … cases of EVD with 11,290 fatalities (41%)":
    // 11,290 / 28,073 = 40.22%, printed as 41%.
    let c = seed("migration_initiatives_2016", 3844, Kind::CountShare);
    assert!(!c.holds() && close(c.computed.value, 40.216578206817935));
    // global_activities_2017:912 "6,207 complaints … out of which 4,201 (67%)": 67.68%.
    let c = seed("global_activities_2017", 912, Kind::CountShare);
    assert!(!c.holds() && close(c.computed.value, 67.68164975028193));
    // annual_report_2016:1073 "social (35%), labour market (30%) and cultural or political
    // inclusion (28%)" of 87 offices: 93%.
    let c = seed("annual_report_2016", 1073, Kind::SharesSum);
    assert!(!c.holds() && close(c.computed.value, 93.0));
    // annual_report_2016:1601 "(68% male, 32% female)".
    assert!(seed("annual_report_2016", 1601, Kind::SharesSum).holds());
    // migration_initiatives_2016:3135 "Total exporters 15 (42%) 21 (58%)": 15 / 36 = 41.67%.
    let c = seed("migration_initiatives_2016", 3135, Kind::CountShare);
    assert!(c.holds() && close(c.computed.value, 15.0 / 36.0 * 100.0));
    // global_activities_2017: the chart's "Training workshop (86%)" (line 1012) against the
    // prose's "face to face workshops (83%)" (line 1020).
    let c = seed("global_activities_2017", 1012, Kind::SameShare);
    assert!(!c.holds() && close(c.stated.value, 83.0) && close(c.computed.value, 86.0));
    // The chart's "On the job training (3%)" (line 1001) against the prose's 7% (line 1022).
    let c = seed("global_activities_2017", 1001, Kind::SameShare);
    assert!(!c.holds() && close(c.stated.value, 7.0) && close(c.computed.value, 3.0));
    // global_activities_2017:1020-1022 "The remaining 17 per cent … (7%), (7%), (3%)": 17.
    let c = seed("global_activities_2017", 1020, Kind::PartsWhole);
    assert!(c.holds() && close(c.computed.value, 17.0));
    // annual_report_2015:2033 "the number of staff increased from 93 to 204": +111.
    let c = seed("annual_report_2015", 2033, Kind::ChangeDirection);
    assert!(c.holds() && close(c.computed.value, 111.0));
    // global_activities_2017:577 "6 countries: South Sudan, Pakistan, Somalia, Yemen, Sudan and
    // Bangladesh".
    let c = seed("global_activities_2017", 577, Kind::PartsWhole);
    assert!(c.holds() && close(c.computed.value, 6.0));
}

#[test]
fn flagged_claims_on_the_real_documents_are_warnings_with_their_lines() {
    let failed: Vec<&(String, Claim)> = seed_claims().iter().filter(|(_, c)| !c.holds()).collect();
    let at: Vec<(&str, usize)> = failed.iter().map(|(d, c)| (d.as_str(), c.line())).collect();
    assert_eq!(
        at,
        [
            ("migration_initiatives_2016", 3844),
            ("annual_report_2016", 1073),
            ("global_activities_2017", 912),
            ("global_activities_2017", 1001),
            ("global_activities_2017", 1012),
        ]
    );
    for (_, c) in failed {
        assert_eq!(c.severity(), iomtally::validate::Severity::Warning);
        assert!(c.figures.iter().all(|m| m.line > 0 && !m.raw.is_empty()));
    }
}

// ---------------------------------------------------------------------------------------
// Generated sentences: random figures in each wording, wrapped at random, come back as claims
// that hold; the same sentence with the share moved beyond its rounding fails.
// ---------------------------------------------------------------------------------------

use common::grouped;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

/// Breaks a sentence at the spaces `breaks` picks (one bit per space), never leaving a line
/// that is a bare number (a page number to any reader of extracted text).
fn wrapped(sentence: &str, breaks: u64) -> String {
    let mut lines: Vec<String> = vec![String::new()];
    for (i, word) in sentence.split(' ').enumerate() {
        let last = lines.last_mut().unwrap();
        if last.is_empty() {
            last.push_str(word);
        } else if breaks >> (i % 64) & 1 == 1 {
            lines.push(word.to_string());
        } else {
            last.push(' ');
            last.push_str(word);
        }
    }
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        match out.last_mut() {
            Some(prev)
                if line.chars().all(|c| c.is_ascii_digit() || c == ',')
                    || prev.chars().all(|c| c.is_ascii_digit() || c == ',') =>
            {
                prev.push(' ');
                prev.push_str(&line);
            }
            _ => out.push(line),
        }
    }
    out.join("\n") + "\n"
}

fn count_share_sentence(form: usize, n: u64, p: u64, m: u64) -> String {
    let (n, m) = (grouped(n), grouped(m));
    match form {
        0 => format!("In that year, {n} ({p}%) of {m} offices reported it."),
        1 => format!("Of these, {p}% ({n}) of the {m} sites were closed."),
        2 => format!("Then {n} or {p}% of {m} staff left the mission."),
        _ => format!("The team received {m} complaints, out of which {n} ({p}%) were acted upon."),
    }
}

const LABELS: [&str; 6] = [
    "shelter",
    "health",
    "protection",
    "education",
    "water",
    "cash",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn generated_count_share_claims(m in 2u64..5_000_000, frac in 0.0f64..=1.0, form in 0usize..4, breaks in any::<u64>(), off in 2u64..20) {
        let n = ((m as f64) * frac).floor() as u64;
        // Rounded half up, as reports print shares.
        let p = (n as f64 / m as f64 * 100.0 + 0.5).floor() as u64;
        let c = one(&wrapped(&count_share_sentence(form, n, p, m), breaks), Kind::CountShare);
        prop_assert!(c.holds(), "{c:#?}");
        prop_assert!(close(c.computed.value, n as f64 / m as f64 * 100.0));
        let wrong = if p >= off { p - off } else { p + off };
        let c = one(&wrapped(&count_share_sentence(form, n, wrong, m), breaks), Kind::CountShare);
        prop_assert!(!c.holds(), "{c:#?}");
    }

    #[test]
    fn generated_share_lists(cuts in proptest::collection::btree_set(1u64..100, 1..5), breaks in any::<u64>(), off in 3u64..30) {
        let mut bounds: Vec<u64> = vec![0];
        bounds.extend(cuts.iter().copied());
        bounds.push(100);
        let shares: Vec<u64> = bounds.windows(2).map(|w| w[1] - w[0]).collect();
        let list = |shares: &[u64]| {
            let items: Vec<String> = shares.iter().zip(LABELS).map(|(s, l)| format!("{l} ({s}%)")).collect();
            let (last, rest) = items.split_last().unwrap();
            format!("Offices worked on {} and {last} in that year.", rest.join(", "))
        };
        let c = one(&wrapped(&list(&shares), breaks), Kind::SharesSum);
        prop_assert!(c.holds() && !c.partial, "{c:#?}");
        prop_assert!(close(c.computed.value, 100.0));
        let mut moved = shares.clone();
        moved[0] += off;
        let c = one(&wrapped(&list(&moved), breaks), Kind::SharesSum);
        prop_assert!(!c.holds(), "{c:#?}");
    }
}

// ----- claims composed from cues: each family in several word orders ----------------------

fn mentions_of(text: &str) -> Vec<(String, f64, Option<&'static str>)> {
    let doc = Document::from_bytes("t", Path::new("t.txt"), text.as_bytes(), &[]).unwrap();
    iomtally::extract::figures::scan(&doc)
        .into_iter()
        .map(|m| (m.raw.to_string(), m.quantity.value, m.quantity.unit))
        .collect()
}

#[test]
fn figures_in_words_ranks_and_signs_are_mentions() {
    let found =
        mentions_of("About half of IOM offices, one in seven migrants and two-thirds of staff.\n");
    assert_eq!(found[0], ("About half".into(), 0.5, Some("fraction")));
    assert_eq!(found[1].0, "one in seven");
    assert!((found[1].1 - 1.0 / 7.0).abs() < 1e-12);
    assert!((found[2].1 - 2.0 / 3.0).abs() < 1e-12);
    // As the 2016 Annual Report prints it: a ratio, not "seven people".
    let found = mentions_of("As one in every seven people is a migrant.\n");
    assert_eq!(found[0].0, "one in every seven");
    assert!((found[0].1 - 1.0 / 7.0).abs() < 1e-12);
    let found = mentions_of("It was the fifth largest donor; the count fell by -2 countries.\n");
    assert_eq!(found[0], ("fifth largest".into(), 5.0, Some("rank")));
    assert_eq!(found[1], ("-2".into(), -2.0, None));
    // A range or a compound is not a sign.
    assert!(mentions_of("In 2014-15 the mid-2016 plan.\n").is_empty());
}

/// Some claim is found in each text, and some claim fails exactly where the text is wrong.
fn flags_exactly_the_wrong(cases: &[(&str, bool)]) {
    for (text, wrong) in cases {
        let found = claims(text);
        assert!(!found.is_empty(), "no claim in {text:?}");
        assert_eq!(
            found.iter().any(|c| !c.holds()),
            *wrong,
            "{text}: {found:#?}"
        );
    }
}

#[test]
fn part_of_a_base_in_any_order_with_shares_in_words() {
    flags_exactly_the_wrong(&[
        (
            "Out of 1,250 people trained, 500 (40 per cent) were women.\n",
            false,
        ),
        (
            "Out of 1,250 people trained, 500 (45 per cent) were women.\n",
            true,
        ),
        (
            "Two thirds of the 900 respondents (600) said they felt safe.\n",
            false,
        ),
        (
            "One in five of the 2,000 households surveyed in 2016 (600) had no water.\n",
            true,
        ),
        ("Nine in ten of the 300 offices (270) reported it.\n", false),
        (
            "In 2016 IOM assisted 4,000 migrants, of whom 1,000 (a quarter) were children.\n",
            false,
        ),
        (
            "1,460 staff, or 73 percent of the 2,000 deployed in 2017, were women.\n",
            false,
        ),
        (
            "1,460 staff, or 63 percent of the 2,000 deployed in 2017, were women.\n",
            true,
        ),
        (
            "More than half of the 380 offices (150) reported a focal point.\n",
            true,
        ),
        (
            "One in four of the 2,000 migrants interviewed, some 800 people, had paid a smuggler.\n",
            true,
        ),
        (
            "One in four of the 2,000 migrants interviewed, some 500 people, had paid a smuggler.\n",
            false,
        ),
        (
            "A third of the 3,600 households assisted, 1,800, were headed by women.\n",
            true,
        ),
        (
            "In 2017, 540 of 1,800 returnees, or 38 per cent, were under 18.\n",
            true,
        ),
        (
            "In 2017, 540 of 1,800 returnees, or 30 per cent, were under 18.\n",
            false,
        ),
        (
            "Nearly a quarter of the 12,000 respondents, 4,000 people, had no documents.\n",
            true,
        ),
        (
            "Nearly a quarter of the 12,000 respondents, 2,900 people, had no documents.\n",
            false,
        ),
        (
            "Two out of every three of the 1,500 migrants surveyed (750) wished to return.\n",
            true,
        ),
        (
            "The 2017 appeal of USD 80 million was 60 per cent funded, with USD 56 million received.\n",
            true,
        ),
        (
            "The 2017 appeal of USD 80 million was 70 per cent funded, with USD 56 million received.\n",
            false,
        ),
        (
            "Half of the 3,600 households assisted, 1,800, were headed by women.\n",
            false,
        ),
        (
            "Some 70 per cent of the 2,500 migrants interviewed – 2,000 people – said they would move on.\n",
            true,
        ),
        // The part as the subject of a share verb, the base after the share.
        (
            "The 4,000 returns to Afghanistan represented 16 per cent of the 25,000 returns recorded.\n",
            false,
        ),
        (
            "The 4,000 returns to Afghanistan represented 20 per cent of the 25,000 returns recorded.\n",
            true,
        ),
        (
            "In 2017, 4,000 returnees, accounting for 20 per cent of the 25,000 returns, came from Libya.\n",
            true,
        ),
        (
            "Contributions of USD 42 million covered 35 per cent of the USD 120 million needed.\n",
            false,
        ),
        // Funding received against a requirement.
        (
            "Funding received amounted to USD 42 million against requirements of USD 120 million, or 40 per cent.\n",
            true,
        ),
        (
            "The response was funded at 35 per cent, with USD 42 million received against the USD 120 million requested.\n",
            false,
        ),
        (
            "The appeal was 40% funded (USD 42 million received against USD 120 million required).\n",
            true,
        ),
    ]);
}

#[test]
fn a_change_stated_before_or_after_its_pair() {
    flags_exactly_the_wrong(&[
        (
            "In 2016 the hotline received 14,000 calls, up from 10,000 in 2015, a rise of 40 per cent.\n",
            false,
        ),
        (
            "In 2016 the hotline received 14,000 calls, up from 10,000 in 2015, a rise of 30 per cent.\n",
            true,
        ),
        (
            "Over the year, 1,140 cases were referred, down 20 per cent on the 1,300 of 2016.\n",
            true,
        ),
        (
            "Over the year, 1,040 cases were referred, down 20 per cent on the 1,300 of 2016.\n",
            false,
        ),
        (
            "In 2017, IOM assisted 4,200 people, a third fewer than the 5,600 assisted in 2016.\n",
            true,
        ),
        (
            "In 2017, IOM assisted 4,200 people, a quarter fewer than the 5,600 assisted in 2016.\n",
            false,
        ),
        (
            "Applications fell by a fifth, from 25,000 to 20,000.\n",
            false,
        ),
        (
            "Deployments decreased by 35 per cent in 2017 (from 420 in 2016 to 330).\n",
            true,
        ),
        (
            "Arrivals went up to 61,737 in 2013 from 29,197 in 2012, a 93% jump.\n",
            true,
        ),
        (
            "Returns fell 20% to 800 in 2017, from 1,000 in 2016.\n",
            false,
        ),
        (
            "IOM trained 3,351 officials in 2011 and 4,468 in 2012, an increase of a third.\n",
            false,
        ),
        (
            "Coverage rose from 52% to 60%, an increase of 12 percentage points.\n",
            true,
        ),
        (
            "The share rose from 35% to 41%, an increase of 6 percentage points.\n",
            false,
        ),
        (
            "Cases grew by 2,000, from 8,000 in 2016 to 10,000 in 2017.\n",
            false,
        ),
        (
            "Cases grew by 3,000, from 8,000 in 2016 to 10,000 in 2017.\n",
            true,
        ),
        (
            "Returns reached 1,300 in 2017, 30 per cent more than the 1,000 of 2016.\n",
            false,
        ),
    ]);
}

#[test]
fn multiples_with_their_hedges() {
    flags_exactly_the_wrong(&[
        (
            "Trainees grew threefold, from 300 in 2015 to 1,200 in 2016.\n",
            true,
        ),
        (
            "Arrivals almost halved, from 9,800 in 2016 to 5,100 in 2017.\n",
            false,
        ),
        ("Sites more than doubled, from 40 to 130.\n", false),
        ("Sites more than doubled, from 40 to 70.\n", true),
        (
            "Sites nearly doubled to 76 in 2017, from 40 in 2016.\n",
            false,
        ),
    ]);
}

#[test]
fn a_whole_and_its_parts() {
    flags_exactly_the_wrong(&[
        (
            "Among the 640 children registered, 352 were boys and 288 were girls.\n",
            false,
        ),
        (
            "Of the 4,000 cases referred, 2,900 were closed and 1,400 remain open.\n",
            true,
        ),
        (
            "17 returnees were registered in 2009 (3 in Europe, 4 in Asia and 10 in Africa).\n",
            false,
        ),
        (
            "17 returnees were registered in 2009 (3 in Europe, 4 in Asia and 12 in Africa).\n",
            true,
        ),
        (
            "Women made up 56 per cent of participants, men 44 per cent.\n",
            false,
        ),
        (
            "Of the budget, 48 per cent went to shelter, 27 per cent to health and 30 per cent to protection.\n",
            true,
        ),
        (
            "Half of the funds went to shelter, 30% to health and the remaining 20% to water.\n",
            false,
        ),
        (
            "Of the 500 staff, 200 (40%) were in Africa, 150 (30%) in Asia and 150 (35%) in Europe.\n",
            true,
        ),
        (
            "The 4,500 beneficiaries were in Jordan (2,000), Lebanon (1,700) and Iraq (1,100).\n",
            true,
        ),
        (
            "The 4,800 beneficiaries were in Jordan (2,000), Lebanon (1,700) and Iraq (1,100).\n",
            false,
        ),
        (
            "The 4,500 beneficiaries were in Jordan (2,000), Lebanon (1,700) and other countries (300).\n",
            true,
        ),
        (
            "The 32 country offices reporting comprised 14 in Africa, 9 in Asia and 6 in the Americas.\n",
            true,
        ),
        (
            "The 29 country offices reporting comprised 14 in Africa, 9 in Asia and 6 in the Americas.\n",
            false,
        ),
        (
            "The 1,250 participants, 700 men and 650 women, completed the course.\n",
            true,
        ),
        (
            "The 1,350 participants, 700 men and 650 women, completed the course.\n",
            false,
        ),
        (
            "The 16 staff deployed, 9 women and 5 men, worked in three camps.\n",
            true,
        ),
        (
            "The 14 staff deployed, 9 women and 5 men, worked in three camps.\n",
            false,
        ),
        (
            "Of the 2,600 migrants assisted, 1,500 came from Libya, 700 from Niger and 600 from Algeria.\n",
            true,
        ),
        (
            "Of the 2,600 migrants assisted, 1,500 came from Libya, 600 from Niger and 500 from Algeria.\n",
            false,
        ),
        (
            "IOM assisted 3,000 people in January and 2,500 in February, making a total of 6,000.\n",
            true,
        ),
        (
            "Teams registered 1,200 households in Juba and 900 in Malakal, for a combined total of 2,100.\n",
            false,
        ),
    ]);
}

#[test]
fn figures_without_a_checkable_claim_are_not_claims() {
    for text in [
        "Of these, 45 per cent were in urban areas.\n",
        "The strategy covers 2018-2022 and targets 20 countries.\n",
        "The fifth round of the survey, in 2017, reached 3,400 households in 14 districts.\n",
        "Respondents could give several answers: 60% cited cost, 55% distance and 30% safety.\n",
        "45% of women and 30% of men reported discrimination at work.\n",
        "About 29 per cent of the beneficiaries were in Africa and 15 per cent were in Asia.\n",
        "The programme resettled 400 refugees to a third country and assisted 90 others.\n",
        "Some 500 participants from 45 organizations attended the TRIPLEX exercise.\n",
        // The rest is not counted: the groups named need not make the whole.
        "Of 120 partners, 45 were national NGOs and 30 were international NGOs, with government bodies making up the rest.\n",
        // A place after the count: a part of its own, not the share restated.
        "Half of the 2,000 returnees interviewed, some 300 in Niger, would leave again.\n",
        // One donor's amount, not what met the appeal.
        "The USD 80 million plan was 60 per cent funded, with USD 10 million from Japan.\n",
        // The largest parts only.
        "IOM assisted 4,500 migrants in 2017, mainly in Chad (2,000) and Mali (1,700).\n",
        // Two dimensions of one whole, or parts that overlap.
        "Of the 60 trainings held, 40 took place in Africa and 35 were led by national staff.\n",
        "Of the 40 staff, 25 spoke French, 20 spoke Arabic and 12 spoke both.\n",
        // A running total counts more than the parts before it.
        "IOM assisted 3,000 people in January and 2,500 in February, bringing the total to 20,000.\n",
        "IOM assisted 3,000 people in January and 2,500 in February, for a total of 20,000 to date.\n",
        // The count is the subject's place, not the part; the funding share is of another thing.
        "In 2017, migrants from the 12 countries of the region represented 20 per cent of the 2,000 migrants assisted.\n",
        "IOM received USD 42 million against a requirement of USD 120 million, with 40 per cent going to shelter.\n",
    ] {
        assert!(
            claims(text).iter().all(Claim::holds),
            "{text}: {:#?}",
            claims(text)
        );
    }
}

fn mentions(text: &str) -> Vec<iomtally::extract::figures::Mention> {
    let doc = Document::from_bytes("t", Path::new("t.txt"), text.as_bytes(), &[]).unwrap();
    iomtally::extract::figures::scan(&doc)
}

#[test]
fn abbreviations_end_no_sentence() {
    let found = mentions(
        "Some updates (e.g. monthly reports in 16 countries) were shared.\nUnder Resolution No. 1309, 12 offices i.e. most of them reported.\n",
    );
    let context = |raw: &str| {
        let m = found.iter().find(|m| m.raw.as_str() == raw).unwrap();
        m.context.to_string()
    };
    assert!(
        context("16").starts_with("Some updates (e.g. monthly"),
        "{found:#?}"
    );
    assert!(context("12").starts_with("Under Resolution No. 1309, 12 offices i.e. most"));
    // A full stop after an ordinary word still ends its sentence.
    let found = mentions("It reached 40 sites. Then 12 more opened.\n");
    assert!(found[1].context.starts_with("Then 12"), "{found:#?}");
}

#[test]
fn a_year_after_a_qualifier_word_is_no_figure() {
    let values =
        |text: &str| -> Vec<f64> { mentions(text).iter().map(|m| m.quantity.value).collect() };
    assert_eq!(
        values("Returns rose to 9,000, an increase over 2016 (7,000).\n"),
        [9000.0, 7000.0]
    );
    assert_eq!(values("Around 2015, IOM opened 3 offices.\n"), [3.0]);
    // With a noun after it, the number counts: "over 2000 people".
    assert_eq!(values("Over 2000 people attended.\n"), [2000.0]);
}

#[test]
fn a_change_over_a_year_and_a_comparative_without_than() {
    let c = one(
        "Arrivals reached 90,000 in 2017, a 20 per cent increase over 2016 (70,000).\n",
        Kind::PercentChange,
    );
    assert!(!c.holds() && close(c.computed.value, 20_000.0 / 70_000.0 * 100.0));
    let c = one(
        "Arrivals numbered 84,000 in 2017 against 70,000 in 2016, i.e. 20 per cent more.\n",
        Kind::PercentChange,
    );
    assert!(c.holds(), "{c:#?}");
}
