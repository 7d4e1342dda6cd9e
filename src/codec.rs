//! The `#scenario=` link: base64url without padding (RFC 4648 §5) of the scenario file's UTF-8 text.
//!
//! MODEL.md section 8: a scenario can be handed to the page in its address as
//! `#scenario=` followed by the scenario JSON in base64url without padding.
//! The codec is written here by hand (about fifty lines) rather than taken from a
//! crate: the app needs only this one alphabet, and it is tested against the RFC's
//! vectors below. Plain Rust, no browser: everything here is tested natively.

use std::fmt;

use delever_model::Lang;

/// The base64url alphabet of RFC 4648 §5: `A–Z a–z 0–9 - _`.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The key of the scenario part of a location hash (`#scenario=…`).
pub const SCENARIO_KEY: &str = "scenario";

/// Why a text is not base64url.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DecodeError {
    /// A character outside the alphabet (including `+` and `/` of plain base64, spaces,
    /// and a `=` anywhere but at the end). `position` counts characters from 1.
    InvalidCharacter { position: usize, character: char },
    /// `length` characters (padding removed) leave a remainder of one: no byte string
    /// encodes to that, so the text was cut or pasted incompletely.
    InvalidLength { length: usize },
}

/// Why the scenario part of a location hash could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FragmentError {
    /// The value after `scenario=` is not base64url.
    Base64(DecodeError),
    /// The decoded bytes are not UTF-8 text; `valid_up_to` bytes were.
    NotUtf8 { valid_up_to: usize },
}

/// Encodes `bytes` as base64url without padding.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let group = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        // A chunk of n bytes gives n + 1 characters; the rest would be padding, which we omit.
        for index in 0..=chunk.len() {
            let sextet = (group >> (18 - 6 * index)) & 0x3f;
            out.push(char::from(ALPHABET[sextet as usize]));
        }
    }
    out
}

/// Decodes base64url, with or without trailing `=` padding (at most two).
///
/// Bits left over after the last whole byte are ignored, as most decoders do,
/// so a link whose last character was "rounded" by hand still opens.
pub fn decode(text: &str) -> Result<Vec<u8>, DecodeError> {
    let unpadded = strip_padding(text);
    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    let (mut buffer, mut bits) = (0_u32, 0_u32);
    let mut length = 0;
    for (index, character) in unpadded.chars().enumerate() {
        let value =
            sextet(character).ok_or(DecodeError::InvalidCharacter { position: index + 1, character })?;
        buffer = (buffer << 6 | u32::from(value)) & 0xffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        length = index + 1;
    }
    if length % 4 == 1 {
        return Err(DecodeError::InvalidLength { length });
    }
    Ok(out)
}

/// The fragment that hands `json_text` to the page: `scenario=` and its base64url (put it after `#`).
pub fn scenario_to_fragment(json_text: &str) -> String {
    format!("{SCENARIO_KEY}={}", encode(json_text.as_bytes()))
}

/// Reads the scenario JSON text out of a location hash such as `#scenario=…&year=2019`.
///
/// The leading `#` is optional; parts are separated by `&` and may come in any order;
/// the first `scenario=` part counts. Percent-escapes in the value are undone first
/// (a mail program may write padding as `%3D`). `None` when there is no scenario part.
pub fn scenario_from_fragment(fragment: &str) -> Option<Result<String, FragmentError>> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let value = fragment.split('&').find_map(|part| match part.split_once('=') {
        Some((key, value)) if key == SCENARIO_KEY => Some(value),
        None if part == SCENARIO_KEY => Some(""),
        _ => None,
    })?;
    let decoded = decode(&percent_decode(value)).map_err(FragmentError::Base64);
    Some(decoded.and_then(|bytes| {
        String::from_utf8(bytes)
            .map_err(|error| FragmentError::NotUtf8 { valid_up_to: error.utf8_error().valid_up_to() })
    }))
}

impl DecodeError {
    /// What is wrong, in `lang` (lowercase, no trailing period).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (DecodeError::InvalidCharacter { position, character }, Lang::En) => format!(
                "character {position} ({}) is not base64url; allowed A–Z, a–z, 0–9, - and _",
                character.escape_debug()
            ),
            (DecodeError::InvalidCharacter { position, character }, Lang::Zh) => format!(
                "第 {position} 个字符（{}）不是 base64url 字符；允许 A–Z、a–z、0–9、- 和 _",
                character.escape_debug()
            ),
            (DecodeError::InvalidLength { length }, Lang::En) => {
                format!(
                    "{length} characters cannot be base64url (one too many or too few); the text may be cut short"
                )
            }
            (DecodeError::InvalidLength { length }, Lang::Zh) => {
                format!("{length} 个字符不可能是 base64url 编码（多或少了字符）；文本可能不完整")
            }
        }
    }
}

