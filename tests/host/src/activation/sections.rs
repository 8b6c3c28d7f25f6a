//! Section-level handling: stripping custom sections and building the deployed code.

use std::io::Write;

use super::limits::STYLUS_PREFIX;
use super::rules::Rule;

/// Brotli quality used by `cargo stylus` when deploying.
const BROTLI_QUALITY: u32 = 11;
/// Brotli window (log2 bytes) used by `cargo stylus` when deploying.
const BROTLI_WINDOW: u32 = 22;

pub(super) const WASM_HEADER: [u8; 8] = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];
const CUSTOM_SECTION_ID: u8 = 0;

/// Returns the module with every custom section (names, producers, debug info) removed.
///
/// Custom sections have no effect on execution and are not part of what gets deployed.
///
/// # Errors
/// [`Rule::Malformed`] if the header or a section length cannot be read.
pub fn strip_custom_sections(wasm: &[u8]) -> Result<Vec<u8>, Rule> {
    if !wasm.starts_with(&WASM_HEADER) {
        return Err(Rule::Malformed(
            "missing wasm magic and version 1 header".into(),
        ));
    }
    let mut out = Vec::with_capacity(wasm.len());
    out.extend_from_slice(&WASM_HEADER);
    let mut at = WASM_HEADER.len();
    while at < wasm.len() {
        let id = wasm[at];
        let (len, len_bytes) = read_leb_u32(&wasm[at + 1..])
            .ok_or_else(|| Rule::Malformed(format!("bad section length at offset {at}")))?;
        let end = at + 1 + len_bytes + len as usize;
        if end > wasm.len() {
            return Err(Rule::Malformed(format!(
                "section at offset {at} runs past the end"
            )));
        }
        if id != CUSTOM_SECTION_ID {
            out.extend_from_slice(&wasm[at..end]);
        }
        at = end;
    }
    Ok(out)
}

/// Brotli-compresses bytes with the parameters `cargo stylus` deploys with.
#[must_use]
pub fn compress(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    {
        let mut writer =
            brotli::CompressorWriter::new(&mut out, 4096, BROTLI_QUALITY, BROTLI_WINDOW);
        // Writing into a Vec cannot fail.
        writer.write_all(bytes).unwrap_or_default();
    }
    out
}

/// The code an account holds once this wasm is deployed: `EF F0 00 00` ++ brotli(stripped wasm).
///
/// # Errors
/// [`Rule::Malformed`] if the section structure cannot be read.
pub fn deployed_code(wasm: &[u8]) -> Result<Vec<u8>, Rule> {
    Ok(deploy_stripped(&strip_custom_sections(wasm)?))
}

/// `EF F0 00 00` ++ brotli(`stripped`), for a module whose custom sections are already gone.
pub(super) fn deploy_stripped(stripped: &[u8]) -> Vec<u8> {
    let compressed = compress(stripped);
    let mut code = Vec::with_capacity(STYLUS_PREFIX.len() + compressed.len());
    code.extend_from_slice(&STYLUS_PREFIX);
    code.extend_from_slice(&compressed);
    code
}

/// Reads an unsigned LEB128 `u32`, returning the value and the bytes it took.
fn read_leb_u32(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value: u32 = 0;
    for (i, &byte) in bytes.iter().enumerate().take(5) {
        value |= u32::from(byte & 0x7F) << (7 * i);
        if byte & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(module)` with a custom section named "x" holding two bytes.
    const WITH_CUSTOM: [u8; 14] = [
        0,
        0x61,
        0x73,
        0x6D,
        1,
        0,
        0,
        0,
        CUSTOM_SECTION_ID,
        4,
        1,
        b'x',
        0xAA,
        0xBB,
    ];

    #[test]
    fn stripping_removes_custom_sections_only() {
        assert_eq!(
            strip_custom_sections(&WITH_CUSTOM),
            Ok(WASM_HEADER.to_vec())
        );
    }

    #[test]
    fn stripping_rejects_a_section_running_past_the_end() {
        let truncated = &WITH_CUSTOM[..WITH_CUSTOM.len() - 1];
        assert!(matches!(
            strip_custom_sections(truncated),
            Err(Rule::Malformed(_))
        ));
    }

    #[test]
    fn deployed_code_is_prefixed_brotli_that_decompresses_to_the_stripped_module() {
        let code = deployed_code(&WITH_CUSTOM).expect("well-formed module");
        assert_eq!(code[..4], STYLUS_PREFIX);
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &code[4..], &mut plain).expect("valid brotli");
        assert_eq!(plain, WASM_HEADER);
    }

    #[test]
    fn leb_reads_multi_byte_values() {
        assert_eq!(read_leb_u32(&[0xE5, 0x8E, 0x26]), Some((624_485, 3)));
        assert_eq!(read_leb_u32(&[0x80, 0x80]), None);
    }
}
