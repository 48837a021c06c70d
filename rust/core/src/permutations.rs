//! datasketch's MinHash permutations, drawn here so that a run never imports datasketch.
//!
//! `MinHash(num_perm, seed)` (scheme "affine32") draws them from numpy's legacy
//! `RandomState(seed)`: `a = randint(0, 2**31, num_perm, dtype=uint32) * 2 + 1`, then
//! `b = randint(0, 2**32, num_perm, dtype=uint32)`. `RandomState` is MT19937 seeded by
//! `init_genrand`, and its bounded integers are numpy's masked rejection sampling, both
//! reproduced below; tests/test_startup.py holds the result equal to datasketch's.

const STATE_WORDS: usize = 624;
const SHIFT: usize = 397;

/// The Mersenne Twister MT19937 (Matsumoto and Nishimura), 32-bit outputs.
pub struct Mt19937 {
    state: [u32; STATE_WORDS],
    next: usize,
}

impl Mt19937 {
    /// `init_genrand(seed)`: what numpy's `RandomState(seed)` does with an integer seed.
    pub fn new(seed: u32) -> Mt19937 {
        let mut state = [0u32; STATE_WORDS];
        state[0] = seed;
        for index in 1..STATE_WORDS {
            let previous = state[index - 1];
            state[index] = 1_812_433_253u32
                .wrapping_mul(previous ^ (previous >> 30))
                .wrapping_add(index as u32);
        }
        Mt19937 {
            state,
            next: STATE_WORDS,
        }
    }

    pub fn next_u32(&mut self) -> u32 {
        if self.next >= STATE_WORDS {
            self.twist();
        }
        let mut value = self.state[self.next];
        self.next += 1;
        value ^= value >> 11;
        value ^= (value << 7) & 0x9D2C_5680;
        value ^= (value << 15) & 0xEFC6_0000;
        value ^ (value >> 18)
    }

    fn twist(&mut self) {
        for index in 0..STATE_WORDS {
            let bits =
                (self.state[index] & 0x8000_0000) | (self.state[(index + 1) % STATE_WORDS] & 0x7FFF_FFFF);
            let mixed = (bits >> 1) ^ if bits & 1 == 1 { 0x9908_B0DF } else { 0 };
            self.state[index] = self.state[(index + SHIFT) % STATE_WORDS] ^ mixed;
        }
        self.next = 0;
    }
}

/// numpy's legacy `randint(0, span + 1, dtype=uint32)`: the low bits under the smallest
/// all-ones mask covering `span`, drawn again while above it.
pub fn bounded(generator: &mut Mt19937, span: u32) -> u32 {
    if span == u32::MAX {
        return generator.next_u32();
    }
    let mask = u32::MAX >> (span | 1).leading_zeros();
    loop {
        let value = generator.next_u32() & mask;
        if value <= span {
            return value;
        }
    }
}

/// `datasketch.MinHash(num_perm, seed).permutations` for the "affine32" scheme: (a, b).
pub fn datasketch_permutations(num_perm: usize, seed: u32) -> (Vec<u32>, Vec<u32>) {
    let mut generator = Mt19937::new(seed);
    let a = (0..num_perm)
        .map(|_| {
            bounded(&mut generator, (1 << 31) - 1)
                .wrapping_mul(2)
                .wrapping_add(1)
        })
        .collect();
    let b = (0..num_perm).map(|_| bounded(&mut generator, u32::MAX)).collect();
    (a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_matches_the_reference_implementation() {
        // mt19937ar.c seeded with init_genrand(5489): its 1st and 10,000th outputs.
        let mut generator = Mt19937::new(5489);
        assert_eq!(generator.next_u32(), 3_499_211_612);
        let last = (1..10_000).map(|_| generator.next_u32()).last();
        assert_eq!(last, Some(4_123_659_995));
    }

    #[test]
    fn bounded_draws_stay_in_range() {
        let mut generator = Mt19937::new(7);
        for span in [0, 1, 2, 5, 1000, (1 << 31) - 1, (1 << 31) + 5] {
            assert!((0..200).all(|_| bounded(&mut generator, span) <= span));
        }
    }

    #[test]
    fn equals_datasketch_16_1() {
        // datasketch.MinHash(num_perm=16, seed=1).permutations: the first and last of a, then of b.
        let (a, b) = datasketch_permutations(16, 1);
        assert!(a.iter().all(|multiplier| multiplier % 2 == 1));
        assert_eq!(
            (a[0], a[15], b[0], b[15]),
            (3582191691, 1458107385, 1704103302, 3925436996)
        );
    }

    #[test]
    fn a_longer_draw_starts_with_the_same_multipliers_only() {
        // The offsets are drawn after all the multipliers, so they shift with num_perm.
        let (short_a, short_b) = datasketch_permutations(16, 3);
        let (long_a, long_b) = datasketch_permutations(32, 3);
        assert_eq!(short_a[..], long_a[..16]);
        assert_ne!(short_b[..], long_b[..16]);
    }
}
