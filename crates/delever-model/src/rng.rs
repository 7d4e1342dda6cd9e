//! SplitMix64 and the exact, platform-independent normal-ish draws of the Monte Carlo analysis (MODEL.md section 5).

use rust_decimal::Decimal;

/// The SplitMix64 generator (Steele, Lea and Flood 2014), bit-exact on every platform.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
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
        for _ in 0..12 {
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
