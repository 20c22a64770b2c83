//! Number parsing for text extracted from PDFs.

/// A table cell token: an integer with optional thousands groups (`4,400,000`), or a dash
/// for an empty cell. Grouping must be regular: `1,5` or `12,00` is not a table integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellToken {
    Int(i64),
    Dash,
}

pub fn parse_cell_token(token: &str) -> Option<CellToken> {
    match token {
        "-" | "\u{2013}" | "\u{2014}" => Some(CellToken::Dash),
        _ => parse_grouped_int(token, ',').map(CellToken::Int),
    }
}

/// `4,400,000` with `sep = ','`: the first group has 1–3 digits, every other group exactly 3.
pub fn parse_grouped_int(token: &str, sep: char) -> Option<i64> {
    let mut groups = token.split(sep);
    let first = groups.next()?;
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut value: i64 = first.parse().ok()?;
    let mut grouped = false;
    for group in groups {
        if group.len() != 3 || !group.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        value = value
            .checked_mul(1000)?
            .checked_add(group.parse::<i64>().ok()?)?;
        grouped = true;
    }
    // A leading zero only makes sense for the number 0 itself.
    if first.len() > 1 && first.starts_with('0') || (grouped && first == "0") {
        return None;
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grouped_integers() {
        assert_eq!(parse_grouped_int("4,400,000", ','), Some(4_400_000));
        assert_eq!(parse_grouped_int("350,000", ','), Some(350_000));
        assert_eq!(parse_grouped_int("0", ','), Some(0));
        assert_eq!(parse_grouped_int("1,5", ','), None);
        assert_eq!(parse_grouped_int("1234", ','), None);
        assert_eq!(parse_grouped_int("12,00", ','), None);
        assert_eq!(parse_grouped_int("", ','), None);
        assert_eq!(parse_grouped_int("0,100", ','), None);
        assert_eq!(
            parse_grouped_int("9,223,372,036,854,775,807,000", ','),
            None
        );
    }

    #[test]
    fn cell_tokens() {
        assert_eq!(parse_cell_token("-"), Some(CellToken::Dash));
        assert_eq!(
            parse_cell_token("2,700,000"),
            Some(CellToken::Int(2_700_000))
        );
        assert_eq!(parse_cell_token("1244-administered"), None);
        assert_eq!(parse_cell_token("Total"), None);
    }
}
