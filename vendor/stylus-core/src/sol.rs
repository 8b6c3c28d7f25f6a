//! Solidity keyword check used by the ABI derive macros.
//!
//! Keel patch: upstream 0.10.10 matches `uintN`/`intN`/`bytesN` with the
//! `regex` and `lazy_static` crates, which link the Rust standard library
//! into every `wasm32` contract (and with it std's panic-formatting
//! machinery, ~10 KB of compressed code). This version parses the three
//! patterns by hand with identical results, so contracts stay `no_std`.

fn sized_suffix<'a>(name: &'a str, prefix: &str) -> Option<usize> {
    let digits = name.strip_prefix(prefix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Upstream `parse::<usize>().unwrap()` panics on overflow; a size that
    // does not fit in usize is simply not a keyword.
    digits.parse::<usize>().ok()
}

pub fn is_sol_keyword(name: &str) -> bool {
    if let Some(bits) = sized_suffix(name, "uint") {
        if bits.is_multiple_of(8) {
            return true;
        }
    }
    if let Some(bits) = sized_suffix(name, "int") {
        if bits.is_multiple_of(8) {
            return true;
        }
    }
    if let Some(bytes) = sized_suffix(name, "bytes") {
        if bytes <= 32 {
            return true;
        }
    }

    match name {
        // other types
        "address" | "bytes" | "bool" | "int" | "uint" => true,

        // other words
        "is" | "contract" | "interface" => true,

        // reserved keywords
        "after" | "alias" | "apply" | "auto" | "byte" | "case" | "copyof" | "default"
        | "define" | "final" | "implements" | "in" | "inline" | "let" | "macro" | "match"
        | "mutable" | "null" | "of" | "partial" | "promise" | "reference" | "relocatable"
        | "sealed" | "sizeof" | "static" | "supports" | "switch" | "typedef" | "typeof" | "var" => {
            true
        }
        _ => false,
    }
}
