//! newsdedup's per-article work in plain Rust: pure functions over `&str` and slices.
//!
//! No Python types here, so everything is tested with `cargo test`; the binding crate
//! (`rust/python`) converts arguments and releases the GIL. Character classes and case
//! folding follow CPython (`pyunicode`, `nfkc`), so results equal the Python pipeline's.

pub mod align;
pub mod banding;
pub mod candidates;
pub mod centrality;
pub mod changes;
pub mod classify;
pub mod clean;
pub mod cluster;
pub mod codec;
pub mod copies;
pub mod dates;
pub mod documents;
pub mod finder;
pub mod fingerprint;
pub mod hash;
pub mod header;
pub mod jsonout;
pub mod minhash;
pub mod nfkc;
pub mod page;
pub mod permutations;
pub mod pycase;
pub mod pyfloat;
pub mod pyre;
pub mod pystr;
pub mod pyunicode;
pub mod read;
pub mod segment;
pub mod shards;
pub mod store;
#[cfg(test)]
mod testing;
pub mod text;
pub mod verify;
