//! Reading addresses as people have them: house-number ranges typed in a form ("1-45 oneven",
//! "12a-12d", "12-1", "12 bis") and CSV files exported by spreadsheets (semicolon or comma
//! separated, with or without a byte-order mark, Windows line ends, quoted fields, a header
//! row with Dutch or English column names in any order).
//!
//! Pure logic, tested natively; the screens turn the results into `AddressAdd` operations and
//! the reasons into words.

use std::collections::BTreeMap;

use buurtbel_core::ids::AddressId;
use buurtbel_core::validate::{HOUSE_NUMBER_MAX, is_postcode};
use buurtbel_core::views::AddressKey;

/// A house number with its letter and addition, as the walk list shows it ("12a-2").
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct HouseNumber {
    /// The number.
    pub number: u32,
    /// The house letter (*huisletter*), lower case, or empty.
    pub letter: String,
    /// The addition (*toevoeging*), or empty.
    pub addition: String,
}

impl HouseNumber {
    fn plain(number: u32) -> HouseNumber {
        HouseNumber {
            number,
            ..HouseNumber::default()
        }
    }
}

impl std::fmt::Display for HouseNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.number, self.letter)?;
        if !self.addition.is_empty() {
            write!(f, "-{}", self.addition)?;
        }
        Ok(())
    }
}

/// Why a range of house numbers cannot be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RangeError {
    /// Nothing was typed.
    Empty,
    /// A part is not a house number or a range ("12-", "abc").
    NotUnderstood(String),
    /// A range runs backwards across letters ("12d-12a") or mixes numbers ("12a-14c").
    BadLetters(String),
    /// A range covers more houses than anyone walks at once.
    TooMany(usize),
}

/// Most houses one range may give.
pub const RANGE_MAX: usize = 2_000;

/// The side of the street a range keeps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    All,
    Odd,
    Even,
}

fn number(text: &str) -> Option<u32> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
        .filter(|n| (1..=HOUSE_NUMBER_MAX).contains(n))
}

/// Splits "12a" into 12 and "a".
fn number_and_letter(text: &str) -> Option<(u32, Option<char>)> {
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    let n = number(&text[..digits])?;
    match &text[digits..] {
        "" => Some((n, None)),
        rest => {
            let mut chars = rest.chars();
            let c = chars.next()?;
            (c.is_ascii_alphabetic() && chars.next().is_none())
                .then_some((n, Some(c.to_ascii_lowercase())))
        }
    }
}

