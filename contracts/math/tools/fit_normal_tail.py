#!/usr/bin/env python3
"""Derives the rational approximation used by keel-math's normal distribution function.

    R(u) = Q(u) * exp(u^2 / 2),   Q(u) = 1 - Phi(u),   u in [0, 9]

is fitted by P9(u) / D10(u) (D10(0) = 1) minimising the maximum *relative* error: iteratively
reweighted linear least squares (Loeb's linearisation, P - R*D weighted by 1/(R * D_previous))
with Lawson's weight update driving the solution toward the minimax one, at 80 digits. Prints
the maximum relative error on a dense grid and the coefficients as Q96 hexadecimal literals
(constant term first), ready for `src/normal.rs`.

Requires mpmath (`pip install mpmath`). Runs in about two minutes.
"""
import mpmath as mp

mp.mp.dps = 80
NUMERATOR_DEGREE, DENOMINATOR_DEGREE = 9, 10
LOW, HIGH = mp.mpf(0), mp.mpf(9)
NODES, ITERATIONS = 500, 120


def tail_ratio(u):
    return mp.erfc(u / mp.sqrt(2)) / 2 * mp.exp(u * u / 2)


def evaluate(coefficients, u):
    return mp.polyval(coefficients[::-1], u)


def fit():
    n, m = NUMERATOR_DEGREE, DENOMINATOR_DEGREE
    nodes = [(LOW + HIGH) / 2 + (HIGH - LOW) / 2 * mp.cos(mp.pi * (i + 0.5) / NODES) for i in range(NODES)]
    values = [tail_ratio(u) for u in nodes]
    previous_denominator = [mp.mpf(1)] * NODES
    weights = [mp.mpf(1)] * NODES
    best = None
    for iteration in range(ITERATIONS):
        rows, rhs = [], []
        for u, r, d, w in zip(nodes, values, previous_denominator, weights):
            scale = mp.sqrt(w) / (r * d)
            rows.append([scale * u**j for j in range(n + 1)] + [-scale * r * u**j for j in range(1, m + 1)])
            rhs.append(scale * r)
        solution, _ = mp.qr_solve(mp.matrix(rows), mp.matrix(rhs))
        p = [solution[j] for j in range(n + 1)]
        d = [mp.mpf(1)] + [solution[n + j] for j in range(1, m + 1)]
        errors = [(evaluate(p, u) / evaluate(d, u) - r) / r for u, r in zip(nodes, values)]
        previous_denominator = [evaluate(d, u) for u in nodes]
        worst = max(abs(e) for e in errors)
        if best is None or worst < best[0]:
            best = (worst, p, d)
        if iteration >= 3:
            weights = [w * abs(e) for w, e in zip(weights, errors)]
            total = sum(weights)
            weights = [w / total * NODES for w in weights]
    return best[1], best[2]


def q96_literal(value):
    digits = "%x" % int(mp.nint(value * 2**96))
    groups = []
    while digits:
        groups.insert(0, digits[-4:])
        digits = digits[:-4]
    return "0x" + "_".join(groups)


def main():
    p, d = fit()
    dense = max(
        abs((evaluate(p, u) / evaluate(d, u) - tail_ratio(u)) / tail_ratio(u))
        for u in (LOW + (HIGH - LOW) * i / 20000 for i in range(20001))
    )
    print("max relative error on [0, 9]:", mp.nstr(dense, 5))
    print("numerator (Q96, constant term first):")
    for c in p:
        print("    %s, // %s" % (q96_literal(c), mp.nstr(c, 24)))
    print("denominator (Q96, constant term first):")
    for c in d:
        print("    %s, // %s" % (q96_literal(c), mp.nstr(c, 24)))


if __name__ == "__main__":
    main()
