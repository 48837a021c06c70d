//! The LSH bands datasketch's `MinHashLSH(threshold, num_perm)` picks, without scipy.
//!
//! datasketch (`lsh._optimal_param`) tries every (b, r) with b * r <= num_perm, in order,
//! and keeps the first that minimises `fp_weight * FP + fn_weight * FN`, where
//! FP = ∫_0^t 1 - (1 - s^r)^b ds and FN = ∫_t^1 (1 - s^r)^b ds, each by
//! `scipy.integrate.quad`. Both integrands are polynomials of degree b * r <= num_perm, so
//! Gauss-Legendre with num_perm / 2 + 1 nodes integrates every one of them exactly, up to
//! rounding: the same choice, and importing scipy cost more than a whole run.
//! tests/test_startup.py holds the bands equal to datasketch's over a dense grid.

use std::f64::consts::PI;

/// Gauss-Legendre nodes and weights on [-1, 1], exact for polynomials of degree < 2 * count.
fn gauss_legendre(count: usize) -> Vec<(f64, f64)> {
    let order = count as f64;
    let mut rule = Vec::with_capacity(count);
    for root in 0..count.div_ceil(2) {
        // Newton's method on P_count from the usual first guess; a handful of steps converge.
        let mut node = (PI * (root as f64 + 0.75) / (order + 0.5)).cos();
        let mut slope = 1.0;
        for _ in 0..100 {
            let (mut previous, mut value) = (1.0, node);
            for degree in 2..=count {
                let degree = degree as f64;
                (previous, value) = (
                    value,
                    ((2.0 * degree - 1.0) * node * value - (degree - 1.0) * previous) / degree,
                );
            }
            slope = order * (node * value - previous) / (node * node - 1.0);
            let step = value / slope;
            node -= step;
            if step.abs() <= 1e-16 {
                break;
            }
        }
        let weight = 2.0 / ((1.0 - node * node) * slope * slope);
        rule.push((node, weight));
        if 2 * root + 1 != count {
            rule.push((-node, weight));
        }
    }
    rule
}

/// The rule's nodes moved onto [low, high], each with its weight scaled to the interval.
fn rule_on(rule: &[(f64, f64)], low: f64, high: f64) -> Vec<(f64, f64)> {
    let (half, middle) = ((high - low) / 2.0, (high + low) / 2.0);
    rule.iter()
        .map(|&(node, weight)| (middle + half * node, weight * half))
        .collect()
}

/// (bands, rows per band) as datasketch's `_optimal_param` finds them; (0, 0) for no permutations.
///
/// For each row count r, (1 - s^r)^b at every node grows by one factor per band, so the
/// whole table of errors costs a multiplication per node and pair; the table is then
/// scanned in datasketch's order, the first least error winning as it does there.
pub fn optimal_banding(threshold: f64, num_perm: usize, fp_weight: f64, fn_weight: f64) -> (usize, usize) {
    let rule = gauss_legendre(num_perm / 2 + 1);
    let below = rule_on(&rule, 0.0, threshold);
    let above = rule_on(&rule, threshold, 1.0);
    // errors[r - 1][b - 1], for b * r <= num_perm.
    let mut errors: Vec<Vec<f64>> = Vec::with_capacity(num_perm);
    for rows in 1..=num_perm {
        let r = rows as f64;
        let misses =
            |nodes: &[(f64, f64)]| -> Vec<f64> { nodes.iter().map(|&(s, _)| 1.0 - s.powf(r)).collect() };
        let (misses_below, misses_above) = (misses(&below), misses(&above));
        let (mut power_below, mut power_above) = (vec![1.0; below.len()], vec![1.0; above.len()]);
        let mut row = Vec::with_capacity(num_perm / rows);
        for _ in 1..=num_perm / rows {
            // power = (1 - s^r)^b: the chance that no band of the pair agrees.
            let mut false_positive = 0.0;
            for ((power, miss), &(_, weight)) in power_below.iter_mut().zip(&misses_below).zip(&below) {
                *power *= miss;
                false_positive += weight * (1.0 - *power);
            }
            let mut false_negative = 0.0;
            for ((power, miss), &(_, weight)) in power_above.iter_mut().zip(&misses_above).zip(&above) {
                *power *= miss;
                false_negative += weight * (1.0 - (1.0 - *power));
            }
            row.push(false_positive * fp_weight + false_negative * fn_weight);
        }
        errors.push(row);
    }
    let mut best = (0, 0);
    let mut least_error = f64::INFINITY;
    for bands in 1..=num_perm {
        for rows in 1..=num_perm / bands {
            let error = errors[rows - 1][bands - 1];
            if error < least_error {
                least_error = error;
                best = (bands, rows);
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_integrates_polynomials_up_to_its_degree_exactly() {
        for count in [1, 2, 3, 8, 65, 513] {
            let rule = gauss_legendre(count);
            assert_eq!(rule.len(), count);
            let degree = 2 * count - 1;
            let exact = 1.0 / (degree as f64 + 1.0);
            let found: f64 = rule_on(&rule, 0.0, 1.0)
                .iter()
                .map(|&(s, weight)| weight * s.powi(degree as i32))
                .sum();
            assert!(
                (found - exact).abs() < 1e-14,
                "{count} nodes: {found} for {exact}"
            );
        }
    }

    #[test]
    fn equals_datasketch() {
        // MinHashLSH(threshold, num_perm).b, .r with the default weights (0.5, 0.5).
        assert_eq!(optimal_banding(0.5, 128, 0.5, 0.5), (25, 5));
        assert_eq!(optimal_banding(0.9, 128, 0.5, 0.5), (5, 25));
        assert_eq!(optimal_banding(0.05, 16, 0.5, 0.5), (16, 1));
        assert_eq!(optimal_banding(0.95, 1024, 0.5, 0.5), (15, 68));
    }

    #[test]
    fn no_permutations_no_bands() {
        assert_eq!(optimal_banding(0.5, 0, 0.5, 0.5), (0, 0));
    }
}