/// Whether an addition is one a Dutch address can carry (up to four letters or digits).
fn valid_addition(text: &str) -> bool {
    !text.is_empty() && text.len() <= 4 && text.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether a typed house letter can be stored: none, or one letter.
pub fn letter_ok(text: &str) -> bool {
    text.chars().count() <= 1 && text.chars().all(|c| c.is_ascii_alphabetic())
}

/// Whether a typed addition can be stored: none, or up to four letters or digits.
pub fn addition_ok(text: &str) -> bool {
    text.is_empty() || valid_addition(text)
}

/// One comma-separated part of a range.
fn part(text: &str, side: Side, out: &mut Vec<HouseNumber>) -> Result<(), RangeError> {
    let not_understood = || RangeError::NotUnderstood(text.to_owned());
    let compact: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    // "12 bis", "12 A": a number and an addition written with a space.
    if let Some((n, addition)) = compact.split_once(' ') {
        let n = number(n).ok_or_else(not_understood)?;
        let addition = addition.to_lowercase();
        if !valid_addition(&addition) {
            return Err(not_understood());
        }
        out.push(HouseNumber {
            number: n,
            letter: String::new(),
            addition,
        });
        return Ok(());
    }
    match compact.split_once('-') {
        None => {
            let (n, letter) = number_and_letter(&compact).ok_or_else(not_understood)?;
            out.push(HouseNumber {
                number: n,
                letter: letter.map(String::from).unwrap_or_default(),
                addition: String::new(),
            });
        }
        Some((from, to)) => {
            let (a, a_letter) = number_and_letter(from).ok_or_else(not_understood)?;
            match (a_letter, number_and_letter(to)) {
                // "12a-12d": the letters of one number.
                (Some(first), Some((b, Some(last)))) => {
                    if a != b || last < first {
                        return Err(RangeError::BadLetters(text.to_owned()));
                    }
                    for c in first..=last {
                        out.push(HouseNumber {
                            number: a,
                            letter: c.to_string(),
                            addition: String::new(),
                        });
                    }
                }
                // "1-45": a range, when it runs upwards.
                (None, Some((b, None))) if b > a => {
                    let count = (b - a + 1) as usize;
                    if count > RANGE_MAX {
                        return Err(RangeError::TooMany(count));
                    }
                    out.extend(
                        (a..=b)
                            .filter(|n| match side {
                                Side::All => true,
                                Side::Odd => n % 2 == 1,
                                Side::Even => n % 2 == 0,
                            })
                            .map(HouseNumber::plain),
                    );
                }
                // "12-1", "12-bis", "12a-2": a number and its addition, as Dutch addresses
                // write it (an addition is never a range that runs downwards).
                _ => {
                    let addition = to.to_lowercase();
                    if !valid_addition(&addition) {
                        return Err(not_understood());
                    }
                    out.push(HouseNumber {
                        number: a,
                        letter: a_letter.map(String::from).unwrap_or_default(),
                        addition,
                    });
                }
            }
        }
    }
    Ok(())
}

/// Reads house numbers as typed: parts separated by commas, each a number ("12"), a number with
/// a letter ("12a") or an addition ("12-1", "12 bis"), a range ("1-45"), or the letters of one
/// number ("12a-12d"); "oneven"/"odd" or "even" after a range keeps one side of the street.
/// Numbers come back in the order typed, each once.
pub fn parse_range(text: &str) -> Result<Vec<HouseNumber>, RangeError> {
    let mut out = Vec::new();
    for raw in text.split(',') {
        let raw = raw.trim();
        if raw.is_empty() {
            continue;
        }
        let lower = raw.to_lowercase();
        let (body, side) = if let Some(b) = lower
            .strip_suffix("oneven")
            .or_else(|| lower.strip_suffix("odd"))
        {
            (b.trim().to_owned(), Side::Odd)
        } else if let Some(b) = lower.strip_suffix("even") {
            (b.trim().to_owned(), Side::Even)
        } else {
            (lower.clone(), Side::All)
        };
        if side != Side::All && !body.contains('-') {
            return Err(RangeError::NotUnderstood(raw.to_owned()));
        }
        // Spaces around the dash of a range ("1 - 45") are not an addition.
        let body = body
            .replace(" - ", "-")
            .replace("- ", "-")
            .replace(" -", "-");
        part(&body, side, &mut out).map_err(|e| match e {
            RangeError::NotUnderstood(_) => RangeError::NotUnderstood(raw.to_owned()),
            other => other,
        })?;
        if out.len() > RANGE_MAX {
            return Err(RangeError::TooMany(out.len()));
        }
    }
    if out.is_empty() {
        return Err(RangeError::Empty);
    }
    let mut seen = std::collections::BTreeSet::new();
    out.retain(|n| seen.insert(n.clone()));
    Ok(out)
}

/// A postcode as the address list writes it ("3581 BA"), or `None` when it is not one.
pub fn normalize_postcode(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    // Its letters are ASCII (`is_postcode`), so no Unicode case table is needed.
    is_postcode(&compact)
        .then(|| format!("{} {}", &compact[..4], compact[4..].to_ascii_uppercase()))
}

/// An address read from a file or a form, ready to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAddress {
    /// The line of the file it came from (1 is the header); 0 for a form.
    pub line: usize,
    /// Street.
    pub street: String,
    /// Number, letter and addition.
    pub house: HouseNumber,
    /// Postcode, "1234 AB".
    pub postcode: String,
}

impl NewAddress {
    /// The key duplicates are found by.
    pub fn key(&self) -> AddressKey {
        AddressKey::new(
            &self.street,
            self.house.number,
            &self.house.letter,
            &self.house.addition,
            &self.postcode,
        )
    }
}

