//! The EVM init code `cargo stylus` deploys Stylus programs with.
//!
//! ```text
//! 7f <len: 32 bytes>  PUSH32 len
//! 80                  DUP1
//! 60 2b               PUSH1 43      (offset of the code: prelude + version byte)
//! 60 00               PUSH1 0
//! 39                  CODECOPY      memory[0..len] = code[43..43+len]
//! 60 00               PUSH1 0
//! f3                  RETURN        return memory[0..len]
//! 00                  version byte
//! <code>
//! ```

use alloy_primitives::U256;

/// Bytes before the returned code.
const PRELUDE_LEN: usize = 43;

/// Wraps deployed code (`EF F0 00 00` ++ brotli) in init code that returns it.
#[must_use]
pub fn deploy_init_code(code: &[u8]) -> Vec<u8> {
    let mut init = Vec::with_capacity(PRELUDE_LEN + code.len());
    init.push(0x7f);
    init.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    init.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    init.extend_from_slice(code);
    init
}

/// The code `init` returns, if `init` is exactly the prelude of [`deploy_init_code`] followed
/// by the length it announces.
#[must_use]
pub fn returned_code(init: &[u8]) -> Option<&[u8]> {
    let (prelude, code) = init.split_at_checked(PRELUDE_LEN)?;
    let expected = deploy_init_code(&[]);
    let len = U256::from_be_slice(&prelude[1..33]);
    let same_ops = prelude[0] == expected[0] && prelude[33..] == expected[33..];
    (same_ops && len == U256::from(code.len())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returned_code_recovers_what_deploy_init_code_wrapped() {
        let code = [0xEF, 0xF0, 0x00, 0x00, 1, 2, 3];
        assert_eq!(returned_code(&deploy_init_code(&code)), Some(&code[..]));
    }

    #[test]
    fn returned_code_rejects_a_wrong_length_or_other_bytecode() {
        let mut init = deploy_init_code(&[1, 2, 3]);
        init.push(4);
        assert_eq!(returned_code(&init), None);
        assert_eq!(returned_code(&[0x60, 0x00, 0xf3]), None);
    }
}
