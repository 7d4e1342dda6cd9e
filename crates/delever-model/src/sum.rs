//! Exact sums of many decimals, rounded once: how a zone's and the region's amounts are summed.
//!
//! MODEL.md section 0 lets a sum be reordered as long as no result moves by more than 1e-20.
//! Summing 500 institutions one `Decimal::checked_add` at a time rounds at every step where
//! the running total outgrows 28 digits, and rescales the operands whenever their scales
//! differ (callgrind, a 500 × 10 page move: 46% of all instructions). [`ExactSum`] instead
//! adds each term's 96-bit mantissa into an `i128` kept per scale (no rescaling, no
//! rounding), and only [`ExactSum::total`] combines the scales into one 256-bit integer and
//! rounds it, half to even, to the nearest decimal of at most 28 significant places: the
//! exact sum correctly rounded, independent of the terms' order.
//!
//! The result's scale is the largest scale among the nonzero terms (reduced only as far as 96
//! bits require), as `Decimal::checked_add` gives when nothing rounds; a sum of zeros is its
//! last term, as a chain of `checked_add` from `Decimal::ZERO` returns; an empty sum is zero.
//! So wherever the one-at-a-time sum was exact, the two are the same decimal, bit for bit
//! (`tests` below; the oracle's `sums` test holds the rounding to exact rationals).

use rust_decimal::Decimal;

/// Scales a `Decimal` can have: 0 … 28.
const SCALES: usize = 29;

/// A running exact sum of decimals. Adding is one `i128` addition; [`ExactSum::total`] rounds once.
#[derive(Clone, Copy, Debug)]
pub struct ExactSum {
    /// Per scale, the sum of the nonzero terms' signed mantissas of that scale.
    parts: [i128; SCALES],
    /// Bit `s` set: some nonzero term had scale `s`.
    used: u32,
    /// The last term added when every term so far was zero.
    last_zero: Option<Decimal>,
}

impl Default for ExactSum {
    fn default() -> Self {
        ExactSum::new()
    }
}

impl ExactSum {
    /// The empty sum.
    pub const fn new() -> ExactSum {
        ExactSum { parts: [0; SCALES], used: 0, last_zero: None }
    }

    /// Adds `term`. `None` only after about 2³¹ terms of the largest decimals (an `i128` part
    /// overflowing); the sum is then unusable.
    #[inline]
    pub fn add(&mut self, term: Decimal) -> Option<()> {
        if term.is_zero() {
            if self.used == 0 {
                self.last_zero = Some(term);
            }
            return Some(());
        }
        let scale = term.scale();
        let part = self.parts.get_mut(usize::try_from(scale).ok()?)?;
        *part = part.checked_add(term.mantissa())?;
        self.used |= 1u32.checked_shl(scale)?;
        Some(())
    }

    /// Adds what `other` holds, as if its terms were added here after this sum's own: so
    /// summing a list in parts and merging the parts in the list's order is the whole list's
    /// sum, bit for bit (a sum of zeros included: its last term is the last part's). `None`
    /// as for [`ExactSum::add`].
    #[inline]
    pub fn merge(&mut self, other: &ExactSum) -> Option<()> {
        if other.used == 0 {
            if self.used == 0 && other.last_zero.is_some() {
                self.last_zero = other.last_zero;
            }
            return Some(());
        }
        let mut used = other.used;
        while used != 0 {
            let scale = used.trailing_zeros() as usize;
            let part = self.parts.get_mut(scale)?;
            *part = part.checked_add(*other.parts.get(scale)?)?;
            used &= used.wrapping_sub(1);
        }
        self.used |= other.used;
        Some(())
    }

