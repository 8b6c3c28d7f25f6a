//! Keel's main job: builds on the local Stylus host and plays a market crash.
//!
//! The crash scenario needs the vault, margin engine, liquidator and risk
//! oracle; until they exist this prints what is deployable today.

fn main() {
    println!("keel demo: no scenario yet (the crash scenario arrives with the DrawdownVault)");
}
