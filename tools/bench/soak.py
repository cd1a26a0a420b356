#!/usr/bin/python3
"""Soak benchmark of bre-server: many runs through one server with its retention
policy on, to show that its store and its memory level off. Starts its own server on
a free loopback port with a temporary store, runs --runs runs (default 5000) from
--clients concurrent clients (default 8), and every --every runs (default 500)
prints the store's bytes and record count, the server's resident memory and thread
count, and the p50/p99 latency of those runs; then the p50/p99 of all of them.

The default pipeline is small, so that 5000 runs take minutes: the provinces and
their congruence on the demo dataset (a record of about 7.5 kB). Latency is one
client's view of one run: RunPipeline, WatchRun to the end, GetRun.

    /usr/bin/python3 tools/bench/soak.py [--build build] [--runs 5000] [--clients 8]
        [--pipeline FILE] [--server-arg=--retain-runs=500 ...]
"""

import argparse
import concurrent.futures
import os
import threading
import time

from bench_server import percentile, running_server, timed_run

SMALL_PIPELINE = """{"name": "soak", "steps": [
  {"id": "provinces", "plugin": "region.provinces"},
  {"id": "congruence", "plugin": "indicator.congruence", "inputs": ["provinces"]}]}"""


def store_usage(store):
    """Bytes and number of the run records and datasets under the store."""
    usage = {}
    for sub in ("runs", "datasets"):
        sizes = []
        for entry in os.scandir(os.path.join(store, sub)):
            if not entry.name.endswith(".pb"):
                continue
            try:
                sizes.append(entry.stat().st_size)
            except FileNotFoundError:  # removed by retention meanwhile
                pass
        usage[sub] = (sum(sizes), len(sizes))
    return usage


def process_status(pid, field):
    """A number from /proc/PID/status (VmRSS in kB, Threads)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return -1


def main():
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default=os.path.join(root, "build"), help="build tree with bin/ and python/")
    parser.add_argument("--pipeline", help="a PipelineSpec as JSON (default: provinces and congruence)")
    parser.add_argument("--runs", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--every", type=int, default=500, help="report after this many runs")
    parser.add_argument("--max-concurrent-runs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--server-arg", action="append", default=[],
                        help="more bre-server flags, e.g. --server-arg=--retain-runs=500 (default: its defaults)")
    args = parser.parse_args()

    spec_json = SMALL_PIPELINE
    if args.pipeline:
        with open(args.pipeline) as f:
            spec_json = f.read()
    server_args = ["--max-concurrent-runs", str(args.max_concurrent_runs)] + args.server_arg
    with running_server(args.build, server_args, "soak") as (target, store, server, dataset_id):
        import grpc
        from bre_client._proto.bre.v1 import service_pb2, service_pb2_grpc

        print(f"bre-server {target} {' '.join(server_args)}, {os.cpu_count()} cores, {args.clients} clients, "
              f"pipeline {os.path.basename(args.pipeline) if args.pipeline else 'provinces + congruence'}")
        print(f"{'runs':>6} {'records':>7} {'record MB':>9} {'dataset MB':>10} {'RSS MB':>7} {'threads':>7} "
              f"{'p50 s':>7} {'p99 s':>7}", flush=True)
        stubs = [service_pb2_grpc.BreServiceStub(grpc.insecure_channel(target)) for _ in range(args.clients)]
        lock = threading.Lock()
        started = [0]
        window, everything = [], []
        failures = []

        def report(done):
            usage = store_usage(store)
            window.sort()
            print(f"{done:>6} {usage['runs'][1]:>7} {usage['runs'][0] / 1e6:>9.1f} {usage['datasets'][0] / 1e6:>10.1f} "
                  f"{process_status(server.pid, 'VmRSS') / 1024:>7.1f} {process_status(server.pid, 'Threads'):>7} "
                  f"{percentile(window, 0.50):>7.3f} {percentile(window, 0.99):>7.3f}", flush=True)
            window.clear()

        def client(index):
            while True:
                with lock:
                    if started[0] >= args.runs or failures:
                        return
                    started[0] += 1
                    seed = started[0]
                try:
                    seconds = timed_run(stubs[index], service_pb2, spec_json, dataset_id, seed)
                except Exception as error:  # reported below, and the soak stops
                    with lock:
                        failures.append(str(error))
                    return
                with lock:
                    window.append(seconds)
                    everything.append(seconds)
                    if len(everything) % args.every == 0:
                        report(len(everything))

        begin = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.clients) as pool:
            list(pool.map(client, range(args.clients)))
        seconds = time.monotonic() - begin
        if failures:
            raise SystemExit(f"soak: {len(failures)} run(s) failed, first: {failures[0]}")
        everything.sort()
        print(f"all {len(everything)} runs in {seconds:.0f} s ({len(everything) / seconds:.1f} runs/s): "
              f"p50 {percentile(everything, 0.50):.3f} s, p99 {percentile(everything, 0.99):.3f} s")


if __name__ == "__main__":
    main()
