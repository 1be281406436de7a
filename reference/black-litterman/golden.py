#!/usr/bin/env python3
"""Golden values for pfopt's Black-Litterman model, computed with numpy from the published formulas, independently of
pfopt's code:

  - Black & Litterman (1992) and He & Litterman (1999): equilibrium prior Pi = delta Sigma w_mkt (+ rf, as
    PyPortfolioOpt's market_implied_prior_returns); posterior mean
        E[R] = [(tau Sigma)^-1 + P' Omega^-1 P]^-1 [(tau Sigma)^-1 Pi + P' Omega^-1 Q]
    and posterior covariance Sigma + M with M = [(tau Sigma)^-1 + P' Omega^-1 P]^-1, evaluated literally with
    explicit matrix inverses (the "precision" form); He-Litterman's Omega = diag(P (tau Sigma) P').
  - Idzorek (2005), "A step-by-step guide to the Black-Litterman model", his method for user-specified confidence
    levels, followed step by step for each view k on its own: the 100%-confidence return E[R_100] = Pi + tau Sigma p'
    (p tau Sigma p')^-1 (Q_k - p Pi); the weights w_100 = (delta Sigma)^-1 E[R_100]; the tilt D_100 = w_100 - w_mkt
    (w_mkt = (delta Sigma)^-1 Pi, the reverse-optimised weights); the target w_mkt + C_k D_100; then omega_k is the
    value that minimises the squared distance between the target and the weights of the posterior with view k alone
    and uncertainty omega_k (precision form), found numerically (scipy minimize_scalar over log omega, polished by
    brentq on the first-order condition). The script asserts the target is met and that the numerical omega_k agrees
    with Walters' closed form tau alpha_k p Sigma p' with alpha_k = (1 - C_k) / C_k (which pfopt uses) to 1e-11;
    the golden omega is the numerical one. A confidence of 1 is omega_k = 0 (Idzorek: "100% confidence"): Omega^-1
    does not exist, so cases holding such a view use the conditional-normal form of the same posterior (Black &
    Litterman 1992, appendix; He & Litterman 1999, eq. 12):
        E[R] = Pi + tau Sigma P' (P tau Sigma P' + Omega)^-1 (Q - P Pi),
        M = tau Sigma - tau Sigma P' (P tau Sigma P' + Omega)^-1 P tau Sigma;
    every other case is computed both ways and the script asserts they agree to 1e-12 (relative).
  - Implied weights w = (delta C)^-1 (E[R] - rf) / sum, with C = Sigma (PyPortfolioOpt's bl_weights) and C = Sigma_BL.
  - Market-implied risk aversion (PyPortfolioOpt's market_implied_risk_aversion): delta = (P mean(r) - rf) / (P var(r)),
    r the simple returns of the market prices (pandas pct_change, ddof 1 variance).

Inputs: samples/stocks.csv (5 monthly stocks on the dates where all five have prices; Sigma = sample covariance x 12),
samples/sp500-2000.csv (the daily S&P 500 index, adjusted close, for delta; the monthly
samples/sp500.csv gives a negative delta, which pfopt must refuse), and reference/data/synth-50x750.csv (50 assets; Sigma =
sample covariance x 252). Market capitalisations are made up (stocks) or drawn from a seeded lognormal (synthetic).

Run:  /tmp/refenv/bin/python reference/black-litterman/golden.py   (numpy, pandas, scipy). Writes golden.json beside it.
"""

import json
import os

import numpy as np
import pandas as pd
from scipy.optimize import brentq, minimize_scalar

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))


def load_stocks():
    st = pd.read_csv(os.path.join(ROOT, 'samples/stocks.csv'))
    st['date'] = pd.to_datetime(st['date'], format='%b %d %Y')
    wide = st.pivot(index='date', columns='symbol', values='price').dropna()
    wide = wide[['MSFT', 'AMZN', 'IBM', 'AAPL', 'GOOG']]
    r = wide.pct_change().iloc[1:]
    return list(wide.columns), (r.cov() * 12).values


