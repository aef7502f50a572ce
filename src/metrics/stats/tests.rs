//! Expected values come from outside rapport: Newcombe (1998) Table I for the
//! Wilson interval, and scipy 1.17.1 / statsmodels 0.15.0 for the rest, run once
//! with the commands quoted beside each test (Python 3.11).

use super::*;

fn close(actual: f64, expected: f64, tolerance: f64) {
    assert!((actual - expected).abs() <= tolerance, "{actual} is not within {tolerance} of {expected}");
}

#[test]
fn critical_values() {
    // scipy.stats.norm.ppf(0.975), norm.ppf(0.95), norm.ppf(0.995)
    close(z_critical(0.95), 1.959963984540054, 1e-9);
    close(z_critical(0.90), 1.6448536269514722, 1e-9);
    close(z_critical(0.99), 2.5758293035489004, 1e-9);
    // scipy.stats.t.ppf(0.975, 3), t.ppf(0.975, 29), t.ppf(0.95, 9)
    close(t_critical(0.95, 3.0), 3.1824463052837078, 1e-7);
    close(t_critical(0.95, 29.0), 2.045229642132703, 1e-7);
    close(t_critical(0.90, 9.0), 1.833112932656237, 1e-7);
}

#[test]
fn wilson_matches_newcombe_1998_table_1() {
    // Newcombe RG (1998), Statistics in Medicine 17:857-872, Table I, method 3 (score, no continuity correction).
    let z = z_critical(0.95);
    for (k, n, lo, hi) in
        [(81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0, 0.1611), (1, 29, 0.0061, 0.1718)]
    {
        let [l, h] = wilson(k, n, z).unwrap();
        close(l, lo, 5e-5);
        close(h, hi, 5e-5);
    }
}

#[test]
fn wilson_matches_statsmodels_at_other_levels() {
    // statsmodels.stats.proportion.proportion_confint(45, 50, alpha=0.10, method='wilson')
    let [l, h] = wilson(45, 50, z_critical(0.90)).unwrap();
    close(l, 0.8084624858484291, 1e-9);
    close(h, 0.950470965522555, 1e-9);
    // proportion_confint(81, 263, alpha=0.05, method='wilson')
    let [l, h] = wilson(81, 263, z_critical(0.95)).unwrap();
    close(l, 0.2552885198782742, 1e-9);
    close(h, 0.36620957698280004, 1e-9);
    assert_eq!(wilson(0, 0, 1.96), None);
}

#[test]
fn nps_interval_follows_rocks_2016() {
    // By hand with scipy's z (n' = n + 3, p' = (P + 3/4)/n', d' = (D + 3/4)/n', c = p' - d', v = (p' + d' - c^2)/n'):
    //   z = norm.ppf(0.975); 100*(c -+ z*sqrt(v)) for P=50, D=20, n=100 -> 14.051130178761607, 44.20129700570441
    let (c, v) = nps_adjusted(50, 20, 100);
    close(c, 0.2912621359223301, 1e-12);
    close(v, 0.005915933256888501, 1e-12);
    let [l, h] = nps_interval(50, 20, 100, z_critical(0.95)).unwrap();
    close(l, 14.051130178761607, 1e-7);
    close(h, 44.20129700570441, 1e-7);
    //   P=9, D=3, n=20 -> -3.3523456568872456, 55.5262587003655
    let [l, h] = nps_interval(9, 3, 20, z_critical(0.95)).unwrap();
    close(l, -3.3523456568872456, 1e-7);
    close(h, 55.5262587003655, 1e-7);
}

#[test]
fn nps_difference_test() {
    // Same formulas as above: z = (c2 - c1)/sqrt(v1 + v2), p = 2*norm.sf(|z|)
    // for (P, D, n) = (50, 20, 100) then (60, 15, 120): z = 0.7502702498085219, p = 0.4530919565830158
    let t = nps_difference(
        NpsCounts { promoters: 50, detractors: 20, n: 100 },
        NpsCounts { promoters: 60, detractors: 15, n: 120 },
    )
    .unwrap();
    close(t.p_value, 0.4530919565830158, 1e-9);
    // The delta is the unadjusted difference: 100*(60-15)/120 - 100*(50-20)/100 = 37.5 - 30 = 7.5.
    close(t.delta, 7.5, 1e-12);
}

#[test]
fn two_proportion_matches_statsmodels() {
    // statsmodels.stats.proportion.proportions_ztest([k2, k1], [n2, n1]) (pooled variance)
    for (k1, n1, k2, n2, p) in [
        (430, 500, 455, 500, 0.013208279888430376),
        (40, 50, 45, 50, 0.16142946236708322),
        (81, 263, 15, 148, 2.0072944202557026e-06),
    ] {
        let t = two_proportion(k1, n1, k2, n2).unwrap();
        close(t.p_value, p, p * 1e-6 + 1e-12);
        close(t.delta, k2 as f64 / n2 as f64 - k1 as f64 / n1 as f64, 1e-12);
    }
    assert_eq!(two_proportion(10, 10, 20, 20).unwrap().p_value, 1.0);
}

#[test]
fn welch_matches_scipy() {
    // scipy.stats.ttest_ind_from_stats(m2, s2, n2, m1, s1, n1, equal_var=False).pvalue
    for (m1, s1, n1, m2, s2, n2, p) in
        [(5.1, 1.2, 40, 5.6, 1.5, 35, 0.11921871652585155), (3.2, 0.9, 10, 3.0, 1.4, 12, 0.6902989818104526)]
    {
        let a = Moments { n: n1, mean: m1, variance: s1 * s1 };
        let b = Moments { n: n2, mean: m2, variance: s2 * s2 };
        let t = welch(a, b).unwrap();
        close(t.p_value, p, 1e-7);
        close(t.delta, m2 - m1, 1e-12);
    }
}

#[test]
fn t_interval_matches_scipy() {
    // x = [1, 2, 2, 5]: scipy.stats.t.interval(0.95, 3, loc=x.mean(), scale=stats.sem(x))
    let [l, h] = mean_interval(4, 2.5, 3.0, 0.95).unwrap();
    close(l, -0.2560793465556177, 1e-7);
    close(h, 5.256079346555618, 1e-7);
    // x = [4, 5, 3, 5, 5, 4, 2, 5, 4, 4]: mean 4.1, var 0.98889 -> (3.388628400280501, 4.811371599719498)
    let [l, h] = mean_interval(10, 4.1, 0.9888888888888887, 0.95).unwrap();
    close(l, 3.388628400280501, 1e-7);
    close(h, 4.811371599719498, 1e-7);
    assert_eq!(mean_interval(1, 4.0, f64::NAN, 0.95), None);
}
