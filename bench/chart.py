"""The latency chart of a benchmark run (bench/results/latency_vs_scale.png)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.targets import OPS_ORDER, op_of


def chart(results: dict[str, Any], path: Path) -> Path | None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    scales = sorted(float(k) for k, s in results["scales"].items() if "phases" in s)
    fig, ax = plt.subplots(figsize=(8, 5), dpi=110)
    for q, style in (("p50_ms", "o-"), ("p95_ms", "s--"), ("p99_ms", "^:")):
        pts = [(s, op_of(results, s, "timeslots", "moedetider")) for s in scales]
        pts = [(s, f[q]) for s, f in pts if f]
        if pts:
            ax.plot(*zip(*pts, strict=True), style, color="tab:blue", label=f"timeslot search {q[:3]}")
    colours = iter(("tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive"))
    for op in OPS_ORDER:
        pts = [(s, op_of(results, s, "sessions", op)) for s in scales]
        pts = [(s, f["p50_ms"]) for s, f in pts if f]
        if pts:
            ax.plot(*zip(*pts, strict=True), "o-", color=next(colours, "grey"), alpha=0.8, label=f"session {op} p50")
    bare = (results.get("baseline") or {}).get("ops", {}).get("bare")
    if bare:
        ax.axhline(bare["p50_ms"], color="black", ls="--", lw=1, label=f"bare baseline p50 ({bare['p50_ms']:.1f} ms)")
        ax.axhline(bare["p99_ms"], color="black", ls=":", lw=1, label=f"bare baseline p99 ({bare['p99_ms']:.1f} ms)")
    if bare:
        ax.axhline(1.2 * bare["p99_ms"], color="red", ls="-.", lw=1, label="target p99 (1.2 × bare p99)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    for s in results.get("skipped", []):
        ax.axvline(s["scale"], color="grey", ls=":", lw=1)
        ax.text(s["scale"], 0.03, f" {s['scale']:g}× skipped (time budget)", rotation=90, va="bottom", ha="right",
                fontsize=8, color="grey", transform=ax.get_xaxis_transform())
    ticks = sorted(set(scales) | {s["scale"] for s in results.get("skipped", [])})
    ax.set_xticks(ticks)
    ax.set_xticklabels([f"{t:g}×" for t in ticks])
    ax.set_xlabel("data scale (1× = 94 job centres, 3,000 caseworkers, 150,000 citizens, 300,000 bookings)")
    ax.set_ylabel(f"latency at {results['settings']['clients']} clients (ms, log)")
    ax.set_title("Latency against data scale")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
