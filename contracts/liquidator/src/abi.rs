//! The few ABI encodings the Liquidator writes itself: calls out, custom errors and event
//! logs, all made of 32-byte words with at most one trailing `bytes`.
//!
//! Why not alloy's generated encoders: each `sol!` call, error and event type brings its own
//! encoding code, about 8 KB of the 24 KiB limit for this contract's 11 events, 20 errors and
//! 6 calls. One word-based encoder does the same work. The declarations stay in `sol!` (names,
//! selectors, signature hashes, and the tests' decoders), and unit tests check every encoding
//! against alloy's.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};

/// A value that is one ABI word.
pub(crate) trait Word {
    /// The value as a 32-byte ABI word.
    fn word(self) -> B256;
}

impl Word for U256 {
    fn word(self) -> B256 {
        B256::from(self)
    }
}

impl Word for Address {
    fn word(self) -> B256 {
        self.into_word()
    }
}

impl Word for B256 {
    fn word(self) -> B256 {
        self
    }
}

impl Word for bool {
    fn word(self) -> B256 {
        B256::with_last_byte(u8::from(self))
    }
}

impl Word for u8 {
    fn word(self) -> B256 {
        B256::with_last_byte(self)
    }
}

/// `selector ++ words ++ tail`, where a `tail` is a trailing `bytes` argument: its offset
/// word, its length word and its content padded to whole words.
pub(crate) fn encode(selector: [u8; 4], words: &[B256], tail: Option<&[u8]>) -> Vec<u8> {
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
pub(crate) fn first_word(data: &[u8]) -> Option<U256> {
    data.get(..32).map(U256::from_be_slice)
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
    fn first_word_needs_a_whole_word() {
        assert_eq!(first_word(&[0u8; 31]), None);
        let mut data = [0u8; 40];
        data[31] = 5;
        assert_eq!(first_word(&data), Some(U256::from(5)));
    }
}