/// The columns an address file needs, by what they hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Column {
    /// `straat`, `straatnaam`, `openbareruimte`, `street`.
    Street,
    /// `huisnummer`, `nummer`, `number`.
    Number,
    /// `huisletter`, `letter`.
    Letter,
    /// `toevoeging`, `huisnummertoevoeging`, `addition`.
    Addition,
    /// `postcode`, `zip`.
    Postcode,
}

fn column_of(header: &str) -> Option<Column> {
    let name: String = header
        .trim()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    Some(match name.as_str() {
        "straat" | "straatnaam" | "openbareruimte" | "openbareruimtenaam" | "street" => {
            Column::Street
        }
        "huisnummer" | "nummer" | "nr" | "number" | "housenumber" => Column::Number,
        "huisletter" | "letter" => Column::Letter,
        "toevoeging" | "huisnummertoevoeging" | "addition" => Column::Addition,
        "postcode" | "zip" | "postalcode" => Column::Postcode,
        _ => return None,
    })
}

/// Why a file cannot be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// The file holds no lines.
    Empty,
    /// The header lacks columns the addresses need (named in Dutch).
    MissingColumns(Vec<Column>),
    /// More lines than one import takes.
    TooLong(usize),
}

/// Most lines one file may hold.
pub const FILE_LINES_MAX: usize = 20_000;

/// Why one line of a file is left out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineProblem {
    /// The street is empty.
    NoStreet,
    /// The house number is empty.
    NoNumber,
    /// The house number is not a number (such as "12-14"), or out of range.
    BadNumber(String),
    /// The house letter is not one letter.
    BadLetter(String),
    /// The addition is longer than four letters or digits, or holds other characters.
    BadAddition(String),
    /// The postcode is not a Dutch postcode.
    BadPostcode(String),
    /// The line has fewer fields than the header.
    TooFewFields,
}

/// A file read: the good lines, and every bad line with its number and reason.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileRead {
    /// Addresses read, in file order.
    pub addresses: Vec<NewAddress>,
    /// Lines left out, with why.
    pub bad: Vec<(usize, LineProblem)>,
}

/// Splits CSV `text` into records with `delimiter`; each record with the line it starts on.
fn records(text: &str, delimiter: u8) -> Vec<(usize, Vec<String>)> {
    let bytes = text.as_bytes();
    let mut reader = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
    let mut out = Vec::new();
    let mut field = vec![0u8; 1024];
    let mut fields: Vec<String> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    // Bytes consumed, and the line of a byte found by counting line breaks up to it.
    let mut consumed = 0;
    let (mut counted_to, mut line) = (0, 1);
    let mut line_at = |offset: usize| {
        line += bytes[counted_to..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = offset;
        line
    };
    let mut record_line = None;
    loop {
        if record_line.is_none() {
            // A record starts at its first byte that is not a line break (blank lines and the
            // previous record's terminator come first).
            let start = consumed
                + bytes[consumed..]
                    .iter()
                    .take_while(|b| **b == b'\r' || **b == b'\n')
                    .count();
            record_line = Some(line_at(start));
        }
        let (result, read, written) = reader.read_field(&bytes[consumed..], &mut field);
        consumed += read;
        current.extend_from_slice(&field[..written]);
        let mut finish = |fields: &mut Vec<String>, current: &mut Vec<u8>, end: bool| {
            fields.push(String::from_utf8_lossy(current).into_owned());
            current.clear();
            if end {
                out.push((record_line.take().unwrap_or(0), std::mem::take(fields)));
            }
        };
        match result {
            csv_core::ReadFieldResult::InputEmpty if consumed >= bytes.len() => {
                // Tell the reader the input ended (a last line without a line break).
                let (r, _, w) = reader.read_field(&[], &mut field);
                current.extend_from_slice(&field[..w]);
                if matches!(r, csv_core::ReadFieldResult::Field { .. }) {
                    finish(&mut fields, &mut current, true);
                }
                break;
            }
            csv_core::ReadFieldResult::InputEmpty => {}
            csv_core::ReadFieldResult::OutputFull => field.resize(field.len() * 2, 0),
            csv_core::ReadFieldResult::Field { record_end } => {
                finish(&mut fields, &mut current, record_end);
            }
            csv_core::ReadFieldResult::End => break,
        }
    }
    // Lines with nothing on them are not addresses, nor mistakes.
    out.retain(|(_, f)| f.iter().any(|v| !v.trim().is_empty()));
    out
}

/// Reads an address file. The separator is the one of `;` and `,` the header uses most.
pub fn read_file(text: &str) -> Result<FileRead, FileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .ok_or(FileError::Empty)?;
    let delimiter = if first.matches(';').count() >= first.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut rows = records(text, delimiter).into_iter();
    let (_, header) = rows.next().ok_or(FileError::Empty)?;
    let columns: BTreeMap<Column, usize> = buurtbel_core::sort::map(
        header
            .iter()
            .enumerate()
            .filter_map(|(i, h)| Some((column_of(h)?, i)))
            .rev(),
    );
    let missing: Vec<Column> = [Column::Street, Column::Number, Column::Postcode]
        .into_iter()
        .filter(|c| !columns.contains_key(c))
        .collect();
    if !missing.is_empty() {
        return Err(FileError::MissingColumns(missing));
    }
    let rows: Vec<(usize, Vec<String>)> = rows.collect();
    if rows.len() > FILE_LINES_MAX {
        return Err(FileError::TooLong(rows.len()));
    }
    let mut read = FileRead::default();
    for (line, fields) in rows {
        let get = |c: Column| {
            columns
                .get(&c)
                .and_then(|i| fields.get(*i))
                .map(|v| v.trim())
        };
        match address_of(line, get) {
            Ok(address) => read.addresses.push(address),
            Err(problem) => read.bad.push((line, problem)),
        }
    }
    Ok(read)
}

