//! Message properties as stored: `name \x01 value \x02` pairs (docs/store-format.md §2.4), and the values
//! the store derives from them: the tags hash code and the delay level.
//! Depends on nothing.

pub const NAME_VALUE_SEPARATOR: u8 = 1;
pub const PROPERTY_SEPARATOR: u8 = 2;

pub const PROPERTY_TAGS: &[u8] = b"TAGS";
pub const PROPERTY_KEYS: &[u8] = b"KEYS";
pub const PROPERTY_UNIQ_KEY: &[u8] = b"UNIQ_KEY";
pub const PROPERTY_DELAY_LEVEL: &[u8] = b"DELAY";

/// The value of property `name`, using the reader rules of `string2messageProperties`:
/// pairs with an empty name or an empty value are ignored, and a repeated name keeps its last
/// value (Java fills a HashMap).
pub fn find_property<'a>(properties: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    properties
        .rsplit(|&b| b == PROPERTY_SEPARATOR)
        .filter_map(|pair| {
            let sep = pair.iter().position(|&b| b == NAME_VALUE_SEPARATOR)?;
            let (key, value) = (&pair[..sep], &pair[sep + 1..]);
            (!key.is_empty() && !value.is_empty() && key == name).then_some(value)
        })
        .next()
}

/// Java `String.hashCode()` of UTF-8 bytes (computed over UTF-16 code units), as an i32.
pub fn java_string_hash(utf8: &[u8]) -> i32 {
    if utf8.is_ascii() {
        return utf8.iter().fold(0i32, |h, &b| h.wrapping_mul(31).wrapping_add(i32::from(b)));
    }
    String::from_utf8_lossy(utf8).encode_utf16().fold(0i32, |h, unit| h.wrapping_mul(31).wrapping_add(i32::from(unit)))
}

/// `tagsString2tagsCode`: the hash of the whole TAGS value, sign-extended; 0 without tags.
pub fn tags_code(properties: &[u8]) -> i64 {
    find_property(properties, PROPERTY_TAGS).map_or(0, |tags| i64::from(java_string_hash(tags)))
}

/// Parses an integer property value (ASCII decimal).
pub fn parse_i32(value: &[u8]) -> Option<i32> {
    std::str::from_utf8(value).ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_and_ignores_empty_pairs() {
        let props = b"KEYS\x01K1 K2\x02\x01x\x02EMPTY\x01\x02TAGS\x01TagA\x02";
        assert_eq!(find_property(props, b"KEYS"), Some(&b"K1 K2"[..]));
        assert_eq!(find_property(props, b"TAGS"), Some(&b"TagA"[..]));
        assert_eq!(find_property(props, b"EMPTY"), None);
        assert_eq!(find_property(props, b"MISSING"), None);
        assert_eq!(find_property(b"TAGS\x01a\x02TAGS\x01b\x02", b"TAGS"), Some(&b"b"[..]), "last wins");
    }

    #[test]
    fn tag_code_is_java_string_hash() {
        assert_eq!(java_string_hash(b"TagA"), 0x0027_A807);
        assert_eq!(tags_code(b"TAGS\x01TagA\x02"), 0x0027_A807);
        assert_eq!(tags_code(b""), 0);
        // "é" is one UTF-16 unit 0xE9; "😀" is the surrogate pair D83D DE00.
        assert_eq!(java_string_hash("é".as_bytes()), 0xE9);
        assert_eq!(java_string_hash("😀".as_bytes()), 0xD83D * 31 + 0xDE00);
        // A long string overflows like Java's int arithmetic.
        assert_eq!(java_string_hash(b"TagA TagB TagC TagD"), 766_419_170);
    }
}