    /// The sum, correctly rounded (half to even) to a decimal; `None` when its magnitude
    /// exceeds `Decimal::MAX` (an overflow, as `checked_add` would report).
    pub fn total(&self) -> Option<Decimal> {
        if self.used == 0 {
            return Some(self.last_zero.unwrap_or(Decimal::ZERO));
        }
        let top = 31u32.checked_sub(self.used.leading_zeros())?;
        // The scales combined in 128 bits, and the total fits: the common case, no wide arithmetic.
        if let Some(total) = self.narrow(top)
            && total.unsigned_abs() < 1u128 << 96
        {
            return Some(Decimal::from_i128_with_scale(total, top));
        }
        let mut total = Wide::ZERO;
        for scale in 0..=top {
            if self.used & (1u32 << scale) == 0 {
                continue;
            }
            let part = *self.parts.get(usize::try_from(scale).ok()?)?;
            let mut term = Wide::from_i128(part);
            term.mul_pow10(top.checked_sub(scale)?);
            total.add(&term);
        }
        total.to_decimal(top)
    }

    /// The parts brought to scale `top` and added in an `i128`, unless that overflows.
    fn narrow(&self, top: u32) -> Option<i128> {
        let mut total = 0i128;
        let mut used = self.used;
        while used != 0 {
            let scale = used.trailing_zeros();
            let part = *self.parts.get(scale as usize)?;
            let factor = POW10_128.get(top.checked_sub(scale)? as usize)?;
            total = total.checked_add(part.checked_mul(*factor)?)?;
            used &= used.wrapping_sub(1);
        }
        Some(total)
    }

    /// Empties the sum for reuse (only the parts that were used are touched).
    #[inline]
    pub fn clear(&mut self) {
        let mut used = self.used;
        while used != 0 {
            let scale = used.trailing_zeros();
            if let Some(part) = self.parts.get_mut(scale as usize) {
                *part = 0;
            }
            used &= used.wrapping_sub(1);
        }
        self.used = 0;
        self.last_zero = None;
    }
}

/// Bytes of an [`ExactSum`]: how a projection's part carries its partial sums to the
/// worker that merges them (`crate::parts`), exactly.
impl ExactSum {
    /// Appends this sum as bytes: `used` (4, little-endian), then each used scale's part (16,
    /// in rising scale), then, when no term was nonzero, `1` and the last zero's 16 bytes, or `0`.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.used.to_le_bytes());
        let mut used = self.used;
        while used != 0 {
            let scale = used.trailing_zeros() as usize;
            out.extend_from_slice(&self.parts.get(scale).copied().unwrap_or(0).to_le_bytes());
            used &= used.wrapping_sub(1);
        }
        if self.used == 0 {
            match self.last_zero {
                Some(zero) => {
                    out.push(1);
                    out.extend_from_slice(&zero.serialize());
                }
                None => out.push(0),
            }
        }
    }

    /// Reads a sum [`ExactSum::write`] wrote at the front of `bytes`, and moves `bytes` past
    /// it; `None` if they are not such a sum (a scale above 28, a tag but 0 or 1, too short).
    pub fn read(bytes: &mut &[u8]) -> Option<ExactSum> {
        let used = u32::from_le_bytes(take::<4>(bytes)?);
        if used >> SCALES != 0 {
            return None;
        }
        let mut sum = ExactSum { used, ..ExactSum::new() };
        let mut rest = used;
        while rest != 0 {
            let scale = rest.trailing_zeros() as usize;
            *sum.parts.get_mut(scale)? = i128::from_le_bytes(take::<16>(bytes)?);
            rest &= rest.wrapping_sub(1);
        }
        if used == 0 {
            match take::<1>(bytes)? {
                [0] => {}
                [1] => {
                    let raw = take::<16>(bytes)?;
                    let zero = Decimal::deserialize(raw);
                    // Only a zero `serialize` writes (a scale of at most 28, no stray bits).
                    if !zero.is_zero() || zero.serialize() != raw {
                        return None;
                    }
                    sum.last_zero = Some(zero);
                }
                _ => return None,
            }
        }
        Some(sum)
    }
}

/// The first `N` bytes of `bytes`, which then start after them.
fn take<const N: usize>(bytes: &mut &[u8]) -> Option<[u8; N]> {
    let (head, tail) = bytes.split_first_chunk::<N>()?;
    *bytes = tail;
    Some(*head)
}

/// The exact sum of `terms`, rounded once ([`ExactSum`]); `None` on overflow.
pub fn exact_sum(terms: impl IntoIterator<Item = Decimal>) -> Option<Decimal> {
    let mut sum = ExactSum::new();
    for term in terms {
        sum.add(term)?;
    }
    sum.total()
}

