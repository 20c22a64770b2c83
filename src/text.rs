//! Text helpers every reader of a document shares.

/// The words of `s` joined by single spaces (`split_whitespace`, then `join(" ")`), without
/// the list of words in between.
pub fn collapse_whitespace(s: &str) -> String {
    if s.is_ascii() {
        return collapse_ascii(s);
    }
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// [`collapse_whitespace`] for text without Unicode spaces (most sentences, read for every
/// figure of a document): each word copied whole.
fn collapse_ascii(s: &str) -> String {
    // The ASCII characters `char::is_whitespace` counts (vertical tab included).
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let mut out = Vec::with_capacity(s.len());
    for word in s.as_bytes().split(space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

#[cfg(test)]
mod tests {
    use super::collapse_whitespace;

    #[test]
    fn text_collapses_as_split_whitespace_joins_it() {
        for s in [
            "",
            " ",
            "a",
            "  a  b\t\tc\n",
            "\x0b7\x0c% of\r\n\n all ",
            "one two",
            "x\n\ny",
            "no\u{00A0}break\u{2003}em  space",
        ] {
            let words: Vec<&str> = s.split_whitespace().collect();
            assert_eq!(collapse_whitespace(s), words.join(" "), "{s:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_ascii_text_collapses_as_split_whitespace_joins_it(s in "[ -~\t\n\r\x0b\x0c]{0,60}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&s), words.join(" "));
        }

        #[test]
        fn any_text_collapses_as_split_whitespace_joins_it(s in "\\PC{0,40}") {
            let words: Vec<&str> = s.split_whitespace().collect();
            proptest::prop_assert_eq!(collapse_whitespace(&s), words.join(" "));
        }
    }
}
