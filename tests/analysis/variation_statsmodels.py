#!/usr/bin/python3
"""The random-intercept fits and permutation tests of analysis.variation against
statsmodels (MixedLM, reml=True) and scipy, on generated data and on the demo run.

Usage: variation_statsmodels.py FIT_TOOL BRE SOURCE_DIR CASE
  CASE generated    seeded data sets (generator below) fitted by FIT_TOOL and by statsmodels
       demo         the standard pipeline on the demo dataset: every outcome the analysis
                    step decomposed, refitted by statsmodels from the run's own unit data
       permutation  exact permutation p-values against scipy.stats.permutation_test and a
                    brute-force count over all pairings

Needs Debian's python3-statsmodels and python3-scipy. Variance components, fixed
effects, REML log-likelihoods and BLUPs must agree to 1e-6 (relative, or absolute for
values near 0); statsmodels is refined from its own optimum with tight tolerances so
that its optimiser, not the model, is not what limits the agreement.
"""
import csv
import itertools
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
from scipy import stats
import statsmodels.api as sm
from statsmodels.regression.mixed_linear_model import MixedLMParams

TOLERANCE = 1e-6
failures = []
largest = [0.0, ""]  # the largest scaled difference seen, and where


def close(name, ours, reference, tolerance=TOLERANCE):
    scale = max(1.0, abs(reference))
    difference = abs(ours - reference) / scale
    if difference > largest[0]:
        largest[:] = [difference, name]
    if not difference <= tolerance:
        failures.append(f"{name}: ours {ours!r}, reference {reference!r}")


def reference_fit(y, groups, exog):
    """statsmodels' REML fit, polished from its own optimum."""
    model = sm.MixedLM(np.asarray(y, float), np.asarray(exog, float), np.asarray(groups))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # statsmodels 0.13's default L-BFGS can stop at cov_re = 0 with an infinite llf on
        # these data; BFGS finds the optimum, and a second BFGS run from it polishes it.
        first = model.fit(reml=True, method=["bfgs"])
        result = model.fit(reml=True, start_params=first.params_object, method=["bfgs"], gtol=1e-12, maxiter=500)
        if not result.llf >= first.llf:
            result = first
    return model, result