def load_synth():
    px = pd.read_csv(os.path.join(ROOT, 'reference/data/synth-50x750.csv'), index_col=0, parse_dates=True)
    r = px.pct_change().iloc[1:]
    return list(px.columns), (r.cov() * 252).values


def load_sp500():
    monthly = pd.read_csv(os.path.join(ROOT, 'samples/sp500.csv'))['price']
    daily = pd.read_csv(os.path.join(ROOT, 'samples/sp500-2000.csv'))['adjclose']
    return monthly, daily


def implied_delta(prices, periods, rf):
    rets = prices.pct_change().dropna()
    return float((rets.mean() * periods - rf) / (rets.var() * periods))


def view_matrices(views, tickers):
    n = len(tickers)
    P = np.zeros((len(views), n))
    Q = np.zeros(len(views))
    for k, v in enumerate(views):
        if 'long' in v:
            P[k, tickers.index(v['long'])] = 1.0
            P[k, tickers.index(v['short'])] = -1.0
            Q[k] = v['return']
        else:
            (t, q), = v.items()
            P[k, tickers.index(t)] = 1.0
            Q[k] = q
    return P, Q


def precision_form(S, tau, Pi, P, Q, omega):
    ts_inv = np.linalg.inv(tau * S)
    if len(Q) == 0:
        M = np.linalg.inv(ts_inv)
        return np.linalg.solve(ts_inv, ts_inv @ Pi), M
    om_inv = np.diag(1.0 / omega)
    M = np.linalg.inv(ts_inv + P.T @ om_inv @ P)
    mu = M @ (ts_inv @ Pi + P.T @ om_inv @ Q)
    return mu, M


def conditional_form(S, tau, Pi, P, Q, omega):
    if len(Q) == 0:
        return Pi.copy(), tau * S
    tS = tau * S
    A = P @ tS @ P.T + np.diag(omega)
    mu = Pi + tS @ P.T @ np.linalg.solve(A, Q - P @ Pi)
    M = tS - tS @ P.T @ np.linalg.solve(A, P @ tS)
    return mu, M


def idzorek_omega(S, tau, delta, Pi, p, q, c):
    """Idzorek (2005), steps 1-6 of his confidence method for one view (row p, return q, confidence c in (0, 1])."""
    if c == 1.0:
        return 0.0
    d = delta if delta is not None else 1.0  # the tilt is a ratio: any delta > 0 (and any rf) gives the same omega
    tS = tau * S
    p = p.reshape(1, -1)
    er_100 = Pi + (tS @ p.T @ np.linalg.inv(p @ tS @ p.T) @ (np.array([q]) - p @ Pi)).ravel()
    w_mkt = np.linalg.solve(d * S, Pi)
    w_100 = np.linalg.solve(d * S, er_100)
    d_100 = w_100 - w_mkt
    target = w_mkt + c * d_100
    ts_inv = np.linalg.inv(tS)

    def weights(omega):
        er = np.linalg.solve(ts_inv + p.T @ p / omega, ts_inv @ Pi + (p.T * q / omega).ravel())
        return np.linalg.solve(d * S, er)

    def sq(log_omega):
        return float(np.sum((target - weights(np.exp(log_omega))) ** 2))

    base = (p @ tS @ p.T).item()
    coarse = minimize_scalar(sq, bounds=(np.log(base) - 40, np.log(base) + 40), method='bounded',
                             options=dict(xatol=1e-10))
    om = float(np.exp(coarse.x))

    def first_order(omega):  # d/d omega of the squared distance, up to a positive factor (the move is along d_100)
        return float((weights(omega) - target) @ d_100)

    lo, hi = om / 1.01, om * 1.01
    om = brentq(first_order, lo, hi, xtol=1e-300, rtol=4 * np.finfo(float).eps, maxiter=500)
    miss = np.linalg.norm(weights(om) - target) / np.linalg.norm(d_100)
    assert miss < 1e-9, ('Idzorek target missed', c, miss)
    return om


