//! One test binary for every end-to-end suite (one module per contract).

mod liquidator;
mod risk_oracle;
