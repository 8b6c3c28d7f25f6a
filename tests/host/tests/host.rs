//! End-to-end tests of the local Stylus host: real contract `.wasm` files (built by
//! `scripts/build-wasm`) and inline WAT modules, driven through the public API.

mod host {
    pub(crate) mod support;

    mod activation;
    mod bad_input;
    mod calls;
    mod context;
    mod create;
    mod evm;
    mod gas;
    mod mocks;
    mod reentrancy;
    mod storage;
}
