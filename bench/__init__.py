"""Benchmark suite of the self-booking service (issue #5).

``python -m bench`` (``make bench``) generates national-scale data through the service's own
loader (``bench.generate``), starts the real server process and a bare connexion/uvicorn baseline
(``bench.server``, ``bench.bare_app``), drives both from a separate process (``bench.driver``) and
writes ``bench/results/report.md`` and ``bench/results/latency_vs_scale.png`` (``bench.report``).
"""
