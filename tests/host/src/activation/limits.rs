//! Nitro's numeric limits for Stylus programs.

/// Largest deployed code (`EF F0 00 00` + brotli) an account may hold: the EIP-170 limit.
pub const DEPLOYED_CODE_LIMIT: usize = 24_576;
/// Keel's own budget per contract, leaving room to grow under [`DEPLOYED_CODE_LIMIT`].
pub const DEPLOYED_CODE_TARGET: usize = 16_384;
/// Largest uncompressed wasm Nitro will decompress and activate (128 KiB).
pub const MAX_WASM_BYTES: usize = 128 * 1024;
/// Most initial pages (64 KiB each) the program's memory may declare.
pub const MAX_MEMORY_PAGES: u64 = 128;
/// Most data segments.
pub const MAX_DATA_SEGMENTS: usize = 128;
/// Most element segments.
pub const MAX_ELEMENT_SEGMENTS: usize = 128;
/// Most functions defined by the module.
pub const MAX_FUNCTIONS: usize = 4096;
/// Most exports.
pub const MAX_EXPORTS: usize = 1024;
/// Most imports.
pub const MAX_IMPORTS: usize = 513;
/// Most operators in one function body.
pub const MAX_OPCODES_PER_FUNCTION: usize = 65_536;
/// Header of deployed Stylus code: `EF F0` (EOF-style magic), version 0, dictionary 0 (none).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];
