//! SplitMix64 and the exact, platform-independent normal-ish draws of the Monte Carlo analysis (MODEL.md section 5).

use rust_decimal::Decimal;

/// SplitMix64's increment (the golden ratio's 64-bit fraction).
const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The draws of 64 bits one [`SplitMix64::next_z`] takes.
pub const DRAWS_PER_Z: u64 = 12;

/// The SplitMix64 generator (Steele, Lea and Flood 2014), bit-exact on every platform.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The generator `n` draws of [`SplitMix64::next_u64`] further on: the state only ever
    /// adds the same constant, so skipping is one multiplication (a Monte Carlo part starts
    /// where the paths before it would have left the stream).
    pub fn skip(&mut self, n: u64) {
        self.state = self.state.wrapping_add(n.wrapping_mul(GAMMA));
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// `z = Σ_{j=1..12} u_j − 6` with `u_j = (next_u64 >> 40) / 2^24`, exact in decimal.
    ///
    /// The sum of twelve 24-bit integers is summed exactly as an integer and divided
    /// once by 2^24; 2^-24 has a finite decimal expansion (24 places), so the result is exact.
    pub fn next_z(&mut self) -> Decimal {
        let mut sum: u64 = 0;
        for _ in 0..DRAWS_PER_Z {
            sum = sum.wrapping_add(self.next_u64() >> 40);
        }
        // sum < 12 · 2^24, so sum − 6 · 2^24 fits an i64 and is exact.
        let centred = i64::try_from(sum).unwrap_or(0).wrapping_sub(6 << 24);
        // 2^-24 = 0.000000059604644775390625 (24 places): multiply by 5^24 and scale by 10^24.
        const FIVE_POW_24: i128 = 59_604_644_775_390_625;
        let units = i128::from(centred).wrapping_mul(FIVE_POW_24);
        Decimal::try_from_i128_with_scale(units, 24).unwrap_or_default()
    }
}