impl FragmentError {
    /// What is wrong with the link, in `lang` (lowercase, no trailing period).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (FragmentError::Base64(error), Lang::En) => {
                format!("the #scenario= link is damaged: {}", error.message(lang))
            }
            (FragmentError::Base64(error), Lang::Zh) => {
                format!("#scenario= 链接已损坏：{}", error.message(lang))
            }
            (FragmentError::NotUtf8 { valid_up_to }, Lang::En) => format!(
                "the #scenario= link does not hold UTF-8 text (byte {valid_up_to} is not); copy the whole link again"
            ),
            (FragmentError::NotUtf8 { valid_up_to }, Lang::Zh) => {
                format!(
                    "#scenario= 链接中的内容不是 UTF-8 文本（第 {valid_up_to} 字节起无效）；请重新复制完整链接"
                )
            }
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for DecodeError {}

impl fmt::Display for FragmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for FragmentError {}

/// The six bits `character` stands for, or `None` outside the alphabet.
fn sextet(character: char) -> Option<u8> {
    let value = match character {
        'A'..='Z' => character as u32 - 'A' as u32,
        'a'..='z' => character as u32 - 'a' as u32 + 26,
        '0'..='9' => character as u32 - '0' as u32 + 52,
        '-' => 62,
        '_' => 63,
        _ => return None,
    };
    u8::try_from(value).ok()
}

/// `text` without one or two trailing `=`; more than two are left, to be reported as invalid.
fn strip_padding(text: &str) -> &str {
    let unpadded = text.trim_end_matches('=');
    if text.len() - unpadded.len() <= 2 { unpadded } else { text }
}

