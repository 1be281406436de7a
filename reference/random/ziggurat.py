#!/usr/bin/env python3
"""Independent reference for Random.fillNormal in src/core/random.ts: the ziggurat method for standard normals.

The algorithm is Marsaglia & Tsang, "The Ziggurat Method for Generating Random Variables", Journal of Statistical
Software 5(8), 2000, with 256 layers, driven by the 64-bit outputs of xoshiro256** (reference/random/
xoshiro256starstar.py), each output split into independent fields as Doornik ("An Improved Ziggurat Method to Generate
Normal Random Samples", 2005) recommends so that the layer and the abscissa never share bits.

The layers. With f(x) = exp(-x^2 / 2) (the unnormalised density on x >= 0) and 256 layers of equal area v, the
boundaries x_1 = r > x_2 > ... > x_255 > x_256 = 0 satisfy

    v = r f(r) + integral_r^inf f(t) dt             (the base layer: the rectangle [0, r] x [0, f(r)] and the tail)
    x_i (f(x_{i+1}) - f(x_i)) = v, i = 1 .. 255      (layer i: [0, x_i] x [f(x_i), f(x_{i+1})])

and r is the root of "the 255th step of x_{i+1} = f^-1(v / x_i + f(x_i)) lands exactly on f(x_256) = 1". This script
solves for r by bisection and builds the tables with 80-digit decimal arithmetic (Python's decimal module, whose exp, ln
and sqrt are correctly rounded), then rounds every entry to the nearest double:

    X[0] = v / f(r) (the width of a rectangle of area v and height f(r)), X[i] = x_i for i = 1 .. 256 (X[1] = r,
    X[256] = 0), F[i] = f(X[i]) (F[256] = 1).

It checks r and v against the values Marsaglia & Tsang publish for 256 layers (r = 3.6541528853610088,
v = 0.00492867323399; the exact v is 0.0049286732339746...).

One draw (the specification src/core/random.ts implements): take the next 64-bit output w;
    layer i = w & 0xff, negative = bit 8 of w, u = ((w >> 12) + 1/2) * 2^-52 (in (0, 1); bits 9-11 unused);
    z = u * X[i];
    if z < X[i + 1]: return -z if negative else z           (inside the layer's rectangle: 98.5% of the candidates)
    if i == 0 (the tail beyond r, Marsaglia 1964): repeat a = -ln(u1) / r, b = -ln(u2) until b + b >= a * a, with
        u1, u2 fresh uniforms ((w >> 12) + 1/2) * 2^-52 of the next outputs; return -(r + a) or r + a
    else (the wedge): y = F[i] + u3 * (F[i + 1] - F[i]) with u3 a fresh uniform; if y < exp(-z * z / 2) return +-z
    otherwise start again with the next output.
Every arithmetic step is one IEEE 754 double operation in the order written, so apart from ln and exp (V8's fdlibm
ports against the C library here: equal or one ulp apart) JavaScript and Python compute the same bits.

Writes ziggurat.json beside this file, which test/core/random.test.ts compares with.
Run: python3 reference/random/ziggurat.py   (Python 3.8+, standard library only)
"""

import json
import math
import os
import re
import sys
from decimal import Decimal, getcontext

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from xoshiro256starstar import Xoshiro  # noqa: E402

getcontext().prec = 80
LAYERS = 256
ONE = Decimal(1)


def pi():
    """pi to the context precision (the decimal module documentation's recipe)."""
    getcontext().prec += 2
    three = Decimal(3)
    lasts, t, s, n, na, d, da = 0, three, 3, 1, 0, 0, 24
    while s != lasts:
        lasts = s
        n, na = n + na, na + 8
        d, da = d + da, da + 32
        t = (t * n) / d
        s += t
    getcontext().prec -= 2
    return +s


def f(x):
    return (-x * x / 2).exp()


def tail_area(r):
    """integral_r^inf exp(-t^2/2) dt = sqrt(pi/2) - sum_k (-1)^k r^(2k+1) / (2^k k! (2k+1))."""
    total = Decimal(0)
    term = r  # (-1)^k r^(2k+1) / (2^k k!)
    k = 0
    while True:
        contribution = term / (2 * k + 1)
        total += contribution
        if abs(contribution) < Decimal(10) ** -75:
            break
        k += 1
        term = -term * r * r / (2 * k)
    return (pi() / 2).sqrt() - total


def layers(r):
    """(v, [x_1 .. x_255], defect): defect > 0 when the layers reach the top too early (r too small)."""
    v = r * f(r) + tail_area(r)
    xs = [r]
    for _ in range(LAYERS - 2):
        arg = v / xs[-1] + f(xs[-1])
        if arg >= ONE:
            return v, xs, ONE
        xs.append((-2 * arg.ln()).sqrt())
    return v, xs, v / xs[-1] + f(xs[-1]) - ONE


def solve():
    lo, hi = Decimal("3.5"), Decimal("3.8")
    assert layers(lo)[2] > 0 and layers(hi)[2] < 0
    for _ in range(250):
        mid = (lo + hi) / 2
        if layers(mid)[2] > 0:
            lo = mid
        else:
            hi = mid
    r = (lo + hi) / 2
    v, xs, defect = layers(r)
    assert abs(defect) < Decimal(10) ** -60, defect
    return r, v, xs