fn address_of<'a>(
    line: usize,
    get: impl Fn(Column) -> Option<&'a str>,
) -> Result<NewAddress, LineProblem> {
    let (Some(street), Some(number), Some(postcode)) = (
        get(Column::Street),
        get(Column::Number),
        get(Column::Postcode),
    ) else {
        return Err(LineProblem::TooFewFields);
    };
    if street.is_empty() {
        return Err(LineProblem::NoStreet);
    }
    if number.is_empty() {
        return Err(LineProblem::NoNumber);
    }
    let n = self::number(number).ok_or_else(|| LineProblem::BadNumber(number.to_owned()))?;
    let letter = get(Column::Letter).unwrap_or_default();
    if !letter_ok(letter) {
        return Err(LineProblem::BadLetter(letter.to_owned()));
    }
    let addition = get(Column::Addition).unwrap_or_default();
    if !addition_ok(addition) {
        return Err(LineProblem::BadAddition(addition.to_owned()));
    }
    let postcode = normalize_postcode(postcode)
        .ok_or_else(|| LineProblem::BadPostcode(postcode.to_owned()))?;
    Ok(NewAddress {
        line,
        street: street.split_whitespace().collect::<Vec<_>>().join(" "),
        house: HouseNumber {
            number: n,
            letter: letter.to_lowercase(),
            addition: addition.to_owned(),
        },
        postcode,
    })
}

/// What an import or a range will do, for the preview.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// New addresses, to add.
    pub add: Vec<NewAddress>,
    /// Already on the walk list (left out), with the address already there.
    pub already_there: Vec<(NewAddress, AddressId)>,
    /// The same address earlier in the file (left out), with the line of the first.
    pub twice: Vec<(NewAddress, usize)>,
}

