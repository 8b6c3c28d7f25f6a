//! Contract addresses as the EVM derives them.

use alloy_primitives::{keccak256, Address, B256};

/// The address `CREATE` gives the `nonce`-th contract created by `deployer`:
/// `keccak256(rlp([deployer, nonce]))[12..]`.
#[must_use]
pub fn create_address(deployer: Address, nonce: u64) -> Address {
    Address::from_slice(&keccak256(rlp_sender_nonce(deployer, nonce))[12..])
}

/// RLP of the list `[deployer, nonce]`.
fn rlp_sender_nonce(deployer: Address, nonce: u64) -> Vec<u8> {
    let nonce_bytes = nonce.to_be_bytes();
    let significant = &nonce_bytes[nonce_bytes.iter().take_while(|&&b| b == 0).count()..];
    let mut rlp = Vec::with_capacity(32);
    // A list of at most 21 + 9 bytes: short-list header 0xc0 + payload length.
    let nonce_len = match significant {
        [] | [0x00..=0x7f] => 1,
        bytes => 1 + bytes.len(),
    };
    rlp.push(0xc0 + 21 + u8::try_from(nonce_len).unwrap_or(9));
    rlp.push(0x80 + 20);
    rlp.extend_from_slice(deployer.as_slice());
    match significant {
        [] => rlp.push(0x80),
        [byte @ 0x00..=0x7f] => rlp.push(*byte),
        bytes => {
            rlp.push(0x80 + u8::try_from(bytes.len()).unwrap_or(8));
            rlp.extend_from_slice(bytes);
        }
    }
    rlp
}

/// The address `CREATE2` gives: `keccak256(0xff ++ deployer ++ salt ++ keccak256(init))[12..]`.
#[must_use]
pub fn create2_address(deployer: Address, salt: B256, init_code: &[u8]) -> Address {
    deployer.create2(salt, keccak256(init_code))
}

#[cfg(test)]
mod tests {
    use alloy_primitives::address;

    use super::*;

    const DEPLOYER: Address = address!("6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");

    #[test]
    fn create_matches_known_ethereum_addresses() {
        assert_eq!(
            create_address(DEPLOYER, 0),
            address!("cd234a471b72ba2f1ccf0a70fcaba648a5eecd8d")
        );
        assert_eq!(
            create_address(DEPLOYER, 1),
            address!("343c43a37d37dff08ae8c4a11544c718abb4fcf8")
        );
        assert_eq!(
            create_address(DEPLOYER, 2),
            address!("f778b86fa74e846c4f0a1fbd1335fe81c00a0c91")
        );
        assert_eq!(
            create_address(DEPLOYER, 3),
            address!("fffd933a0bc612844eaf0c6fe3e5b8e9b6c1d19c")
        );
    }

    #[test]
    fn rlp_uses_the_single_byte_form_below_0x80_and_a_string_above() {
        let prefix = |header: u8| [&[header, 0x94][..], DEPLOYER.as_slice()].concat();
        assert_eq!(
            rlp_sender_nonce(DEPLOYER, 0x7f),
            [prefix(0xd6), vec![0x7f]].concat()
        );
        assert_eq!(
            rlp_sender_nonce(DEPLOYER, 0x80),
            [prefix(0xd7), vec![0x81, 0x80]].concat()
        );
        assert_eq!(
            rlp_sender_nonce(DEPLOYER, 0x0100),
            [prefix(0xd8), vec![0x82, 0x01, 0x00]].concat()
        );
    }

    #[test]
    fn create2_matches_eip_1014_example() {
        // EIP-1014 example 1: zero deployer, zero salt, init code 0x00.
        let got = create2_address(Address::ZERO, B256::ZERO, &[0x00]);
        assert_eq!(got, address!("4d1a2e2bb4f88f0250f26ffff098b0b30b26bf38"));
    }
}
