//! Claims on generated sentences (tests/generate/claims.rs: written from how reports phrase
//! figures, each sentence carrying the truth it was rendered with): every consistent sentence
//! passes, every wrong one is flagged, no sentence without a checkable claim is flagged. The
//! per-family table (recall, false flags) is printed by `claims_table` (run with --nocapture).

mod generate;

use std::path::Path;

use generate::Rng;
use generate::claims::{Family, Sentence, Truth, not_a_claim, sentence};
use iomtally::document::Document;
use iomtally::extract::claims::{Claim, Names, claims_of};
use proptest::prelude::*;

fn claims(text: &str) -> Vec<Claim> {
    let doc = Document::from_bytes("t", Path::new("t.txt"), text.as_bytes(), &[]).unwrap();
    claims_of(&doc, &Names(None))
}

/// What the detector made of a sentence: (claims recognised, any failing).
fn verdict(s: &Sentence) -> (usize, bool) {
    let found = claims(&s.text);
    (found.len(), found.iter().any(|c| !c.holds()))
}

fn explain(s: &Sentence) -> String {
    format!("{:?}: {:?}\n{:#?}", s.truth, s.text, claims(&s.text))
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn consistent_sentences_pass_and_wrong_ones_are_flagged(seed in any::<u64>(), family in 0usize..Family::ALL.len(), wrong in any::<bool>()) {
        let mut rng = Rng::new(seed);
        let truth = if wrong { Truth::Wrong } else { Truth::Consistent };
        let s = sentence(&mut rng, Family::ALL[family], truth);
        let (_, failing) = verdict(&s);
        if wrong {
            prop_assert!(failing, "wrong sentence not flagged: {}", explain(&s));
        } else {
            prop_assert!(!failing, "consistent sentence flagged: {}", explain(&s));
        }
    }

    #[test]
    fn sentences_without_a_claim_are_never_flagged(seed in any::<u64>()) {
        let s = not_a_claim(&mut Rng::new(seed));
        prop_assert!(!verdict(&s).1, "flagged: {}", explain(&s));
    }
}

/// Recall and false flags per family on a fixed sample, printed as the README's table.
#[test]
fn claims_table() {
    const PER_FAMILY: usize = 400;
    let mut rng = Rng::new(2026);
    // CLAIMS_SHOW_MISSES=1 prints every sentence the table counts against the detector.
    let show = std::env::var_os("CLAIMS_SHOW_MISSES").is_some();
    let mut failures = Vec::new();
    println!("| family | wrong flagged | consistent recognised | consistent flagged |");
    println!("|---|---|---|---|");
    for family in Family::ALL {
        let (mut flagged, mut recognised, mut false_flags) = (0, 0, 0);
        for _ in 0..PER_FAMILY {
            let wrong = sentence(&mut rng, family, Truth::Wrong);
            let caught = verdict(&wrong).1;
            flagged += usize::from(caught);
            let right = sentence(&mut rng, family, Truth::Consistent);
            let (n, failing) = verdict(&right);
            if show && (!caught || n == 0 || failing) {
                let which = if !caught { &wrong } else { &right };
                println!("MISS {}", explain(which).replace('\n', " "));
            }
            recognised += usize::from(n > 0);
            false_flags += usize::from(failing);
        }
        let pc = |k: usize| k as f64 * 100.0 / PER_FAMILY as f64;
        println!(
            "| {} | {:.1}% | {:.1}% | {:.1}% |",
            family.name(),
            pc(flagged),
            pc(recognised),
            pc(false_flags)
        );
        if pc(flagged) < 95.0 || pc(recognised) < 95.0 || false_flags > 0 {
            failures.push(family.name());
        }
    }
    let non_claims = (0..PER_FAMILY * 2)
        .filter(|_| verdict(&not_a_claim(&mut rng)).1)
        .count();
    println!(
        "| not a claim | {non_claims} of {} flagged | | |",
        PER_FAMILY * 2
    );
    assert!(
        failures.is_empty(),
        "below 95% recall or with false flags: {failures:?}"
    );
    assert_eq!(non_claims, 0);
}