R_EXACT, V_EXACT, XS = solve()
X = [float(V_EXACT / f(R_EXACT))] + [float(x) for x in XS] + [0.0]
F = [float(f(Decimal(x))) for x in X]
F[LAYERS] = 1.0
R = X[1]
assert len(X) == len(F) == LAYERS + 1
# Marsaglia & Tsang's published constants for the 256-layer normal ziggurat: r to all 17 digits; v is published to 12
# significant digits, of which the last is off by 2 (they computed it in double precision), so it agrees to 2e-14 only.
assert float(R_EXACT) == 3.6541528853610088
assert abs(float(V_EXACT) - 0.00492867323399) < 2e-14
# The base layer's area in double precision with the C library's erfc, as a check on the series above.
assert abs(R * math.exp(-0.5 * R * R) + math.sqrt(math.pi / 2) * math.erfc(R / math.sqrt(2)) - float(V_EXACT)) < 1e-17


def uniform(g):
    """A uniform double in (0, 1): the top 52 bits of the next output plus 1/2, times 2^-52 (exact)."""
    return ((g.next64() >> 12) + 0.5) / 2.0**52


def normal(g, events=None):
    """A ziggurat draw from g; appends the paths taken to `events` ('fast', 'tail', 'wedge', 'reject')."""
    while True:
        w = g.next64()
        i = w & 0xFF
        negative = (w >> 8) & 1
        z = (((w >> 12) + 0.5) / 2.0**52) * X[i]
        if z < X[i + 1]:
            if events is not None:
                events.append("fast")
            return -z if negative else z
        if i == 0:
            while True:
                a = -math.log(uniform(g)) / R
                b = -math.log(uniform(g))
                if b + b >= a * a:
                    break
            if events is not None:
                events.append("tail")
            z = R + a
            return -z if negative else z
        y = F[i] + uniform(g) * (F[i + 1] - F[i])
        if y < math.exp(-0.5 * z * z):
            if events is not None:
                events.append("wedge")
            return -z if negative else z
        if events is not None:
            events.append("reject")


def hex64(x):
    return "0x%016x" % x


def main():
    out = {
        "about": "Generated by reference/random/ziggurat.py; do not edit by hand.",
        "r": repr(float(R_EXACT)),
        "v": repr(float(V_EXACT)),
        "x": [repr(x) for x in X],
        "f": [repr(y) for y in F],
        "streams": [],
    }
    # The first draws of a few seeds (and of the fork the Monte Carlo simulation uses), with the generator's next
    # output afterwards, which pins how many outputs the draws consumed.
    for seed, path, count in [(7, [], 64), (0, [], 16), (2**64 - 1, [], 16), (1, ["normal"], 16)]:
        g = Xoshiro.seeded(seed)
        for label in path:
            g = g.fork(label)
        values = [repr(normal(g)) for _ in range(count)]
        out["streams"].append({"seed": str(seed), "path": path, "values": values, "next": hex64(g.next64())})
    # A long stream: every draw that left the fast path as [index, value, the paths taken], the number of each kind,
    # the exact sums of the draws and of their squares (math.fsum) and the next output afterwards.
    g = Xoshiro.seeded(42)
    n = 20_000
    slow = []
    kinds = {"fast": 0, "tail": 0, "wedge": 0, "reject": 0}
    values = []
    for index in range(n):
        events = []
        z = normal(g, events)
        values.append(z)
        for e in events:
            kinds[e] += 1
        if events != ["fast"]:
            slow.append([index, repr(z), " ".join(events)])
    out["long"] = {
        "seed": "42",
        "count": n,
        "kinds": kinds,
        "slow": slow,
        "sum": repr(math.fsum(values)),
        "sumSquares": repr(math.fsum(z * z for z in values)),
        "next": hex64(g.next64()),
    }
    # The tail beyond r is rare (2.6e-4 of the draws): the first 24 tail draws of seed 5, as [index, value].
    g = Xoshiro.seeded(5)
    tails = []
    index = 0
    while len(tails) < 24:
        events = []
        z = normal(g, events)
        if "tail" in events:
            tails.append([index, repr(z)])
        index += 1
    out["tails"] = {"seed": "5", "draws": tails, "count": index, "next": hex64(g.next64())}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "ziggurat.json")
    text = json.dumps(out, indent=1, ensure_ascii=True)
    # One line per slow draw rather than one per field.
    text = re.sub(r"\[\n\s+(\d+),\n\s+(\"[^\"]*\"),\n\s+(\"[^\"]*\")\n\s+\]", r"[\1, \2, \3]", text)
    text = re.sub(r"\[\n\s+(\d+),\n\s+(\"[^\"]*\")\n\s+\]", r"[\1, \2]", text)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    print("r = %r, v = %r, %d slow draws of %d; wrote %s" % (float(R_EXACT), float(V_EXACT), len(slow), n, path))


if __name__ == "__main__":
    main()
