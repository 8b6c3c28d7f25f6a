//! What a transaction returns: status, output, logs and the gas estimate, with typed
//! decoding through alloy's `sol!` types.

use core::marker::PhantomData;

use alloy_primitives::{Address, Bytes, Log};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolInterface};

use crate::error::HostError;
use crate::vm::Status;

/// Marker for a receipt of raw calldata, with no typed return.
#[derive(Clone, Copy, Debug)]
pub struct RawCall;

/// The outcome of one transaction. `C` is the `sol!` call type it was sent with, which
/// gives [`Receipt::returns`] its return type.
#[derive(Clone, Debug)]
pub struct Receipt<C = RawCall> {
    /// The contract called (or deployed).
    pub to: Address,
    /// How the top-level frame ended.
    pub status: Status,
    /// Return data on success, revert data otherwise.
    pub output: Bytes,
    /// Logs emitted, in order (empty unless the call succeeded).
    pub logs: Vec<Log>,
    /// Estimated gas: execution, storage, calls, logs and the cost of starting each program
    /// frame, less [`Receipt::gas_refunded`]; no intrinsic 21,000 and no calldata cost
    /// ("net" gas in `TARGETS.md` terms).
    pub gas_used: u64,
    /// The storage refund taken off [`Receipt::gas_used`]: what the writes that stand earned
    /// by EIP-2200/3529, capped at one fifth of the gas used before it (the cap is taken on
    /// the net gas, as there is no intrinsic gas). Zero for a failed call.
    pub gas_refunded: u64,
    /// The same estimate in ink (10,000 per gas), the refund taken off too.
    pub ink_used: u64,
    pub(crate) call: PhantomData<fn() -> C>,
}

impl<C> Receipt<C> {
    /// The same receipt, typed for call `D`.
    #[must_use]
    pub fn typed<D>(self) -> Receipt<D> {
        Receipt {
            to: self.to,
            status: self.status,
            output: self.output,
            logs: self.logs,
            gas_used: self.gas_used,
            gas_refunded: self.gas_refunded,
            ink_used: self.ink_used,
            call: PhantomData,
        }
    }

    /// Whether the call succeeded (its state changes were kept).
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// Whether the call failed in any way (revert, out of gas, fault).
    #[must_use]
    pub fn is_revert(&self) -> bool {
        !self.is_success()
    }

    /// Decodes the revert data as the custom error `E` (checking its selector).
    ///
    /// # Errors
    /// [`HostError::NotReverted`] if the call succeeded; [`HostError::Decode`] if the data is
    /// not an `E`.
    pub fn revert_as<E: SolError>(&self) -> Result<E, HostError> {
        self.revert_data()?;
        E::abi_decode(&self.output).map_err(|e| decode_error::<E>(&e))
    }

    /// Decodes the revert data as any error of the `sol!`-generated error enum `E`.
    ///
    /// # Errors
    /// As [`Receipt::revert_as`].
    pub fn revert_as_any<E: SolInterface>(&self) -> Result<E, HostError> {
        self.revert_data()?;
        E::abi_decode(&self.output).map_err(|e| decode_error::<E>(&e))
    }

    /// A `require`-style reason (`Error(string)`, `Panic(uint256)`) if the output is one.
    #[must_use]
    pub fn revert_reason(&self) -> Option<String> {
        alloy_sol_types::decode_revert_reason(&self.output)
    }

    fn revert_data(&self) -> Result<(), HostError> {
        if self.is_success() {
            return Err(HostError::NotReverted { to: self.to });
        }
        Ok(())
    }

    /// Every log that is an `E` event (matched on its signature hash), decoded, with the
    /// address that emitted it. Anonymous events have no signature topic: every log that
    /// decodes as `E` is returned.
    ///
    /// # Errors
    /// [`HostError::Decode`] if a log carrying `E`'s signature does not decode as `E`.
    pub fn events<E: SolEvent>(&self) -> Result<Vec<Log<E>>, HostError> {
        if E::ANONYMOUS {
            return Ok(self
                .logs
                .iter()
                .filter_map(|log| E::decode_log(log).ok())
                .collect());
        }
        self.logs
            .iter()
            .filter(|log| log.topics().first() == Some(&E::SIGNATURE_HASH))
            .map(|log| E::decode_log(log).map_err(|e| decode_error::<E>(&e)))
            .collect()
    }

    /// Turns a failed call into [`HostError::Reverted`], keeping a successful receipt.
    ///
    /// # Errors
    /// [`HostError::Reverted`] if the call did not succeed.
    pub fn success(self) -> Result<Self, HostError> {
        if self.is_success() {
            return Ok(self);
        }
        Err(HostError::Reverted {
            to: self.to,
            status: self.status,
            output: self.output,
        })
    }
}

impl<C: SolCall> Receipt<C> {
    /// The decoded return value.
    ///
    /// # Errors
    /// [`HostError::Reverted`] if the call failed; [`HostError::Decode`] if the output does
    /// not decode as `C`'s return type.
    pub fn returns(&self) -> Result<C::Return, HostError> {
        if !self.is_success() {
            return Err(HostError::Reverted {
                to: self.to,
                status: self.status.clone(),
                output: self.output.clone(),
            });
        }
        C::abi_decode_returns(&self.output).map_err(|e| decode_error::<C>(&e))
    }
}

fn decode_error<T>(e: &alloy_sol_types::Error) -> HostError {
    HostError::Decode {
        what: core::any::type_name::<T>(),
        reason: e.to_string(),
    }
}
