//! The ABI encodings Keel's contracts write and read by hand: calldata in (a hand-written
//! router's [`Args`]), return data, calls out, custom errors and event logs, all made of
//! 32-byte words with at most one trailing `bytes`.
//!
//! Why not alloy's generated encoders and the SDK's `#[public]` router: each `sol!` call, error
//! and event type brings its own encoding code, and the router one validating decoder per
//! argument list: about 8 KB and 4.5 KB of the 24 KiB limit for the Liquidator. One word-based
//! encoder does the same work. The declarations stay in `sol!` (names, selectors, signature
//! hashes, and the tests' decoders), and unit tests check every encoding against alloy's.
//!
//! Every function is `#[inline]`: without it the contracts' LTO build keeps them as calls
//! across the crate boundary, which cost the Liquidator about 1 KB of compressed code.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};

/// A value that is one ABI word.
pub trait Word {
    /// The value as a 32-byte ABI word.
    fn word(self) -> B256;
}

impl Word for U256 {
    #[inline]
    fn word(self) -> B256 {
        B256::from(self)
    }
}

impl Word for Address {
    #[inline]
    fn word(self) -> B256 {
        self.into_word()
    }
}

impl Word for B256 {
    #[inline]
    fn word(self) -> B256 {
        self
    }
}

impl Word for bool {
    #[inline]
    fn word(self) -> B256 {
        B256::with_last_byte(u8::from(self))
    }
}

impl Word for u8 {
    #[inline]
    fn word(self) -> B256 {
        B256::with_last_byte(self)
    }
}

/// `selector ++ words ++ tail`, where a `tail` is a trailing `bytes` argument: its offset
/// word, its length word and its content padded to whole words.
#[inline]
pub fn encode(selector: [u8; 4], words: &[B256], tail: Option<&[u8]>) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * (words.len() + 2) + tail.map_or(0, <[u8]>::len) + 31);
    out.extend_from_slice(&selector);
    for word in words {
        out.extend_from_slice(word.as_slice());
    }
    if let Some(bytes) = tail {
        out.extend_from_slice(U256::from(32 * (words.len() + 1)).word().as_slice());
        out.extend_from_slice(U256::from(bytes.len()).word().as_slice());
        out.extend_from_slice(bytes);
        out.resize(out.len() + (32 - bytes.len() % 32) % 32, 0);
    }
    out
}

/// The first word of a call's return data as a number; `None` if there is none.
#[inline]
pub fn first_word(data: &[u8]) -> Option<U256> {
    data.get(..32).map(U256::from_be_slice)
}

/// Calldata arguments after the selector, read as ABI words.
#[derive(Clone, Copy)]
pub struct Args<'a>(pub &'a [u8]);

impl<'a> Args<'a> {
    /// Word `i`, or `None` past the end of the calldata.
    #[inline]
    pub fn word(self, i: usize) -> Option<B256> {
        self.0.get(32 * i..32 * i + 32).map(B256::from_slice)
    }

    /// Word `i` as a number.
    #[inline]
    pub fn uint(self, i: usize) -> Option<U256> {
        self.word(i).map(|word| U256::from_be_bytes(word.0))
    }

    /// Word `i` as an address; `None` if its upper 12 bytes are not zero.
    #[inline]
    pub fn address(self, i: usize) -> Option<Address> {
        let word = self.word(i)?;
        word[..12]
            .iter()
            .all(|b| *b == 0)
            .then(|| Address::from_word(word))
    }

    /// The `bytes` whose offset is word `i`; `None` if it does not lie within the calldata.
    #[inline]
    pub fn bytes(self, i: usize) -> Option<&'a [u8]> {
        let offset = usize::try_from(self.uint(i)?).ok()?;
        let len = usize::try_from(Args(self.0.get(offset..)?).uint(0)?).ok()?;
        let start = offset.checked_add(32)?;
        self.0.get(start..start.checked_add(len)?)
    }
}

/// Return data of static words.
#[inline]
pub fn words(words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * words.len());
    for word in words {
        out.extend_from_slice(word.as_slice());
    }
    out
}

/// Return data of static numbers (addresses and flags among them, as their words).
#[inline]
pub fn uints(values: &[U256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(32 * values.len());
    for value in values {
        out.extend_from_slice(value.word().as_slice());
    }
    out
}

/// The `bytes32` of an ASCII name, left-aligned and zero-padded like Solidity's
/// `bytes32("name")`: parameter names of the `file` setters and role names.
///
/// # Panics
/// If `text` is longer than 32 bytes: at compile time, where the names are constants.
#[inline]
#[must_use]
pub const fn name(text: &str) -> B256 {
    let bytes = text.as_bytes();
    assert!(bytes.len() <= 32, "a bytes32 name holds at most 32 bytes");
    let mut word = [0u8; 32];
    let mut i = 0;
    while i < bytes.len() {
        word[i] = bytes[i];
        i += 1;
    }
    B256::new(word)
}

#[cfg(test)]
mod tests {
    use alloy_sol_types::{sol, SolCall, SolError};

    use super::*;

    sol! {
        function plain(address a, uint256 b, bool c, uint8 d, bytes32 e);
        function withBytes(address a, uint256 b, bytes c);
        error Failed(address target, bytes reason);
    }

    #[test]
    fn static_words_encode_like_alloy() {
        let (a, b, e) = (
            Address::repeat_byte(7),
            U256::from(12_345),
            B256::repeat_byte(9),
        );
        let ours = encode(
            plainCall::SELECTOR,
            &[a.word(), b.word(), true.word(), 200u8.word(), e],
            None,
        );
        assert_eq!(
            ours,
            plainCall {
                a,
                b,
                c: true,
                d: 200,
                e
            }
            .abi_encode()
        );
    }

    #[test]
    fn a_trailing_bytes_encodes_like_alloy_for_every_padding() {
        for len in [0usize, 1, 31, 32, 33, 64, 100] {
            let c: Vec<u8> = (0..len).map(|i| i as u8).collect();
            let (a, b) = (Address::repeat_byte(1), U256::from(len));
            let ours = encode(withBytesCall::SELECTOR, &[a.word(), b.word()], Some(&c));
            assert_eq!(
                ours,
                withBytesCall {
                    a,
                    b,
                    c: c.clone().into()
                }
                .abi_encode(),
                "{len}"
            );
            let error = encode(Failed::SELECTOR, &[a.word()], Some(&c));
            assert_eq!(
                error,
                Failed {
                    target: a,
                    reason: c.into()
                }
                .abi_encode(),
                "{len}"
            );
        }
    }

    #[test]
    fn a_name_is_solidity_bytes32_of_the_text() {
        let word = name("maxDrawdown");
        assert_eq!(&word[..11], b"maxDrawdown");
        assert!(word[11..].iter().all(|b| *b == 0));
        assert_eq!(name(""), B256::ZERO);
        assert_eq!(name(&"x".repeat(32)), B256::repeat_byte(b'x'));
    }

    #[test]
    #[should_panic(expected = "at most 32 bytes")]
    fn a_name_longer_than_a_word_is_refused() {
        let _ = name(&"x".repeat(33));
    }

    #[test]
    fn first_word_needs_a_whole_word() {
        assert_eq!(first_word(&[0u8; 31]), None);
        let mut data = [0u8; 40];
        data[31] = 5;
        assert_eq!(first_word(&data), Some(U256::from(5)));
    }
}