/// A signed 256-bit integer in two's complement, eight little-endian `u32` limbs (so that
/// every product and quotient below is a native 64-bit operation, in wasm too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Wide([u32; 8]);

impl Wide {
    const ZERO: Wide = Wide([0; 8]);

    fn from_i128(value: i128) -> Wide {
        let fill = if value < 0 { u32::MAX } else { 0 };
        let mut limbs = [fill; 8];
        for (limb, bytes) in limbs.iter_mut().zip(value.to_le_bytes().chunks_exact(4)) {
            *limb = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        }
        Wide(limbs)
    }

    fn negative(&self) -> bool {
        self.0[7] >> 31 == 1
    }

    /// `self += other`, modulo 2²⁵⁶ (the sums here stay far below 2²⁵⁵).
    fn add(&mut self, other: &Wide) {
        let mut carry = 0u64;
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            let sum = u64::from(*mine).wrapping_add(u64::from(theirs)).wrapping_add(carry);
            *mine = sum as u32;
            carry = sum >> 32;
        }
    }

    /// `self = −self`, modulo 2²⁵⁶.
    fn negate(&mut self) {
        for limb in &mut self.0 {
            *limb = !*limb;
        }
        self.add(&Wide([1, 0, 0, 0, 0, 0, 0, 0]));
    }

    /// `self ×= 10^power` (power ≤ 28: at most 2²⁰⁰ here, far from the sign bit).
    fn mul_pow10(&mut self, mut power: u32) {
        while power > 0 {
            let step = power.min(9);
            let factor = u64::from(POW10[step as usize]);
            let mut carry = 0u64;
            for limb in &mut self.0 {
                let product = u64::from(*limb).wrapping_mul(factor).wrapping_add(carry);
                *limb = product as u32;
                carry = product >> 32;
            }
            power = power.wrapping_sub(step);
        }
    }

    /// `self ÷= 10` for a nonnegative `self`; returns the remainder.
    fn div10(&mut self) -> u32 {
        let mut remainder = 0u64;
        for limb in self.0.iter_mut().rev() {
            let current = (remainder << 32) | u64::from(*limb);
            let quotient = current / 10;
            *limb = quotient as u32;
            remainder = current.wrapping_sub(quotient.wrapping_mul(10));
        }
        remainder as u32
    }

    /// Whether a nonnegative `self` is below 2⁹⁶.
    fn fits96(&self) -> bool {
        self.0[3..].iter().all(|&limb| limb == 0)
    }

    /// This integer at `scale` as the nearest decimal: the fewest digits dropped that bring the
    /// magnitude under 2⁹⁶, rounded half to even from the exact value; `None` if even scale 0
    /// cannot hold it.
    fn to_decimal(mut self, scale: u32) -> Option<Decimal> {
        let negative = self.negative();
        if negative {
            self.negate();
        }
        let exact = self;
        let mut dropped = 0u32;
        loop {
            let mut quotient = exact;
            let mut last = 0;
            let mut sticky = false;
            for _ in 0..dropped {
                sticky |= last != 0;
                last = quotient.div10();
            }
            let round_up = last > 5 || (last == 5 && (sticky || quotient.0[0] & 1 == 1));
            if round_up {
                quotient.add(&Wide([1, 0, 0, 0, 0, 0, 0, 0]));
            }
            if quotient.fits96() {
                let [lo, mid, hi, ..] = quotient.0;
                return Some(Decimal::from_parts(lo, mid, hi, negative, scale.checked_sub(dropped)?));
            }
            if dropped >= scale {
                return None;
            }
            dropped = dropped.wrapping_add(1);
        }
    }
}

/// 10⁰ … 10²⁸ (10²⁸ < 2⁹⁴).
const POW10_128: [i128; SCALES] = {
    let mut powers = [1i128; SCALES];
    let mut k = 1;
    while k < SCALES {
        powers[k] = powers[k - 1] * 10;
        k += 1;
    }
    powers
};

/// 10⁰ … 10⁹.
const POW10: [u32; 10] =
    [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000];