def profile_llf(model, result, ratio):
    """statsmodels' REML log-likelihood at variance ratio tau²/sigma² = ratio, with the
    fixed effects and scale profiled out."""
    params = MixedLMParams.from_components(fe_params=np.asarray(result.fe_params), cov_re=np.array([[ratio]]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.loglike(params, profile_fe=True)


def compare_fit(name, ours, y, groups, exog, group_ids):
    model, result = reference_fit(y, groups, exog)
    tau2 = float(np.asarray(result.cov_re)[0, 0])
    close(f"{name} within variance", ours["within_variance"], result.scale)
    close(f"{name} between variance", ours["between_variance"], tau2)
    close(f"{name} REML log-likelihood", ours["log_likelihood"], result.llf)
    for k, value in enumerate(np.asarray(result.fe_params)):
        close(f"{name} beta[{k}]", ours["beta"][k], value)
    for g, gid in enumerate(group_ids):
        blup = float(np.asarray(result.random_effects[gid])[0])
        close(f"{name} BLUP of group {gid}", ours["group_effect"][g], blup)
        # Compared as variances: near tau² = 0 a square root magnifies the optimiser's last digits.
        variance = float(np.asarray(result.random_effects_cov[gid])[0, 0])
        close(f"{name} conditional variance of group {gid}", ours["group_effect_sd"][g] ** 2, variance)
    # The null model (tau² = 0) and the ends of the ICC interval, on statsmodels' own likelihood.
    # statsmodels inverts the ratio, so it cannot evaluate 0 itself; below 1e-10 it loses
    # precision, and at 1e-9 it is within 1e-7 of the limit.
    close(f"{name} null log-likelihood", ours["null_log_likelihood"], profile_llf(model, result, 1e-9))
    critical = stats.chi2.ppf(0.95, 1)
    for end in ("icc_low", "icc_high"):
        icc = ours[end]
        if 0.0 < icc < 1.0:
            drop = 2.0 * (result.llf - profile_llf(model, result, icc / (1.0 - icc)))
            close(f"{name} likelihood drop at {end}", drop, critical)


def run_tool(tool, mode, rows, header):
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as f:
        f.write(header + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) if not isinstance(v, int) else str(v) for v in row) + "\n")
        path = f.name
    try:
        out = subprocess.run([tool, mode, path], check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(path)
    return json.loads(out)


def generated(tool):
    """Three seeded data sets (numpy default_rng): unit counts per region drawn from
    2..15, region effects N(0, tau²), unit noise N(0, sigma²)."""
    rng = np.random.default_rng(20201)

    def draw(regions, tau2, sigma2, covariates):
        sizes = rng.integers(2, 16, size=regions)
        u = rng.normal(0.0, math.sqrt(tau2), size=regions)
        z1 = rng.normal(0.0, 1.0, size=regions)     # a region characteristic
        z2 = rng.integers(0, 2, size=regions)      # a binary one
        rows = []
        for g in range(regions):
            for _ in range(sizes[g]):
                x = rng.normal(5.0, 2.0)           # a unit-level covariate
                y = 50.0 + u[g] + rng.normal(0.0, math.sqrt(sigma2))
                if covariates:
                    y += 2.0 * z1[g] - 1.5 * z2[g] + 0.8 * x
                    rows.append((g, y, float(z1[g]), float(z2[g]), x))
                else:
                    rows.append((g, y))
        return rows

    for name, regions, tau2, sigma2, covariates in [("unbalanced", 12, 4.0, 9.0, False),
                                                     ("ten regions", 10, 1.0, 16.0, False),
                                                     ("covariates", 15, 3.0, 6.0, True)]:
        rows = draw(regions, tau2, sigma2, covariates)
        header = "group,y" + (",z1,z2,x" if covariates else "")
        ours = run_tool(tool, "--model", rows, header)
        y = [r[1] for r in rows]
        groups = [r[0] for r in rows]
        exog = [[1.0] + list(r[2:]) for r in rows]
        compare_fit(name, ours, y, groups, exog, sorted(set(groups)))


def demo(bre, source_dir):
    """The standard pipeline's analysis step against statsmodels on the same units."""
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([bre, "run", os.path.join(source_dir, "examples/pipelines/standard.json"), "--out",
                        os.path.join(out, "run"), "--quiet"], check=True)
        with open(os.path.join(out, "run", "run.json")) as f:
            run = json.load(f)
    steps = {step["step_id"]: step.get("artifacts", {}) for step in run["steps"]}
    analysis = steps["variation"]["analyses"][0]
    partition = next(p for p in steps["bre"]["partitions"] if p["name"] == analysis["partition_name"])
    region_ids = [r["id"] for r in partition["regions"]]
    units = {}  # outcome -> (y, region index)
    for score in steps["legitimacy"]["legitimacy"][0]["respondent_scores"]:
        region = score.get("region_id", "")
        value = score.get("score")
        if region in region_ids and isinstance(value, (int, float)):
            outcome = "legitimacy_" + score["dimension"][len("LEGITIMACY_DIMENSION_"):].lower()
            units.setdefault(outcome, []).append((float(value), region_ids.index(region)))
    table = next(t for t in steps["broad_wellbeing"]["tables"] if t["name"] == "broad_wellbeing_municipalities")
    columns = [c["id"] for c in table["columns"]]
    categories = table["columns"][columns.index("region")]["categories"]
    for row in table["rows"]:
        values = row["values"]
        region = values[columns.index("region")]
        if not isinstance(region, (int, float)):
            continue
        for column in ("level", "trend"):
            value = values[columns.index(column)]
            if isinstance(value, (int, float)):
                units.setdefault("broad_wellbeing_" + column, []).append(
                    (float(value), region_ids.index(categories[int(region)])))
    decompositions = [d for d in analysis["decompositions"] if d["model"] == "intercept only"]
    if len(decompositions) != len(units):
        failures.append(f"demo: {len(decompositions)} decompositions for {len(units)} outcomes")
    for d in decompositions:
        data = units[d["outcome"]]
        if not d.get("fitted", False):
            failures.append(f"demo {d['outcome']}: not fitted ({d.get('note')})")
            continue
        ours = {
            "within_variance": d.get("within_variance", 0.0), "between_variance": d.get("between_variance", 0.0),
            "log_likelihood": d["reml_log_likelihood"], "beta": [d["fixed_effects"][0]["estimate"]],
            "group_effect": [r.get("effect", 0.0) for r in d["regions"]],
            "group_effect_sd": [(r["ci_high"] - r["ci_low"]) / (2 * stats.norm.ppf(0.975)) for r in d["regions"]],
            "null_log_likelihood": d["reml_log_likelihood"] - d.get("lrt_statistic", 0.0) / 2.0,
            "icc_low": d.get("icc_ci_low", 0.0), "icc_high": d.get("icc_ci_high", 0.0),
        }
        groups = [g for _, g in data]
        present = sorted(set(groups))
        if [r["region_id"] for r in d["regions"]] != [region_ids[g] for g in present]:
            failures.append(f"demo {d['outcome']}: region effects not in partition order")
            continue
        compare_fit("demo " + d["outcome"], ours, [v for v, _ in data], groups, [[1.0]] * len(data), present)


def permutation(tool):
    """Exact two-sided permutation p (|statistic| at least the observed) against scipy and
    a brute-force count over every pairing, with ties on both sides."""
    x = [3.1, 2.4, 4.0, 2.4, 3.6, 1.9, 3.3, 2.8]
    y = [0.5, 0.2, 0.9, 0.4, 0.6, 0.2, 0.8, 0.5]
    ours = run_tool(tool, "--spearman", list(zip(x, y)), "x,y")
    rho = stats.spearmanr(x, y).correlation
    close("spearman rho", ours["effect"], rho, 1e-12)
    reference = stats.permutation_test((y,), lambda v: abs(stats.spearmanr(x, v).correlation),
                                       permutation_type="pairings", alternative="greater",
                                       n_resamples=math.factorial(len(x)) + 1)
    close("spearman exact p (scipy)", ours["p"], reference.pvalue, 1e-12)
    b = [0, 1, 1, 0, 1, 0, 0, 1]
    ours = run_tool(tool, "--mean-difference", list(zip(b, y)), "x,y")

    def difference(values, labels=b):
        return np.mean([v for v, l in zip(values, labels) if l]) - np.mean([v for v, l in zip(values, labels) if not l])

    observed = difference(y)
    close("mean difference", ours["effect"], observed, 1e-12)
    count = total = 0
    for order in itertools.permutations(range(len(y))):
        total += 1
        count += abs(difference([y[i] for i in order])) >= abs(observed) * (1 - 1e-9)
    close("mean difference exact p (brute force)", ours["p"], count / total, 1e-12)


def main():
    tool, bre, source_dir, case = sys.argv[1:5]
    {"generated": lambda: generated(tool), "demo": lambda: demo(bre, source_dir),
     "permutation": lambda: permutation(tool)}[case]()
    for failure in failures:
        print("MISMATCH", failure)
    print(f"{case}: {'ok' if not failures else str(len(failures)) + ' mismatches'}; largest difference "
          f"{largest[0]:.2e} ({largest[1]})")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