def rel_diff(a, b):
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def solve_case(ds, spec):
    tickers, S = ds['tickers'], ds['S']
    n = len(tickers)
    tau = spec.get('tau', 0.05)
    rf = spec.get('riskFreeRate', 0.0)
    delta = spec.get('riskAversion')
    w_mkt = None
    if spec.get('marketCaps'):
        caps = np.array([ds['caps'][t] for t in tickers])
        w_mkt = caps / caps.sum()
        Pi = delta * S @ w_mkt + rf
    else:
        Pi = np.array(spec['prior'])
    doc = spec['views']
    views = doc['views'] if isinstance(doc, dict) else doc
    confidences = doc.get('confidences') if isinstance(doc, dict) else None
    P, Q = view_matrices(views, tickers)
    omega_spec = spec.get('omega')
    if isinstance(omega_spec, list):
        omega = np.array(omega_spec, dtype=float)
        method = 'given'
    else:
        method = omega_spec or ('idzorek' if confidences is not None else 'he-litterman')
        base = np.array([P[k] @ S @ P[k] for k in range(len(Q))])
        if method == 'he-litterman':
            omega = tau * base  # diag(P (tau Sigma) P')
        else:
            c = np.array(confidences, dtype=float)
            omega = np.array([idzorek_omega(S, tau, delta, Pi, P[k], Q[k], c[k]) for k in range(len(Q))])
            closed = tau * (1 - c) / c * base  # Walters' closed form
            assert np.all(np.abs(omega - closed) <= 1e-11 * closed), (spec['name'], omega, closed)
    if np.any(omega == 0):
        mu, M = conditional_form(S, tau, Pi, P, Q, omega)
        route = 'conditional'
    else:
        mu, M = precision_form(S, tau, Pi, P, Q, omega)
        mu2, M2 = conditional_form(S, tau, Pi, P, Q, omega)
        assert rel_diff(mu, mu2) < 1e-12 and rel_diff(M, M2) < 1e-10, (spec['name'], rel_diff(mu, mu2), rel_diff(M, M2))
        route = 'precision'
    post_cov = S + M
    out = dict(name=spec['name'], dataset=spec['dataset'], input={k: v for k, v in spec.items()
                                                                 if k not in ('name', 'dataset')},
               omegaMethod=method, route=route, prior=Pi.tolist(), posteriorMean=mu.tolist(),
               posteriorCov=post_cov.flatten().tolist(), omega=omega.tolist())
    if w_mkt is not None:
        out['marketWeights'] = w_mkt.tolist()
    if delta is not None:
        raw = np.linalg.solve(delta * S, mu - rf)
        out['weights'] = (raw / raw.sum()).tolist()
        raw2 = np.linalg.solve(delta * post_cov, mu - rf)
        out['weightsPosterior'] = (raw2 / raw2.sum()).tolist()
    return out


