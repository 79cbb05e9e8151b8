"""PNG charts for a bench run: `python charts.py RESULTS.json OUT_DIR STEM` (summary on stdin).

Run by bench/run.mjs with the matplotlib of the git-ignored .tools/bench-venv; prints a JSON map
from chart name to the PNG's file name (relative to OUT_DIR) for the Markdown report.
"""
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

results_path, out_dir, stem = sys.argv[1:4]
with open(results_path, encoding="utf-8") as fh:
    results = json.load(fh)
summary = json.load(sys.stdin)
charts = {}


def save(fig, name):
    file = f"{stem}-{name}.png"
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, file), dpi=110)
    plt.close(fig)
    charts[name] = file


def med_err(spread):
    m = spread["median"]
    return m, [[m - spread["min"]], [spread["max"] - m]]


COLOURS = {"api": "#c0392b", "raw": "#2c3e50"}
concurrencies = list(summary["updates"].keys())

# Throughput, API vs raw, per concurrency (bars: median, whiskers: min–max).
fig, ax = plt.subplots(figsize=(7, 4))
width = 0.38
for j, mode in enumerate(["api", "raw"]):
    for i, c in enumerate(concurrencies):
        m, err = med_err(summary["updates"][c][mode]["throughput"])
        ax.bar(i + (j - 0.5) * width, m, width, yerr=err, capsize=4, color=COLOURS[mode],
               label=("API (HTTP)" if mode == "api" else "raw Temporal update") if i == 0 else None)
ax.set_xticks(range(len(concurrencies)), [f"concurrency {c}" for c in concurrencies])
ax.set_ylabel("updates / s")
ax.set_title("Submit + head approve: throughput (median, min–max)")
ax.legend()
save(fig, "updates")

# Latency percentiles per concurrency.
fig, axes = plt.subplots(1, len(concurrencies), figsize=(3.2 * len(concurrencies), 3.8), squeeze=False)
for i, c in enumerate(concurrencies):
    ax = axes[0][i]
    for j, mode in enumerate(["api", "raw"]):
        for k, p in enumerate(["p50", "p95", "p99"]):
            m, err = med_err(summary["updates"][c][mode][p])
            ax.bar(k + (j - 0.5) * width, m, width, yerr=err, capsize=3, color=COLOURS[mode],
                   label=("API" if mode == "api" else "raw") if k == 0 else None)
    ax.set_xticks(range(3), ["p50", "p95", "p99"])
    ax.set_title(f"concurrency {c}")
    ax.set_ylabel("ms")
    if i == 0:
        ax.legend()
fig.suptitle("Update latency (median over repetitions, min–max)")
save(fig, "latency")

# Deadline day: answered requests per second, one line per repetition.
fig, ax = plt.subplots(figsize=(7, 4))
for i, day in enumerate(results["deadlineDay"]):
    ax.plot(range(len(day["perSecond"])), day["perSecond"], label=f"repetition {i + 1}")
ax.set_xlabel("seconds since the first request")
ax.set_ylabel("requests answered / s")
ax.set_title(f"Deadline day: {results['settings'].get('ddTasks') or results['settings']['tasks']} task-quarters × 5 units via the API")
ax.legend()
save(fig, "deadline-day")

# Replay events per second.
fig, ax = plt.subplots(figsize=(6, 3.8))
paths = ["audit", "bare"]
labels = ["audit replay --plan\n(replay + DB check)", "bare\nrunReplayHistories"]
for i, name in enumerate(paths):
    values = [r["eventsPerSecond"] for r in results["replay"][name]]
    values.sort()
    m = values[len(values) // 2] if len(values) % 2 else sum(values[len(values) // 2 - 1:len(values) // 2 + 1]) / 2
    ax.bar(i, m, 0.6, yerr=[[m - min(values)], [max(values) - m]], capsize=4,
           color=["#c0392b", "#2c3e50"][i])
ax.set_xticks(range(len(paths)), labels)
ax.set_ylabel("history events / s")
ax.set_title(f"Replay of {results['replay']['histories']} histories ({results['replay']['events']} events)")
save(fig, "replay")

# Memory.
fig, ax = plt.subplots(figsize=(6, 3.8))
moments = [("idle", results["memory"]["idle"])]
moments += [(f"{m['openWorkflows']} open\n(rep {i + 1})", m) for i, m in enumerate(results["memory"]["open"])]
moments += [("end", results["memory"]["end"])]
for j, proc in enumerate(["worker", "api", "temporal"]):
    ax.bar([i + (j - 1) * 0.27 for i in range(len(moments))], [m[proc] for _, m in moments], 0.27,
           label={"worker": "worker", "api": "API", "temporal": "Temporal dev server"}[proc])
ax.set_xticks(range(len(moments)), [name for name, _ in moments])
ax.set_ylabel("RSS, MiB")
ax.set_title("Resident memory")
ax.legend()
save(fig, "memory")

print(json.dumps(charts))
