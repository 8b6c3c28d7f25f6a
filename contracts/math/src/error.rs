//! The one error type of the crate.

use core::fmt;

/// Why a maths function could not return a value.
///
/// Every fallible function in this crate returns one of these instead of panicking or
/// returning a wrong value. Contracts map it to their own Solidity error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathError {
    /// The exact (or correctly rounded) result does not fit the return type, or an
    /// intermediate value that the algorithm needs does not fit 256 bits.
    Overflow,
    /// A divisor (or a fixed-point base) is zero.
    DivisionByZero,
    /// The input lies outside the function's mathematical domain (for example `ln(0)`).
    OutOfDomain,
}

impl fmt::Display for MathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Overflow => "result does not fit",
            Self::DivisionByZero => "division by zero",
            Self::OutOfDomain => "input outside the domain",
        })
    }
}

impl core::error::Error for MathError {}

/// Result of a fallible maths function.
pub type MathResult<T> = Result<T, MathError>;

#[cfg(test)]
mod tests {
    use super::MathError;

    #[test]
    fn errors_describe_themselves() {
        extern crate alloc;
        use alloc::string::ToString;
        assert_eq!(MathError::Overflow.to_string(), "result does not fit");
        assert_eq!(MathError::DivisionByZero.to_string(), "division by zero");
        assert_eq!(
            MathError::OutOfDomain.to_string(),
            "input outside the domain"
        );
    }
}