def main():
    stocks_t, stocks_S = load_stocks()
    synth_t, synth_S = load_synth()
    rng = np.random.default_rng(20240611)
    datasets = {
        'stocks5': dict(source='samples/stocks.csv (dates where all five have prices), sample covariance x 12',
                        tickers=stocks_t, S=stocks_S,
                        caps=dict(MSFT=2.2e11, AMZN=5.5e10, IBM=1.6e11, AAPL=2.1e11, GOOG=1.8e11)),
        'synth50': dict(source='reference/data/synth-50x750.csv, sample covariance x 252', tickers=synth_t,
                        S=synth_S, caps={t: float(np.round(np.exp(rng.normal(23, 1.2)), -3)) for t in synth_t}),
    }
    monthly, daily = load_sp500()
    deltas = [dict(source='sample:sp500-daily', periodsPerYear=252, riskFreeRate=rf,
                   delta=implied_delta(daily, 252, rf)) for rf in (0.0, 0.01)]
    # 2000-2010 lost money on average: the implied delta is negative (pfopt refuses it).
    deltas.append(dict(source='sample:sp500', periodsPerYear=12, riskFreeRate=0.0, delta=implied_delta(monthly, 12, 0.0)))
    delta = deltas[0]['delta']
    s5 = dict(views=[{'AAPL': 0.12}, {'long': 'GOOG', 'short': 'MSFT', 'return': 0.03}, {'IBM': 0.05}])
    s5c = dict(views=s5['views'], confidences=[0.6, 0.25, 0.9])
    s5full = dict(views=[{'AAPL': 0.12}, {'long': 'GOOG', 'short': 'MSFT', 'return': 0.03}, {'IBM': 0.05},
                         {'AMZN': 0.2}], confidences=[1.0, 0.5, 0.05, 0.3])
    prior5 = [0.08, 0.10, 0.06, 0.11, 0.09]
    synth_views = []
    for k in range(10):
        if k % 3 == 2:
            a, b = rng.choice(50, size=2, replace=False)
            synth_views.append({'long': synth_t[a], 'short': synth_t[b], 'return': float(np.round(rng.normal(0.02, 0.03), 4))})
        else:
            synth_views.append({synth_t[int(rng.integers(50))]: float(np.round(rng.normal(0.08, 0.05), 4))})
    synth_conf = [float(np.round(x, 2)) for x in rng.uniform(0.1, 0.95, size=10)]
    specs = [
        dict(name='stocks5/no-views', dataset='stocks5', marketCaps=True, riskAversion=delta, views=dict(views=[])),
        dict(name='stocks5/he-litterman', dataset='stocks5', marketCaps=True, riskAversion=delta, views=s5),
        dict(name='stocks5/he-litterman-list-tau-0.1', dataset='stocks5', marketCaps=True, riskAversion=delta,
             tau=0.1, views=s5['views']),
        dict(name='stocks5/idzorek', dataset='stocks5', marketCaps=True, riskAversion=delta, views=s5c),
        dict(name='stocks5/idzorek-certain-and-low', dataset='stocks5', marketCaps=True, riskAversion=delta,
             views=s5full),
        dict(name='stocks5/rf-0.02', dataset='stocks5', marketCaps=True, riskAversion=2.5, riskFreeRate=0.02,
             views=s5),
        dict(name='stocks5/explicit-prior', dataset='stocks5', prior=prior5, tau=0.025, views=s5),
        dict(name='stocks5/explicit-prior-delta', dataset='stocks5', prior=prior5, riskAversion=3.0, views=s5c),
        dict(name='stocks5/given-omega', dataset='stocks5', marketCaps=True, riskAversion=delta, views=s5,
             omega=[0.0004, 0.0009, 0.0001]),
        dict(name='stocks5/he-litterman-forced-with-confidences', dataset='stocks5', marketCaps=True,
             riskAversion=delta, views=s5c, omega='he-litterman'),
        dict(name='synth50/no-views', dataset='synth50', marketCaps=True, riskAversion=2.8, views=[]),
        dict(name='synth50/he-litterman', dataset='synth50', marketCaps=True, riskAversion=2.8,
             views=dict(views=synth_views)),
        dict(name='synth50/idzorek', dataset='synth50', marketCaps=True, riskAversion=2.8,
             views=dict(views=synth_views, confidences=synth_conf)),
    ]
    cases = [solve_case(datasets[s['dataset']], s) for s in specs]
    out = dict(
        generator='reference/black-litterman/golden.py (numpy ' + np.__version__ + ', pandas ' + pd.__version__ + ')',
        datasets={k: dict(source=v['source'], tickers=v['tickers'], cov=v['S'].flatten().tolist(), marketCaps=v['caps'])
                  for k, v in datasets.items()},
        riskAversion=deltas,
        cases=cases,
    )
    with open(os.path.join(os.path.dirname(__file__), 'golden.json'), 'w') as f:
        json.dump(out, f, indent=1)
        f.write('\n')
    print(f'{len(cases)} cases; delta(sp500 daily) = {delta}')


if __name__ == '__main__':
    main()
