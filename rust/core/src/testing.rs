//! What the tests of several modules share (compiled for tests only): a story, its fingerprint's
//! bytes, and a reproducible stream of numbers for generated inputs.

use crate::codec::encode_fingerprint;
use crate::fingerprint::{fingerprint, FingerprintSettings};
use crate::minhash::Permutations;

/// A short wire story with figures and names in each paragraph (a templated rate item's lead).
pub const STORY: &str = "Chemical Bank said on Tuesday it raised its prime lending rate to 7-3/4 pct \
    from 7-1/2 pct, effective immediately, following similar moves by other major banks.\n\n\
    The bank said the increase reflected the higher cost of funds in the money markets, \
    where rates have risen steadily over the past two weeks as the Federal Reserve tightened.\n\n\
    Analysts said they expected more banks to follow in the coming days, and that the move \
    had been widely anticipated by dealers in New York and London.";

/// The NDF2 bytes of a body's fingerprint (5-shingles, two permutations: the MinHash plays no part).
pub fn encoded(body: &str) -> Vec<u8> {
    let settings = FingerprintSettings {
        shingle_size: 5,
        permutations: Permutations::new(vec![1, 3], vec![2, 4]).unwrap(),
        seed: 1,
    };
    encode_fingerprint(&fingerprint(body, &settings).unwrap()).unwrap()
}

/// A reproducible stream of numbers for generated test inputs: a 64-bit linear congruential
/// generator (Knuth's MMIX constants) started at a seed.
pub struct Draw(pub u64);

impl Draw {
    /// The next state of the generator (its high bits are the random ones).
    pub fn step(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0
    }

    /// One of `items`, drawn.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.step() >> 33) as usize % items.len()]
    }
}
