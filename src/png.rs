//! The stamp inside an exported PNG: an `iTXt` chunk (UTF-8 text, PNG specification §11.3.4.5) added after the header, so the full link travels with the picture.

/// CRC-32 as PNG uses it (ISO 3309, polynomial 0xEDB88320), bit by bit: a picture is
/// saved once per click, so a table would only cost size.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// The 8-byte signature and the header chunk (4 length + 4 type + 13 data + 4 CRC) that
/// every PNG starts with; text chunks may follow them.
const AFTER_HEADER: usize = 33;

/// `png` with an `iTXt` chunk `keyword` = `text` after its header; `None` if `png` does not
/// start like a PNG or the keyword is not 1–79 Latin letters, digits or spaces.
pub fn with_text(png: &[u8], keyword: &str, text: &str) -> Option<Vec<u8>> {
    let signature = b"\x89PNG\r\n\x1a\n";
    if !png.starts_with(signature) || png.get(12..16) != Some(b"IHDR".as_slice()) || png.len() < AFTER_HEADER
    {
        return None;
    }
    if keyword.is_empty()
        || keyword.len() > 79
        || !keyword.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ')
    {
        return None;
    }
    // keyword NUL, not compressed (0, method 0), no language tag NUL, no translated keyword NUL, text.
    let mut body = Vec::with_capacity(keyword.len().saturating_add(text.len()).saturating_add(9));
    body.extend_from_slice(b"iTXt");
    body.extend_from_slice(keyword.as_bytes());
    body.extend_from_slice(&[0, 0, 0, 0, 0]);
    body.extend_from_slice(text.as_bytes());
    let length = u32::try_from(body.len().saturating_sub(4)).ok()?;
    let mut out = Vec::with_capacity(png.len().saturating_add(body.len()).saturating_add(8));
    out.extend_from_slice(png.get(..AFTER_HEADER)?);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out.extend_from_slice(png.get(AFTER_HEADER..)?);
    Some(out)
}

/// The bytes of a `data:…;base64,` URL (a canvas's `toDataURL`).
pub fn data_url_bytes(url: &str) -> Option<Vec<u8>> {
    let (_, payload) = url.split_once(";base64,")?;
    let url_safe: String = payload
        .chars()
        .filter(|c| *c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            other => other,
        })
        .collect();
    crate::codec::decode(&url_safe).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1 × 1 PNG: signature, IHDR, IDAT, IEND.
    const TINY: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\
\x00\x00\x00\x0dIDAT\x78\x9c\x63\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4\x00\x00\x00\x00IEND\xae\x42\x60\x82";

    #[test]
    fn crc_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // The IEND chunk's CRC, as every PNG carries it.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn the_text_chunk_follows_the_header_and_is_well_formed() {
        let stamped = with_text(TINY, "Comment", "Delever 模型 · 链接").unwrap();
        assert_eq!(&stamped[..AFTER_HEADER], &TINY[..AFTER_HEADER]);
        assert_eq!(&stamped[stamped.len() - (TINY.len() - AFTER_HEADER)..], &TINY[AFTER_HEADER..]);
        let length = u32::from_be_bytes(stamped[33..37].try_into().unwrap()) as usize;
        assert_eq!(&stamped[37..41], b"iTXt");
        let data = &stamped[41..41 + length];
        assert!(data.starts_with(b"Comment\0\0\0\0\0"));
        assert_eq!(std::str::from_utf8(&data[12..]).unwrap(), "Delever 模型 · 链接");
        let crc = u32::from_be_bytes(stamped[41 + length..45 + length].try_into().unwrap());
        assert_eq!(crc, crc32(&stamped[37..41 + length]));
    }

    #[test]
    fn refuses_what_is_not_a_png_or_a_keyword() {
        assert_eq!(with_text(b"GIF89a", "Comment", "x"), None);
        assert_eq!(with_text(&TINY[..20], "Comment", "x"), None);
        assert_eq!(with_text(TINY, "", "x"), None);
        assert_eq!(with_text(TINY, "bad\0key", "x"), None);
    }

    #[test]
    fn reads_data_urls() {
        assert_eq!(data_url_bytes("data:image/png;base64,+/8="), Some(vec![0xfb, 0xff]));
        assert_eq!(data_url_bytes("data:image/png;base64,AAE"), Some(vec![0, 1]));
        assert_eq!(data_url_bytes("data:text/plain,hi"), None);
    }
}
