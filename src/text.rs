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
/// figure of a document). Text wrapped over lines with single spaces between its words (the
/// common case) is copied a line at a time; other whitespace is collapsed a word at a time.
fn collapse_ascii(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    if memchr::memchr3(b'\t', b'\r', 0x0B, b).is_some() || memchr::memchr(0x0C, b).is_some() {
        push_words(b, &mut out);
    } else {
        static DOUBLE_SPACE: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"  "));
        let mut start = 0;
        let ends = memchr::memchr_iter(b'\n', b).chain(std::iter::once(b.len()));
        for end in ends {
            let line = trim_spaces(&b[start..end]);
            start = end + 1;
            if DOUBLE_SPACE.find(line).is_some() {
                push_words(line, &mut out);
            } else if !line.is_empty() {
                if !out.is_empty() {
                    out.push(b' ');
                }
                out.extend_from_slice(line);
            }
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

/// The words of `b` appended to `out`, one space between them (and before the first when
/// `out` holds text already).
fn push_words(b: &[u8], out: &mut Vec<u8>) {
    // The ASCII characters `char::is_whitespace` counts (vertical tab included).
    let space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    for word in b.split(space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(word);
    }
}

fn trim_spaces(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|&c| c != b' ').unwrap_or(b.len());
    let end = b.iter().rposition(|&c| c != b' ').map_or(start, |i| i + 1);
    &b[start..end.max(start)]
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
        fn spaced_and_wrapped_text_collapses_as_split_whitespace_joins_it(s in "( |  |\n|\n\n| \n|a|bc|\t|\r)*") {
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
