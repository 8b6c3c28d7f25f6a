//! One test binary for every end-to-end suite (one module per contract).

mod abi;
mod crash;
mod lens;
mod liquidator;
mod margin;
mod risk_oracle;
mod solidity;
mod vault;
