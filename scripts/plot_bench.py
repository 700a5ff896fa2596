#!/usr/bin/python3
"""Plots the JSON of *_perf -J runs: busbw and latency against size, one line per run
(each forced algorithm, auto) plus MPI's figures, and prints a comparison table.

    scripts/plot_bench.py -o docs/allreduce_2ranks.png sweep.json
    scripts/plot_bench.py -o docs/allreduce_2ranks.png auto.json ring.json tree.json ...

A file holds one run, or (from a *_perf run with several -A) a list of runs timed together.
Every file should come from the same collective and rank count. The MPI line is taken from
the file of the automatic choice (algorithm "auto") when there is one, else from the first.
The table gives, per size, auto's time, the best forced algorithm and its time, how much
slower auto is than that best, MPI's time over auto's, and (all-reduce) auto's busbw as a
share of the memory-bandwidth ceiling measured in the same run; the picture draws that
ceiling too. Needs python3-matplotlib (Debian).
"""
import argparse
import json
import sys


def load(paths):
    runs = []
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        runs.extend(data if isinstance(data, list) else [data])
    return runs


def size_label(value):
    for unit, scale in (("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)):
        if value >= scale:
            return "%g%s" % (value / scale, unit)
    return "%d" % value


def table(runs):
    auto = next((r for r in runs if r["algorithm"] == "auto"), None)
    forced = [r for r in runs if r["algorithm"] != "auto"]
    if auto is None or not forced:
        return
    print("%10s %10s %-20s %10s %8s %10s %8s %6s" % ("size", "auto(us)", "best forced", "best(us)", "auto/best",
                                                   "mpi(us)", "speedup", "%ceil"))
    worst = 0.0
    for row in auto["results"]:
        best_name, best_time = None, None
        for run in forced:
            match = [r for r in run["results"] if r["bytes"] == row["bytes"]]
            if match and (best_time is None or match[0]["time_us"] < best_time):
                best_name, best_time = run["algorithm"], match[0]["time_us"]
        ratio = row["time_us"] / best_time if best_time else float("nan")
        worst = max(worst, ratio)
        mpi = row.get("mpi_time_us")
        ceiling = row.get("ceiling_busbw")
        print("%10s %10.2f %-20s %10.2f %8.2f %10s %8s %6s" % (
            size_label(row["bytes"]), row["time_us"], best_name, best_time, ratio,
            "%.2f" % mpi if mpi else "-", "%.2fx" % (mpi / row["time_us"]) if mpi else "-",
            "%.0f%%" % (100 * row["busbw"] / ceiling) if ceiling else "-"))
    print("auto is at most %.0f%% slower than the best forced algorithm" % ((worst - 1) * 100))


def plot(runs, output):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    first = runs[0]
    figure, (bw, lat) = plt.subplots(1, 2, figsize=(12, 4.5))
    for run in runs:
        sizes = [r["bytes"] for r in run["results"]]
        style = dict(linewidth=2.5, color="black") if run["algorithm"] == "auto" else dict(linewidth=1.2)
        bw.plot(sizes, [r["busbw"] for r in run["results"]], marker=".", label="hoop " + run["algorithm"], **style)
        lat.plot(sizes, [r["time_us"] for r in run["results"]], marker=".", label="hoop " + run["algorithm"], **style)
    reference = next((r for r in runs if r["algorithm"] == "auto"), first)
    mpi_rows = [r for r in reference["results"] if "mpi_time_us" in r]
    if mpi_rows:
        sizes = [r["bytes"] for r in mpi_rows]
        style = dict(linestyle="--", color="red", linewidth=2)
        bw.plot(sizes, [r["mpi_busbw"] for r in mpi_rows], label=reference["mpi"], **style)
        lat.plot(sizes, [r["mpi_time_us"] for r in mpi_rows], label=reference["mpi"], **style)
    ceiling_rows = [r for r in reference["results"] if "ceiling_busbw" in r]
    if ceiling_rows:
        bw.plot([r["bytes"] for r in ceiling_rows], [r["ceiling_busbw"] for r in ceiling_rows], linestyle=":",
                color="gray", linewidth=2, label="memory ceiling (memcpy on every rank)")
    for axis, label in ((bw, "busbw (GB/s)"), (lat, "time (us)")):
        axis.set_xscale("log", base=2)
        axis.set_xlabel("size (bytes)")
        axis.set_ylabel(label)
        axis.grid(True, which="both", alpha=0.3)
    lat.set_yscale("log")
    bw.legend(fontsize=8)
    figure.suptitle("%s, %d ranks, %s %s" % (first["collective"], first["nranks"], first["datatype"], first["op"]))
    figure.tight_layout()
    figure.savefig(output, dpi=100)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", help="JSON files written by *_perf -J")
    parser.add_argument("-o", "--output", help="PNG to write")
    args = parser.parse_args()
    runs = load(args.files)
    table(runs)
    if args.output:
        plot(runs, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