/// Sorts `addresses` into new ones and duplicates, against the walk list's `existing` index.
pub fn plan(addresses: Vec<NewAddress>, existing: &BTreeMap<AddressKey, AddressId>) -> Plan {
    let mut plan = Plan::default();
    let mut first: BTreeMap<AddressKey, usize> = BTreeMap::new();
    for address in addresses {
        let key = address.key();
        if let Some(id) = existing.get(&key) {
            plan.already_there.push((address, *id));
        } else if let Some(line) = first.get(&key) {
            let line = *line;
            plan.twice.push((address, line));
        } else {
            first.insert(key, address.line);
            plan.add.push(address);
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(numbers: &[HouseNumber]) -> Vec<String> {
        numbers.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn ranges_as_people_type_them() {
        assert_eq!(
            shown(&parse_range("1-9 oneven").expect("odd")),
            ["1", "3", "5", "7", "9"]
        );
        assert_eq!(
            shown(&parse_range("2-8 even").expect("even")),
            ["2", "4", "6", "8"]
        );
        assert_eq!(
            shown(&parse_range("1-4").expect("all")),
            ["1", "2", "3", "4"]
        );
        assert_eq!(
            shown(&parse_range("1 - 3 Oneven").expect("spaces, case")),
            ["1", "3"]
        );
        assert_eq!(
            shown(&parse_range("12a-12d").expect("letters")),
            ["12a", "12b", "12c", "12d"]
        );
        assert_eq!(shown(&parse_range("12-1").expect("addition")), ["12-1"]);
        assert_eq!(shown(&parse_range("12 bis").expect("bis")), ["12-bis"]);
        assert_eq!(shown(&parse_range("12-bis").expect("bis")), ["12-bis"]);
        assert_eq!(shown(&parse_range("12A").expect("letter")), ["12a"]);
        assert_eq!(
            shown(&parse_range("1-5 oneven, 2-4 even, 7, 7, 9a-9b").expect("parts")),
            ["1", "3", "5", "2", "4", "7", "9a", "9b"],
            "in the order typed, each once"
        );
        assert_eq!(parse_range("12-14").expect("upwards is a range").len(), 3);
    }

    #[test]
    fn ranges_that_cannot_be_read_say_why() {
        assert_eq!(parse_range(" , "), Err(RangeError::Empty));
        assert_eq!(
            parse_range("abc"),
            Err(RangeError::NotUnderstood("abc".into()))
        );
        assert_eq!(
            parse_range("12-"),
            Err(RangeError::NotUnderstood("12-".into()))
        );
        assert_eq!(parse_range("0"), Err(RangeError::NotUnderstood("0".into())));
        assert_eq!(
            parse_range("12d-12a"),
            Err(RangeError::BadLetters("12d-12a".into()))
        );
        assert_eq!(
            parse_range("12a-14c"),
            Err(RangeError::BadLetters("12a-14c".into()))
        );
        assert_eq!(
            parse_range("7 oneven"),
            Err(RangeError::NotUnderstood("7 oneven".into()))
        );
        assert_eq!(parse_range("1-99999"), Err(RangeError::TooMany(99_999)));
        assert_eq!(
            parse_range("12-toolong"),
            Err(RangeError::NotUnderstood("12-toolong".into()))
        );
    }

    #[test]
    fn postcodes_with_or_without_a_space() {
        assert_eq!(normalize_postcode("3581ba").as_deref(), Some("3581 BA"));
        assert_eq!(normalize_postcode(" 3581  BA ").as_deref(), Some("3581 BA"));
        assert_eq!(normalize_postcode("0581 BA"), None);
        assert_eq!(normalize_postcode("3581"), None);
    }

    const DUTCH: &str = "\u{feff}Postcode;Straat;Huisnummer;Huisletter;Toevoeging;Woonplaats\r\n\
        3581 BA;Lindelaan;1;;;Voorbeeld\r\n\
        3581BA;\"Lindelaan\";3;a;;Voorbeeld\r\n\
        \r\n\
        3581 BA;Lindelaan;5;;2;\"Voorbeeld; dorp\"\r\n";

    #[test]
    fn a_dutch_spreadsheet_export_reads_in_any_column_order() {
        let read = read_file(DUTCH).expect("readable");
        assert!(read.bad.is_empty(), "{:?}", read.bad);
        let shown: Vec<(usize, String, String, String)> = read
            .addresses
            .iter()
            .map(|a| {
                (
                    a.line,
                    a.street.clone(),
                    a.house.to_string(),
                    a.postcode.clone(),
                )
            })
            .collect();
        assert_eq!(
            shown,
            [
                (2, "Lindelaan".into(), "1".into(), "3581 BA".into()),
                (3, "Lindelaan".into(), "3a".into(), "3581 BA".into()),
                (5, "Lindelaan".into(), "5-2".into(), "3581 BA".into()),
            ],
            "the empty line is skipped; line numbers are the file's"
        );
    }

    #[test]
    fn comma_separated_files_and_english_headers_read_too() {
        let read = read_file("street,number,zip\nEikenstraat,12,3581 BB\nEikenstraat,14,3581BB")
            .expect("readable");
        assert_eq!(read.addresses.len(), 2, "{:?}", read.bad);
        assert_eq!(read.addresses[1].postcode, "3581 BB");
    }

    #[test]
    fn bad_lines_are_named_with_their_number_and_reason() {
        let text = "straat;huisnummer;huisletter;toevoeging;postcode\n\
            Lindelaan;12-14;;;3581 BA\n\
            Lindelaan;;;;3581 BA\n\
            ;3;;;3581 BA\n\
            Lindelaan;4;ab;;3581 BA\n\
            Lindelaan;5;;zeslang;3581 BA\n\
            Lindelaan;6;;;3581\n\
            Lindelaan;7\n\
            Lindelaan;8;;;3581 BA\n";
        let read = read_file(text).expect("readable");
        assert_eq!(
            read.bad,
            [
                (2, LineProblem::BadNumber("12-14".into())),
                (3, LineProblem::NoNumber),
                (4, LineProblem::NoStreet),
                (5, LineProblem::BadLetter("ab".into())),
                (6, LineProblem::BadAddition("zeslang".into())),
                (7, LineProblem::BadPostcode("3581".into())),
                (8, LineProblem::TooFewFields),
            ]
        );
        assert_eq!(read.addresses.len(), 1, "the good line still comes through");
        assert_eq!(read.addresses[0].line, 9);
    }

    #[test]
    fn files_that_cannot_be_read_at_all_say_why() {
        assert_eq!(read_file(""), Err(FileError::Empty));
        assert_eq!(read_file("\u{feff}\r\n\r\n"), Err(FileError::Empty));
        // Tabs are no separator these files use: the header is one unknown column.
        assert_eq!(
            read_file("straat\thuisnummer\tpostcode\nLindelaan\t1\t3581 BA"),
            Err(FileError::MissingColumns(vec![
                Column::Street,
                Column::Number,
                Column::Postcode
            ]))
        );
        assert_eq!(
            read_file("straat;postcode\nLindelaan;3581 BA"),
            Err(FileError::MissingColumns(vec![Column::Number]))
        );
    }

    #[test]
    fn duplicates_already_there_or_twice_in_the_file_are_left_out() {
        let read = read_file(
            "straat;huisnummer;postcode\nLindelaan;1;3581 BA\nlindelaan ;1;3581BA\nLindelaan;3;3581 BA\nLindelaan;5;3581 BA",
        )
        .expect("readable");
        let there = AddressId::new_v7(1_764_000_000_000, [1; 10]);
        let existing =
            BTreeMap::from([(AddressKey::new("Lindelaan", 5, "", "", "3581 BA"), there)]);
        let plan = plan(read.addresses, &existing);
        let lines = |v: &[NewAddress]| v.iter().map(|a| a.line).collect::<Vec<_>>();
        assert_eq!(lines(&plan.add), [2, 4]);
        assert_eq!(
            plan.twice
                .iter()
                .map(|(a, first)| (a.line, *first))
                .collect::<Vec<_>>(),
            [(3, 2)]
        );
        assert_eq!(
            plan.already_there
                .iter()
                .map(|(a, id)| (a.line, *id))
                .collect::<Vec<_>>(),
            [(5, there)]
        );
    }

    #[test]
    fn the_sample_buurt_reads_whole() {
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("e2e/fixtures/voorbeeldbuurt.csv"),
        )
        .expect("the sample buurt");
        let read = read_file(&text).expect("readable");
        assert!(
            read.bad.is_empty(),
            "{:?}",
            &read.bad[..read.bad.len().min(3)]
        );
        assert_eq!(read.addresses.len(), 892);
        let plan = plan(read.addresses, &BTreeMap::new());
        assert_eq!(plan.add.len(), 892, "no address twice");
    }
}