/// Undoes `%XX` escapes; a `%` not followed by two hex digits is kept (and then rejected by [`decode`]).
fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let escaped = (bytes[index] == b'%')
            .then(|| bytes.get(index + 1..index + 3))
            .flatten()
            .and_then(|hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                index += 3;
            }
            None => {
                out.push(bytes[index]);
                index += 1;
            }
        }
    }
    // Escapes of non-ASCII bytes that do not form UTF-8 cannot be base64url anyway;
    // the lossy form keeps them visible as invalid characters.
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(bytes: &[u8], encoded: &str) {
        assert_eq!(encode(bytes), encoded, "encode {bytes:?}");
        assert_eq!(decode(encoded).as_deref(), Ok(bytes), "decode {encoded:?}");
    }

    #[track_caller]
    fn check_error(text: &str, expected: DecodeError) {
        assert_eq!(decode(text), Err(expected), "decode {text:?}");
    }

    /// RFC 4648 section 10, without the padding.
    #[test]
    fn rfc_4648_test_vectors() {
        check(b"", "");
        check(b"f", "Zg");
        check(b"fo", "Zm8");
        check(b"foo", "Zm9v");
        check(b"foob", "Zm9vYg");
        check(b"fooba", "Zm9vYmE");
        check(b"foobar", "Zm9vYmFy");
    }

    #[test]
    fn the_url_safe_alphabet() {
        // Bytes whose plain base64 is `+/+/`: base64url writes `-_-_`.
        check(&[0xfb, 0xff, 0xbf], "-_-_");
        check(&[0xff, 0xff, 0xff], "____");
        check(&[0x00, 0x00, 0x00], "AAAA");
        check(&[0x14, 0xfb, 0x9c, 0x03, 0xd9, 0x7e], "FPucA9l-");
    }

    #[test]
    fn padding_is_tolerated_when_decoding() {
        for (padded, bytes) in [("Zg==", &b"f"[..]), ("Zm8=", b"fo"), ("Zm9vYg==", b"foob"), ("Zg=", b"f")] {
            assert_eq!(decode(padded).as_deref(), Ok(bytes), "{padded}");
        }
    }

    #[test]
    fn invalid_text_is_a_typed_error() {
        check_error("Zm9v+g", DecodeError::InvalidCharacter { position: 5, character: '+' });
        check_error("Zm9v/g", DecodeError::InvalidCharacter { position: 5, character: '/' });
        check_error("Zm 9v", DecodeError::InvalidCharacter { position: 3, character: ' ' });
        check_error("Zg=g", DecodeError::InvalidCharacter { position: 3, character: '=' });
        check_error("Zg===", DecodeError::InvalidCharacter { position: 3, character: '=' });
        check_error("存储", DecodeError::InvalidCharacter { position: 1, character: '存' });
        check_error("Z", DecodeError::InvalidLength { length: 1 });
        check_error("Zm9vY", DecodeError::InvalidLength { length: 5 });
        check_error("Z==", DecodeError::InvalidLength { length: 1 });
    }

    #[test]
    fn leftover_bits_are_ignored() {
        // `Zh` differs from `Zg` only in the four bits after the byte.
        assert_eq!(decode("Zh").as_deref(), Ok(&b"f"[..]));
    }

    /// A small deterministic generator (SplitMix64) so the property needs no crate.
    fn next(state: &mut u64) -> u64 {
        *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = *state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    #[test]
    fn random_bytes_round_trip() {
        let mut state = 2019;
        for _ in 0..2000 {
            let length = (next(&mut state) % 200) as usize;
            let bytes: Vec<u8> = (0..length).map(|_| next(&mut state) as u8).collect();
            let encoded = encode(&bytes);
            assert_eq!(encoded.len(), (length * 4).div_ceil(3), "{bytes:?}");
            assert!(encoded.bytes().all(|b| ALPHABET.contains(&b)), "{encoded}");
            assert_eq!(decode(&encoded), Ok(bytes));
        }
    }

    #[test]
    fn chinese_scenario_text_round_trips_through_a_fragment() {
        let json = r#"{"name":"鲤城区 2019 年信贷风险防控化解","unit":"亿元"}"#;
        let fragment = scenario_to_fragment(json);
        assert!(fragment.starts_with("scenario="), "{fragment}");
        assert!(fragment.is_ascii() && !fragment["scenario=".len()..].contains('='), "{fragment}");
        assert_eq!(scenario_from_fragment(&format!("#{fragment}")), Some(Ok(json.to_string())));
        assert_eq!(scenario_from_fragment(&fragment), Some(Ok(json.to_string())));
    }

    #[test]
    fn every_preset_round_trips_through_a_fragment() {
        for preset in delever_model::presets::all() {
            let fragment = format!("#{}", scenario_to_fragment(preset.json));
            assert_eq!(scenario_from_fragment(&fragment), Some(Ok(preset.json.to_string())), "{}", preset.id);
        }
    }

    #[track_caller]
    fn check_fragment(fragment: &str, expected: Option<Result<&str, FragmentError>>) {
        let got = scenario_from_fragment(fragment);
        assert_eq!(got, expected.map(|result| result.map(str::to_string)), "{fragment:?}");
    }

    #[test]
    fn fragments_with_other_parts() {
        check_fragment("#scenario=e30&year=2019", Some(Ok("{}")));
        check_fragment("#year=2019&scenario=e30", Some(Ok("{}")));
        check_fragment("#lang=en&scenario=e30&year=2019", Some(Ok("{}")));
        check_fragment("#scenario=e30&scenario=W10", Some(Ok("{}")));
        check_fragment("#scenario=e30%3D", Some(Ok("{}")));
        check_fragment("#scenario=", Some(Ok("")));
        check_fragment("#scenario", Some(Ok("")));
        check_fragment("", None);
        check_fragment("#", None);
        check_fragment("#year=2019", None);
        check_fragment("#scenarios=e30", None);
        check_fragment("#my_scenario=e30", None);
    }

    #[test]
    fn fragment_errors() {
        check_fragment(
            "#scenario=e3+0",
            Some(Err(FragmentError::Base64(DecodeError::InvalidCharacter { position: 3, character: '+' }))),
        );
        check_fragment(
            "#scenario=e30%",
            Some(Err(FragmentError::Base64(DecodeError::InvalidCharacter { position: 4, character: '%' }))),
        );
        check_fragment(
            "#scenario=e&year=2019",
            Some(Err(FragmentError::Base64(DecodeError::InvalidLength { length: 1 }))),
        );
        // 0xff 0xfe is not UTF-8.
        check_fragment(
            &format!("#scenario={}", encode(&[b'{', 0xff, 0xfe])),
            Some(Err(FragmentError::NotUtf8 { valid_up_to: 1 })),
        );
    }

    #[test]
    fn messages_in_both_languages() {
        let character = FragmentError::Base64(DecodeError::InvalidCharacter { position: 3, character: '+' });
        assert_eq!(
            character.message(Lang::En),
            "the #scenario= link is damaged: character 3 (+) is not base64url; allowed A–Z, a–z, 0–9, - and _"
        );
        assert_eq!(
            character.message(Lang::Zh),
            "#scenario= 链接已损坏：第 3 个字符（+）不是 base64url 字符；允许 A–Z、a–z、0–9、- 和 _"
        );
        assert_eq!(character.to_string(), character.message(Lang::En));
        let not_utf8 = FragmentError::NotUtf8 { valid_up_to: 1 };
        assert!(not_utf8.message(Lang::En).contains("UTF-8"), "{not_utf8}");
        assert!(not_utf8.message(Lang::Zh).contains("UTF-8"), "{}", not_utf8.message(Lang::Zh));
        let length = DecodeError::InvalidLength { length: 5 };
        assert!(length.message(Lang::En).starts_with("5 characters"), "{length}");
        assert!(length.message(Lang::Zh).starts_with("5 个字符"), "{}", length.message(Lang::Zh));
        // A control character is shown escaped, not raw.
        let newline = DecodeError::InvalidCharacter { position: 1, character: '\n' };
        assert!(newline.message(Lang::En).contains(r"(\n)"), "{newline}");
    }
}
